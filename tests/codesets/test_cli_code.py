"""`neurocode code` and `neurocode codeset` through typer's CliRunner: success and failure paths."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nlp.cli import _register, app

_register()
runner = CliRunner()


def test_code_prints_description_class_and_notes(icd) -> None:  # type: ignore[no-untyped-def]
    res = runner.invoke(app, ["code", "G40.219", "--dos", "2026-05-14"])
    assert res.exit_code == 0, res.output
    assert "intractable, without status epilepticus" in res.output
    assert "billable on 2026-05-14: yes" in res.output
    assert "code class: specific" in res.output
    assert "convulsions NOS (R56.9)" in res.output  # inherited Excludes1 from G40


def test_code_json_has_parents_and_children(icd) -> None:  # type: ignore[no-untyped-def]
    res = runner.invoke(app, ["code", "G40.21", "--format", "json"])
    assert res.exit_code == 1  # a header: valid but not billable
    info = json.loads(res.stdout)
    assert [c["code"] for c in info["children"]] == ["G40.211", "G40.219"]
    assert info["parents"][0]["code"] == "G40.2"
    assert "E103" in res.stderr


@pytest.mark.parametrize(
    ("args", "error"),
    [
        pytest.param(["code", "G4"], "E101", id="malformed"),
        pytest.param(["code", "Z99.999"], "E102", id="unknown"),
        pytest.param(["code", "G40.219", "--dos", "14/05/2026"], "E104", id="bad-date"),
        pytest.param(["code", "G40.219", "--dos", "2027-01-15"], "E105", id="no-release-in-force"),
    ],
)
def test_code_errors_are_one_line_exit_2(icd, args: list[str], error: str) -> None:  # type: ignore[no-untyped-def]
    res = runner.invoke(app, args)
    assert res.exit_code == 2
    assert res.stderr.startswith(f"{error}: ")
    assert len(res.stderr.strip().splitlines()) == 1


def test_codeset_import_then_list(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEUROCODE_HOME", str(tmp_path))
    fixtures = Path(__file__).resolve().parent.parent / "fixtures" / "cms_icd10cm" / "fy2025"
    res = runner.invoke(app, ["codeset", "import", str(fixtures)])
    assert res.exit_code == 0, res.output
    assert "in force from 2024-10-01" in res.stdout
    again = runner.invoke(app, ["codeset", "import", str(fixtures)])
    assert again.exit_code == 2 and again.stderr.startswith("E205: ")
    listed = runner.invoke(app, ["codeset", "list"])
    assert "2024-10-01 .. 2025-09-30" in listed.stdout
    assert "2026-04-01 .. 2026-09-30" in listed.stdout  # the bundled release is always there


EDITS = Path(__file__).resolve().parent.parent / "fixtures" / "cms_edits"


def test_codeset_import_edits_and_descriptors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A data engineer loads the quarter's CMS edit files and a licensed descriptor file from the CLI."""
    monkeypatch.setenv("NEUROCODE_HOME", str(tmp_path))
    ptp = runner.invoke(app, ["codeset", "import-edits", str(EDITS / "ptp_practitioner_2026q1.txt"),
                              "--kind", "ptp", "--effective", "2026-01-01"])
    assert ptp.exit_code == 0, ptp.output
    assert "PTP rows in force from 2026-01-01" in ptp.stdout
    mue = runner.invoke(app, ["codeset", "import-edits", str(EDITS / "mue_practitioner_2026q1.csv"),
                              "--kind", "mue", "--effective", "2026-01-01"])
    assert mue.exit_code == 0, mue.output
    listed = runner.invoke(app, ["codeset", "list"]).stdout
    assert "PTP        2026-01-01 .. open" in listed and "MUE        2026-01-01 .. open" in listed
    again = runner.invoke(app, ["codeset", "import-edits", str(EDITS / "mue_practitioner_2026q1.csv"),
                                "--kind", "mue", "--effective", "2026-01-01"])
    assert again.exit_code == 2 and again.stderr.startswith("E2")
    desc = runner.invoke(app, ["codeset", "import-cpt-descriptors", str(EDITS / "cpt_descriptors_synthetic.csv")])
    assert desc.exit_code == 0, desc.output
    shown = runner.invoke(app, ["code", "95907", "--dos", "2026-05-01"])
    assert "SYNTHETIC TEST DESCRIPTOR for 95907" in shown.stdout


def test_codeset_import_edits_bad_columns_is_numbered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEUROCODE_HOME", str(tmp_path))
    res = runner.invoke(app, ["codeset", "import-edits", str(EDITS / "ptp_unrecognised_columns.txt"),
                              "--kind", "ptp", "--effective", "2026-01-01"])
    assert res.exit_code == 2 and res.stderr.startswith("E208: ")
