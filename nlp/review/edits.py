"""Edits across a note's codes, each a finding with a message (never a silent drop):

- Excludes1 pairs, from the tabular notes of each code and its ancestors (the codes in
  parentheses are parsed, including ranges 'E00-E03.-' and dash forms 'F02.81-', 'G35-');
- code-first sequencing: a manifestation code whose 'code first' note names another suggested
  code is placed after it (and said so); a missing underlying code is reported;
- NCCI PTP pairs and MUE unit limits for the CPT/HCPCS codes suggested (nlp.codesets.edits).
"""

from __future__ import annotations

import datetime as dt
import re

from nlp.codesets import edits as ncci
from nlp.codesets.codeclass import classify
from nlp.codesets.icd10cm import Icd10cmRelease
from nlp.result import EditFinding, Suggestion

_PARENS = re.compile(r"\(([^()]*)\)")
_NOS_NOTE = re.compile(r"\bNOS\s*\(")
_CODE = re.compile(r"^[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{0,4})?$")


def referenced_codes(note: str) -> list[str]:
    """Code references in a tabular note: '(F02.81-, F02.A1-)' -> ['F02.81-', 'F02.A1-'];
    '(E00-E03.-)' -> ['E00-E03.-']."""
    out = []
    for group in _PARENS.findall(note):
        for token in group.split(","):
            t = token.strip().upper()
            bare = t.rstrip(".-")
            first = bare.split("-")[0]
            if _CODE.match(first):
                out.append(t)
    return out


def code_matches(code: str, ref: str) -> bool:
    """Does `code` fall under a tabular reference ('R56.9', 'F02.81-', 'G35-', 'E00-E03.-', 'F10-F19')?"""
    c = code.replace(".", "").upper()
    ref = ref.strip().upper()
    core = ref.rstrip(".-") if ref.endswith("-") else ref
    if "-" in core:
        lo, hi = (p.replace(".", "").rstrip("-") for p in core.split("-", 1))
        return lo[:3] <= c[:3] <= hi[:3] if len(lo) == 3 and len(hi) == 3 else lo <= c[: len(lo)] <= hi
    return c.startswith(core.replace(".", ""))


def excludes1_findings(icd: Icd10cmRelease, suggestions: list[Suggestion]) -> list[EditFinding]:
    codes = [s.code for s in suggestions if s.system == "ICD-10-CM"]
    out = []
    seen: set[frozenset[str]] = set()
    for a in codes:
        for where, note in icd.inherited_notes(a, "excludes1"):
            for ref in referenced_codes(note):
                for b in codes:
                    pair = frozenset((a, b))
                    if b != a and pair not in seen and code_matches(b, ref) and not _specified_beside_nos(icd, note, b):
                        seen.add(pair)
                        out.append(
                            EditFinding(
                                "excludes1",
                                [a, b],
                                f"{b} is Excludes1 at {where} ('{note}'): {a} and {b} are not reported "
                                f"together; "
                                "keep the one the documentation supports.",
                                f"ICD-10-CM tabular {where} Excludes1",
                            )
                        )
    return out


def _specified_beside_nos(icd: Icd10cmRelease, note: str, code: str) -> bool:
    """An Excludes1 note naming only the NOS form of a condition ('radiculitis NOS (M54.1)') excludes
    that unspecified form; a specified code of the referenced category (M54.12 cervical
    radiculopathy) is another condition and is not excluded."""
    if not _NOS_NOTE.search(note):
        return False
    found = icd.find(code)
    return found is not None and classify("ICD-10-CM", code, found.description) != "NOS"


def _conditional(note: str) -> bool:
    """'Code first any follow-up examination (Z09)', 'code first, if applicable, ...': the note applies
    only when that condition is documented, so its absence is no finding."""
    low = note.lower()
    return low.startswith("any ") or "if applicable" in low


def sequence_code_first(icd: Icd10cmRelease, suggestions: list[Suggestion]) -> list[EditFinding]:
    """Reorders `suggestions` in place so underlying conditions precede their manifestations."""
    out = []
    for s in list(suggestions):
        if s.system != "ICD-10-CM":
            continue
        notes = icd.inherited_notes(s.code, "codeFirst")
        refs = [(where, ref) for where, note in notes for ref in referenced_codes(note)]
        required = [(where, ref) for where, note in notes if not _conditional(note) for ref in referenced_codes(note)]
        if not refs:
            continue
        firsts = [
            o
            for o in suggestions
            if o.system == "ICD-10-CM" and o is not s and any(code_matches(o.code, ref) for _, ref in refs)
        ]
        where = refs[0][0]
        if not firsts and not required:
            continue
        if not firsts:
            where = required[0][0]
            out.append(
                EditFinding(
                    "code_first",
                    [s.code],
                    f"{s.code}: 'code first' the underlying condition ({where} note); none is "
                    "suggested for this note - check the documentation.",
                    f"ICD-10-CM tabular {where} codeFirst",
                )
            )
            continue
        first = firsts[0]
        if suggestions.index(first) > suggestions.index(s):
            suggestions.remove(first)
            suggestions.insert(suggestions.index(s), first)
        out.append(
            EditFinding(
                "code_first",
                [first.code, s.code],
                f"{first.code} is sequenced before {s.code} ('code first' note at {where}).",
                f"ICD-10-CM tabular {where} codeFirst",
            )
        )
    return out


def ncci_findings(suggestions: list[Suggestion], dos: dt.date | None) -> list[EditFinding]:
    procs = [s for s in suggestions if s.system in ("CPT", "HCPCS")]
    codes = list(dict.fromkeys(s.code for s in procs))
    out = []
    ptp = ncci.ptp_edits(dos)
    for e in ptp:
        if e.column1 in codes and e.column2 in codes and e.modifier_indicator != 9:
            allowed = "an NCCI-associated modifier may apply" if e.modifier_indicator == 1 else "no modifier allowed"
            out.append(
                EditFinding(
                    "ncci_ptp",
                    [e.column1, e.column2],
                    f"NCCI PTP: {e.column2} is bundled into {e.column1} on the same day "
                    f"({allowed}). {e.rationale}".strip(),
                    e.source,
                )
            )
    limits = {m.code: m for m in ncci.mue_limits(dos)}
    units: dict[str, int] = {}
    for s in procs:
        units[s.code] = units.get(s.code, 0) + s.units
    for code, n in units.items():
        m = limits.get(code)
        if m is not None and n > m.mue:
            out.append(
                EditFinding(
                    "mue",
                    [code],
                    f"MUE: {n} units of {code} exceed the limit of {m.mue} per "
                    f"{'line' if m.adjudication_indicator == 1 else 'day'}. {m.rationale}".strip(),
                    m.source,
                )
            )
    return out
