"""Neurology entities from the term lists in `nlp/resources/terms/*.csv` (PhraseMatcher, no fuzzy).

Each entity is a `doc.ents` span labelled with its family; `span.kb_id_` holds the concept and
`span._.neurocode_attrs` the attributes baked into the phrase ("complex partial seizures" ->
onset=focal, awareness=impaired). Rows of family `_ignore` only block shorter matches inside them
("seizure-free", "EMG stimulation"). Case-sensitive abbreviations ("MS", "LP") are matched on the
exact spelling, and a match inside an exam sub-header ("MS:" = mental status) is dropped.

Diagnosis lines: each item / sentence of an assessment, impression or diagnosis section (categories
matched by the `diagnosis_line_sections` pattern) that holds no entity becomes an `other_dx` entity
with concept `diagnosis_line` (list number and end punctuation trimmed, at most
`MAX_LINE_TOKENS` tokens), so ConText gives it an assertion and the fallback coder can match it
against ICD-10-CM descriptions.

Fuzzy matching (rapidfuzz) is deliberately not used here: on the sample notes it added no true entity
that the misspelling rows do not cover and produced false matches on short terms.
"""

from __future__ import annotations

import re

import numpy
from spacy.attrs import LOWER
from spacy.language import Language
from spacy.tokens import Doc, Span

from nlp.pipeline.matching import TermMatcher
from nlp.pipeline.normalizer import all_caps, doc_text
from nlp.pipeline.resources import IGNORE, Term, entity_terms, patterns, word_list
from nlp.pipeline.sections import SECTIONS_KEY, in_header

DIAGNOSIS_LINE = "diagnosis_line"
MAX_LINE_TOKENS = 14
_TRIM = frozenset(".,;:)(-*#•").union("0123456789")


@Language.factory("neurocode_entities_v1", assigns=["doc.ents", "span._.neurocode_attrs"],
                  requires=["doc._.neurocode_sections"], default_config={})
class EntityMatcher:
    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        if not Span.has_extension("neurocode_attrs"):
            Span.set_extension("neurocode_attrs", default=None)
        self.matcher = TermMatcher(nlp, ((t.term, t.case_sensitive, t) for t in entity_terms()))

    def __call__(self, doc: Doc) -> Doc:
        ents = []
        caps = all_caps(doc)
        for start, end, term in self.matcher(doc):
            assert isinstance(term, Term)
            if term.family == IGNORE:
                continue
            span = Span(doc, start, end, label=term.family, kb_id=term.concept)
            if term.case_sensitive and caps and courtesy_title(doc, span):
                continue
            header = in_header(doc, span.start_char, span.end_char)
            if header is not None and (
                    (term.case_sensitive and header == "exam") or topic_header(doc, span.start_char)):
                continue
            span._.neurocode_attrs = {k: ([v] if k in ("motor", "states") else v) for k, v in term.attrs}
            ents.append(span)
        ents.extend(increased_reflex_grades(doc, ents))
        ents.extend(discs_at_level(doc, ents))
        ents.extend(diagnosis_lines(doc, ents))
        ents.sort(key=lambda e: e.start)
        doc.ents = ents
        return doc


_TITLES = frozenset({"ms", "mr", "mrs", "dr"})
_NAME_AFTER_TITLE = re.compile(r"\.[ \t]+[A-Z]")


def courtesy_title(doc: Doc, span: Span) -> bool:
    """In a note in capitals only, 'MS. HAWKINS' is the title Ms. before a name, not an abbreviation."""
    return span.text.lower() in _TITLES and _NAME_AFTER_TITLE.match(doc_text(doc), span.end_char) is not None


def topic_header(doc: Doc, char: int) -> bool:
    """Is the header holding `char` a checklist or topic name ('REVIEW OF HYDROCEPHALUS RISK FACTORS')?"""
    text = doc_text(doc)
    line_start = text.rfind("\n", 0, char) + 1
    line_end = text.find(":", char)
    return bool(patterns()["header_not_a_finding"].search(text, line_start, line_end if line_end > 0 else char))


def _trim(tokens: list) -> tuple[int, int] | None:
    i, j = 0, len(tokens)
    while i < j and (tokens[i].is_space or all(c in _TRIM for c in tokens[i].text)
                     or tokens[i].text.lower() in ("and", "or")):
        i += 1
    while j > i and (tokens[j - 1].is_space or all(c in _TRIM for c in tokens[j - 1].text)):
        j -= 1
    return (tokens[i].i, tokens[j - 1].i + 1) if i < j else None


