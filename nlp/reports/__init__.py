"""Provider documentation-education reports from batch results (`neurocode report`).

`write_report(results_dir, out_html, ReportOptions(...))` reads the batch tables
(`nlp.batch.read_tables`) and writes a self-contained HTML report and a CSV of the per-group figures;
`build_report(suggestions_df, notes_df, options)` does the same in memory. Figures:
`nlp.reports.figures`; charts: `nlp.reports.charts`; tips and family names: `nlp/resources/`.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Report", "ReportOptions", "build_report", "write_report"]


def __getattr__(name: str) -> Any:
    """Lazy: pandas and Altair load only when a report is built, not on every `neurocode` command."""
    if name in __all__:
        from nlp.reports import build

        return getattr(build, name)
    raise AttributeError(name)
