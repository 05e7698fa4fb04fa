"""`neurocode evaluate --suite`: splits by id list, sets side by side, missing sets skipped, no error lists."""

from __future__ import annotations

import json
from pathlib import Path

from nlp.evaluation.run import evaluate, read_ids
from nlp.evaluation.suite import read_suite, render_suite, run_suite


def _predict(note_id: str, text: str) -> dict:
    code = "G40.909" if "epilepsy" in text else "R51.9"
    return {"suggestions": [{"system": "ICD-10-CM", "code": code, "label": "NOS"}]}


def _data(tmp_path: Path) -> tuple[Path, Path]:
    notes = tmp_path / "shared" / "notes"
    notes.mkdir(parents=True)
    (notes / "a.txt").write_text("ASSESSMENT: epilepsy")
    (notes / "b.txt").write_text("ASSESSMENT: headache")
    gold = tmp_path / "shared" / "gold.jsonl"
    gold.write_text("\n".join(json.dumps(r) for r in [
        {"note_id": "a", "codes": [{"system": "ICD-10-CM", "code": "G40.909", "label": "NOS", "neuro": True}]},
        {"note_id": "b", "codes": [{"system": "ICD-10-CM", "code": "G43.909", "label": "NOS", "neuro": True}]},
    ]) + "\n")
    return gold, notes


def test_ids_restrict_the_gold_to_a_split(tmp_path: Path) -> None:
    gold, notes = _data(tmp_path)
    ids = tmp_path / "split.txt"
    ids.write_text("# tuning part\na\n\n")
    assert read_ids(ids) == ["a"]
    report, _ = evaluate(gold, notes, predictor=_predict, ids=read_ids(ids))
    prf = report.micro["neuro"]["ICD-10-CM"]
    assert report.notes == 1 and (prf.tp, prf.fp, prf.fn) == (1, 0, 0)


def test_suite_scores_sets_side_by_side_and_skips_missing_ones(tmp_path: Path) -> None:
    gold, notes = _data(tmp_path)
    (tmp_path / "val.txt").write_text("b\n")
    suite = tmp_path / "suite.json"
    suite.write_text(json.dumps({"sets": [
        {"name": "whole", "gold": "{shared}/gold.jsonl", "notes": "{shared}/notes", "role": "tuned"},
        {"name": "val", "gold": "{shared}/gold.jsonl", "notes": "{shared}/notes", "ids": str(tmp_path / "val.txt"),
         "role": "validation"},
        {"name": "absent", "gold": "{shared}/nope.jsonl", "notes": "{shared}/notes", "role": "tuned"},
    ]}))
    sets = read_suite(suite, shared=tmp_path / "shared")
    results = run_suite(sets, predictor=_predict)
    assert results["whole"]["figures"]["icd_f1"] == 0.5          # 1 tp, 1 fp, 1 fn
    assert results["val"]["notes"] == 1 and results["val"]["figures"]["icd_f1"] == 0.0
    assert "skipped" in results["absent"]
    table = render_suite(results)
    assert "whole" in table and "0.500" in table and "absent: tuned — skipped" in table
    assert "G43.909" not in table, "the suite prints figures, never the error list"
