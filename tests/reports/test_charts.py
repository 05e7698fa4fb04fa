"""Every chart kind of the report is a valid Vega-Lite spec (the report skips Altair's validation
per chart for speed, so it is checked here) and carries the figures it is given."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest
from altair.utils.schemapi import validate_jsonschema
from altair.vegalite.v6.schema.core import load_schema

from nlp.reports import charts, figures

THIS = {"codes": 6, "specific": 2, "NEC": 1, "NOS": 3, "specific_rate": 2 / 6, "NEC_rate": 1 / 6, "NOS_rate": 0.5}
ALL = {"codes": 9, "specific": 3, "NEC": 1, "NOS": 5, "specific_rate": 3 / 9, "NEC_rate": 1 / 9, "NOS_rate": 5 / 9}


def _values(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return [row for rows in spec.get("datasets", {}).values() for row in rows]


def _specs(hand_frames) -> dict[str, dict[str, Any]]:
    sel = figures.select(*hand_frames, min_notes=3)
    p1 = sel.suggestions[sel.suggestions["group"] == "P1"]
    return {
        "families": charts.label_shares_by_family(figures.by_family(sel.suggestions)),
        "axes": charts.missing_axes_bars(figures.missing_axes(sel.suggestions), "Missing details"),
        "groups": charts.group_nos_rates(figures.group_table(sel), 5 / 9, "Provider"),
        "rates": charts.rates_against_all(THIS, ALL, "P1"),
        "trend": charts.monthly_trend(figures.monthly(p1), figures.monthly(sel.suggestions), "P1"),
    }


@pytest.mark.parametrize("kind", ["families", "axes", "groups", "rates", "trend"])
def test_chart_is_valid_vega_lite(hand_frames, kind: str) -> None:
    spec = _specs(hand_frames)[kind]
    assert validate_jsonschema(spec, load_schema(), raise_error=False) is None
    assert spec["config"]["font"] == charts.FONT


def test_chart_rates_against_all_data(hand_frames) -> None:
    rows = _values(_specs(hand_frames)["rates"])
    got = {(r["series"], r["label"]): r["rate"] for r in rows}
    assert got == pytest.approx({("P1", "NOS"): 0.5, ("All notes", "NOS"): 5 / 9, ("P1", "NEC"): 1 / 6,
                                 ("All notes", "NEC"): 1 / 9})


def test_chart_group_rates_mark_small_groups(hand_frames) -> None:
    rows = _values(_specs(hand_frames)["groups"])
    bars = {r["group"]: r for r in rows if "group" in r}
    assert set(bars) == {"P1", "P2 *"}  # P2 has 2 notes < 3
    assert bars["P2 *"]["size"].startswith("small group")
    assert bars["P2 *"]["rate"] == pytest.approx(2 / 3)
    assert any(r.get("rate") == pytest.approx(5 / 9) and "group" not in r for r in rows)  # the all-notes rule


def test_chart_trend_months_in_order(hand_frames) -> None:
    rows = [r for r in _values(_specs(hand_frames)["trend"]) if r["series"] == "P1"]
    assert [(r["when"], round(r["NOS_rate"], 3)) for r in rows] == [("Apr 26", 0.667), ("May 26", 0.0),
                                                                    ("Jun 26", 0.5)]


def test_chart_family_shares_sum_to_one(hand_frames) -> None:
    rows = pd.DataFrame(_values(_specs(hand_frames)["families"]))
    assert rows.groupby("family")["share"].sum().tolist() == pytest.approx([1.0] * 4)
