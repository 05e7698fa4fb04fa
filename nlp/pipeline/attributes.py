"""Attributes of entities from modifier mentions (`nlp/resources/terms/modifiers.csv`).

For each entity and attribute key, the closest modifier in the same sentence that applies to the
entity's family (optionally concept) fills the key; attributes baked into the entity phrase win.
List attributes (seizure motor types, EEG states) take the union over the sentence. Epilepsy
entities in an impression/diagnosis section also take attributes stated elsewhere in that section.
A cause named after a hedge ("consistent with diabetes") is not an attribute.
Radiculopathy levels ("C5-C6", "C8/T1") come from the `spine_level` pattern in the sentence.

Procedure families (EEG, LP, toxin, EMG, nerve block) document their details across the report, so
modifiers for them anywhere outside narrative/history sections are collected note-wide in
`doc.user_data["neurocode_note_attrs"]` (family -> attrs) for `doc_to_facts`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from spacy.language import Language
from spacy.tokens import Doc, Span

from nlp.facts import STROKE_DEFICITS
from nlp.pipeline.context import assertion_of
from nlp.pipeline.matching import TermMatcher
from nlp.pipeline.normalizer import doc_text
from nlp.pipeline.resources import LIST_ATTRS, ModifierTerm, modifier_terms, patterns
from nlp.pipeline.sections import in_header, section_at, section_flag

MODIFIERS_KEY = "neurocode_modifiers"  # list of (start_char, end_char, term index)
NOTE_ATTRS_KEY = "neurocode_note_attrs"
PROCEDURE_FAMILIES = frozenset({"eeg", "lp", "toxin", "emg", "ncs", "nerve_block"})
SECTION_SCOPED = {"epilepsy": frozenset({"impression", "diagnosis"})}
_MAX_DISTANCE = 12  # tokens between a modifier and its entity within a sentence


def _applies(mod: ModifierTerm, family: str, concept: str) -> bool:
    return any(f == family and (c is None or c == concept) for f, c in mod.targets)


def _set(attrs: dict[str, Any], key: str, value: Any, baked: set[str]) -> None:
    if key in LIST_ATTRS:
        items = attrs.setdefault(key, [])
        if value not in items:
            items.append(value)
    elif key not in attrs and key not in baked:
        attrs[key] = value


@Language.factory("neurocode_attributes_v1", assigns=["span._.neurocode_attrs"],
                  requires=["doc.ents", "token.is_sent_start", "span._.neurocode_attrs"], default_config={})
class AttributeLinker:
    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        self.terms = modifier_terms()
        self.matcher = TermMatcher(nlp, ((t.term, t.case_sensitive, i) for i, t in enumerate(self.terms)))
        self.level = patterns()["spine_level"]

    def __call__(self, doc: Doc) -> Doc:
        mods = [(s, e, self.terms[cast(int, i)]) for s, e, i in self.matcher(doc) if self.terms[cast(int, i)].attrs]
        doc.user_data[MODIFIERS_KEY] = [(doc[s].idx, doc[e - 1].idx + len(doc[e - 1]), m.term) for s, e, m in mods]
        note_attrs: dict[str, dict[str, Any]] = {}
        for s, e, mod in mods:
            if section_flag(section_at(doc, doc[s].idx)) or in_header(doc, doc[s].idx, doc[e - 1].idx + 1):
                continue
            for family, _concept in mod.targets:
                if family in PROCEDURE_FAMILIES:
                    fam = note_attrs.setdefault(family, {})
                    for key, value in mod.attrs:
                        _set(fam, key, value, set())
        doc.user_data[NOTE_ATTRS_KEY] = note_attrs
        if not doc.ents:
            return doc
        sent_of = {}
        for k, sent in enumerate(doc.sents):
            sent_of[sent.start] = k
        sent_starts = sorted(sent_of)
        from bisect import bisect_right

        def sent_index(tok: int) -> int:
            return bisect_right(sent_starts, tok) - 1

        mods_by_sent: dict[int, list[tuple[int, int, ModifierTerm]]] = {}
        for s, e, mod in mods:
            mods_by_sent.setdefault(sent_index(s), []).append((s, e, mod))
        covered: dict[int, int] = {}  # token -> index of the entity holding it
        for k, ent in enumerate(doc.ents):
            for t in range(ent.start, ent.end):
                covered[t] = k

        ents = list(doc.ents)

        def inside_other(start: int, end: int, k: int) -> bool:
            """The modifier's words are part of a longer name ('status epilepticus' in 'electrical
            status epilepticus in sleep') or a mention that is not present ('no status epilepticus')."""
            holders = {covered.get(t) for t in range(start, end)}
            if len(holders) != 1 or None in holders or k in holders:
                return False
            holder = ents[cast(int, next(iter(holders)))]
            return len(holder) > end - start or assertion_of(holder) != "present"

        scoped_firsts = _ScopedFirsts(doc, mods, inside_other)
        for k, ent in enumerate(doc.ents):
            # a modifier inside another entity is that entity's words: it does not describe this one
            own = [m for m in mods_by_sent.get(sent_index(ent.start), [])
                   if not inside_other(m[0], m[1], k)]
            self._link(doc, ent, own, scoped_firsts, k)
        return doc

    def _link(self, doc: Doc, ent: Span, sent_mods: list, scoped_firsts: _ScopedFirsts, k: int) -> None:
        attrs: dict[str, Any] = dict(ent._.neurocode_attrs or {})
        baked = set(attrs)
        family, concept = ent.label_, ent.kb_id_

        def distance(m: tuple[int, int, ModifierTerm]) -> int:
            s, e, _ = m
            if e <= ent.start:
                return ent.start - e
            if s >= ent.end:
                return s - ent.end + 1  # prefer the preceding modifier at equal distance
            return 10_000  # overlaps the entity: its words are already in the baked attributes

        candidates = sorted((m for m in sent_mods if _applies(m[2], family, concept)), key=distance)
        hedge = patterns()["hedged_cause_before"]
        for m in candidates:
            if distance(m) > _MAX_DISTANCE:
                break
            hedged = bool(hedge.search(doc[max(0, m[0] - 8): m[0]].text_with_ws))
            for key, value in m[2].attrs:
                if key == "cause" and hedged:
                    continue  # "neuropathy consistent with diabetes": the cause is a hedge, not documented
                _set(attrs, key, value, baked)
        scoped = SECTION_SCOPED.get(family)
        if scoped:
            category = section_at(doc, ent.start_char)
            if category in scoped:
                for key, value in scoped_firsts.values(category, family, concept, k):
                    _set(attrs, key, value, baked)
        if family == "stroke" and concept in STROKE_DEFICITS and "sequela" not in attrs:
            after = doc_text(doc)[ent.end_char: ent.sent.end_char]
            if patterns()["deficit_following_stroke"].match(after) and "acute" not in ent.sent.text.lower():
                attrs["sequela"] = True
        if (family, concept) in (("neuromuscular", "radiculopathy"), ("nerve_block", "rf_neurotomy")):
            levels = self._levels(ent.sent.text)
            if levels:
                attrs.setdefault("level", levels)
                attrs.setdefault("region", _region(levels))
        if family == "neuromuscular" and concept in ("disc_disorder", "spondylosis"):
            self._disc(ent.sent.text, attrs)
        ent._.neurocode_attrs = attrs

    def _disc(self, text: str, attrs: dict[str, Any]) -> None:
        """Disc level(s) as motion segments ("C5-C6"), region, and what the disc does in the same
        sentence (cord compression -> myelopathy, root compression -> radiculopathy): M50/M51 axes."""
        pairs: list[str] = []
        for m in self.level.finditer(text):
            first, a, second, b = m.group(1), m.group(2), m.group(3), m.group(4)
            if b:
                pair = f"{first}{a}-{second or first}{b}"
                if pair not in pairs:
                    pairs.append(pair)
        if pairs:
            attrs.setdefault("disc_level", pairs)
            attrs.setdefault("region", _region([p.split("-")[0] for p in pairs] + [p.split("-")[1] for p in pairs]))
        for name, value in (("disc_myelopathy_cue", "myelopathy"), ("disc_radiculopathy_cue", "radiculopathy")):
            if "disc_with" not in attrs and patterns()[name].search(text):
                attrs["disc_with"] = value

    def _levels(self, text: str) -> list[str]:
        out: list[str] = []
        for m in self.level.finditer(text):
            first, a, second, b = m.group(1), m.group(2), m.group(3), m.group(4)
            for lv in (f"{first}{a}", f"{second or first}{b}" if b else None):
                if lv and lv not in out:
                    out.append(lv)
        return out


