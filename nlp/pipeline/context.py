"""Assertion: medspaCy ConText with the project's rules, plus section flags.

Rules are `nlp/resources/context_rules.json` (medspaCy's format; each rule's `metadata.source`
says where it comes from). After ConText, entities in a family-history section are flagged
`is_family` and those in past-history sections `is_historical`. A diagnosis outside the neurology families
(`other_dx`) in a past-history section whose line documents current treatment ("hypertension
treated with Cozaar", pattern `current_treatment_after`) is current: attribute `treated`, not flagged
historical. A condition that belongs to an age band (`age_limited_conditions.csv`: infantile spasms,
febrile seizures) told outside the assessment of a patient older than the band is past history
(`patient_age`). A condition the assessment rules out ('She does not have epilepsy', pattern
`ruled_out_cue`) and does not also affirm is negated wherever else the note tells it ('treated for
epilepsy by an outside provider'). `span._.neurocode_assertion`
gives one status by priority: family > negated > hypothetical > uncertain > historical > present.
"""

from __future__ import annotations

import logging
import re
from functools import cache

from spacy.language import Language
from spacy.tokens import Doc, Span

from nlp.pipeline.normalizer import doc_text
from nlp.pipeline.resources import age_limited_terms, context_rule_dicts, patterns, word_list
from nlp.pipeline.sections import section_at, section_flag

CHUNK_TOKENS = 1000  # ConText's scope graph is quadratic in modifiers: entity sentences run in chunks of this size
FLAGS = (("is_family", "family"), ("is_negated", "negated"), ("is_hypothetical", "hypothetical"),
         ("is_uncertain", "uncertain"), ("is_historical", "historical"))


def silence_loguru() -> None:
    """medspaCy logs at DEBUG through loguru; notes must never reach logs."""
    try:
        from loguru import logger
    except ImportError:  # loguru is a medspaCy dependency; absent means nothing to silence
        return
    logger.remove()
    logger.disable("medspacy")
    logger.disable("PyRuSH")
    logging.getLogger("medspacy").setLevel(logging.WARNING)


def assertion_of(span: Span) -> str:
    for attr, name in FLAGS:
        if getattr(span._, attr, False):
            return name
    return "present"


_LINE_CUES = (("FAMILY", "is_family"), ("NEGATED_EXISTENCE", "is_negated"), ("HYPOTHETICAL", "is_hypothetical"),
              ("POSSIBLE_EXISTENCE", "is_uncertain"), ("HISTORICAL", "is_historical"))


@cache
def line_cues() -> tuple[tuple[re.Pattern[str], str], ...]:
    """One word-bounded regex per ConText category over the rule literals: a diagnosis line is its own
    target, so a cue inside it ("possible NPH", "rule out sinusitis") must still set its assertion."""
    out = []
    for category, attr in _LINE_CUES:
        lits = sorted({r["literal"].lower() for r in context_rule_dicts()
                       if r["category"] == category and "pattern" not in r}, key=len, reverse=True)
        if lits:
            out.append((re.compile(r"(?<!\w)(?:" + "|".join(re.escape(x) for x in lits) + r")(?!\w)"), attr))
    return tuple(out)


def flag_diagnosis_line(ent: Span) -> None:
    text = ent.text.lower()
    for pattern, attr in line_cues():
        if pattern.search(text):
            setattr(ent._, attr, True)
            return


_AGE_UNIT_YEARS = {"year": 1.0, "yr": 1.0, "month": 1 / 12, "mo": 1 / 12, "week": 7 / 365.25, "wk": 7 / 365.25,
                   "day": 1 / 365.25}
ASSESSMENT_SECTIONS = frozenset({"impression", "diagnosis"})


def patient_age_years(text: str) -> float | None:
    """The first age phrase in the note ('9-year-old male'), in years; None when the note states none."""
    m = patterns()["patient_age"].search(text)
    if m is None:
        return None
    unit = (m.group(2) or m.group(3)).lower()
    return int(m.group(1)) * _AGE_UNIT_YEARS["year" if unit == "y" else unit]


def outgrown(ent: Span, age: float | None, section: str) -> bool:
    """An age-limited condition ('infantile spasms') told of a patient past its age band, outside the
    assessment: the history of how the illness began, not the current condition."""
    if age is None or section in ASSESSMENT_SECTIONS:
        return False
    limit = age_limited_terms().get(" ".join(ent.text.lower().split()))
    return limit is not None and age > limit


def rule_out_elsewhere(doc: Doc) -> None:
    """The assessment's conclusion outranks the history: a concept negated in an assessment sentence
    that rules it out, and not affirmed in the assessment, is negated in the other sections too."""
    cue = patterns()["ruled_out_cue"]
    ruled, affirmed = set(), set()
    for ent in doc.ents:
        if section_at(doc, ent.start_char) not in ASSESSMENT_SECTIONS:
            continue
        if assertion_of(ent) == "present":
            affirmed.add(ent.kb_id_)
        elif getattr(ent._, "is_negated", False) and cue.search(ent.sent.text):
            ruled.add(ent.kb_id_)
    ruled -= affirmed
    if not ruled:
        return
    for ent in doc.ents:
        if ent.kb_id_ in ruled and assertion_of(ent) == "present" \
                and section_at(doc, ent.start_char) not in ASSESSMENT_SECTIONS:
            ent._.is_negated = True


