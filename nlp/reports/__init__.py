"""Provider documentation-education reports from batch results (`neurocode report`).

`write_report(results_dir, out_html, ReportOptions(...))` reads the batch tables
(`nlp.batch.read_tables`) and writes a self-contained HTML report and a CSV of the per-group figures;
`build_report(suggestions_df, notes_df, options)` does the same in memory. Figures:
`nlp.reports.figures`; charts: `nlp.reports.charts`; tips and family names: `nlp/resources/`.
"""

from nlp.reports.build import Report, ReportOptions, build_report, write_report

__all__ = ["Report", "ReportOptions", "build_report", "write_report"]
