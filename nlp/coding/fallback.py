"""Fallback coder for diagnoses outside the family coders.

1. Symptoms and findings with a row in `coding_symptoms.csv` (concept -> code or header with
   laterality), coded wherever they are asserted present.
2. Common diagnoses outside the neurology families (`other_dx` facts: hypertension, diabetes,
   GERD...) -> the Alphabetic Index default code of `coding_common_diagnoses.csv`, with its query
   axes where the default is unspecified; only where the note documents them as current: sections of
   policy `comorbidity` in `coding_sections.csv` (assessment, diagnoses, history of present illness,
   narrative), or a past-history item documented with its current treatment (attribute `treated`).
3. Diagnosis lines (`diagnosis_line` facts: entity-free items of assessment / impression / diagnosis
   sections) and other asserted-present facts from those sections: rapidfuzz match of the text
   against billable ICD-10-CM descriptions and inclusion terms (and the alphabetic index when the
   release has it), with a lower, calibrated confidence.

Never from negated / uncertain / family / hypothetical facts: the registry passes present facts only.
"""

from __future__ import annotations

import marshal
import math
import os
import re
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from nlp.codesets.icd10cm import Icd10cmRelease
from nlp.coding.axes import axis_terms
from nlp.coding.base import CodingContext, bool_axis, in_assessment, merged_attrs, suggest_header
from nlp.coding.tables import first_match, load_table, sections_with, split_list
from nlp.facts import Fact
from nlp.result import Suggestion

# rapidfuzz WRatio (0-100) below which no code is suggested; tuned on training_data (ratio at 90 found
# 1 of 6 true diagnosis-line codes, WRatio at 90 found 5 with no false match once hedged lines are
# uncertain) and checked on the dev set and unannotated notes
FUZZY_CUTOFF = 90.0
MIN_TERM_CHARS = 6  # shorter description / inclusion terms match inside too many lines
COMMON_SOURCE = "common_dx"
TABULAR_CONCEPT = "icd:"  # concepts of terms/tabular.csv (scripts/derive_tabular_terms.py)
TABULAR_SOURCE = "tabular_term"
DIAGNOSIS_LINE = "diagnosis_line"
_WORDS = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class FuzzyIndex:
    terms: tuple[str, ...]
    codes: tuple[str, ...]
    by_key: dict[str, tuple[int, ...]]  # rarest content word of a term -> indexes of those terms
    words: tuple[frozenset[str], ...]  # content words per term
    vocab_by_len: dict[int, tuple[str, ...]]  # content words over 4 letters by length (near spellings)
    near: dict[str, frozenset[str]] = field(default_factory=dict, compare=False)  # cache: word -> near spellings

    def near_spellings(self, word: str) -> frozenset[str]:
        """Words over 4 letters within fuzz.ratio 85 of `word`: `_agrees`' rule for a near spelling.
        A ratio of 85 needs the shorter word to be at least 0.74 of the longer, so only words of
        compatible length are compared."""
        cached = self.near.get(word)
        if cached is None:
            lo, hi = math.ceil(len(word) * 0.74), math.floor(len(word) / 0.74)
            pool = [w for n in range(max(lo, 5), hi + 1) for w in self.vocab_by_len.get(n, ())]
            cached = frozenset(w for w, _score, _i in process.extract(word, pool, scorer=fuzz.ratio, score_cutoff=85,
                                                                      limit=None))
            self.near[word] = cached
        return cached


def normalise_term(text: str) -> str:
    return " ".join(_WORDS.findall(text.lower().replace("_", " ")))


FUZZY_CACHE_FORMAT = 1


def _cache_path(release: Icd10cmRelease) -> Path | None:
    folder = getattr(release.release, "path", None)
    if folder is None or not (folder / "release.json").is_file():
        return None
    stamp = (folder / "release.json").stat().st_mtime_ns
    tag = f"v{FUZZY_CACHE_FORMAT}-py{sys.version_info[0]}{sys.version_info[1]}-{stamp}"
    return folder / f"fuzzy_index.{tag}.marshal"


@lru_cache(maxsize=4)
def fuzzy_index(release: Icd10cmRelease) -> FuzzyIndex:
    """The index of one release: built once per release and stored beside it (like the ICD-10-CM
    SQLite cache), loaded by later processes. `marshal` holds only strings, ints, tuples, frozensets
    and dicts (no code is run on load); a missing, stale or unreadable file is rebuilt."""
    path = _cache_path(release)
    if path is not None and path.is_file():
        try:
            terms, codes, by_key, words, by_len = marshal.loads(path.read_bytes())
            return FuzzyIndex(terms, codes, by_key, words, by_len)
        except (OSError, ValueError, EOFError, TypeError):
            pass
    index = build_fuzzy_index(release)
    if path is not None:
        try:
            for old in path.parent.glob("fuzzy_index.*.marshal"):
                old.unlink(missing_ok=True)
            tmp = path.with_suffix(f".tmp{os.getpid()}")
            tmp.write_bytes(marshal.dumps((index.terms, index.codes, index.by_key, index.words, index.vocab_by_len)))
            os.replace(tmp, path)
        except OSError:  # a read-only data folder: the index is rebuilt in each process
            pass
    return index


