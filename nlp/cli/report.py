"""`neurocode report RESULTS_DIR -o report.html`: a provider documentation-education report (HTML
with embedded charts, plus a CSV of the per-group figures) from batch results."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from nlp.cli import app
from nlp.cli.common import handles_errors
from nlp.reports.defaults import DEFAULT_MIN_NOTES


class GroupBy(StrEnum):
    provider = "provider"
    specialty = "specialty"
    family = "family"


@app.command("report")
@handles_errors
def report_cmd(
    results_dir: Annotated[str, typer.Argument(help="Output folder of 'neurocode batch' (manifest.json, notes/, "
                                                    "suggestions/).")],
    out: Annotated[str, typer.Option("-o", "--out", help="HTML report to write (self-contained).")],
    by: Annotated[GroupBy, typer.Option("--by", help="One summary page per provider, specialty or condition family.")]
    = GroupBy.provider,
    date_from: Annotated[str | None, typer.Option("--from", help="First date of service, YYYY-MM-DD (inclusive).")]
    = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Last date of service, YYYY-MM-DD (inclusive).")] = None,
    csv_path: Annotated[str | None, typer.Option("--csv", help="CSV of the per-group figures (default: the report "
                                                               "path with .csv).")] = None,
    include_snippets: Annotated[bool, typer.Option(
        "--include-snippets", help="Add short evidence excerpts of note text (internal use only).")] = False,
    min_notes: Annotated[int, typer.Option(
        "--min-notes", help="Groups with fewer notes are shown but marked as too small for a trend.")]
    = DEFAULT_MIN_NOTES,
    title: Annotated[str, typer.Option("--title", help="Report title.")] = "Documentation specificity report",
    only: Annotated[list[str] | None, typer.Option(
        "--only", help="A handout: only this group's pages (repeatable); rates still compare with all notes.")] = None,
) -> None:
    """Write a self-contained HTML report of where documentation led to NOS codes, with tips."""
    from nlp.codesets.releases import parse_date
    from nlp.reports import ReportOptions, write_report

    options = ReportOptions(by=by.value, date_from=parse_date(date_from), date_to=parse_date(date_to),
                            include_snippets=include_snippets, min_notes=min_notes, title=title,
                            only=tuple(only or ()))
    summary = write_report(results_dir, out, options, csv_path)
    typer.echo(
        f"report: {summary['notes']} notes, {summary['codes']} codes, {summary['groups']} {by.value} group(s), "
        f"{summary['charts']} charts -> {summary['html']} (figures: {summary['csv']})",
        err=True,
    )
