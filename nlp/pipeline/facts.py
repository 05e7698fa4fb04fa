"""`doc_to_facts(doc)`: typed `Fact` records from a processed Doc (no text re-parsing).

- Diagnosis families: one fact per present epilepsy mention (with its attributes) and per diagnosis
  line (`other_dx`/`diagnosis_line`); other mentions
  merge by (family, concept, assertion, attributes) with all their evidence.
- Procedures: one NCS fact (all nerves), one EMG fact, one toxin fact per agent, one EEG fact, one
  LP fact; details from `neurocode_procedures_v1` and note-wide procedure attributes.
Evidence offsets index the original note; evidence text is sliced from the original text.
"""

from __future__ import annotations

import json
from typing import Any

from spacy.tokens import Doc, Span

from nlp.facts import Evidence, Fact
from nlp.pipeline.attributes import NOTE_ATTRS_KEY
from nlp.pipeline.context import assertion_of
from nlp.pipeline.normalizer import doc_text, original_text
from nlp.pipeline.procedures import PROCEDURES_KEY
from nlp.pipeline.resources import family_history_concepts, patterns
from nlp.pipeline.sections import SECTIONS_KEY, section_at

PROCEDURE_ATTRS = {
    "eeg": ("eeg_type", "duration_min", "states", "video", "monitoring"),
    "lp": ("intent", "guidance"),
    "toxin": ("agent", "guidance", "indication"),
    "emg": ("limited", "single_fiber"),
    "nerve_block": ("nerve", "laterality"),
    "ncs": (),
}
_ASSERTION_RANK = {"present": 0, "historical": 1, "uncertain": 2, "hypothetical": 3, "negated": 4, "family": 5}


def _evidence(doc: Doc, original: str, start: int, end: int) -> Evidence:
    return Evidence(start=start, end=end, section=section_at(doc, start), text=original[start:end])


def _span_evidence(doc: Doc, original: str, span: Span) -> Evidence:
    return _evidence(doc, original, span.start_char, span.end_char)


def _best_assertion(spans: list[Span]) -> str:
    return min((assertion_of(s) for s in spans), key=_ASSERTION_RANK.__getitem__)


def _relevant_family_history(ent: Span, family: str, assertion: str) -> str | None:
    """A family-history mention the note makes relevant to this visit by comparing it with the patient
    ('diagnosed with Alzheimer disease ... with symptoms similar to the patient') -> a present
    family-history fact (Z82.x); other family mentions stay family (annotation guide)."""
    concept = family_history_concepts().get(family)
    if assertion != "family" or concept is None:
        return None
    if not patterns()["family_relevance_cue"].search(ent.sent.text):
        return None
    return concept


