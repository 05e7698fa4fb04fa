"""Coder feedback: reviewed outcomes of a NoteResult, appended to a JSONL file.

One line per decision: accept / reject a suggestion, or add a code the suggester missed. Records
hold codes, offsets, sections and the suggestion's model features: never note text. `neurocode
train` folds accept/reject records into the confidence model.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from nlp.codesets.lookup import system_of
from nlp.codesets.releases import data_home
from nlp.errors import Errors, InputError
from nlp.review.confidence_model import model_features


def default_feedback_path() -> Path:
    return data_home() / "feedback" / "feedback.jsonl"


def _load_result(path: Path) -> Mapping[str, Any]:
    if not path.is_file():
        raise InputError(Errors.E402, path=str(path))
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise InputError(Errors.E602, detail=f"{path} is not a NoteResult JSON file ({type(e).__name__})") from e
    if not isinstance(data, dict) or not isinstance(data.get("suggestions"), list):
        raise InputError(Errors.E602, detail=f"{path} has no 'suggestions' list; pass the output of "
                                             "'neurocode suggest --format json'")
    return data


def feedback_records(
    result: Mapping[str, Any],
    *,
    accept: Iterable[str] = (),
    reject: Iterable[str] = (),
    add: Iterable[str] = (),
    reviewer: str | None = None,
) -> list[dict[str, Any]]:
    """Decision records for one result. E602 for a code that is not among the suggestions
    (accept/reject) or already suggested (add)."""
    by_code = {s["code"]: s for s in result["suggestions"]}
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    base = {"note_id": result.get("note_id"), "recorded_at": now, "reviewer": reviewer,
            "versions": result.get("versions", {}), "date_of_service": result.get("date_of_service")}
    out: list[dict[str, Any]] = []
    for decision, codes in (("accept", accept), ("reject", reject)):
        for code in codes:
            s = by_code.get(code.strip().upper())
            if s is None:
                raise InputError(Errors.E602, detail=f"--{decision} {code}: not among the result's suggestions "
                                                     f"({', '.join(by_code) or 'none'})")
            offsets = [{k: e.get(k) for k in ("start", "end", "section")} for e in s.get("evidence", [])]
            out.append({**base, "decision": decision, "system": s["system"], "code": s["code"],
                        "label": s.get("label"), "source": s.get("source"), "features": model_features(s),
                        "evidence": offsets})
    for code in add:
        c = code.strip().upper()
        if c in by_code:
            raise InputError(Errors.E602, detail=f"--add {code}: already suggested; use --accept")
        out.append({**base, "decision": "add", "system": system_of(c), "code": c})
    if not out:
        raise InputError(Errors.E602, detail="nothing to record; give --accept, --reject or --add")
    return out


def add_feedback(
    result_path: str | Path,
    *,
    accept: Iterable[str] = (),
    reject: Iterable[str] = (),
    add: Iterable[str] = (),
    feedback_path: str | Path | None = None,
    reviewer: str | None = None,
) -> tuple[Path, list[dict[str, Any]]]:
    """Validate everything first, then append all records in one write (all or nothing)."""
    result = _load_result(Path(result_path))
    records = feedback_records(result, accept=accept, reject=reject, add=add, reviewer=reviewer)
    return append_records(records, feedback_path), records


def append_records(records: list[dict[str, Any]], feedback_path: str | Path | None = None) -> Path:
    """Append validated decision records to the feedback JSONL in one write (CLI and web page)."""
    path = Path(feedback_path) if feedback_path else default_feedback_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as fh:
        fh.write("".join(json.dumps(r, sort_keys=True) + "\n" for r in records))
    return path
