"""`neurocode evaluate` through CliRunner on a tiny gold set written for the test."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from nlp.cli import _register, app

_register()
runner = CliRunner()


def _write(tmp_path: Path) -> tuple[Path, Path]:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "e1.txt").write_text("ASSESSMENT:\nRelapsing-remitting multiple sclerosis.\n")
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"note_id": "e1", "codes": [
        {"system": "ICD-10-CM", "code": "G35.A", "label": "specific", "neuro": True}]}) + "\n")
    return gold, notes


def test_evaluate_table_and_json(tmp_path: Path) -> None:
    gold, notes = _write(tmp_path)
    res = runner.invoke(app, ["evaluate", str(gold), "--notes", str(notes), "--no-compare-confidence"])
    assert res.exit_code == 0, res.output
    assert "label accuracy (found gold codes): 1.000 (1/1)" in res.stdout
    as_json = runner.invoke(app, ["evaluate", str(gold), "--notes", str(notes), "--format", "json",
                                  "--no-compare-confidence"])
    data = json.loads(as_json.stdout)
    assert data["micro"]["neuro"]["overall"]["f1"] == 1.0
    assert data["confidence_model"] is None


def test_evaluate_malformed_gold_is_one_numbered_line(tmp_path: Path) -> None:
    gold, notes = _write(tmp_path)
    gold.write_text("{broken\n")
    res = runner.invoke(app, ["evaluate", str(gold), "--notes", str(notes)])
    assert res.exit_code == 2
    assert res.stderr.startswith("E601: ") and "line 1" in res.stderr


def test_evaluate_missing_notes_folder(tmp_path: Path) -> None:
    gold, _ = _write(tmp_path)
    res = runner.invoke(app, ["evaluate", str(gold), "--notes", str(tmp_path / "nope")])
    assert res.exit_code == 2 and res.stderr.startswith("E402: ")