def increased_reflex_grades(doc: Doc, ents: list[Span]) -> list[Span]:
    """A reflex line grading a deep tendon reflex 3+ / 4+ ('Reflexes: 3+/3+ patellae') is hyperreflexia:
    one `symptom`/`hyperreflexia` span on the first increased grade after each reflex word."""
    keys = numpy.array([doc.vocab.strings[w] for w in word_list("reflex_words")], dtype="uint64")
    hits = numpy.nonzero(numpy.isin(doc.to_array(LOWER), keys))[0]
    if not len(hits):
        return []
    pattern = patterns()["reflex_grade_increased"]
    taken = {i for e in ents for i in range(e.start, e.end)}
    out: list[Span] = []
    for i in hits:
        window = doc[int(i): int(i) + 30]
        m = pattern.match(window.text)
        if m is None:
            continue
        _claim(doc, window.start_char + m.start(1), window.start_char + m.end(1), ("symptom", "hyperreflexia"),
               taken, out)
    return out


def _claim(doc: Doc, start: int, end: int, label: tuple[str, str], taken: set[int], out: list[Span]) -> None:
    """Add a (family, concept) span over the characters [start, end) unless an entity holds them."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or any(k in taken for k in range(span.start, span.end)):
        return
    hit = Span(doc, span.start, span.end, label=label[0], kb_id=label[1])
    hit._.neurocode_attrs = {}
    out.append(hit)
    taken.update(range(span.start, span.end))


def _assessment_regions(doc: Doc) -> list[tuple[int, int]]:
    """(header end, section end) character bounds of the diagnosis sections (`diagnosis_line_sections`)."""
    wanted = patterns()["diagnosis_line_sections"]
    sections = doc.user_data.get(SECTIONS_KEY) or []
    return [(header_end, sections[k + 1][0] if k + 1 < len(sections) else len(doc_text(doc)))
            for k, (_, header_end, cat) in enumerate(sections) if wanted.search(cat)]


def discs_at_level(doc: Doc, ents: list[Span]) -> list[Span]:
    """'a small disc at C3-C4' in the assessment: a `neuromuscular`/`disc_disorder` span on the word
    'disc' (pattern `disc_at_level`); its level and what it does are read by the attribute linker."""
    regions = _assessment_regions(doc)
    if not regions:
        return []
    pattern = patterns()["disc_at_level"]
    found = [m for a, b in regions for m in pattern.finditer(doc_text(doc), a, b)]
    if not found:
        return []
    taken = {i for e in ents for i in range(e.start, e.end)}
    out: list[Span] = []
    for m in found:
        _claim(doc, m.start(1), m.end(1), ("neuromuscular", "disc_disorder"), taken, out)
    return out


def diagnosis_lines(doc: Doc, ents: list[Span]) -> list[Span]:
    """`other_dx`/`diagnosis_line` spans: entity-free items of the diagnosis sections."""
    wanted = patterns()["diagnosis_line_sections"]
    sections = doc.user_data.get(SECTIONS_KEY) or []
    if not any(wanted.search(cat) for _, _, cat in sections):
        return []
    taken = bytearray(len(doc))
    for e in ents:
        taken[e.start:e.end] = b"\x01" * (e.end - e.start)
    out = []
    n_chars = len(doc_text(doc))
    for k, (_, header_end, cat) in enumerate(sections):
        if not wanted.search(cat):
            continue
        end_char = sections[k + 1][0] if k + 1 < len(sections) else n_chars
        region = doc.char_span(header_end, end_char, alignment_mode="expand")
        if region is None:
            continue
        for sent in region.sents:  # type: ignore[attr-defined]  # Span.sents exists since spaCy 3.0; the stub lags
            bounds = _trim([t for t in sent if header_end <= t.idx < end_char])
            if bounds is None:
                continue
            a, b = bounds
            if b - a > MAX_LINE_TOKENS or any(taken[a:b]) or not any(t.is_alpha for t in doc[a:b]):
                continue
            span = Span(doc, a, b, label="other_dx", kb_id=DIAGNOSIS_LINE)
            span._.neurocode_attrs = {}
            out.append(span)
            taken[a:b] = b"\x01" * (b - a)
    return out
