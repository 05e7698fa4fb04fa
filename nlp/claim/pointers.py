"""Diagnosis pointers: for each CPT / HCPCS suggestion, the ordered diagnosis suggestions that make it
medically necessary (CMS-1500 item 24E: up to 4 letters into the item-21 diagnosis list).

Choice, from the evidence: a diagnosis the pointer table (`claim_pointer_rules.csv`) lists for the
procedure comes first, rank 1 (the condition found: 64615 -> G43.7-, EMG/NCS -> the neuropathy or
radiculopathy) before rank 2 (the symptom that prompted the study); ties go to a diagnosis documented
in the indication / impression / diagnosis sections, then to a specific label, then to the note's
order. When no diagnosis is listed for the procedure, the ones documented in those sections are
pointed to; failing that, the first diagnosis.
"""

from __future__ import annotations

from nlp.claim.records import MAX_POINTERS, POINTER_LETTERS, ClaimLine
from nlp.claim.tables import dx_matches, pointer_rules
from nlp.result import Suggestion

INDICATION_SECTIONS = frozenset({"indication", "impression", "diagnosis", "interpretation"})
NARRATIVE_SECTIONS = frozenset({"chief_complaint", "hpi", "procedure", "findings", "studies", "plan"})
NO_RULE = 9


def diagnosis_list(suggestions: list[Suggestion]) -> list[tuple[str, Suggestion]]:
    icd = [s for s in suggestions if s.system == "ICD-10-CM"]
    return list(zip(POINTER_LETTERS, icd, strict=False))  # item 21 holds 12 at most


def _section_rank(s: Suggestion) -> int:
    sections = {e.section for e in s.evidence}
    if sections & INDICATION_SECTIONS:
        return 0
    return 1 if sections & NARRATIVE_SECTIONS else 2


def _rule_rank(code: str, dx: str) -> int:
    ranks = [r.rank for r in pointer_rules() if code in r.codes and dx_matches(dx, list(r.prefixes))]
    return min(ranks, default=NO_RULE)


def point(line: Suggestion, diagnoses: list[tuple[str, Suggestion]]) -> ClaimLine:
    scored = []
    for i, (letter, dx) in enumerate(diagnoses):
        rank = _rule_rank(line.code, dx.code)
        scored.append(((rank, _section_rank(dx), dx.label == "NOS", i), letter, dx))
    scored.sort(key=lambda t: t[0])
    listed = [t for t in scored if t[0][0] < NO_RULE]
    if listed:
        chosen = listed
        reasons = [("condition found" if key[0] == 1 else "symptom or indication that prompted it")
                   + " (claim_pointer_rules.csv)" for key, _, _ in chosen]
    else:
        chosen = [t for t in scored if t[0][1] == 0] or scored[:1]
        reasons = ["documented in the indication / impression" if key[1] == 0 else "first diagnosis of the note"
                   for key, _, _ in chosen]
    chosen, reasons = chosen[:MAX_POINTERS], reasons[:MAX_POINTERS]
    return ClaimLine(line.system, line.code, list(line.modifiers), line.units,
                     [letter for _, letter, _ in chosen], [dx.code for _, _, dx in chosen], reasons)


def claim_lines(suggestions: list[Suggestion]) -> tuple[list[dict[str, str]], list[ClaimLine]]:
    diagnoses = diagnosis_list(suggestions)
    listed = [{"letter": letter, "code": dx.code, "label": dx.label} for letter, dx in diagnoses]
    lines = [point(s, diagnoses) for s in suggestions if s.system in ("CPT", "HCPCS")]
    return listed, lines
