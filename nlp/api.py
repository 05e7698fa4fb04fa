"""The library entry points every consumer calls: `suggest`, `suggest_many`, `suggest_facts`.

    from nlp.api import suggest
    result = suggest(text, note_id="n1", date_of_service="2026-05-14")
    result.to_json()

`suggest_facts` runs coding and review on facts built elsewhere (tests build them directly).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from nlp import __version__
from nlp.codesets import icd10cm, procedures
from nlp.codesets.releases import newest_not_in_force_today, parse_date
from nlp.coding.base import DIAGNOSIS_SECTIONS, CodingContext
from nlp.coding.registry import code_facts
from nlp.errors import Errors, InputError, NeurocodeError
from nlp.facts import Fact
from nlp.io import check_note_text
from nlp.result import NoteResult, Suggestion
from nlp.review.confidence import features_of, score_confidence
from nlp.review.confidence_model import active_model
from nlp.review.edits import excludes1_findings, ncci_findings, sequence_code_first
from nlp.review.labels import apply_label
from nlp.review.not_coded import SETTINGS, partition
from nlp.review.queries import build_query


def _check_setting(setting: str) -> None:
    if setting not in SETTINGS:
        raise InputError(Errors.E420, setting=setting, allowed=", ".join(SETTINGS))


def suggest_facts(
    facts: Iterable[Fact],
    *,
    note_id: str | None = None,
    date_of_service: str | dt.date | None = None,
    setting: str = "outpatient",
    entities: list[dict[str, Any]] | None = None,
) -> NoteResult:
    """Facts -> a reviewed NoteResult (codes, labels, queries, edits, not-coded list)."""
    _check_setting(setting)
    dos = parse_date(date_of_service)
    release = icd10cm.for_date(dos)
    basis, currency_warning = release_basis(dos)
    facts = list(facts)
    parts = partition(facts, setting)
    ctx = CodingContext(icd=release, dos=dos, setting=setting, historical=parts.historical)
    suggestions = code_facts(parts.codable, ctx)
    for s in suggestions:
        # the provider's diagnostic statement first: the assessment line, not a chief complaint's one word
        s.evidence.sort(key=lambda e: not DIAGNOSIS_SECTIONS.search(e.section or ""))
        apply_label(s)
        s.query = build_query(s) if s.label == "NOS" else None
        s.confidence = score_confidence(s, features_of(s))
    suggestions = _apply_model(suggestions, ctx.warnings)
    edits = sequence_code_first(release, suggestions)
    edits = excludes1_findings(release, suggestions) + edits + ncci_findings(suggestions, dos)
    return NoteResult(
        note_id=note_id,
        date_of_service=dos.isoformat() if dos else None,
        setting=setting,
        versions={"pipeline": __version__, "icd10cm": release.key, "icd10cm_basis": basis, **procedures_versions()},
        suggestions=suggestions,
        queries=[s.query for s in suggestions if s.query is not None],
        not_coded=parts.not_coded,
        edits=edits,
        entities=entities if entities is not None else [f.to_dict() for f in facts],
        warnings=([currency_warning] if currency_warning else []) + ctx.warnings,
    )


def release_basis(dos: dt.date | None) -> tuple[str, str | None]:
    """Why the ICD-10-CM release was chosen (recorded as versions["icd10cm_basis"]) and, without a
    date of service, the warning E107 when the newest stored release is not in force today."""
    if dos is not None:
        return f"date of service {dos.isoformat()}", None
    today = dt.date.today()
    stale = newest_not_in_force_today(today)
    if stale is None:
        return f"no date of service: newest stored release, in force today ({today.isoformat()})", None
    return (f"no date of service: newest stored release, not in force today ({today.isoformat()})",
            Errors.E107.format(release=stale.key, start=stale.effective_from.isoformat(),
                               end=stale.effective_to.isoformat(), today=today.isoformat()))


def _apply_model(suggestions: list[Suggestion], warnings: list[str]) -> list[Suggestion]:
    """Trained confidence (models/confidence/model.json) replaces rule confidence and drops weak
    fallback candidates below its documented threshold; no model or a bad one = rule confidence."""
    model, warning = active_model()
    if warning:
        warnings.append(warning)
    if model is None:
        return suggestions
    kept = []
    for s in suggestions:
        as_dict = s.to_dict()
        probability = model.predict(as_dict)
        if model.keeps(as_dict, probability):
            s.confidence = round(probability, 3)
            kept.append(s)
    return kept


def procedures_versions() -> dict[str, str]:
    """Version stamps of the CPT / HCPCS tables (their newest effective date)."""
    out = {}
    for name, table in (("cpt", procedures.cpt_table()), ("hcpcs", procedures.hcpcs_table())):
        dates = [p.effective_from for p in table.values()]
        out[name] = max(dates).isoformat() if dates else ""
    return out


def suggest(
    text: str,
    *,
    note_id: str | None = None,
    date_of_service: str | dt.date | None = None,
    setting: str = "outpatient",
    max_bytes: int | None = None,
) -> NoteResult:
    """One note's text -> NoteResult (runs the spaCy pipeline, then `suggest_facts`).

    A note that is not text or over the size limit raises InputError (E423, E403); an empty note
    returns a result with the warning E422."""
    check_note_text(text, note_id, max_bytes=max_bytes)
    result = next(suggest_many([(note_id, text)], date_of_service=date_of_service, setting=setting,
                               max_bytes=max_bytes))
    if result.exception is not None:
        raise result.exception
    return result


def _prepare(item: object, max_bytes: int | None) -> tuple[str | None, str | None, list[str], NeurocodeError | None]:
    """One stream item -> (note_id, text, warnings, error); an item that cannot be coded gets its error."""
    note_id: str | None = None
    try:
        if not isinstance(item, tuple | list) or len(item) != 2:
            raise InputError(Errors.E423, note_id="?", kind=f"{type(item).__name__} item, not (note_id, text)")
        raw_id, text = item
        note_id = None if raw_id is None else str(raw_id)
        return note_id, text, check_note_text(text, note_id, max_bytes=max_bytes), None
    except NeurocodeError as e:
        return note_id, None, [], e


def suggest_many(
    notes: Iterable[tuple[str | None, str]],
    *,
    date_of_service: str | dt.date | None = None,
    setting: str = "outpatient",
    batch_size: int = 32,
    max_bytes: int | None = None,
) -> Iterator[NoteResult]:
    """(note_id, text) pairs -> NoteResults, streamed through the pipeline's `nlp.pipe` batching.

    One result per item, in order: an item that cannot be coded (not text, over the size limit, a
    pipeline failure) yields `NoteResult.failed` with its numbered error and the stream goes on."""
    from nlp.pipeline import load_pipeline

    _check_setting(setting)
    parse_date(date_of_service)
    nlp = load_pipeline()
    items = iter(notes)
    while batch := list(islice(items, batch_size)):
        prepared = [_prepare(item, max_bytes) for item in batch]
        yield from _run_batch(nlp, prepared, date_of_service, setting, batch_size)


def _run_batch(nlp: Any, prepared: list, date_of_service: str | dt.date | None, setting: str,
               batch_size: int) -> Iterator[NoteResult]:
    from nlp.pipeline.facts import doc_to_facts
    from nlp.pipeline.normalizer import remap_evidence, undouble_spaces

    day = parse_date(date_of_service)
    read = [undouble_spaces(text) if err is None else ("", None) for _id, text, _w, err in prepared]
    texts = [canonical for (canonical, _p), (_id, _t, _w, err) in zip(read, prepared, strict=True) if err is None]
    try:
        docs: Iterator[Any] = iter(list(nlp.pipe(texts, batch_size=batch_size)))
    except Exception:  # noqa: BLE001  one bad note must not end the stream: run the batch note by note
        docs = iter([_one_doc(nlp, text) for text in texts])
    for (note_id, text, warnings, err), (_canonical, positions) in zip(prepared, read, strict=True):
        if err is None:
            doc = next(docs)
            try:
                if isinstance(doc, BaseException):
                    raise doc
                facts = doc_to_facts(doc)
                if positions is not None:
                    remap_evidence(facts, text, positions)
                result = suggest_facts(facts, note_id=note_id, date_of_service=date_of_service, setting=setting)
                # --- claim readiness (issue 14): type of service, E/M, pointers, coverage, denial risk ---
                from nlp.claim import build_claim

                result.claim = build_claim(result, text)  # the original note: evidence offsets index it
            except NeurocodeError:
                raise  # a call-level error (no release in force on the date): the caller fixes the call
            except Exception as e:  # noqa: BLE001  a numbered per-note error that names no note text
                err = InputError(Errors.E424, note_id=note_id or "?", kind=type(e).__name__)
            else:
                result.warnings[:0] = warnings
                yield result
                continue
        yield NoteResult.failed(note_id, err, date_of_service=day.isoformat() if day else None, setting=setting,
                                warnings=warnings)


def _one_doc(nlp: Any, text: str) -> Any:
    try:
        return nlp(text)
    except Exception as e:  # noqa: BLE001  returned, raised per note by the caller
        return e
