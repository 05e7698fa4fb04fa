"""The report's data files cover what the pipeline can emit: a tip (with its source) for every
query axis, and a display name for every suggestion family."""

from __future__ import annotations

import csv
import importlib.resources
import re

import pytest

from nlp.coding.tables import split_list
from nlp.facts import FAMILIES
from nlp.reports.resources import families, tips

RESOURCES = importlib.resources.files("nlp.resources")


def _rows(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader((RESOURCES / name).read_text(encoding="utf-8").splitlines()))


def _emitted_axes() -> list[str]:
    """Every axis a query can name: the query templates, the default axes and the coding tables'
    missing_axes columns."""
    axes = {r["axis"] for r in _rows("query_templates.csv")}
    axes |= {a for r in _rows("review_default_axes.csv") for a in split_list(r["axes"])}
    for entry in RESOURCES.iterdir():
        if entry.name.startswith("coding_") and entry.name.endswith(".csv"):
            axes |= {a for r in _rows(entry.name) for a in split_list(r.get("missing_axes") or "")}
    return sorted(axes)


def _coder_families() -> list[str]:
    """The families a suggestion can carry: the facts contract, the code-range table and the coders."""
    names = set(FAMILIES) | {r["family"] for r in _rows("code_families.csv")}
    names |= {r["family"] for r in _rows("review_default_axes.csv")}
    coding = importlib.resources.files("nlp.coding")
    for entry in coding.iterdir():
        if entry.name.endswith(".py"):
            names |= set(re.findall(r'^\s+family = "([a-z_]+)"', entry.read_text(encoding="utf-8"), re.M))
    return sorted(names)


def test_emitted_axes_found() -> None:
    assert {"seizure_type", "intractability", "ms_course", "nerves_studied", "toxin_units"} <= set(_emitted_axes())


@pytest.mark.parametrize("axis", _emitted_axes())
def test_every_query_axis_has_a_tip_with_a_source(axis: str) -> None:
    tip = tips().get(axis)
    assert tip is not None, f"no documentation tip for axis {axis!r} in report_documentation_tips.csv"
    assert tip.tip and tip.label and tip.source


@pytest.mark.parametrize("family", _coder_families())
def test_every_family_has_a_display_name(family: str) -> None:
    assert family in families(), f"no display name for family {family!r} in report_families.csv"


def test_tips_are_unique_per_axis() -> None:
    axes = [r["axis"] for r in _rows("report_documentation_tips.csv")]
    assert len(axes) == len(set(axes))