def doc_to_facts(doc: Doc) -> list[Fact]:
    original = original_text(doc)
    facts: list[Fact] = []
    merged: dict[tuple[str, str, str, str], Fact] = {}
    procedures: dict[str, list[Span]] = {}
    for ent in doc.ents:
        family, concept = ent.label_, ent.kb_id_
        if family in PROCEDURE_ATTRS:
            procedures.setdefault(family, []).append(ent)
            continue
        assertion = assertion_of(ent)
        attrs = dict(ent._.neurocode_attrs or {})
        ev = _span_evidence(doc, original, ent)
        if (family == "epilepsy" and assertion == "present") or concept == "diagnosis_line":
            facts.append(Fact(family, concept, assertion, [ev], attrs))
            continue
        relevant = _relevant_family_history(ent, family, assertion)
        if relevant and not any(f.concept == relevant for f in facts):
            facts.append(Fact("symptom", relevant, "present", [ev], {}))
        key = (family, concept, assertion, json.dumps(attrs, sort_keys=True))
        if key in merged:
            merged[key].evidence.append(ev)
        else:
            merged[key] = Fact(family, concept, assertion, [ev], attrs)
            facts.append(merged[key])
    details = doc.user_data.get(PROCEDURES_KEY) or {}
    note_attrs = doc.user_data.get(NOTE_ATTRS_KEY) or {}
    for family, spans in procedures.items():
        if family == "toxin":
            by_agent: dict[str | None, list[Span]] = {}
            for s in spans:
                by_agent.setdefault((s._.neurocode_attrs or {}).get("agent"), []).append(s)
            named = [a for a in by_agent if a]
            if None in by_agent and len(named) == 1:  # "botulinum toxin" + "Botox" = one product
                by_agent[named[0]].extend(by_agent.pop(None))
            for agent, group in by_agent.items():
                fact = _procedure_fact(doc, original, "toxin", group, note_attrs, details)
                fact.attrs["agent"] = agent
                facts.append(fact)
        else:
            by_concept: dict[str, list[Span]] = {}
            for s in spans:
                by_concept.setdefault(s.kb_id_, []).append(s)
            for group in by_concept.values():
                facts.append(_procedure_fact(doc, original, family, group, note_attrs, details))
    for family in ("ncs", "emg"):
        if family not in procedures and (details.get(family) or {}).get("nerves" if family == "ncs" else "muscles"):
            facts.append(_procedure_fact(doc, original, family, [], note_attrs, details))
    return _side_from_procedure_title(doc, facts)


SIDED_DIAGNOSIS_SECTIONS = frozenset({"diagnosis", "impression"})


def _side_from_procedure_title(doc: Doc, facts: list[Fact]) -> list[Fact]:
    """An operative note whose procedure title names one side ('release of left transverse carpal
    ligament'): a neuromuscular diagnosis stated in the diagnosis lines without a side takes it."""
    todo = [f for f in facts if f.family == "neuromuscular" and f.assertion == "present"
            and not f.attrs.get("laterality") and f.evidence
            and all(e.section in SIDED_DIAGNOSIS_SECTIONS for e in f.evidence)]
    if not todo:
        return facts
    header_end = next((h for _a, h, cat in doc.user_data.get(SECTIONS_KEY) or [] if cat == "procedure"), None)
    if header_end is None:
        return facts
    first = doc_text(doc)[header_end:].lstrip(" \t\n:").split("\n", 1)[0]  # the title, on the header line or the next
    sides = {m.group(1).lower() for m in patterns()["procedure_side"].finditer(first)}
    if len(sides) != 1:
        return facts
    side = sides.pop()
    for f in todo:
        f.attrs["laterality"] = side
    return facts


def _procedure_fact(doc: Doc, original: str, family: str, spans: list[Span],
                    note_attrs: dict[str, dict[str, Any]], details: dict[str, Any]) -> Fact:
    concept = spans[0].kb_id_ if spans else {"ncs": "nerve_conduction", "emg": "needle_emg"}[family]
    assertion = _best_assertion(spans) if spans else "present"
    attrs: dict[str, Any] = {}
    for s in sorted(spans, key=lambda s: assertion_of(s) != "present"):
        for k, v in (s._.neurocode_attrs or {}).items():
            if isinstance(v, list):
                attrs.setdefault(k, [])
                attrs[k].extend(x for x in v if x not in attrs[k])
            else:
                attrs.setdefault(k, v)
    for k, v in (note_attrs.get(family) or {}).items():
        if isinstance(v, list):
            attrs.setdefault(k, [])
            attrs[k].extend(x for x in v if x not in attrs[k])
        else:
            attrs.setdefault(k, v)
    evidence = [_span_evidence(doc, original, s) for s in spans]
    detail = details.get(family) or {}
    for key, value in detail.items():
        if key != "evidence" and value not in (None, [], {}):
            attrs[key] = value
    evidence.extend(_evidence(doc, original, a, b) for a, b in detail.get("evidence", []))
    evidence.sort(key=lambda e: e.start)
    return Fact(family, concept, assertion, evidence, attrs)
