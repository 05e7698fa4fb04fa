"""Batch tables -> a self-contained HTML report (charts drawn in the page by the inlined Vega-Lite
bundle; nothing is fetched when it opens) and a CSV of the per-group figures.

The report shows no note text unless `include_snippets` is set: reports travel further than notes.
Every value taken from the input tables reaches the page through Jinja2 autoescaping (HTML) or as
JSON with `<`, `>` and `&` escaped (chart data), so no input value can become markup.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import pandas as pd

from nlp import __version__
from nlp.batch import read_tables
from nlp.batch.tables import read_manifest
from nlp.errors import Errors, InputError
from nlp.reports import charts, figures
from nlp.reports.figures import GROUP_TITLES, Selection
from nlp.reports.resources import axis_label, tip_for
from nlp.review.queries import CLOSING, templates

SUMMARY_AXES = 3  # missing axes (with their tips) on a group's one-page summary
SUMMARY_EXAMPLES = 3  # example queries on the one-page summary (all of them, up to 5, in the details)
CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class ReportOptions:
    by: str = "provider"
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    include_snippets: bool = False
    min_notes: int = figures.DEFAULT_MIN_NOTES
    title: str = "Documentation specificity report"
    only: tuple[str, ...] = ()  # handout: only these groups' pages, no overview of the other groups


@dataclass
class Report:
    html: str
    table: pd.DataFrame  # the per-group figures (written as the CSV)
    summary: dict[str, Any]


@cache
def vega_bundle() -> str:
    """Vega, Vega-Lite and vega-embed in one script, from the vl-convert package (offline)."""
    import altair
    import vl_convert

    version = vega_lite_version(altair.SCHEMA_VERSION, vl_convert.get_vegalite_versions())
    # no snippet: the default one puts vega, vegaLite and vegaEmbed on window (the stub marks it required)
    bundle = vl_convert.javascript_bundle(vl_version=version)  # type: ignore[call-arg]
    return bundle.replace("</script", "<\\/script")


def vega_lite_version(schema_version: str, available: list[str]) -> str:
    """The bundle version for Altair's specs: its major.minor ('v6.4.1' -> '6.4') when vl-convert
    ships it, else the newest vl-convert ships of the same major version, else the newest."""
    major, minor = schema_version.lstrip("v").split(".")[:2]
    if f"{major}.{minor}" in available:
        return f"{major}.{minor}"
    same = [v for v in available if v.split(".")[0] == major]
    return (same or available)[-1]


def _json_for_script(value: Any) -> str:
    """JSON that is safe inside a <script> element whatever strings it carries."""
    text = json.dumps(value, ensure_ascii=False, allow_nan=False, default=str)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("nlp.reports", "templates"),
        autoescape=True,  # every value from the input tables is escaped
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["pct"] = lambda v: "–" if v is None or pd.isna(v) else f"{v:.0%}"
    return env


def _query(axis: str) -> dict[str, str]:
    """The query for one axis from the project's templates: question and answer options."""
    t = templates().get(axis)
    question = t.question if t else f"Please clarify the {axis.replace('_', ' ')}"
    options = " / ".join([*(t.options if t else ()), *CLOSING])
    return {"question": question, "options": options}


def _axis_rows(table: pd.DataFrame, limit: int | None = None) -> list[dict[str, Any]]:
    rows = []
    for r in (table if limit is None else table.head(limit)).itertuples(index=False):
        tip = tip_for(r.axis)
        rows.append({"axis": r.axis, "label": r.label, "codes": int(r.codes), "notes": int(r.notes),
                     "tip": tip.tip if tip else None, "source": tip.source if tip else None})
    return rows


class _Charts:
    """Collects chart specs and hands out element ids."""

    def __init__(self) -> None:
        self.specs: list[dict[str, str]] = []

    def add(self, spec: dict[str, Any], label: str) -> str:
        chart_id = f"chart-{len(self.specs) + 1}"
        self.specs.append({"id": chart_id, "spec": _json_for_script(spec), "label": label})
        return chart_id


def _group_context(gsugg: pd.DataFrame, row: pd.Series, all_figures: dict[str, Any], all_monthly: pd.DataFrame,
                   options: ReportOptions, chart_list: _Charts, index: int) -> dict[str, Any]:
    name = str(row["group"])
    figs = figures.label_counts(gsugg)
    axes = figures.missing_axes(gsugg)
    months = figures.monthly(gsugg)
    rates_chart = chart_list.add(charts.rates_against_all(figs, all_figures, name),
                                 f"NOS and NEC rates of {name} against all notes")
    trend_chart = None
    if len(months) >= 2:
        trend_chart = chart_list.add(charts.monthly_trend(months, all_monthly, name), f"NOS rate of {name} by month")
    axes_chart = None
    if len(axes):
        spec = charts.missing_axes_bars(axes, "Details missing behind NOS codes", width=260, top=6)
        axes_chart = chart_list.add(spec, f"Missing details of {name}")
    examples = []
    for ex in figures.examples(gsugg, include_snippets=options.include_snippets, axes=axes):
        examples.append({
            "note_id": ex.note_id, "date": ex.date_of_service, "code": ex.code, "description": ex.description,
            "axes": [{"label": axis_label(a), **_query(a)} for a in ex.axes],
            "snippet": ex.snippet, "prompt": ex.prompt,
        })
    fam = figures.by_family(gsugg)
    return {
        "anchor": f"group-{index}",
        "name": name,
        "notes": int(row["notes"]),
        "small": bool(row["small_group"]),
        "first_date": row["first_date"], "last_date": row["last_date"], "months": int(row["months"]),
        "figures": figs,
        "axes": _axis_rows(axes),
        "summary_axes": _axis_rows(axes, SUMMARY_AXES),
        "families": fam.to_dict("records"),
        "examples": examples,
        "summary_examples": examples[:SUMMARY_EXAMPLES],
        "rates_chart": rates_chart, "trend_chart": trend_chart, "axes_chart": axes_chart,
    }


