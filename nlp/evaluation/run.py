"""Run the suggester over the notes of a gold file and score it: the library behind `neurocode evaluate`."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from pathlib import Path
from typing import Any

from nlp.errors import Errors, InputError
from nlp.evaluation.scorer import EvaluationReport, read_gold, score
from nlp.io import read_note_file

Predictor = Callable[[str, str], Mapping[str, Any]]  # (note_id, text) -> NoteResult dict


def default_predictor(setting: str = "outpatient", date_of_service: str | None = None) -> Predictor:
    from nlp.api import suggest

    def predict(note_id: str, text: str) -> Mapping[str, Any]:
        return suggest(text, note_id=note_id, date_of_service=date_of_service, setting=setting).to_dict()

    return predict


def evaluate(
    gold_path: str | Path,
    notes_dir: str | Path,
    *,
    predictor: Predictor | None = None,
    setting: str = "outpatient",
    date_of_service: str | None = None,
    ids: Collection[str] | None = None,
) -> tuple[EvaluationReport, list[str]]:
    """Score suggestions for every gold note (only those in `ids` when given). Returns (report, errors):
    a note whose file is missing or unreadable is reported by id with a numbered error and scored as an
    empty prediction."""
    gold = read_gold(gold_path)
    if ids is not None:
        wanted = set(ids)
        gold = [rec for rec in gold if rec["note_id"] in wanted]
    notes = Path(notes_dir)
    if not notes.is_dir():
        raise InputError(Errors.E402, path=str(notes))
    predict = predictor or default_predictor(setting, date_of_service)
    predictions: dict[str, Mapping[str, Any]] = {}
    errors: list[str] = []
    for rec in gold:
        note_id = rec["note_id"]
        path = notes / f"{note_id}.txt"
        try:
            text, warnings = read_note_file(str(path))  # the one reading policy (nlp.io)
        except InputError as e:  # E402 missing, E426 unreadable, E403 too large, E421 binary
            errors.append(str(e))
            continue
        errors.extend(warnings)
        predictions[note_id] = predict(note_id, text)
    return score(gold, predictions), errors


def read_ids(path: str | Path) -> list[str]:
    """A note-id list: one id per line; blank lines and '#' comments ignored."""
    p = Path(path)
    if not p.is_file():
        raise InputError(Errors.E402, path=str(p))
    return [line.strip() for line in p.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.lstrip().startswith("#")]
