"""Claim readiness: what a coder checks after picking codes (issue 14).

`build_claim(result, text)` adds `result.claim` (a `ClaimSection`):
1. type of service (`service_type.py`: certain rules, else the trained classifier);
2. the E/M suggestion for visits and consultations only (`em.py`), kept out of `suggestions`;
3. ordered diagnosis pointers for each CPT / HCPCS suggestion (`pointers.py`);
4. medical-necessity checks against payer coverage tables (`coverage.py`);
5. denial-risk findings and NEC justifications (`risks.py`).
It reads the result and the note text and never changes the suggestions. Findings cite codes and
policies only; NEC statements quote the note for the coder (never logged).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nlp.claim.records import ClaimSection

if TYPE_CHECKING:
    from nlp.result import NoteResult


def build_claim(result: NoteResult, text: str) -> ClaimSection:
    """The claim section for a reviewed NoteResult and the note's text."""
    import datetime as dt

    from nlp.claim import coverage, em, pointers, risks, service_type
    from nlp.codesets import icd10cm

    dos = dt.date.fromisoformat(result.date_of_service) if result.date_of_service else None
    service = service_type.classify(text, result.setting, result.warnings)
    visit = em.suggest_em(service, text, dos)
    diagnoses, lines = pointers.claim_lines(result.suggestions)
    policies, tables = coverage.active_policies(result.warnings)
    day = dos or dt.date.today()
    findings = [f for line in lines for f in coverage.check_line(line, policies, day)]
    findings += risks.denial_risk_findings(result.suggestions, lines, visit, dos)
    nec_icd = [s for s in result.suggestions if s.label == "NEC" and s.system == "ICD-10-CM"]
    release = icd10cm.for_date(dos) if nec_icd else None
    nec = [risks.nec_justification(s, release) if release and s in nec_icd else risks.nec_procedure_justification(s)
           for s in result.suggestions if s.label == "NEC"]
    return ClaimSection(service, visit, diagnoses, lines, findings, nec, tables)


__all__ = ["ClaimSection", "build_claim"]