def build_fuzzy_index(release: Icd10cmRelease) -> FuzzyIndex:
    terms: dict[str, str] = {}
    for item in release.all_codes(billable_only=True):
        terms.setdefault(normalise_term(item.description), item.code)
        for inc in item.notes.get("inclusionTerm", []):
            terms.setdefault(normalise_term(inc), item.code)
    for term, code in release.index_terms():
        found = release.find(code)
        if found is not None and found.billable:
            terms.setdefault(normalise_term(term), found.code)
    keys = tuple(k for k in terms if k)
    words = tuple(frozenset(_content(k)) for k in keys)
    freq: dict[str, int] = {}
    for ws in words:
        for w in ws:
            freq[w] = freq.get(w, 0) + 1
    by_key: dict[str, list[int]] = {}
    for i, ws in enumerate(words):
        if ws:
            by_key.setdefault(min(ws, key=lambda w: (freq[w], w)), []).append(i)
    by_len: dict[int, list[str]] = {}
    for w in freq:
        if len(w) > 4:
            by_len.setdefault(len(w), []).append(w)
    return FuzzyIndex(keys, tuple(terms[k] for k in keys), {w: tuple(ids) for w, ids in by_key.items()}, words,
                      {n: tuple(ws) for n, ws in by_len.items()})


def _candidates(index: FuzzyIndex, query: str) -> list[int]:
    """Terms whose every content word matches a word of the query as `_agrees` demands (equal, or for
    words over 4 letters a near spelling): the only terms that can pass it, so the WRatio search
    skips the rest of the ~100,000 descriptions and inclusion terms without changing any match.
    Each term is indexed under its rarest word only, which keeps the postings short."""
    expanded: set[str] = set()
    for q in (w for w in _content(query) if w not in _SIDES):
        expanded.add(q)
        if len(q) > 4:
            expanded |= index.near_spellings(q)
    return [i for w in expanded for i in index.by_key.get(w, ()) if index.words[i] <= expanded]


_STOP = frozenset(["of", "and", "with", "without", "the", "a", "an", "in", "to", "due", "by", "nos",
                   "unspecified", "other", "specified", "site"])
_SIDES = frozenset(["left", "right", "bilateral"])
MIN_QUERY_COVERED = 0.4  # share of the line's content words the matched term must account for


def _content(text: str) -> list[str]:
    return [w for w in text.split() if w not in _STOP]


def _agrees(query: str, term: str) -> bool:
    """The matched term must be (nearly) contained in the line, not the line in a longer, more specific
    term ('pelvic pain' is not 'genito-pelvic pain penetration disorder'), and must account for a fair
    share of the line ('hyperventilation and photic stimulation' is not hyperventilation)."""
    q_words = [w for w in _content(query) if w not in _SIDES]
    t_words = _content(term)
    if not q_words or not t_words:
        return False
    found = [w for w in t_words if any(w == q or (len(w) > 4 and fuzz.ratio(w, q) >= 85) for q in q_words)]
    covered = [q for q in q_words if any(q == w or (len(q) > 4 and fuzz.ratio(w, q) >= 85) for w in t_words)]
    return len(found) == len(t_words) and len(covered) >= MIN_QUERY_COVERED * len(q_words)


def fuzzy_match(release: Icd10cmRelease, queries: list[str], *, neuro: bool = True) -> tuple[str, float, str] | None:
    """(code, score, matched term) of the best match of any query above FUZZY_CUTOFF whose words agree
    with the query; with `neuro=False` (free-text diagnosis lines) codes in the guide's neurology scope
    are left to the family coders."""
    from nlp.codesets.families import family_of  # the guide's neuro scope, code_families.csv

    index = fuzzy_index(release)
    best: tuple[str, float, str] | None = None
    for q in queries:
        text = normalise_term(q)
        if len(text) < 4:
            continue
        ids = _candidates(index, text)
        for term, score, j in process.extract(text, [index.terms[i] for i in ids], scorer=fuzz.WRatio,
                                              score_cutoff=FUZZY_CUTOFF, limit=25):
            code = index.codes[ids[j]]
            if len(term) < MIN_TERM_CHARS or not _agrees(text, term) or (not neuro and family_of("ICD-10-CM", code)[1]):
                continue
            if best is None or score > best[1]:
                best = (code, float(score), term)
            break
    return best


def axis_wants(attrs: dict[str, Any]) -> dict[str, str | None]:
    """The documented value of every tabular axis (`coding_axis_terms.csv`) a fact states under the
    axis' own name (laterality, loc, sequela...): the leaf under a symptom-table header is chosen by
    them; booleans read 'true' / 'false'."""
    names = {t.axis for t in axis_terms()}
    return {k: (bool_axis(v) if isinstance(v, bool) else str(v)) for k, v in attrs.items()
            if k in names and v not in (None, "", [])}


