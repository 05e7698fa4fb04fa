"""Derive entity terms from the ICD-10-CM tabular: descriptions and inclusion terms of the billable codes
under the prefixes of `nlp/resources/tabular_term_scope.csv` (less `tabular_term_exclusions.csv`),
cleaned and given simple morphological variants, written to `nlp/resources/terms/tabular.csv` (one row
per term, the tabular code as its source).

Terms that another term file already lists are left out (curated rows win), and so are terms that name a
combination or a residual category (with, without, due to, other, unspecified...), which need the family
coders' axes. Run after a new release is imported; the output is committed and reviewed like any data.

    python scripts/derive_tabular_terms.py
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nlp.codesets import icd10cm  # noqa: E402

RESOURCES = ROOT / "nlp" / "resources"
OUT = RESOURCES / "terms" / "tabular.csv"
# words that make a term a combination, a residual class or a cross-reference, not a finding's name
SKIP = re.compile(r"\b(other|unspecified|specified|elsewhere|nec|with|without|due|following|sequela|sequelae|"
                  r"classified|in diseases|newborn|congenital|drug|induced|personal|history|family|screening|"
                  r"encounter|complication|postprocedural|intraoperative|accidental|puncture|of [a-z]+ site|"
                  r"type \d|stage|category|except|excludes|and)\b")
STRIP = re.compile(r"\s*,\s*not elsewhere classified|\s*,\s*unspecified.*$|\s+nos\b|\s*\([^)]*\)|\s*\[[^\]]*\]")
# count nouns whose plural names the same finding ('tremors', 'falls'); other words are not pluralised
PLURAL_NOUNS = ("spasm", "tremor", "cramp", "attack", "jerk", "movement", "fall", "seizure", "hallucination",
                "change", "lesion", "cyst", "aneurysm", "headache", "spell", "episode")
UNSPECIFIED_SIDE = re.compile(r",\s*unspecified\s+(eye|ear|side|arm|leg|limb|upper limb|lower limb|hand|foot)\b",
                              re.IGNORECASE)
MIN_SINGLE_WORD = 8  # one-word terms shorter than this collide with ordinary words
COMMON_WORDS = frozenset(["spasm", "cramp", "falling", "clumsiness", "fainting", "collapse", "twitching",
                          "drowsiness", "stupor", "coma", "vertigo", "amnesia", "insomnia", "narcolepsy",
                          "cataplexy", "anosmia"])


def clean(term: str) -> str | None:
    t = STRIP.sub("", term.lower()).strip(" ,.;")
    if not t or SKIP.search(t) or any(ch.isdigit() for ch in t) or "," in t or "/" in t:
        return None
    words = t.split()
    if len(words) == 1 and len(t) < MIN_SINGLE_WORD and t not in COMMON_WORDS:
        return None
    if len(words) > 5:
        return None
    return t


def variants(term: str) -> list[str]:
    """The term, 'X of Y' also as 'Y X' and 'X of the Y', and a plural of its last word."""
    out = [term]
    m = re.fullmatch(r"(\w[\w-]*) of (\w[\w -]*)", term)
    if m:
        out += [f"{m.group(2)} {m.group(1)}", f"{m.group(1)} of the {m.group(2)}"]
    if term.split()[-1] in PLURAL_NOUNS:
        out.append(term + "s")
    return out


def existing_terms() -> set[str]:
    seen: set[str] = set()
    for f in (RESOURCES / "terms").glob("*.csv"):
        if f.name in ("tabular.csv", "modifiers.csv", "nerves.csv", "muscles.csv", "ncs_vocab.csv"):
            continue
        with f.open(encoding="utf-8") as fh:
            seen.update(r["term"].lower() for r in csv.DictReader(fh))
    return seen


def main() -> None:
    with (RESOURCES / "tabular_term_scope.csv").open(encoding="utf-8") as fh:
        scope = [(r["prefix"], r["kind"]) for r in csv.DictReader(fh)]
    release = icd10cm.for_date(None)
    taken = existing_terms()
    with (RESOURCES / "tabular_term_exclusions.csv").open(encoding="utf-8") as fh:
        taken |= {r["term"].lower() for r in csv.DictReader(fh)}
    rows: dict[str, tuple[str, str]] = {}
    ambiguous: set[str] = set()
    for item in sorted(release.all_codes(billable_only=True), key=lambda i: i.code):
        kind = next((k for p, k in scope if item.code.startswith(p)), None)
        if kind is None:
            continue
        labels = [("description", item.description)] + [("inclusion term", t)
                                                         for t in item.notes.get("inclusionTerm", [])]
        for field, label in labels:
            # 'X, unspecified eye / side / limb': the header, whose leaf the note's laterality picks
            code = item.parent if UNSPECIFIED_SIDE.search(label) and item.parent else item.code
            base = clean(label)
            if base is None or base in taken:  # a curated row names it: its variants are curated too
                continue
            for v in variants(base):
                if v in taken:
                    continue
                if v in rows and rows[v][0] != code:
                    ambiguous.add(v)  # the same words name two codes: leave it to a curated row
                rows.setdefault(v, (code, f"ICD-10-CM {release.key} tabular {item.code} {field} '{label}'"
                                           + ("" if v == base else " (variant)")))
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["term", "concept", "family", "attrs", "case_sensitive", "source"])
        for term, (code, source) in sorted(rows.items(), key=lambda kv: (kv[1][0], kv[0])):
            if term not in ambiguous:
                w.writerow([term, f"icd:{code}", "symptom", "", "no",
                            source + "; derived by scripts/derive_tabular_terms.py"])
    print(f"{len(rows) - len(ambiguous)} terms for {len({c for c, _ in rows.values()})} codes -> {OUT} "
          f"({len(ambiguous)} ambiguous left out)")


if __name__ == "__main__":
    main()
