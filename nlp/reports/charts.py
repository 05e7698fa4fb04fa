"""The report's charts as Vega-Lite specifications built with Altair (drawn in the page by the
inlined Vega / Vega-Lite / vega-embed bundle; no chart is drawn by hand). Each function takes a
figure table from `nlp.reports.figures` and returns a JSON-ready dict."""

from __future__ import annotations

import datetime as dt
from typing import Any

import altair as alt
import pandas as pd

from nlp.result import LABELS

LABEL_COLORS = {"specific": "#3a7d44", "NEC": "#e0a526", "NOS": "#c0392b"}
SERIES_COLORS = {"this": "#1f4e79", "all": "#a6a6a6"}
FONT = "Helvetica, Arial, sans-serif"
WIDE = 660
HALF = 215


CONFIG: dict[str, Any] = {
    "font": FONT,
    "view": {"stroke": None},
    "axis": {"labelFontSize": 11, "titleFontSize": 11, "labelLimit": 220},
    "legend": {"labelFontSize": 11, "titleFontSize": 11, "orient": "bottom"},
    "title": {"fontSize": 13, "anchor": "start"},
}


def _config(chart: alt.TopLevelMixin) -> dict[str, Any]:
    """The chart's Vega-Lite spec with the report's fonts and sizes. Not validated against the
    Vega-Lite schema here (a quarter of a second a chart); the tests validate every chart kind."""
    spec = chart.to_dict(validate=False)
    spec["config"] = CONFIG
    return spec


def _series_color(name: str) -> alt.Color:
    """This group in dark blue, all notes in grey (same colours in every chart)."""
    return alt.Color("series:N", title=None, sort=[name, "All notes"],
                     scale=alt.Scale(domain=[name, "All notes"], range=[SERIES_COLORS["this"], SERIES_COLORS["all"]]))


def _pct_axis(title: str) -> alt.Axis:
    return alt.Axis(format="%", title=title, grid=True, tickCount=5)


def label_shares_by_family(table: pd.DataFrame, width: int = WIDE) -> dict[str, Any]:
    """Stacked bars: share of specific / NEC / NOS codes in each condition family (n codes shown)."""
    rows = []
    for r in table.itertuples(index=False):
        for label in LABELS:
            rows.append({"family": f"{r.family} (n={r.codes})", "label": label,
                         "codes": int(getattr(r, label)), "share": getattr(r, f"{label}_rate") or 0.0})
    data = pd.DataFrame(rows, columns=["family", "label", "codes", "share"])
    order = list(dict.fromkeys(data["family"]))
    chart = alt.Chart(data).mark_bar().encode(
        y=alt.Y("family:N", sort=order, title=None),
        x=alt.X("share:Q", stack="zero", axis=_pct_axis("Share of codes"), scale=alt.Scale(domain=[0, 1])),
        color=alt.Color("label:N", title="Label", scale=alt.Scale(domain=list(LABELS),
                        range=[LABEL_COLORS[lb] for lb in LABELS])),
        order=alt.Order("label_order:Q"),
        tooltip=["family:N", "label:N", "codes:Q", alt.Tooltip("share:Q", format=".0%")],
    ).transform_calculate(
        label_order=f"indexof({list(LABELS)!r}, datum.label)"
    ).properties(width=width, height=max(60, 22 * len(order)), title="Specific / NEC / NOS by condition family")
    return _config(chart)


def missing_axes_bars(table: pd.DataFrame, title: str, width: int = WIDE, top: int = 8,
                      color: str = SERIES_COLORS["this"]) -> dict[str, Any]:
    """Horizontal bars: NOS codes per missing documentation axis (most frequent first)."""
    data = table.head(top)[["label", "codes", "notes"]].copy()
    order = list(data["label"])
    chart = alt.Chart(data).mark_bar(color=color).encode(
        y=alt.Y("label:N", sort=order, title=None),
        x=alt.X("codes:Q", title="NOS codes missing this detail", axis=alt.Axis(tickMinStep=1, format="d")),
        tooltip=[alt.Tooltip("label:N", title="Detail"), "codes:Q", "notes:Q"],
    ).properties(width=width, height=max(40, 22 * len(order)), title=title)
    text = chart.mark_text(align="left", dx=3, fontSize=11).encode(text="codes:Q")
    return _config(alt.layer(chart, text))