def _period_text(sel: Selection, ov: dict[str, Any]) -> str:
    if sel.date_from or sel.date_to:
        start = sel.date_from.isoformat() if sel.date_from else "the first note"
        end = sel.date_to.isoformat() if sel.date_to else "the last note"
        return f"Dates of service {start} to {end}"
    if ov["first_date"]:
        return f"Dates of service {ov['first_date']} to {ov['last_date']}"
    return "Dates of service not recorded"


def build_report(suggestions: pd.DataFrame, notes: pd.DataFrame, options: ReportOptions,
                 manifest: dict[str, Any] | None = None) -> Report:
    """The report of batch tables (columns of nlp/batch/schema.py)."""
    if options.date_from and options.date_to and options.date_from > options.date_to:
        raise InputError(Errors.E850, date_from=options.date_from.isoformat(), date_to=options.date_to.isoformat())
    if options.min_notes < 1:
        raise InputError(Errors.E851, value=options.min_notes)
    sel = figures.select(suggestions, notes, options.by, options.date_from, options.date_to, options.min_notes)
    ov = figures.overview(sel)
    table = figures.group_table(sel)
    if options.only:
        unknown = [g for g in options.only if g not in set(table["group"])]
        if unknown:
            raise InputError(Errors.E853, groups=unknown, by=options.by, count=len(table))
        table = table[table["group"].isin(options.only)].reset_index(drop=True)
    all_figures = figures.label_counts(sel.suggestions)
    all_monthly = figures.monthly(sel.suggestions)
    chart_list = _Charts()
    group_title = GROUP_TITLES[options.by]
    fam = figures.by_family(sel.suggestions)
    axes = figures.missing_axes(sel.suggestions)
    handout = bool(options.only)
    overview_charts = {} if handout else {
        "families": chart_list.add(charts.label_shares_by_family(fam), "Specific / NEC / NOS by condition family")
        if len(fam) else None,
        "axes": chart_list.add(charts.missing_axes_bars(axes, "Most frequent missing documentation details"),
                               "Most frequent missing documentation details") if len(axes) else None,
        "groups": chart_list.add(charts.group_nos_rates(table, all_figures["NOS_rate"], group_title),
                                 f"NOS share by {group_title.lower()}") if len(table) else None,
    }
    by_group = figures.suggestions_by_group(sel)
    groups = [_group_context(by_group.get(str(row["group"]), sel.suggestions.iloc[0:0]), row, all_figures,
                             all_monthly, options, chart_list, i)
              for i, (_, row) in enumerate(table.iterrows(), start=1)]
    versions = sorted({str(v) for v in sel.notes.get("icd10cm_release", pd.Series(dtype=str)).dropna()})
    pipeline_versions = sorted({str(v) for v in sel.notes.get("pipeline_version", pd.Series(dtype=str)).dropna()})
    context = {
        "title": options.title,
        "generated": dt.date.today().isoformat(),
        "neurocode_version": __version__,
        "period": _period_text(sel, ov),
        "by": options.by,
        "group_title": group_title,
        "include_snippets": options.include_snippets,
        "min_notes": options.min_notes,
        "handout": handout,
        "overview": ov,
        "families": fam.to_dict("records"),
        "axes": _axis_rows(axes),
        "table": table.to_dict("records"),
        "groups": groups,
        "overview_charts": overview_charts,
        "charts": chart_list.specs,
        "incomplete": bool(manifest is not None and not manifest.get("complete", False)),
        "icd10cm_releases": versions,
        "pipeline_versions": pipeline_versions,
        "vega_bundle": vega_bundle() if chart_list.specs else "",
    }
    html = _environment().get_template("report.html").render(**context)
    summary = {"groups": len(table), "notes": ov["notes"], "codes": ov["codes"], "charts": len(chart_list.specs),
               "notes_error": ov["notes_error"], "notes_undated_excluded": ov["notes_undated_excluded"]}
    return Report(html=html, table=table, summary=summary)


def _csv_safe(value: Any) -> Any:
    """Input strings that a spreadsheet would read as a formula are prefixed with a quote."""
    if isinstance(value, str) and value.startswith(CSV_FORMULA_START):
        return "'" + value
    return value


def csv_table(report: Report, by: str) -> pd.DataFrame:
    table = report.table.rename(columns={"group": by})
    rates = [c for c in table.columns if c.endswith("_rate")]
    table[rates] = table[rates].astype(float).round(4)
    return table.map(_csv_safe)


def write_report(results_dir: str | Path, out_html: str | Path, options: ReportOptions,
                 out_csv: str | Path | None = None) -> dict[str, Any]:
    """Read a batch output folder, write the HTML report and the per-group CSV (default: beside the
    HTML, same name with .csv). Returns the summary figures (counts only, no note text)."""
    out_html = Path(out_html)
    out_csv = Path(out_csv) if out_csv else out_html.with_suffix(".csv")
    for path in (out_html, out_csv):
        if not path.parent.is_dir():
            raise InputError(Errors.E852, path=str(path.parent))
    manifest = read_manifest(results_dir)
    suggestions, notes = read_tables(results_dir)
    report = build_report(suggestions, notes, options, manifest)
    out_html.write_text(report.html, encoding="utf-8")
    csv_table(report, options.by).to_csv(out_csv, index=False)
    return {**report.summary, "html": str(out_html), "csv": str(out_csv)}
