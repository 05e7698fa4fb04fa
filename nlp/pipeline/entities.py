"""Neurology entities from the term lists in `nlp/resources/terms/*.csv` (PhraseMatcher, no fuzzy).

Each entity is a `doc.ents` span labelled with its family; `span.kb_id_` holds the concept and
`span._.neurocode_attrs` the attributes baked into the phrase ("complex partial seizures" ->
onset=focal, awareness=impaired). Rows of family `_ignore` only block shorter matches inside them
("seizure-free", "EMG stimulation"). Case-sensitive abbreviations ("MS", "LP") are matched on the
exact spelling, and a match inside an exam sub-header ("MS:" = mental status) is dropped.

Fuzzy matching (rapidfuzz) is deliberately not used: on the sample notes it added no true entity
that the misspelling rows do not cover and produced false matches on short terms.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from nlp.pipeline.matching import TermMatcher
from nlp.pipeline.resources import IGNORE, Term, entity_terms
from nlp.pipeline.sections import in_header


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
        for start, end, term in self.matcher(doc):
            assert isinstance(term, Term)
            if term.family == IGNORE:
                continue
            span = Span(doc, start, end, label=term.family, kb_id=term.concept)
            if term.case_sensitive and in_header(doc, span.start_char, span.end_char) == "exam":
                continue
            span._.neurocode_attrs = {k: ([v] if k in ("motor", "states") else v) for k, v in term.attrs}
            ents.append(span)
        doc.ents = ents
        return doc
