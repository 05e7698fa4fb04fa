"""Typed records of the claim section of a result (`NoteResult.claim`, JSON key `claim`).

Messages in findings cite codes, policy ids and sources only. Quoted note text appears in two
places, both for the coder's eyes in the result and never for logs: `ClaimLine`/`EmSuggestion`
evidence offsets (no text) and `NecJustification.evidence` / `.statement`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SERVICE_TYPES = ("office_visit", "consultation", "diagnostic_test", "therapeutic_procedure",
                 "hospital_care", "other")
FINDING_TYPES = ("medical_necessity", "denial_risk")
POINTER_LETTERS = "ABCDEFGHIJKL"  # CMS-1500 item 21: up to 12 diagnoses, 4 pointers per line
MAX_POINTERS = 4


@dataclass
class ServiceType:
    """What kind of encounter the note documents; `source` is `rule:<n>` (the certain rule's row)
    or `model` (the TF-IDF classifier), with the model's probability of the chosen type."""

    type: str
    subtype: str = ""
    source: str = "model"
    probability: float | None = None
    rule: str = ""
    alternatives: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type, "subtype": self.subtype or None, "source": self.source,
                "probability": None if self.probability is None else round(self.probability, 3),
                "rule": self.rule or None,
                "alternatives": {k: round(v, 3) for k, v in self.alternatives.items()}}


@dataclass
class EmSuggestion:
    """An E/M suggestion. `code` is None when the level is NOS (no documented time): then `query`
    asks for time or medical decision making. Kept out of `suggestions` on purpose: the reference
    codes never include E/M levels, so the scorer would count it as a CPT false positive."""

    category: str
    codes: list[str]
    code: str | None
    label: str
    description: str = ""
    minutes: int | None = None
    time_evidence: dict[str, int] | None = None  # offsets only
    thresholds: dict[str, int] = field(default_factory=dict)
    threshold_source: str = ""
    rationale: str = ""
    query: dict[str, Any] | None = None
    medicare_alternative: list[dict[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"category": self.category, "codes": list(self.codes), "code": self.code, "label": self.label,
                "description": self.description, "minutes": self.minutes, "time_evidence": self.time_evidence,
                "thresholds": dict(self.thresholds), "threshold_source": self.threshold_source,
                "rationale": self.rationale, "query": self.query,
                "medicare_alternative": [dict(a) for a in self.medicare_alternative]}


@dataclass
class ClaimLine:
    """One CPT / HCPCS suggestion on the claim, with its ordered diagnosis pointers."""

    system: str
    code: str
    modifiers: list[str]
    units: int
    pointers: list[str]          # letters into ClaimSection.diagnoses
    pointer_codes: list[str]
    pointer_reasons: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {"system": self.system, "code": self.code, "modifiers": list(self.modifiers), "units": self.units,
                "pointers": list(self.pointers), "pointer_codes": list(self.pointer_codes),
                "pointer_reasons": list(self.pointer_reasons)}


@dataclass
class Finding:
    type: str        # medical_necessity | denial_risk
    code: str
    reason: str      # a row of claim_denial_risks.csv, or the policy id for medical_necessity
    message: str
    source: str = ""
    status: str = "fail"   # medical_necessity: pass | fail; denial_risk: risk

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type, "code": self.code, "reason": self.reason, "status": self.status,
                "message": self.message, "source": self.source}


@dataclass
class NecJustification:
    """The supporting statement for an NEC suggestion (attach to the claim or use in an appeal).
    `evidence` and `statement` quote the note: coder's eyes only."""

    code: str
    description: str
    path: list[dict[str, str]]
    specific_codes_tried: list[dict[str, str]]
    inclusion_terms: list[str]
    evidence: list[dict[str, Any]]
    statement: str

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "description": self.description, "path": [dict(p) for p in self.path],
                "specific_codes_tried": [dict(c) for c in self.specific_codes_tried],
                "inclusion_terms": list(self.inclusion_terms), "evidence": [dict(e) for e in self.evidence],
                "statement": self.statement}


@dataclass
class ClaimSection:
    service_type: ServiceType
    em: EmSuggestion | None = None
    diagnoses: list[dict[str, str]] = field(default_factory=list)   # letter, code, label
    lines: list[ClaimLine] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    nec_justifications: list[NecJustification] = field(default_factory=list)
    coverage_tables: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"service_type": self.service_type.to_dict(), "em": self.em.to_dict() if self.em else None,
                "diagnoses": [dict(d) for d in self.diagnoses], "lines": [ln.to_dict() for ln in self.lines],
                "findings": [f.to_dict() for f in self.findings],
                "nec_justifications": [n.to_dict() for n in self.nec_justifications],
                "coverage_tables": list(self.coverage_tables)}
