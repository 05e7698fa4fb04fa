"""Denial-risk findings and NEC justifications.

Denial risk (reasons and wording in `claim_denial_risks.csv`): NEC and NOS diagnoses, unlisted /
unclassified procedures and drugs, units above the MUE limit, a single-dose drug without JW / JZ, a
procedure without a diagnosis pointer, a consultation code for a Medicare patient. Messages cite
codes and units only.

NEC justification: for each NEC diagnosis, the statement a coder attaches or uses in an appeal:
what the documentation says (quoted evidence: coder's eyes only), why the classification has no
specific code (the tabular path, the specific codes under the same heading, the "other" code's
inclusion terms) and the code chosen.
"""

from __future__ import annotations

import datetime as dt

from nlp.claim.records import ClaimLine, EmSuggestion, Finding, NecJustification
from nlp.claim.tables import denial_risks
from nlp.codesets import procedures
from nlp.codesets.edits import mue_for
from nlp.codesets.icd10cm import Icd10cmRelease, IcdCode
from nlp.result import Suggestion

WASTAGE_MODIFIERS = ("JW", "JZ")


def _risk(reason: str, code: str, **fields: object) -> Finding:
    row = denial_risks()[reason]
    return Finding("denial_risk", code, reason, row["message"].format(code=code, **fields), row["source"], "risk")


def _single_dose_drug(code: str) -> bool:
    entry = procedures.hcpcs_table().get(code)
    return bool(entry and entry.agent)


def denial_risk_findings(suggestions: list[Suggestion], lines: list[ClaimLine], em: EmSuggestion | None,
                         dos: dt.date | None) -> list[Finding]:
    out: list[Finding] = []
    for s in suggestions:
        if s.system == "ICD-10-CM" and s.label in ("NEC", "NOS"):
            out.append(_risk("nec_code" if s.label == "NEC" else "nos_code", s.code))
        elif s.system in ("CPT", "HCPCS") and (s.code_class == "NEC" or s.label == "NEC"):
            out.append(_risk("unlisted_procedure", s.code))
        if s.system in ("CPT", "HCPCS"):
            limit = mue_for(s.code, dos)
            total = sum(x.units for x in suggestions if x.code == s.code and x.modifiers == s.modifiers)
            if limit is not None and total > limit.mue and s is next(
                    x for x in suggestions if x.code == s.code and x.modifiers == s.modifiers):
                out.append(_risk("units_over_limit", s.code, units=total, limit=limit.mue))
    drug_codes = sorted({s.code for s in suggestions if s.system == "HCPCS" and _single_dose_drug(s.code)})
    for code in drug_codes:
        mods = {m for s in suggestions if s.code == code for m in s.modifiers}
        if not mods & set(WASTAGE_MODIFIERS):
            out.append(_risk("missing_wastage_modifier", code))
    out += [_risk("no_pointer", ln.code) for ln in lines if not ln.pointers]
    if em and em.category.startswith("consult_") and em.medicare_alternative:
        alt = " or ".join(f"{a['codes']} ({a['when']})" for a in em.medicare_alternative)
        out.append(_risk("medicare_consultation", em.code or f"{em.codes[0]}-{em.codes[-1]}", alternative=alt))
    return out


def _quoted(s: Suggestion) -> str:
    """The first two distinct evidence spans, quoted (coder's eyes only)."""
    spans = list(dict.fromkeys(" ".join(e.text.split()) for e in s.evidence))
    unique = [t for i, t in enumerate(spans) if t.lower() not in {u.lower() for u in spans[:i]}]
    return "; ".join(f'"{t}"' for t in unique[:2]) or "(see the note)"


def _other_levels(release: Icd10cmRelease, code: str) -> list[IcdCode]:
    """The code and its 'Other ...' ancestors inside its category (where the classification gave up)."""
    item = release.get(code)
    levels = [item]
    for anc in release.ancestors(code):
        if "." not in anc.code or not anc.description.lower().startswith("other"):
            break
        levels.append(anc)
    return levels


def nec_justification(s: Suggestion, release: Icd10cmRelease) -> NecJustification:
    item = release.get(s.code)
    chain = [item, *(a for a in release.ancestors(s.code) if not a.code.startswith("ch"))]
    path = [{"code": c.code, "description": c.description} for c in reversed(chain)]
    levels = _other_levels(release, s.code)
    tried = [{"code": c.code, "description": c.description}
             for level in levels if level.parent
             for c in release.children(level.parent)
             if c.code != level.code and c.code_class == "specific"]
    terms = [t for c in levels for t in c.notes.get("inclusionTerm", [])]
    top = levels[-1]
    quoted = _quoted(s)
    names = ", ".join(f"{t['code']} {t['description']}" for t in tried[:10]) + (", ..." if len(tried) > 10 else "")
    statement = (
        f"Documentation: the provider documents {quoted}. "
        + (f"Classification: the specific codes on the tabular path ({names}) do not describe the documented "
           f"condition, so it is classified to {top.code} {top.description}. " if tried else "")
        + (f"Inclusion terms of the 'other' code: {', '.join(terms)}. " if terms else "")
        + f"Code reported: {item.code} {item.description} (NEC: the classification has no specific code; the "
          "documentation is specific, so this is not an unspecified code)."
    )
    return NecJustification(item.code, item.description, path, tried, terms, [e.to_dict() for e in s.evidence],
                            statement)


def nec_procedure_justification(s: Suggestion) -> NecJustification:
    """Unlisted CPT / unclassified HCPCS: the statement names the family and asks for the comparable code."""
    quoted = _quoted(s)
    statement = (f"Documentation: the provider documents {quoted}. No specific {s.system} code describes this "
                 f"service or product, so {s.code} {s.description} is reported with a description of what was done, "
                 "the documentation, and the closest comparable code for valuation.")
    return NecJustification(s.code, s.description, [{"code": s.code, "description": s.description}], [], [],
                            [e.to_dict() for e in s.evidence], statement)