@lru_cache(maxsize=1)
def long_term_drug_codes() -> frozenset[str]:
    """Z79.x codes of `coding_long_term_drugs.csv` (long-term current use of a drug class)."""
    return frozenset(r["code"] for r in load_table("coding_long_term_drugs.csv", ("code", "with")))


class FallbackCoder:
    family = "fallback"
    concepts: frozenset[str] = frozenset()  # takes whatever no family coder handles

    def code(self, facts: list[Fact], ctx: CodingContext) -> list[Suggestion]:
        rows = load_table("coding_symptoms.csv", ("concept", "code"), ("match", "missing_axes", "kind"))
        out: list[Suggestion] = []
        by_concept: dict[str, list[Fact]] = {}
        for f in facts:
            by_concept.setdefault(f.concept, []).append(f)
        table = load_table("coding_common_diagnoses.csv", ("concept", "code"), ("missing_axes",))
        common = {r["concept"]: r for r in table}
        for f in by_concept.pop(DIAGNOSIS_LINE, []):
            sug = self._fuzzy(ctx, [e.text for e in f.evidence], [f], "other_dx", neuro=False)
            if sug is not None:
                out.append(sug)
        for concept, group in by_concept.items():
            if group[0].family == "other_dx":
                sug = self._common(ctx, common.get(concept), group)
                if sug is not None:
                    out.append(sug)
                continue
            attrs = merged_attrs(group)
            if concept.startswith(TABULAR_CONCEPT):
                stated = [f for f in group if in_assessment(f)]  # machine-derived terms need the provider's
                if stated:                                        # diagnostic statement, like diagnosis lines
                    sug = self._tabular(ctx, concept[len(TABULAR_CONCEPT):], merged_attrs(stated), stated)
                    if sug is not None:
                        out.append(sug)
                continue
            row = first_match(rows, concept, attrs)
            if row is not None:
                # one finding may carry several codes ("auditory and visual hallucinations")
                for header in split_list(row["code"]):
                    sug = suggest_header(
                        ctx,
                        header,
                        axis_wants(attrs),
                        family=group[0].family,
                        source="symptom_table",
                        facts=group,
                        missing=split_list(row["missing_axes"]),
                    )
                    if sug is not None:
                        sug.rationale = f"{concept.replace('_', ' ')} -> {sug.code} (symptom table)"
                        out.append(sug)
                continue
            in_dx = [f for f in group if in_assessment(f)]
            if not in_dx:
                continue
            sug = self._fuzzy(ctx, [concept] + [e.text for f in in_dx for e in f.evidence], in_dx, group[0].family)
            if sug is not None:
                out.append(sug)
        return out

    @staticmethod
    def _tabular(ctx: CodingContext, code: str, attrs: dict[str, Any], group: list[Fact]) -> Suggestion | None:
        """A term derived from the tabular (`terms/tabular.csv`, concept 'icd:<code>') names its code, or a
        header whose leaf the note's axes (laterality...) choose. Only terms stated in the assessment,
        impression or diagnosis list are coded: they are not curated, so the provider's diagnostic
        statement is what makes them a diagnosis of this encounter."""
        sug = suggest_header(ctx, code, axis_wants(attrs), family=group[0].family, source=TABULAR_SOURCE,
                             facts=group, missing=[])
        if sug is not None:
            sug.rationale = f"tabular term of {code} -> {sug.code} (ICD-10-CM description / inclusion term)"
        return sug

    @staticmethod
    def _fuzzy(ctx: CodingContext, queries: list[str], facts: list[Fact], family: str,
               neuro: bool = True) -> Suggestion | None:
        hit = fuzzy_match(ctx.icd, queries, neuro=neuro)
        if hit is None:
            return None
        code, score, term = hit
        sug = ctx.icd_suggestion(
            code,
            family=family,
            source="fuzzy",
            facts=facts,
            rationale=f"fuzzy match {score:.0f}/100 to '{term}' -> {code}",
        )
        sug.confidence = score  # raw score; the review step calibrates it
        return sug

    @staticmethod
    def _common(ctx: CodingContext, row: dict[str, str] | None, group: list[Fact]) -> Suggestion | None:
        if row is None:
            return None
        allowed = sections_with("comorbidity")
        if row["code"] in long_term_drug_codes():  # a current medication: its list is where it is documented
            allowed = allowed | sections_with("drug_list")
        current = [f for f in group if f.attrs.get("treated") or any(e.section in allowed for e in f.evidence)]
        if not current:
            return None
        sug = ctx.icd_suggestion(
            row["code"],
            family="other_dx",
            source=COMMON_SOURCE,
            facts=current,
            missing=split_list(row["missing_axes"]),
            rationale=f"{group[0].concept.replace('_', ' ')} -> {row['code']} ({row['source']})",
        )
        return sug
