from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from nlp.api import suggest_facts
from nlp.errors import NeurocodeError
from nlp.facts import Evidence, Fact

DOS = "2026-05-01"


def _facts() -> list[Fact]:
    ev = [Evidence(5, 38, "assessment", "intractable complex partial seizures")]
    return [
        Fact("epilepsy", "epilepsy", "present", ev,
             {"onset": "focal", "awareness": "impaired", "intractable": True}),
        Fact("headache", "migraine", "present", [Evidence(50, 58, "assessment", "migraine")], {}),
        Fact("ms", "multiple_sclerosis", "negated", [Evidence(70, 75, "assessment", "no MS")], {}),
    ]


def test_api_result_contract_keys():
    result = suggest_facts(_facts(), note_id="n1", date_of_service=DOS)
    d = json.loads(result.to_json())
    assert set(d) == {"note_id", "date_of_service", "setting", "versions", "suggestions", "queries",
                      "not_coded", "edits", "entities", "warnings", "error"}
    assert d["versions"]["icd10cm"] == "2026-04-01" and d["date_of_service"] == DOS
    first = d["suggestions"][0]
    for key in ("system", "code", "description", "label", "confidence", "units", "modifiers", "rationale",
                "evidence", "query"):
        assert key in first
    assert first["code"] == "G40.219" and first["evidence"][0]["start"] == 5
    assert d["queries"][0]["code"] == "G43.909"
    assert d["not_coded"][0]["reason"] == "negated"


def test_api_rows_are_flat():
    rows = suggest_facts(_facts(), note_id="n1", date_of_service=DOS).to_rows()
    assert [r["code"] for r in rows] == ["G40.219", "G43.909"]
    assert all(not isinstance(v, (list, dict)) for r in rows for v in r.values())
    assert rows[1]["query_axes"].startswith("migraine_type")


def test_api_rows_for_note_without_suggestions():
    rows = suggest_facts([], note_id="empty", date_of_service=DOS).to_rows()
    assert len(rows) == 1 and rows[0]["code"] is None


def test_api_bad_setting_is_numbered_error():
    with pytest.raises(NeurocodeError, match="E420"):
        suggest_facts([], setting="ambulance")


def test_api_codes_are_billable_in_release_in_force():
    from nlp.codesets import icd10cm

    result = suggest_facts(_facts(), date_of_service=DOS)
    rel = icd10cm.for_date(DOS)
    assert all(rel.get(c).billable for c in result.codes("ICD-10-CM"))


def test_cli_suggest_table_and_json(tmp_path, monkeypatch):
    import nlp.api
    from nlp.cli import _register, app

    note = tmp_path / "note1.txt"
    note.write_text("any text", encoding="utf-8")

    def fake_suggest(text, *, note_id=None, date_of_service=None, setting="outpatient", **_options):
        return suggest_facts(_facts(), note_id=note_id, date_of_service=date_of_service, setting=setting)

    monkeypatch.setattr(nlp.api, "suggest", fake_suggest)
    _register()
    runner = CliRunner()
    table = runner.invoke(app, ["suggest", str(note), "--dos", DOS])
    assert table.exit_code == 0, table.output
    assert "G40.219" in table.output and "Provider queries" in table.output and "Not coded" in table.output
    as_json = runner.invoke(app, ["suggest", str(note), "--dos", DOS, "--format", "json"])
    assert json.loads(as_json.output)["note_id"] == "note1"


def test_cli_suggest_missing_file_fails_cleanly(tmp_path):
    from nlp.cli import _register, app

    _register()
    result = CliRunner().invoke(app, ["suggest", str(tmp_path / "nope.txt")])
    assert result.exit_code == 2 and "E402" in result.output


DYSPORT_NO_WASTE = (
    "PROCEDURE:\nDysport 500 units from a 500 unit single-dose vial. Under EMG guidance: left sternocleidomastoid "
    "150 units, right splenius capitis 200 units, right trapezius 150 units.\n"
    "Total dose 500 units; no drug was wasted.\n"
)


@pytest.mark.parametrize(
    ("case", "text", "expected_lines"),
    [
        pytest.param("dysport-500-none-wasted", DYSPORT_NO_WASTE, [("J0586", 100, ("JZ",))],
                     id="dysport-500-units-none-wasted-JZ-only"),
        pytest.param("botox-155-of-200-wasted-45",
                     "PROCEDURE:\nBotox 155 units total was injected for chronic migraine from a 200 unit vial; "
                     "45 units were wasted.\n",
                     [("J0585", 155, ()), ("J0585", 45, ("JW",))], id="botox-155-with-45-wasted-JW-line"),
    ],
)
def test_api_toxin_wastage_lines_end_to_end(case: str, text: str, expected_lines: list[tuple[str, int, tuple]]) -> None:
    from nlp.api import suggest

    result = suggest(text, note_id=case)
    lines = sorted((s.code, s.units, tuple(s.modifiers)) for s in result.suggestions if s.system == "HCPCS")
    assert lines == sorted(expected_lines)


def test_evidence_starts_with_the_assessment_and_the_table_shows_its_line() -> None:
    # issue 9 item 6: the coder sees the provider's diagnostic statement, not a chief complaint's one word
    from nlp.api import suggest
    from nlp.cli.suggest import render_table

    text = "CHIEF COMPLAINT: Seizure.\nASSESSMENT:\n1. Intractable focal epilepsy with impaired awareness.\n"
    result = suggest(text, date_of_service="2026-05-14")
    g40 = next(s for s in result.suggestions if s.code.startswith("G40"))
    assert g40.evidence[0].section == "impression"  # the assessment header files under the impression category
    assert '"1. Intractable focal epilepsy with impaired awareness."' in render_table(result, text)