STUDY_LABELS = ("eeg", "emg", "ncs", "lp")  # procedure families whose mention can label a result line


def negative_study_result(doc: Doc, ent: Span) -> bool:
    """'EEG: no epileptiform activity': the study labels a negative result on its line. The sentence
    splitter ends a sentence at an inline 'EEG:' label, so ConText's ': no' cue cannot reach it."""
    if ent.label_ not in STUDY_LABELS:
        return False
    after = doc[ent.end: ent.end + 4].text_with_ws.split("\n", 1)[0]
    return bool(patterns()["study_result_negated_after"].search(after))


def treated(doc: Doc, ent: Span) -> bool:
    """Does the text right after the mention, on its line, document current treatment?"""
    after = doc[ent.end: ent.end + 16].text_with_ws.split("\n", 1)[0]
    return bool(patterns()["current_treatment_after"].search(after))


@Language.factory("neurocode_context_v1",
                  assigns=["span._.is_negated", "span._.is_uncertain", "span._.is_historical",
                           "span._.is_family", "span._.is_hypothetical"],
                  requires=["doc.ents", "token.is_sent_start"], default_config={})
class Assertion:
    def __init__(self, nlp: Language, name: str) -> None:
        silence_loguru()
        from medspacy.context import ConText, ConTextRule

        self.name = name
        self.context = ConText(nlp, name=f"{name}_medspacy", rules=None)
        self.context.add([ConTextRule.from_dict(dict(r)) for r in context_rule_dicts()])
        if not Span.has_extension("neurocode_assertion"):
            Span.set_extension("neurocode_assertion", getter=assertion_of)

    def __call__(self, doc: Doc) -> Doc:
        if not doc.ents:
            return doc
        self._entity_sentences(doc)
        age = patient_age_years(doc_text(doc))
        for ent in doc.ents:
            if ent.kb_id_ == "diagnosis_line":
                flag_diagnosis_line(ent)
            elif negative_study_result(doc, ent):
                ent._.is_negated = True
            section = section_at(doc, ent.start_char)
            if outgrown(ent, age, section):
                ent._.is_historical = True
            flag = section_flag(section)
            if flag == "family":
                ent._.is_family = True
            elif flag == "hypothetical":  # a list of test instruments: 'Mattis Dementia Rating Scale'
                ent._.is_hypothetical = True
            elif flag == "historical":
                # a past-history item told with its ongoing treatment is current (Guidelines IV.J)
                if ent.label_ in word_list("treatable_chronic_families") and treated(doc, ent):
                    ent._.neurocode_attrs = {**(ent._.neurocode_attrs or {}), "treated": True}
                    continue
                ent._.is_historical = True
        rule_out_elsewhere(doc)
        return doc

    def _entity_sentences(self, doc: Doc) -> None:
        """Run ConText only on the sentences that hold an entity (its scope never leaves a sentence,
        so the flags are the same as over the whole note), in chunks of at most CHUNK_TOKENS tokens
        (its scope graph is quadratic in modifiers), and copy the flags back."""
        ents = list(doc.ents)
        sents = list(doc.sents)
        chosen: list[tuple[int, int]] = []
        k = 0
        for sent in sents:
            while k < len(ents) and ents[k].end <= sent.start:
                k += 1
            if k < len(ents) and ents[k].start < sent.end:
                chosen.append((sent.start, sent.end))
        groups: list[list[tuple[int, int]]] = []
        size = 0
        for a, b in chosen:
            if not groups or size + (b - a) > CHUNK_TOKENS:
                groups.append([])
                size = 0
            groups[-1].append((a, b))
            size += b - a
        k = 0
        for group in groups:
            while k < len(ents) and ents[k].start < group[0][0]:
                k += 1
            first = k
            while k < len(ents) and ents[k].start < group[-1][1]:
                k += 1
            self._run_group(doc, group, ents[first:k])

    def _run_group(self, doc: Doc, group: list[tuple[int, int]], ents: list[Span]) -> None:
        """ConText over one group of sentences (`ents`: the entities that start in them)."""
        words: list[str] = []
        spaces: list[bool] = []
        starts: list[bool | int | None] = []
        where: dict[int, int] = {}  # token index in doc -> token index in the chunk
        for a, b in group:
            for t in doc[a:b]:
                where[t.i] = len(words)
                words.append(t.text)
                spaces.append(bool(t.whitespace_))
                starts.append(t.i == a)
        chunk = Doc(doc.vocab, words=words, spaces=spaces, sent_starts=starts)
        inside = [e for e in ents if e.start in where and (e.end - 1) in where]
        chunk.ents = [Span(chunk, where[e.start], where[e.end - 1] + 1, label=e.label_) for e in inside]
        self.context(chunk)
        for e, sub in zip(inside, chunk.ents, strict=True):
            for attr, _name in FLAGS:
                if getattr(sub._, attr):
                    setattr(e._, attr, True)
