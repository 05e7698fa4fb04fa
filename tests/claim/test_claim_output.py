"""The claim section end to end: JSON result, flat rows and `neurocode suggest --format table`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nlp.api import suggest

DOS = "2026-05-01"
BOTOX = ("PROCEDURE NOTE: OnabotulinumtoxinA for chronic migraine.\n"
         "INDICATION: Chronic migraine without aura, intractable, without status migrainosus.\n"
         "PROCEDURE: Botox 200 unit vial. 155 units injected into 31 sites of the head and neck per protocol. "
         "45 units discarded.\n")
VISIT = ("NEUROLOGY FOLLOW UP\nCHIEF COMPLAINT: Follow-up of headaches.\n"
         "HISTORY OF PRESENT ILLNESS: The patient returns for follow-up of nummular headache, a coin-shaped area "
         "of pain on the right parietal scalp.\nASSESSMENT: Nummular headache.\n"
         "PLAN: Gabapentin. Total time spent on the date of the encounter was 32 minutes.\n")
EEG = ("EEG REPORT\nHISTORY: Staring spells.\nDESCRIPTION: Awake and drowsy recording, posterior rhythm 9 Hz.\n"
       "IMPRESSION: Normal awake and drowsy EEG. Total time 40 minutes.\n")


@pytest.fixture(scope="module")
def results():  # type: ignore[no-untyped-def]
    return {name: suggest(text, note_id=name, date_of_service=DOS)
            for name, text in (("botox", BOTOX), ("visit", VISIT), ("eeg", EEG))}


def test_claim_json_has_every_part(results) -> None:  # type: ignore[no-untyped-def]
    claim = json.loads(results["visit"].to_json())["claim"]
    assert set(claim) == {"service_type", "em", "diagnoses", "lines", "findings", "nec_justifications",
                          "coverage_tables"}
    assert claim["service_type"]["type"] == "office_visit" and claim["service_type"]["source"]
    assert claim["em"]["code"] == "99214" and claim["em"]["minutes"] == 32
    assert claim["nec_justifications"][0]["code"] == "G44.89"
    assert {"type": "denial_risk", "reason": "nec_code"}.items() <= claim["findings"][0].items()


def test_claim_em_kept_out_of_suggestions(results) -> None:  # type: ignore[no-untyped-def]
    """The reference codes never hold E/M levels: an E/M in `suggestions` would be a CPT false positive."""
    for r in results.values():
        assert not [c for c in r.codes("CPT") if c.startswith("992")]


def test_claim_no_em_for_a_test_report(results) -> None:  # type: ignore[no-untyped-def]
    claim = results["eeg"].claim
    assert claim.service_type.type == "diagnostic_test" and claim.em is None
    assert [ln.code for ln in claim.lines] == results["eeg"].codes("CPT") + results["eeg"].codes("HCPCS")


def test_claim_procedure_pointers_and_coverage_in_json(results) -> None:  # type: ignore[no-untyped-def]
    claim = results["botox"].to_dict()["claim"]
    line = next(ln for ln in claim["lines"] if ln["code"] == "64615")
    assert line["pointer_codes"][0].startswith("G43.7")
    assert {"type": "medical_necessity", "status": "pass", "reason": "BTX-MIGRAINE"}.items() <= next(
        f for f in claim["findings"] if f["code"] == "64615").items()


def test_claim_rows_carry_pointers_without_text(results) -> None:  # type: ignore[no-untyped-def]
    rows = results["botox"].to_rows()
    row = next(r for r in rows if r["code"] == "64615")
    assert row["service_type"] == "therapeutic_procedure" and row["pointer_codes"].startswith("G43.7")
    assert "medical_necessity:pass:BTX-MIGRAINE" in row["claim_findings"]
    for r in results["visit"].to_rows():
        for key in ("service_type", "pointers", "pointer_codes", "claim_findings"):
            assert "nummular" not in str(r[key]).lower()


def test_claim_findings_and_warnings_carry_no_note_text(results) -> None:  # type: ignore[no-untyped-def]
    for r in results.values():
        claim = r.to_dict()["claim"]
        texts = [json.dumps(claim["findings"]), json.dumps(claim["service_type"]), json.dumps(r.warnings)]
        assert not any(word in t.lower() for t in texts for word in ("nummular", "staring", "coin-shaped"))


def test_claim_table_output_shows_claim(tmp_path: Path) -> None:
    from nlp.cli import _register, app

    _register()
    note = tmp_path / "visit.txt"
    note.write_text(VISIT)
    res = CliRunner().invoke(app, ["suggest", str(note), "--dos", DOS])
    assert res.exit_code == 0, res.output
    assert "Claim" in res.output and "type of service: office_visit" in res.output
    assert "E/M office_established: 99214" in res.output and "NEC justification for G44.89" in res.output
    note.write_text(BOTOX)
    res = CliRunner().invoke(app, ["suggest", str(note), "--dos", DOS])
    assert "CPT 64615 x1: pointers A(G43.7" in res.output and "medical_necessity [pass]" in res.output


def test_claim_table_failing_coverage_with_user_table(tmp_path: Path) -> None:
    from nlp.cli import _register, app

    _register()
    note = tmp_path / "botox.txt"
    note.write_text(BOTOX)
    table = tmp_path / "strict.csv"
    table.write_text("policy_id,payer,policy_name,procedure_codes,accepted_diagnoses,effective_from,source\n"
                     "BTX-MIGRAINE,acme,Acme strict migraine,64615,G43.711,2020-01-01,Acme policy 3\n")
    res = CliRunner().invoke(app, ["suggest", str(note), "--dos", DOS, "--coverage", str(table),
                                   "--format", "json"])
    assert res.exit_code == 0, res.output
    findings = json.loads(res.output)["claim"]["findings"]
    fail = next(f for f in findings if f["code"] == "64615" and f["type"] == "medical_necessity")
    assert fail["status"] == "fail" and "Acme strict migraine" in fail["message"]
