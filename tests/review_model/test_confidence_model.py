"""Confidence model: JSON round trip, predictions, and every loading failure falls back cleanly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlp.review import confidence_model as cm

SUGG = {"system": "ICD-10-CM", "code": "R51.9", "source": "fuzzy", "family": "symptom", "label": "NOS",
        "assertion": "present", "confidence": 0.4, "missing_axes": ["headache_type"],
        "evidence": [{"start": 1, "end": 9, "section": "assessment", "text": "headache"}], "query": None}


def _model(threshold: float = 0.5, **weights: float) -> cm.ConfidenceModel:
    return cm.ConfidenceModel(dict(weights), 0.0, threshold, {"trained": "test"})


def test_features_hold_no_note_text() -> None:
    feats = cm.model_features(SUGG)
    assert feats["source=fuzzy"] == 1.0 and feats["section=assessment"] == 1.0
    assert feats["n_missing_axes"] == 1.0 and feats["rule_confidence"] == 0.4
    assert not any("headache" in k for k in feats if not k.startswith("family="))


def test_round_trip_and_prediction(tmp_path: Path) -> None:
    model = _model(0.6, **{"source=fuzzy": -2.0, "rule_confidence": 1.0})
    path = tmp_path / "model.json"
    path.write_text(model.to_json())
    loaded = cm.load_model(path)
    assert loaded == model
    p = loaded.predict(SUGG)
    assert p == pytest.approx(1 / (1 + pow(2.718281828459045, 2.0 - 0.4)), rel=1e-6)
    assert loaded.keeps(SUGG, p) is False  # fuzzy candidate below 0.6 is dropped
    assert loaded.keeps({**SUGG, "source": "epilepsy"}, p) is True  # family coders are never dropped


@pytest.mark.parametrize(
    ("content", "detail"),
    [
        pytest.param("{not json", "JSONDecodeError", id="corrupt-json"),
        pytest.param(b"\xff\xfe\x00garbage", "UnicodeDecodeError", id="binary-garbage"),
        pytest.param(json.dumps({"format": "sklearn-pickle-1.3", "weights": {}}), "format", id="other-format"),
        pytest.param(json.dumps({"format": cm.MODEL_FORMAT, "weights": {"a": 1}}), "missing or bad field",
                     id="missing-intercept"),
        pytest.param(json.dumps({"format": cm.MODEL_FORMAT, "weights": {"a": "x"}, "intercept": 0, "threshold": 0}),
                     "missing or bad field", id="non-numeric-weight"),
        pytest.param(f'{{"format": "{cm.MODEL_FORMAT}", "weights": {{"a": NaN}}, "intercept": 0, "threshold": 0}}',
                     "non-finite", id="nan-weight"),
        pytest.param("[1, 2]", "format", id="not-an-object"),
    ],
)
def test_bad_model_files_raise_e501(tmp_path: Path, content: str | bytes, detail: str) -> None:
    path = tmp_path / "model.json"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(cm.ModelLoadError, match=rf"^E501: .*{detail}"):
        cm.load_model(path)


def test_active_model_missing_file_is_silent_rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEUROCODE_CONFIDENCE_MODEL", str(tmp_path / "absent.json"))
    assert cm.active_model() == (None, None)


def test_active_model_corrupt_file_warns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "model.json"
    bad.write_text("{")
    monkeypatch.setenv("NEUROCODE_CONFIDENCE_MODEL", str(bad))
    model, warning = cm.active_model()
    assert model is None and warning is not None and warning.startswith("E501: ")


def test_active_model_can_be_turned_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    good = tmp_path / "model.json"
    good.write_text(_model().to_json())
    monkeypatch.setenv("NEUROCODE_CONFIDENCE_MODEL", str(good))
    assert cm.active_model()[0] is not None
    monkeypatch.setenv("NEUROCODE_CONFIDENCE", "rules")
    assert cm.active_model() == (None, None)


def _facts():  # type: ignore[no-untyped-def]
    from nlp.facts import Evidence, Fact

    return [Fact("epilepsy", "epilepsy", "present", [Evidence(0, 40, "assessment", "intractable complex partial")],
                 {"onset": "focal", "awareness": "impaired", "intractable": True, "etiology": "symptomatic"})]


def test_suggest_with_corrupt_model_warns_and_uses_rule_confidence(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from nlp.api import suggest_facts

    bad = tmp_path / "model.json"
    bad.write_text('{"format": "neurocode-logreg-v1", "weights": ')
    monkeypatch.setenv("NEUROCODE_CONFIDENCE_MODEL", str(bad))
    res = suggest_facts(_facts())
    assert [s.code for s in res.suggestions] == ["G40.219"]
    assert any(w.startswith("E501: ") for w in res.warnings)
    monkeypatch.setenv("NEUROCODE_CONFIDENCE", "rules")
    assert res.suggestions[0].confidence == suggest_facts(_facts()).suggestions[0].confidence


def test_suggest_with_model_uses_its_probability(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from nlp.api import suggest_facts

    good = tmp_path / "model.json"
    good.write_text(cm.ConfidenceModel({"source=epilepsy": 3.0}, 0.0, 0.5, {}).to_json())
    monkeypatch.setenv("NEUROCODE_CONFIDENCE_MODEL", str(good))
    res = suggest_facts(_facts(), date_of_service="2026-05-14")  # no E107 (release not in force today)
    assert res.suggestions[0].confidence == pytest.approx(0.953, abs=1e-3)  # sigmoid(3)
    assert res.warnings == []
