"""The library entry points every consumer calls: `suggest`, `suggest_many`, `suggest_facts`.

    from nlp.api import suggest
    result = suggest(text, note_id="n1", date_of_service="2026-05-14")
    result.to_json()

`suggest_facts` runs coding and review on facts built elsewhere (tests build them directly).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from nlp import __version__
from nlp.codesets import icd10cm, procedures
from nlp.codesets.releases import parse_date
from nlp.coding.base import CodingContext
from nlp.coding.registry import code_facts
from nlp.errors import Errors, InputError
from nlp.facts import Fact
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
    facts = list(facts)
    parts = partition(facts, setting)
    ctx = CodingContext(icd=release, dos=dos, setting=setting, historical=parts.historical)
    suggestions = code_facts(parts.codable, ctx)
    for s in suggestions:
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
        versions={"pipeline": __version__, "icd10cm": release.key, **procedures_versions()},
        suggestions=suggestions,
        queries=[s.query for s in suggestions if s.query is not None],
        not_coded=parts.not_coded,
        edits=edits,
        entities=entities if entities is not None else [f.to_dict() for f in facts],
        warnings=ctx.warnings,
    )


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
) -> NoteResult:
    """One note's text -> NoteResult (runs the spaCy pipeline, then `suggest_facts`)."""
    return next(suggest_many([(note_id, text)], date_of_service=date_of_service, setting=setting))


def suggest_many(
    notes: Iterable[tuple[str | None, str]],
    *,
    date_of_service: str | dt.date | None = None,
    setting: str = "outpatient",
    batch_size: int = 32,
) -> Iterator[NoteResult]:
    """(note_id, text) pairs -> NoteResults, streamed through the pipeline's `nlp.pipe` batching."""
    from nlp.pipeline import load_pipeline
    from nlp.pipeline.facts import doc_to_facts

    _check_setting(setting)
    nlp = load_pipeline()
    pairs = ((text, note_id) for note_id, text in notes)
    for doc, note_id in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
        result = suggest_facts(
            doc_to_facts(doc), note_id=note_id, date_of_service=date_of_service, setting=setting
        )
        # --- claim readiness (issue 14): type of service, E/M, pointers, coverage, denial risk ---
        from nlp.claim import build_claim

        result.claim = build_claim(result, doc.text)
        yield result
