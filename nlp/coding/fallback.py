"""Fallback coder for diagnoses outside the family coders.

1. Symptoms and findings with a row in `coding_symptoms.csv` (concept -> code or header with
   laterality), coded wherever they are asserted present.
2. Other asserted-present facts from an assessment / impression / diagnosis section: rapidfuzz
   match of the concept (and its evidence text) against ICD-10-CM descriptions and inclusion terms
   (and the alphabetic index when the release has it), with a lower, calibrated confidence.

Never from negated / uncertain / family / hypothetical facts: the registry passes present facts only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from nlp.codesets.icd10cm import Icd10cmRelease
from nlp.coding.base import CodingContext, merged_attrs, suggest_header
from nlp.coding.tables import first_match, load_table, split_list
from nlp.facts import Fact
from nlp.result import Suggestion

FUZZY_CUTOFF = 90.0  # rapidfuzz ratio (0-100) below which no code is suggested
DIAGNOSIS_SECTIONS = re.compile(r"assess|impression|diagnos|problem", re.IGNORECASE)
_WORDS = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class FuzzyIndex:
    terms: tuple[str, ...]
    codes: tuple[str, ...]


def normalise_term(text: str) -> str:
    return " ".join(_WORDS.findall(text.lower().replace("_", " ")))


@lru_cache(maxsize=4)
def fuzzy_index(release: Icd10cmRelease) -> FuzzyIndex:
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
    return FuzzyIndex(keys, tuple(terms[k] for k in keys))


def fuzzy_match(release: Icd10cmRelease, queries: list[str]) -> tuple[str, float, str] | None:
    """(code, score, matched term) of the best match of any query above FUZZY_CUTOFF."""
    index = fuzzy_index(release)
    best: tuple[str, float, str] | None = None
    for q in queries:
        text = normalise_term(q)
        if len(text) < 4:
            continue
        hit = process.extractOne(text, index.terms, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        if hit is not None and (best is None or hit[1] > best[1]):
            best = (index.codes[hit[2]], float(hit[1]), hit[0])
    return best


class FallbackCoder:
    family = "fallback"
    concepts: frozenset[str] = frozenset()  # takes whatever no family coder handles

    def code(self, facts: list[Fact], ctx: CodingContext) -> list[Suggestion]:
        rows = load_table("coding_symptoms.csv", ("concept", "code"), ("match", "missing_axes", "kind"))
        out: list[Suggestion] = []
        by_concept: dict[str, list[Fact]] = {}
        for f in facts:
            by_concept.setdefault(f.concept, []).append(f)
        for concept, group in by_concept.items():
            attrs = merged_attrs(group)
            row = first_match(rows, concept, attrs)
            if row is not None:
                sug = suggest_header(
                    ctx,
                    row["code"],
                    {"laterality": attrs.get("laterality")},
                    family=group[0].family,
                    source="symptom_table",
                    facts=group,
                    missing=split_list(row["missing_axes"]),
                )
                if sug is not None:
                    sug.rationale = f"{concept.replace('_', ' ')} -> {sug.code} (symptom table)"
                    out.append(sug)
                continue
            in_dx = [f for f in group if any(DIAGNOSIS_SECTIONS.search(e.section or "") for e in f.evidence)]
            if not in_dx:
                continue
            queries = [concept] + [e.text for f in in_dx for e in f.evidence]
            hit = fuzzy_match(ctx.icd, queries)
            if hit is None:
                continue
            code, score, term = hit
            sug = ctx.icd_suggestion(
                code,
                family=group[0].family,
                source="fuzzy",
                facts=in_dx,
                rationale=f"fuzzy match {score:.0f}/100 to '{term}' -> {code}",
            )
            sug.confidence = score  # raw score; the review step calibrates it
            out.append(sug)
        return out
