"""Coder feedback: the round trip from a result file to the feedback file to training samples."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nlp.cli import _register, app
from nlp.errors import InputError
from nlp.feedback import add_feedback
from nlp.training.confidence import feedback_samples

RESULT = {
    "note_id": "n7", "date_of_service": "2026-05-14", "versions": {"icd10cm": "2026-04-01"},
    "suggestions": [
        {"system": "ICD-10-CM", "code": "G40.219", "label": "specific", "source": "epilepsy", "family": "epilepsy",
         "confidence": 0.85, "assertion": "present", "missing_axes": [],
         "evidence": [{"start": 120, "end": 160, "section": "assessment",
                       "text": "intractable complex partial seizures"}]},
        {"system": "ICD-10-CM", "code": "R51.9", "label": "NOS", "source": "fuzzy", "family": "symptom",
         "confidence": 0.4, "assertion": "present", "missing_axes": ["headache_type"],
         "evidence": [{"start": 10, "end": 18, "section": "hpi", "text": "headache"}]},
    ],
}


@pytest.fixture
def result_file(tmp_path: Path) -> Path:
    p = tmp_path / "result.json"
    p.write_text(json.dumps(RESULT))
    return p


def test_feedback_round_trip_into_training_samples(result_file: Path, tmp_path: Path) -> None:
    fb = tmp_path / "fb.jsonl"
    _, records = add_feedback(result_file, accept=["G40.219"], reject=["R51.9"], add=["95816"], feedback_path=fb)
    assert [r["decision"] for r in records] == ["accept", "reject", "add"]
    lines = fb.read_text().splitlines()
    assert len(lines) == 3
    assert "intractable complex partial" not in fb.read_text() and "headache\"" not in fb.read_text(), \
        "feedback holds codes and offsets, never note text"
    assert json.loads(lines[0])["evidence"] == [{"start": 120, "end": 160, "section": "assessment"}]
    assert json.loads(lines[2])["system"] == "CPT"
    samples = feedback_samples([fb])
    assert [(s.label, s.source) for s in samples] == [(1, "epilepsy"), (0, "fuzzy")]
    assert samples[0].features["rule_confidence"] == 0.85


def test_feedback_appends(result_file: Path, tmp_path: Path) -> None:
    fb = tmp_path / "fb.jsonl"
    add_feedback(result_file, accept=["G40.219"], feedback_path=fb)
    add_feedback(result_file, reject=["R51.9"], feedback_path=fb)
    assert len(fb.read_text().splitlines()) == 2


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        pytest.param({"accept": ["G35.A"]}, "not among the result's suggestions", id="accept-unknown"),
        pytest.param({"add": ["G40.219"]}, "already suggested", id="add-existing"),
        pytest.param({}, "nothing to record", id="no-decision"),
    ],
)
def test_feedback_errors_write_nothing(result_file: Path, tmp_path: Path, kwargs: dict, message: str) -> None:
    fb = tmp_path / "fb.jsonl"
    with pytest.raises(InputError, match=rf"^E602: .*{message}"):
        add_feedback(result_file, reject=["R51.9"] if kwargs.get("accept") else [], feedback_path=fb, **kwargs)
    assert not fb.exists(), "a bad decision anywhere means nothing is appended"


def test_feedback_rejects_a_non_result_file(tmp_path: Path) -> None:
    p = tmp_path / "x.json"
    p.write_text('{"hello": 1}')
    with pytest.raises(InputError, match=r"^E602: .*no 'suggestions' list"):
        add_feedback(p, accept=["G40.219"], feedback_path=tmp_path / "fb.jsonl")


def test_feedback_cli(result_file: Path, tmp_path: Path) -> None:
    _register()
    fb = tmp_path / "fb.jsonl"
    res = CliRunner().invoke(app, ["feedback", "add", str(result_file), "--accept", "G40.219", "--file", str(fb)])
    assert res.exit_code == 0, res.output
    assert "recorded 1 decision(s)" in res.stdout
    bad = CliRunner().invoke(app, ["feedback", "add", str(result_file), "--reject", "Z00.00", "--file", str(fb)])
    assert bad.exit_code == 2 and bad.stderr.startswith("E602: ")
