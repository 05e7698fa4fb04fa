"""One lookup across ICD-10-CM, CPT and HCPCS: `describe(code, dos)` -> a plain dict.

Used by `neurocode code` and the web page. The system is told from the code's shape:
five digits (or four digits and F/T/U) is CPT; a letter and four digits is HCPCS Level II when the
HCPCS table has it; anything else ICD-10-CM-shaped is ICD-10-CM.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from nlp.codesets import icd10cm, releases
from nlp.errors import CodeLookupError, Errors

CPT_PATTERN = re.compile(r"^\d{4}[0-9FTU]$")
HCPCS_PATTERN = re.compile(r"^[A-V]\d{4}$")


def system_of(code: str) -> str:
    c = code.strip().upper()
    if CPT_PATTERN.match(c):
        return "CPT"
    if HCPCS_PATTERN.match(c):
        from nlp.codesets import procedures

        if c in procedures.hcpcs_table():
            return "HCPCS"
    if icd10cm.ICD_PATTERN.match(c):
        return "ICD-10-CM"
    raise CodeLookupError(Errors.E101, code=code)


def describe(code: str, dos: dt.date | str | None = None) -> dict[str, Any]:
    """Everything a coder asks of a code on a date of service. Raises E101/E102/E104/E105/E106."""
    day = releases.parse_date(dos)
    system = system_of(code)
    if system == "ICD-10-CM":
        return _describe_icd(code, day)
    return _describe_procedure(code, day)


def _describe_icd(code: str, day: dt.date | None) -> dict[str, Any]:
    rel = icd10cm.for_date(day)
    item = rel.get(code)
    parents = [{"code": a.code, "description": a.description} for a in rel.ancestors(item.code)]
    children = [{"code": c.code, "description": c.description, "billable": c.billable}
                for c in rel.children(item.code)]
    notes = {kind: [{"on": on, "note": note} for on, note in rel.inherited_notes(item.code, kind)]
             for kind in ("excludes1", "excludes2", "codeFirst", "useAdditionalCode", "codeAlso")}
    return {
        "system": "ICD-10-CM",
        "code": item.code,
        "description": item.description,
        "billable": item.billable,
        "code_class": item.code_class,
        "kind": item.kind,
        "release": rel.key,
        "release_range": [rel.release.effective_from.isoformat(), rel.release.effective_to.isoformat()],
        "date_of_service": day.isoformat() if day else None,
        "parents": parents,
        "children": children,
        "inclusion_terms": item.notes.get("inclusionTerm", []),
        "notes": {k: v for k, v in notes.items() if v},
        "seventh_characters": item.seventh,
    }


def _describe_procedure(code: str, day: dt.date | None) -> dict[str, Any]:
    from nlp.codesets import edits, procedures

    proc = procedures.get_procedure(code, day)
    out: dict[str, Any] = {
        "system": proc.system,
        "code": proc.code,
        "description": proc.description,
        "billable": True,
        "code_class": proc.code_class,
        "family": proc.family,
        "counting_unit": proc.counting_unit,
        "addon": proc.addon,
        "primary_codes": list(proc.primary_codes),
        "effective": [proc.effective_from.isoformat(),
                      proc.effective_to.isoformat() if proc.effective_to else None],
        "date_of_service": day.isoformat() if day else None,
        "source": proc.source,
    }
    if proc.billing_unit_size is not None:
        out["billing_unit_size"] = proc.billing_unit_size
    if proc.agent:
        out["agent"] = proc.agent
    limits = [m for m in edits.mue_limits(day) if m.code == proc.code]
    if limits:
        out["mue"] = {"limit": limits[0].mue, "adjudication_indicator": limits[0].adjudication_indicator,
                      "source": limits[0].source}
    pairs = [p for p in edits.ptp_edits(day) if proc.code in (p.column1, p.column2)]
    if pairs:
        out["ncci_pairs"] = [{"column1": p.column1, "column2": p.column2,
                              "modifier_indicator": p.modifier_indicator} for p in pairs]
    return out
