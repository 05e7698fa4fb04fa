"""Coverage tables: a passing and a failing medical-necessity check; users' own CSV tables validated."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nlp.claim import coverage
from nlp.claim.pointers import claim_lines
from nlp.errors import NeurocodeError

DAY = dt.date(2026, 5, 1)
HEADER = "policy_id,payer,policy_name,procedure_codes,accepted_diagnoses,effective_from,effective_to,source\n"


def _findings(sugg, dx: str):  # type: ignore[no-untyped-def]
    _, lines = claim_lines([sugg("ICD-10-CM", dx, section="indication"), sugg("CPT", "64615")])
    policies, _ = coverage.active_policies()
    return coverage.check_line(lines[0], policies, DAY)


def test_coverage_chronic_migraine_passes(sugg) -> None:  # type: ignore[no-untyped-def]
    found = _findings(sugg, "G43.719")
    assert [(f.type, f.status, f.reason) for f in found] == [("medical_necessity", "pass", "BTX-MIGRAINE")]


def test_coverage_episodic_migraine_fails_naming_policy(sugg) -> None:  # type: ignore[no-untyped-def]
    found = _findings(sugg, "G43.909")
    assert [(f.status, f.reason) for f in found] == [("fail", "BTX-MIGRAINE")]
    assert "BTX-MIGRAINE" in found[0].message and "G43.909" in found[0].message and found[0].source


def test_coverage_policy_not_in_force_is_not_applied(sugg) -> None:  # type: ignore[no-untyped-def]
    _, lines = claim_lines([sugg("ICD-10-CM", "G43.909"), sugg("CPT", "64615")])
    policies, _ = coverage.active_policies()
    assert coverage.check_line(lines[0], policies, dt.date(2010, 1, 1)) == []


def test_coverage_user_table_replaces_bundled_policy(tmp_path: Path, sugg) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "my_policy.csv"
    path.write_text(HEADER + "BTX-MIGRAINE,acme,Acme migraine policy,64615,G43,2020-01-01,,Acme policy 12 (2025)\n")
    with coverage.using_tables([path]):
        found = _findings(sugg, "G43.909")
        _, tables = coverage.active_policies()
    assert [(f.status, f.reason) for f in found] == [("pass", "BTX-MIGRAINE")] and "acme" in found[0].message
    assert str(path) in tables
    assert [f.status for f in _findings(sugg, "G43.909")] == ["fail"]  # the block ended


def test_coverage_env_var_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sugg) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "env.csv"
    path.write_text(HEADER + "EMG-X,acme,Acme EMG,95907-95913,G56,2020-01-01,,Acme policy 7\n")
    monkeypatch.setenv("NEUROCODE_COVERAGE", str(path))
    _, lines = claim_lines([sugg("ICD-10-CM", "R20.2"), sugg("CPT", "95909")])
    policies, _ = coverage.active_policies()
    statuses = {f.reason: f.status for f in coverage.check_line(lines[0], policies, DAY)}
    assert statuses == {"EMG-X": "fail", "NCS-EMG": "pass"}


SECRET = "PatientSmithJohn"
BAD_TABLES = {
    "missing_file": (None, "E901", None),
    "missing_column": ("policy_id,payer,source\nA,B,C\n", "E902", None),
    "unknown_column": (HEADER.strip() + ",notes\nA,acme,N,64615,G43,2020-01-01,,src," + SECRET + "\n", "E902", None),
    "bad_date": (HEADER + f"A,acme,N,64615,G43,{SECRET},,src\n", "E903", "row 2, column effective_from"),
    "bad_code": (HEADER + f"A,acme,N,{SECRET},G43,2020-01-01,,src\n", "E903", "row 2, column procedure_codes"),
    "bad_dx": (HEADER + f"A,acme,N,64615,{SECRET},2020-01-01,,src\n", "E903", "row 2, column accepted_diagnoses"),
    "empty_cell": (HEADER + "A,acme,,64615,G43,2020-01-01,,src\n", "E903", "row 2, column policy_name"),
    "no_rows": (HEADER, "E902", None),
}


@pytest.mark.parametrize("case", list(BAD_TABLES), ids=list(BAD_TABLES))
def test_coverage_bad_user_table_numbered_error_without_content(tmp_path: Path, case: str) -> None:
    content, code, where = BAD_TABLES[case]
    path = tmp_path / f"{case}.csv"
    if content is not None:
        path.write_text(content)
    with pytest.raises(NeurocodeError) as err:
        coverage.load_user_table(path)
    message = str(err.value)
    assert message.startswith(code) and SECRET not in message
    assert where is None or where in message


def test_coverage_cli_option_reports_bad_table(tmp_path: Path) -> None:
    from nlp.cli import _register, app

    _register()
    note = tmp_path / "note.txt"
    note.write_text("PROCEDURE NOTE: lumbar puncture.\nINDICATION: headache.")
    bad = tmp_path / "bad.csv"
    bad.write_text("policy_id\nX\n")
    res = CliRunner().invoke(app, ["suggest", str(note), "--coverage", str(bad)])
    assert res.exit_code == 2 and "E902" in res.output


def test_coverage_data_folder_tables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "coverage"
    folder.mkdir()
    (folder / "payer_a.csv").write_text(HEADER + "LP-A,payer-a,LP policy,62270,G93.2,2020-01-01,,Payer A 2025\n")
    monkeypatch.setenv("NEUROCODE_HOME", str(tmp_path))
    policies, tables = coverage.active_policies()
    assert "LP-A" in {p.policy_id for p in policies} and str(folder / "payer_a.csv") in tables


def test_coverage_bad_env_table_is_a_warning_not_a_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + f"A,acme,N,64615,G43,{SECRET},,src\n")
    monkeypatch.setenv("NEUROCODE_COVERAGE", str(bad))
    warnings: list[str] = []
    policies, tables = coverage.active_policies(warnings)
    assert str(bad) not in tables and "BTX-MIGRAINE" in {p.policy_id for p in policies}
    assert len(warnings) == 1 and warnings[0].startswith("E903") and SECRET not in warnings[0]
    with pytest.raises(NeurocodeError, match="^E903"):
        coverage.active_policies()
