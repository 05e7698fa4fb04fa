"""The HTML report and its CSV: content, privacy (no note text by default), HTML escaping of every
input value, empty and single-provider inputs, and the `neurocode report` command."""

from __future__ import annotations

import csv
import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nlp.cli import _register, app
from nlp.errors import InputError
from nlp.reports import ReportOptions, build_report, write_report
from nlp.reports.build import vega_lite_version

INJECT = '<x-inj a="1">"&\'</x-inj>'


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.figures: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "figure" and any(k == "data-chart" for k, _ in attrs):
            self.figures.append(dict(attrs).get("id") or "")


def _csv_rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(path.read_text(encoding="utf-8").splitlines()))


def _parse(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    return parser


def test_report_contents_by_provider(hand_frames) -> None:
    report = build_report(*hand_frames, ReportOptions(min_notes=3))
    html = report.html
    parsed = _parse(html)
    assert report.summary["groups"] == 2
    assert html.count('class="page group-summary"') == 2  # one summary page per provider
    assert 'id="group-1"' in html and ">P1<" in html and ">P2 <span class=\"badge\">small group" in html
    # every chart element has its spec, and every spec a chart element
    specs = re.findall(r'<script type="application/json" id="spec-(chart-\d+)">', html)
    assert parsed.figures and set(parsed.figures) <= set(specs)
    assert "vegaEmbed" in html  # the Vega bundle is inlined, no <script src>
    assert not re.search(r"<script[^>]+src=", html) and "<link" not in html
    # the tip for the most frequent missing axis, with its source
    assert "State whether the epilepsy or migraine is intractable" in html
    assert "ICD-10-CM Tabular G40 and G43 notes" in html
    # example query built from the templates (answer options, always with the closing options)
    assert "focal aware / focal impaired awareness" in html and "clinically undetermined" in html


def test_report_no_note_text_unless_asked(make_rows, to_frames, hand_tables) -> None:
    secret = "PATIENT-SAYS-SECRET-WORDS"
    rows = make_rows(*hand_tables, text=secret, prompt=f"The note documents '{secret}'.")
    plain = build_report(*to_frames(*rows), ReportOptions())
    assert secret not in plain.html
    assert "No note text" in plain.html
    internal = build_report(*to_frames(*rows), ReportOptions(include_snippets=True))
    assert secret in internal.html
    assert "for internal use only" in internal.html


@pytest.mark.parametrize("by", ["provider", "specialty", "family"])
@pytest.mark.parametrize("snippets", [False, True], ids=["plain", "snippets"])
def test_report_escapes_every_input_value(make_rows, to_frames, by: str, snippets: bool) -> None:
    notes = [(f"n{i}{INJECT}", f"P{INJECT}", f"2026-0{4 + i}-10", f"spec{INJECT}", "ok") for i in range(3)]
    sugg = {f"n{i}{INJECT}": [(f"G40.909{INJECT}", "NOS", f"fam{INJECT}", ["seizure_type", f"axis{INJECT}"]),
                              ("G44.89", "NEC", "headache", [])] for i in range(3)}
    rows = make_rows(notes, sugg, text=f"text{INJECT}", description=f"desc{INJECT}", prompt=f"prompt{INJECT}")
    html = build_report(*to_frames(*rows), ReportOptions(by=by, include_snippets=snippets, title=f"T{INJECT}")).html
    parsed = _parse(html)
    assert "x-inj" not in parsed.tags  # no input value became an element
    assert "<x-inj" not in html  # nor appears raw anywhere, chart JSON included
    assert "&lt;x-inj" in html  # but is shown, escaped
    assert "\\u003cx-inj" in html  # and reaches the charts as escaped JSON
    if snippets:
        assert "text&lt;x-inj" in html and "prompt&lt;x-inj" in html


def test_report_empty_input(to_frames) -> None:
    report = build_report(*to_frames([], []), ReportOptions())
    assert "nothing to report" in report.html
    assert report.summary == {"groups": 0, "notes": 0, "codes": 0, "charts": 0, "notes_error": 0,
                              "notes_undated_excluded": 0}
    assert 'class="page group-summary"' not in report.html
    assert 'data-charts-rendered", "0"' in report.html  # the page still reports its (zero) charts


def test_report_single_provider_without_dates(make_rows, to_frames) -> None:
    notes = [("a", "prov-1", None, None, "ok"), ("b", "prov-1", None, None, "ok")]
    sugg = {"a": [("G40.909", "NOS", "epilepsy", ["seizure_type"])], "b": [("G40.219", "specific", "epilepsy", [])]}
    report = build_report(*to_frames(*make_rows(notes, sugg)), ReportOptions())
    assert report.summary["groups"] == 1
    assert list(report.table["group"]) == ["prov-1"]
    assert report.table.loc[0, "NOS_rate"] == pytest.approx(0.5)
    assert "No trend by month" in report.html and "Dates of service not recorded" in report.html


def test_report_all_notes_filtered_out(hand_frames) -> None:
    report = build_report(*hand_frames, ReportOptions(date_from=dt.date(2027, 1, 1)))
    assert report.summary["notes"] == 0 and "nothing to report" in report.html
    assert report.summary["notes_undated_excluded"] == 1


def test_report_period_reversed_is_an_error(hand_frames) -> None:
    with pytest.raises(InputError, match="E850"):
        build_report(*hand_frames, ReportOptions(date_from=dt.date(2026, 6, 1), date_to=dt.date(2026, 5, 1)))


def test_write_report_html_and_csv(hand_results: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    summary = write_report(hand_results, out, ReportOptions(min_notes=3))
    assert out.read_text(encoding="utf-8").startswith("<!doctype html>")
    rows = _csv_rows(tmp_path / "r.csv")
    assert summary["csv"] == str(tmp_path / "r.csv")
    assert [r["provider"] for r in rows] == ["P1", "P2"]
    assert (rows[0]["notes"], rows[0]["codes"], rows[0]["NOS"], rows[0]["NOS_rate"]) == ("4", "6", "3", "0.5")
    assert rows[1]["NOS_rate"] == "0.6667" and rows[1]["small_group"] == "True"


def test_write_report_csv_cells_cannot_be_formulas(write_results, make_rows, tmp_path: Path) -> None:
    notes = [("a", "=HYPERLINK(1)", "2026-05-01", None, "ok")]
    results = write_results(*make_rows(notes, {"a": [("G40.909", "NOS", "epilepsy", ["seizure_type"])]}))
    write_report(results, tmp_path / "r.html", ReportOptions())
    row = _csv_rows(tmp_path / "r.csv")[0]
    assert row["provider"] == "'=HYPERLINK(1)"


def test_write_report_unfinished_run_is_flagged(write_results, make_rows, hand_tables, tmp_path: Path) -> None:
    results = write_results(*make_rows(*hand_tables), complete=False)
    write_report(results, tmp_path / "r.html", ReportOptions())
    assert "The batch run is not finished" in (tmp_path / "r.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(("schema", "available", "expected"), [
    ("v6.4.1", ["5.20", "6.1", "6.4"], "6.4"),
    ("v6.5.0", ["5.20", "6.1", "6.4"], "6.4"),
    ("v5.17.0", ["5.17", "6.4"], "5.17"),
], ids=["same", "newer-minor", "older-major"])
def test_vega_lite_bundle_version(schema: str, available: list[str], expected: str) -> None:
    assert vega_lite_version(schema, available) == expected


# --- the command ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def runner() -> CliRunner:
    _register()
    return CliRunner()


def test_cli_report_writes_files(runner: CliRunner, hand_results: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    res = runner.invoke(app, ["report", str(hand_results), "-o", str(out), "--by", "specialty",
                              "--from", "2026-04-01", "--to", "2026-09-30"])
    assert res.exit_code == 0, res.output
    assert out.is_file() and (tmp_path / "report.csv").is_file()
    assert "5 notes, 7 codes, 2 specialty group(s)" in res.output  # n6 (no date) left out by the period
    assert "specialty" in _csv_rows(tmp_path / "report.csv")[0]


@pytest.mark.parametrize(("args", "code"), [
    (["--from", "2026-06-01", "--to", "2026-05-01"], "E850"),
    (["--from", "2026-13-01"], "E104"),
    (["--min-notes", "0"], "E851"),
], ids=["reversed-period", "bad-date", "min-notes"])
def test_cli_report_bad_options(runner: CliRunner, hand_results: Path, tmp_path: Path, args: list[str],
                                code: str) -> None:
    res = runner.invoke(app, ["report", str(hand_results), "-o", str(tmp_path / "r.html"), *args])
    assert res.exit_code == 2
    assert res.output.startswith(code)
    assert not (tmp_path / "r.html").exists()


def test_cli_report_not_a_results_folder(runner: CliRunner, tmp_path: Path) -> None:
    res = runner.invoke(app, ["report", str(tmp_path), "-o", str(tmp_path / "r.html")])
    assert res.exit_code == 2 and res.output.startswith("E812")


def test_cli_report_missing_output_folder(runner: CliRunner, hand_results: Path, tmp_path: Path) -> None:
    res = runner.invoke(app, ["report", str(hand_results), "-o", str(tmp_path / "no" / "r.html")])
    assert res.exit_code == 2 and res.output.startswith("E852")


def test_report_handout_only_one_provider(hand_frames) -> None:
    report = build_report(*hand_frames, ReportOptions(only=("P2",), include_snippets=True))
    assert list(report.table["group"]) == ["P2"]
    assert 'id="overview"' not in report.html and ">P1<" not in report.html  # nothing about the others
    assert report.html.count('class="page group-summary"') == 1
    assert "all notes 56%" in report.html  # the comparison still pools every note (5 NOS of 9 codes)
    assert "for internal use only" in report.html  # the snippet warning is on the page itself


def test_report_handout_unknown_group(hand_frames) -> None:
    with pytest.raises(InputError, match="E853"):
        build_report(*hand_frames, ReportOptions(only=("P9",)))
