"""Every packaged data file is documented in nlp/resources/README.md and every CSV row has a source."""

from __future__ import annotations

import csv
import importlib.resources

import pytest

RESOURCES = importlib.resources.files("nlp.resources")
README = (RESOURCES / "README.md").read_text(encoding="utf-8")


def _data_files() -> list[str]:
    out = []
    for entry in RESOURCES.iterdir():
        if entry.name.endswith((".csv", ".json")):
            out.append(entry.name)
        elif entry.name == "terms":
            out += [f"terms/{t.name}" for t in entry.iterdir() if t.name.endswith(".csv")]
    return sorted(out)


@pytest.mark.parametrize("name", _data_files())
def test_resource_is_documented(name: str) -> None:
    family_row = name.startswith("terms/") and "`terms/<family>.csv`" in README and name.split("/")[1][:-4] in README
    assert f"`{name}`" in README or family_row, f"{name} is not described in nlp/resources/README.md"


@pytest.mark.parametrize("name", [n for n in _data_files() if n.endswith(".csv")])
def test_every_csv_row_has_a_source(name: str) -> None:
    text = (RESOURCES / name).read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    assert rows, f"{name} is empty"
    missing = [i + 2 for i, r in enumerate(rows) if not (r.get("source") or "").strip()]
    assert not missing, f"{name}: rows without a source at lines {missing[:10]}"


def test_section_rows_of_one_category_agree_on_its_flag() -> None:
    # a category's flag (narrative, historical, family...) is read per category: one row with another
    # flag would silently change how every header of that category is treated
    rows = list(csv.DictReader((RESOURCES / "sections.csv").read_text(encoding="utf-8").splitlines()))
    flags: dict[str, set[str]] = {}
    for r in rows:
        flags.setdefault(r["category"], set()).add(r["flag"])
    assert {c: f for c, f in flags.items() if len(f) > 1} == {}
