"""Scoring one chunk of notes into table rows; shared by the local and the Spark engine.

`score_chunk(notes, options)` guards every note (nlp/batch/guard.py), runs the library's
`suggest_many` on the readable ones and returns (notes rows, suggestions rows) in the columns of
nlp/batch/schema.py. It never raises for a note: every note gets exactly one notes row.
"""

from __future__ import annotations

import os
import time
from dataclasses import asdict, dataclass
from typing import Any

from nlp import __version__
from nlp.batch.guard import DEFAULT_MAX_BYTES, decode_note, score_guarded
from nlp.batch.inputs import NoteInput
from nlp.batch.schema import STATUS_ERROR, STATUS_OK
from nlp.errors import NeurocodeError
from nlp.result import NoteResult

TEST_DELAY_ENV = "NEUROCODE_BATCH_TEST_DELAY"  # seconds slept per chunk: lets the kill/resume test stop a run midway


@dataclass(frozen=True)
class ScoreOptions:
    """Run-wide defaults; a note's own date of service / setting wins when present."""

    date_of_service: str | None = None
    setting: str = "outpatient"
    max_bytes: int = DEFAULT_MAX_BYTES
    batch_size: int = 32

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _meta(note: NoteInput, opts: ScoreOptions) -> dict[str, Any]:
    return {
        "note_id": note.note_id,
        "input_index": note.input_index,
        "provider_id": note.meta.get("provider_id"),
        "date_of_service": note.meta.get("date_of_service") or opts.date_of_service,
        "setting": note.meta.get("setting") or opts.setting,
        "specialty": note.meta.get("specialty"),
    }


def _error_row(meta: dict[str, Any], note: NoteInput, err: NeurocodeError, warnings: list[str],
               n_chars: int | None, seconds: float) -> dict[str, Any]:
    return {**meta, "source": note.source, "status": STATUS_ERROR, "error_code": err.code,
            "error_message": str(err), "warnings": warnings, "n_chars": n_chars, "n_suggestions": 0,
            "n_specific": 0, "n_nec": 0, "n_nos": 0, "n_queries": 0, "icd10cm_release": None,
            "pipeline_version": __version__, "service_type": None, "em_category": None, "em_code": None,
            "em_label": None, "seconds": seconds}


def _claim_columns(res: NoteResult) -> tuple[dict[str, Any], dict[tuple[str, str], dict[str, list[str]]]]:
    """The claim section (issue 14) as note columns and, per (system, code) line, its pointers and
    findings (codes and reasons only: claim messages carry no note text)."""
    claim = res.claim.to_dict() if res.claim is not None else {}
    service = claim.get("service_type") or {}
    em = claim.get("em") or {}
    note = {"service_type": "/".join(x for x in (service.get("type"), service.get("subtype")) if x) or None,
            "em_category": em.get("category"), "em_code": em.get("code"), "em_label": em.get("label")}
    lines: dict[tuple[str, str], dict[str, list[str]]] = {}
    for line in claim.get("lines") or []:
        lines[(line["system"], line["code"])] = {"pointer_codes": list(line.get("pointer_codes") or []),
                                                 "claim_findings": []}
    for f in claim.get("findings") or []:
        code = f.get("code")
        for key, entry in lines.items():
            if key[1] == code:
                entry["claim_findings"].append(":".join(str(f.get(k) or "") for k in ("type", "status", "reason")))
    return note, lines


def _ok_rows(meta: dict[str, Any], note: NoteInput, res: NoteResult, warnings: list[str], n_chars: int,
             seconds: float) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    meta = {**meta, "date_of_service": res.date_of_service or meta["date_of_service"]}
    labels = [s.label for s in res.suggestions]
    versions = res.versions
    note_row = {**meta, "source": note.source, "status": STATUS_OK, "error_code": None, "error_message": None,
                "warnings": warnings + list(res.warnings), "n_chars": n_chars,
                "n_suggestions": len(labels), "n_specific": labels.count("specific"), "n_nec": labels.count("NEC"),
                "n_nos": labels.count("NOS"), "n_queries": len(res.queries),
                "icd10cm_release": versions.get("icd10cm"), "pipeline_version": versions.get("pipeline"),
                "seconds": seconds}
    claim_note, claim_lines = _claim_columns(res)
    note_row.update(claim_note)
    rows = []
    for i, s in enumerate(res.suggestions):
        first = s.evidence[0] if s.evidence else None
        rows.append({
            **meta, "suggestion_index": i, "system": s.system, "code": s.code, "description": s.description,
            "label": s.label, "confidence": round(s.confidence, 3), "units": s.units,
            "modifiers": list(s.modifiers), "family": s.family, "source": s.source, "assertion": s.assertion,
            "query_axes": list(s.query.axes) if s.query else [], "query_prompt": s.query.prompt if s.query else None,
            "evidence_start": first.start if first else None, "evidence_end": first.end if first else None,
            "evidence_text": first.text if first else None, "icd10cm_release": versions.get("icd10cm"),
            "cpt_version": versions.get("cpt"), "hcpcs_version": versions.get("hcpcs"),
            "pipeline_version": versions.get("pipeline"),
            **claim_lines.get((s.system, s.code), {"pointer_codes": [], "claim_findings": []}),
        })
    return note_row, rows


def score_chunk(notes: list[NoteInput], opts: ScoreOptions) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Guard and score a chunk of notes -> (notes rows in input order, suggestions rows)."""
    start = time.perf_counter()
    delay = float(os.environ.get(TEST_DELAY_ENV) or 0)
    if delay:
        time.sleep(delay)
    metas = [_meta(n, opts) for n in notes]
    decoded: dict[int, tuple[str, list[str]]] = {}
    errors: dict[int, tuple[NeurocodeError, list[str]]] = {}
    for i, note in enumerate(notes):
        if note.error is not None:
            errors[i] = (note.error, [])
            continue
        try:
            decoded[i] = decode_note(note.raw if note.raw is not None else "", note.note_id or note.source,
                                     opts.max_bytes)
        except NeurocodeError as err:
            errors[i] = (err, [])
    items = []
    for i, (text, _) in decoded.items():
        kwargs = {"setting": metas[i]["setting"]}
        if metas[i]["date_of_service"]:  # only when present: otherwise the newest stored release
            kwargs["date_of_service"] = metas[i]["date_of_service"]
        items.append((i, notes[i].note_id, text, {**kwargs, "batch_size": opts.batch_size}))
    scored = score_guarded(items)
    seconds = (time.perf_counter() - start) / max(len(notes), 1)
    note_rows: list[dict[str, Any]] = []
    sugg_rows: list[dict[str, Any]] = []
    results = {s.key: s for s in scored}
    for i, note in enumerate(notes):
        if i in errors:
            failure, failure_warnings = errors[i]
            note_rows.append(_error_row(metas[i], note, failure, failure_warnings, None, seconds))
            continue
        text, warnings = decoded[i]
        outcome = results[i]
        if outcome.result is None:
            assert outcome.error is not None
            note_rows.append(_error_row(metas[i], note, outcome.error, warnings, len(text), seconds))
            continue
        row, rows = _ok_rows(metas[i], note, outcome.result, warnings, len(text), seconds)
        note_rows.append(row)
        sugg_rows.extend(rows)
    return note_rows, sugg_rows