class _ScopedFirsts:
    """For section-scoped families: the value each modifier key takes from the first usable modifier
    of the entity's section that applies to it (document order), computed once per (section, family,
    concept) instead of scanning every modifier of the note for every entity (quadratic on a long
    note). A modifier inside another entity is unusable except for that entity itself."""

    def __init__(self, doc: Doc, mods: list, inside_other: Callable[[int, int, int], bool]) -> None:
        self.doc, self.mods, self.inside_other = doc, mods, inside_other
        self.by_section: dict[str, list[int]] | None = None
        self.cache: dict[tuple[str, str, str], tuple[dict[str, tuple[int, Any]], list[int]]] = {}

    def _firsts(self, category: str, family: str, concept: str) -> tuple[dict[str, tuple[int, Any]], list[int]]:
        if self.by_section is None:
            self.by_section = {}
            for i, (s, _e, _mod) in enumerate(self.mods):
                self.by_section.setdefault(section_at(self.doc, self.doc[s].idx), []).append(i)
        key = (category, family, concept)
        if key not in self.cache:
            firsts: dict[str, tuple[int, Any]] = {}
            held: list[int] = []  # unusable in general, usable by the entity that holds them
            for i in self.by_section.get(category, []):
                s, e, mod = self.mods[i]
                if not _applies(mod, family, concept):
                    continue
                if self.inside_other(s, e, -1):
                    held.append(i)
                    continue
                for name, value in mod.attrs:
                    if name not in LIST_ATTRS and name not in firsts:
                        firsts[name] = (i, value)
            self.cache[key] = (firsts, held)
        return self.cache[key]

    def values(self, category: str, family: str, concept: str, k: int) -> list[tuple[str, Any]]:
        """(key, value) pairs in the order the modifiers give them, as `_set` would apply them."""
        firsts, held = self._firsts(category, family, concept)
        best = dict(firsts)
        for i in held:
            s, e, mod = self.mods[i]
            if self.inside_other(s, e, k):
                continue
            for name, value in mod.attrs:
                if name not in LIST_ATTRS and (name not in best or best[name][0] > i):
                    best[name] = (i, value)
        return [(name, value) for name, (_i, value) in sorted(best.items(), key=lambda kv: kv[1][0])]


def _region(levels: list[str]) -> str:
    letters = {lv[0] for lv in levels}
    if letters == {"C", "T"}:
        return "cervicothoracic"
    if letters == {"T", "L"}:
        return "thoracolumbar"
    if letters <= {"C"}:
        return "cervical"
    if letters <= {"T"}:
        return "thoracic"
    if letters <= {"L"}:
        return "lumbar"
    if letters <= {"L", "S"} or letters <= {"S"}:
        return "lumbosacral"
    return "cervical" if "C" in letters else "thoracic"
