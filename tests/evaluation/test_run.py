"""`evaluate()` over a notes folder: predictions per note, missing/undecodable notes reported, not lost."""

from __future__ import annotations

import json
from pathlib import Path

from nlp.evaluation.run import evaluate


def _fake_predictor(note_id: str, text: str) -> dict:
    code = "G40.909" if "epilepsy" in text else "R51.9"
    return {"suggestions": [{"system": "ICD-10-CM", "code": code, "label": "NOS"}]}


def test_evaluate_scores_each_note_and_reports_missing_and_bad_bytes(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.txt").write_text("ASSESSMENT: epilepsy")
    (notes / "b.txt").write_bytes(b"ASSESSMENT: headache \xff\xfe")
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(json.dumps(r) for r in [
        {"note_id": "a", "codes": [{"system": "ICD-10-CM", "code": "G40.909", "label": "NOS", "neuro": True}]},
        {"note_id": "b", "codes": [{"system": "ICD-10-CM", "code": "R51.9", "label": "NOS", "neuro": True}]},
        {"note_id": "c", "codes": [{"system": "ICD-10-CM", "code": "G35.A", "label": "specific", "neuro": True}]},
    ]) + "\n")
    report, errors = evaluate(gold, notes, predictor=_fake_predictor)
    prf = report.micro["neuro"]["overall"]
    assert (prf.tp, prf.fp, prf.fn) == (2, 0, 1)
    assert report.notes == 3 and report.notes_missing_prediction == ["c"]
    assert [e.split(":")[0] for e in errors] == ["E401", "E402"]
    assert "headache" not in " ".join(errors), "errors name the note, never its text"