def group_nos_rates(table: pd.DataFrame, overall_rate: float | None, group_title: str,
                    width: int = WIDE) -> dict[str, Any]:
    """Bars: NOS rate of every group, small groups paler and starred, and a rule at the rate of all."""
    data = pd.DataFrame({
        "group": [f"{g}{' *' if s else ''}" for g, s in zip(table["group"], table["small_group"], strict=True)],
        "rate": table["NOS_rate"].fillna(0.0),
        "codes": table["codes"],
        "notes": table["notes"],
        "size": ["small group (rate not a trend)" if s else "enough notes" for s in table["small_group"]],
    })
    order = list(data["group"])
    bars = alt.Chart(data).mark_bar(color=SERIES_COLORS["this"]).encode(
        y=alt.Y("group:N", sort=order, title=None),
        x=alt.X("rate:Q", axis=_pct_axis("NOS share of codes"), scale=alt.Scale(domain=[0, 1])),
        opacity=alt.Opacity("size:N", title=None, scale=alt.Scale(
            domain=["enough notes", "small group (rate not a trend)"], range=[1.0, 0.4])),
        tooltip=[alt.Tooltip("group:N", title=group_title), alt.Tooltip("rate:Q", format=".0%", title="NOS rate"),
                 "codes:Q", "notes:Q"],
    )
    layers: list[alt.Chart] = [bars, bars.mark_text(align="left", dx=3, fontSize=11).encode(
        text=alt.Text("rate:Q", format=".0%"), opacity=alt.value(1))]
    if overall_rate is not None:
        rule = alt.Chart(pd.DataFrame({"rate": [overall_rate], "what": ["all notes"]})).mark_rule(
            color="#444", strokeDash=[4, 3], size=1.5).encode(x="rate:Q", tooltip=[
                alt.Tooltip("rate:Q", format=".0%", title="All notes")])
        layers.append(rule)
    chart = alt.layer(*layers).properties(width=width, height=max(60, 24 * len(order)),
                                          title=f"NOS share of codes by {group_title.lower()} (dashed line: all notes)")
    return _config(chart)


def rates_against_all(this: dict[str, Any], all_: dict[str, Any], name: str, width: int = HALF) -> dict[str, Any]:
    """Grouped bars: this group's NOS and NEC rates beside the rates of all notes."""
    rows = []
    for label in ("NOS", "NEC"):
        for series, figures in ((name, this), ("All notes", all_)):
            rows.append({"label": label, "series": series, "rate": figures.get(f"{label}_rate") or 0.0,
                         "n": figures.get(label, 0), "codes": figures.get("codes", 0)})
    data = pd.DataFrame(rows)
    chart = alt.Chart(data).mark_bar().encode(
        y=alt.Y("label:N", sort=["NOS", "NEC"], title=None),
        yOffset=alt.YOffset("series:N", sort=[name, "All notes"]),
        x=alt.X("rate:Q", axis=_pct_axis("Share of codes"), scale=alt.Scale(domain=[0, 1])),
        color=_series_color(name),
        tooltip=["series:N", "label:N", alt.Tooltip("rate:Q", format=".0%"), "n:Q", "codes:Q"],
    ).properties(width=width, height=110, title="NOS and NEC rates against all notes")
    text = chart.mark_text(align="left", dx=3, fontSize=10).encode(text=alt.Text("rate:Q", format=".0%"),
                                                                    color=alt.value("#222"))
    return _config(alt.layer(chart, text))


def monthly_trend(this: pd.DataFrame, all_: pd.DataFrame, name: str, width: int = HALF) -> dict[str, Any]:
    """Lines: NOS rate by month of service for this group and for all notes (points sized by codes)."""
    frames = []
    for series, table in ((name, this), ("All notes", all_)):
        part = table[["month", "codes", "NOS_rate"]].copy()
        part["series"] = series
        frames.append(part)
    data = pd.concat(frames, ignore_index=True)
    data["NOS_rate"] = data["NOS_rate"].fillna(0.0)
    data["when"] = [dt.datetime.strptime(m, "%Y-%m").strftime("%b %y") for m in data["month"]]
    order = [dt.datetime.strptime(m, "%Y-%m").strftime("%b %y") for m in sorted(set(data["month"]))]
    base = alt.Chart(data).encode(
        x=alt.X("when:O", sort=order, title="Month of service", axis=alt.Axis(labelAngle=-40)),
        y=alt.Y("NOS_rate:Q", axis=_pct_axis("NOS share of codes"), scale=alt.Scale(domain=[0, 1])),
        color=_series_color(name),
        tooltip=["series:N", alt.Tooltip("month:O", title="Month"),
                 alt.Tooltip("NOS_rate:Q", format=".0%", title="NOS rate"), "codes:Q"],
    )
    chart = alt.layer(base.mark_line(), base.mark_point(filled=True).encode(
        size=alt.Size("codes:Q", title="Codes", scale=alt.Scale(range=[20, 160]), legend=None)))
    return _config(chart.properties(width=width, height=110, title="NOS rate by month"))
