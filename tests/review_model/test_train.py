"""`train` end to end on a tiny annotated set written for the test: model, card, CV figures."""

from __future__ import annotations

import json
from pathlib import Path

from nlp.review.confidence_model import load_model
from nlp.training.confidence import Sample, choose_threshold, keep_figures, train

NOTES = {
    "t1": ("ASSESSMENT:\nIntractable complex partial seizures.\n", [("ICD-10-CM", "G40.219", "specific")]),
    "t2": ("ASSESSMENT:\nRelapsing-remitting multiple sclerosis.\n", [("ICD-10-CM", "G35.A", "specific")]),
    "t3": ("ASSESSMENT:\nMigraine.\n", [("ICD-10-CM", "G43.909", "NOS")]),
    "t4": ("ASSESSMENT:\nRight carpal tunnel syndrome.\n", [("ICD-10-CM", "G56.01", "specific")]),
    "t5": ("ASSESSMENT:\nSeizure disorder.\n", [("ICD-10-CM", "G40.A09", "specific")]),  # deliberately disagrees
    "t6": ("ASSESSMENT:\nChronic migraine without aura.\n", [("ICD-10-CM", "G35.D", "NOS")]),  # disagrees
}


def test_train_writes_model_and_honest_card(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    lines = []
    for note_id, (text, codes) in NOTES.items():
        (notes / f"{note_id}.txt").write_text(text)
        lines.append(json.dumps({"note_id": note_id, "codes": [
            {"system": s, "code": c, "label": lab, "neuro": True} for s, c, lab in codes]}))
    gold = tmp_path / "ann.jsonl"
    gold.write_text("\n".join(lines) + "\n")
    out = tmp_path / "model"
    rep = train(gold, notes, out)
    assert rep.notes == 6 and rep.samples >= 6
    assert 0 < rep.positives < rep.samples, "both correct and wrong candidates were collected"
    assert {"brier_model", "brier_rules", "folds"} <= rep.cv.keys()
    model = load_model(out / "model.json")
    assert model.meta["samples"] == rep.samples
    card = (out / "MODEL_CARD.md").read_text()
    assert "Cross-validated figures" in card and "Failure policy" in card
    assert ("improves precision at equal recall" in card) == rep.improves
    assert "does NOT improve" in card or rep.improves


def _s(source: str, label: int) -> Sample:
    return Sample("n", "annotation", {}, label, source)


def test_threshold_never_drops_a_true_positive() -> None:
    samples = [_s("fuzzy", 1), _s("fuzzy", 0), _s("fuzzy", 0), _s("epilepsy", 0)]
    probs = [0.7, 0.2, 0.5, 0.1]
    t = choose_threshold(samples, probs)
    assert t == 0.7  # the largest grid value that keeps the 0.7 positive
    fig = keep_figures(samples, probs, t)
    assert fig["true_positives_dropped"] == 0 and fig["dropped"] == 2
    assert fig["precision"] == 0.5 and keep_figures(samples, probs, 0.0)["precision"] == 0.25


def test_no_threshold_when_every_drop_costs_a_true_positive() -> None:
    samples = [_s("fuzzy", 1), _s("fuzzy", 0)]
    assert choose_threshold(samples, [0.1, 0.9]) == 0.0
