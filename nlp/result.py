"""The result contract: `NoteResult` and its parts (see docs/design.md, "The result contract").

Every consumer (CLI, batch, web page, reports, evaluation) reads these records; `to_dict()` is the
JSON form and `NoteResult.to_rows()` the flat form used for batch tables. `text` fields hold note
text: they are for the coder's eyes in results, never for logs.

A note that could not be coded (binary, over the size limit, not text, a pipeline failure) still
gets a NoteResult, in its place in the stream: `error` is `{"code": "E421", "message": "E421: ..."}`
(a numbered `nlp.errors` message that names the note id, never note text), `suggestions` and the
other lists are empty, and `warnings` holds the error message and any decoding warning. A coded
note has `error` None. An empty note is coded (no suggestions) with the warning E422, so "empty
note" can be told from "no codes found". `versions["icd10cm_basis"]` says why that ICD-10-CM release
was used (the date of service, or the newest stored release when no date was given).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from nlp.errors import NeurocodeError
from nlp.facts import Evidence

SYSTEMS = ("ICD-10-CM", "CPT", "HCPCS")
LABELS = ("specific", "NEC", "NOS")
NOT_CODED_REASONS = ("negated", "uncertain", "family", "historical", "hypothetical")
EDIT_TYPES = ("excludes1", "code_first", "use_additional", "ncci_ptp", "mue")


@dataclass
class Query:
    """A compliant, non-leading provider query for one NOS suggestion."""

    code: str
    axes: list[str]
    prompt: str
    options: list[str]  # the choices of every axis, each once, closing choices ('other', ...) last
    indicators: list[str] = field(default_factory=list)
    options_by_axis: dict[str, list[str]] = field(default_factory=dict)  # axis -> its own choices

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "axes": list(self.axes),
            "prompt": self.prompt,
            "options": list(self.options),
            "options_by_axis": {k: list(v) for k, v in self.options_by_axis.items()},
            "indicators": list(self.indicators),
        }


@dataclass
class Suggestion:
    """One code suggestion.

    `missing_axes` are the documentation axes the coder had to default (they make the label NOS
    and drive the query); `stated_axes` those the note documented. `source` names the coder that
    produced it (its rule confidence comes from nlp/review/confidence.py).
    """

    system: str
    code: str
    description: str
    family: str
    source: str
    label: str = "specific"
    confidence: float = 0.0
    units: int = 1
    modifiers: list[str] = field(default_factory=list)
    rationale: str = ""
    evidence: list[Evidence] = field(default_factory=list)
    query: Query | None = None
    missing_axes: list[str] = field(default_factory=list)
    stated_axes: list[str] = field(default_factory=list)
    code_class: str = "specific"
    assertion: str = "present"

    @property
    def key(self) -> tuple[str, str, tuple[str, ...]]:
        return (self.system, self.code, tuple(self.modifiers))

    def to_dict(self) -> dict[str, Any]:
        return {
            "system": self.system,
            "code": self.code,
            "description": self.description,
            "label": self.label,
            "confidence": round(self.confidence, 3),
            "units": self.units,
            "modifiers": list(self.modifiers),
            "rationale": self.rationale,
            "evidence": [e.to_dict() for e in self.evidence],
            "query": self.query.to_dict() if self.query else None,
            "family": self.family,
            "source": self.source,
            "assertion": self.assertion,
            "missing_axes": list(self.missing_axes),
        }


@dataclass
class EditFinding:
    type: str
    codes: list[str]
    message: str
    source: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type, "codes": list(self.codes), "message": self.message, "source": self.source}


@dataclass
class NotCoded:
    text: str
    start: int
    end: int
    reason: str
    concept: str = ""
    family: str = ""
    section: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "reason": self.reason,
            "concept": self.concept,
            "family": self.family,
            "section": self.section,
        }


@dataclass
class NoteResult:
    note_id: str | None
    date_of_service: str | None
    setting: str
    versions: dict[str, str] = field(default_factory=dict)
    suggestions: list[Suggestion] = field(default_factory=list)
    queries: list[Query] = field(default_factory=list)
    not_coded: list[NotCoded] = field(default_factory=list)
    edits: list[EditFinding] = field(default_factory=list)
    entities: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: dict[str, str] | None = None
    exception: NeurocodeError | None = field(default=None, repr=False, compare=False)  # not in to_dict()
    # --- claim readiness (issue 14): nlp.claim.ClaimSection, None when the claim step did not run ---
    claim: Any = None

    @classmethod
    def failed(cls, note_id: str | None, err: NeurocodeError, *, date_of_service: str | None = None,
               setting: str = "outpatient", warnings: list[str] | None = None) -> NoteResult:
        """The per-note error result: a numbered error, no suggestions, the message among the warnings."""
        code, message = err.code, str(err)
        return cls(note_id=note_id, date_of_service=date_of_service, setting=setting,
                   warnings=[*(warnings or []), message], error={"code": code, "message": message}, exception=err)

    def codes(self, system: str | None = None) -> list[str]:
        return [s.code for s in self.suggestions if system is None or s.system == system]

    def get(self, code: str) -> Suggestion | None:
        return next((s for s in self.suggestions if s.code == code and not s.modifiers), None) or next(
            (s for s in self.suggestions if s.code == code), None
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "note_id": self.note_id,
            "date_of_service": self.date_of_service,
            "setting": self.setting,
            "versions": dict(self.versions),
            "suggestions": [s.to_dict() for s in self.suggestions],
            "queries": [q.to_dict() for q in self.queries],
            "not_coded": [n.to_dict() for n in self.not_coded],
            "edits": [e.to_dict() for e in self.edits],
            "entities": list(self.entities),
            "warnings": list(self.warnings),
            "error": dict(self.error) if self.error else None,
            # claim readiness (issue 14): present only when the claim step ran (nlp.api.suggest / suggest_many)
            **({"claim": self.claim.to_dict()} if self.claim is not None else {}),
        }

    def to_json(self, indent: int | None = None) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    def to_rows(self) -> list[dict[str, Any]]:
        """One flat row per suggestion (batch tables); a note without suggestions gives one empty row
        so that it is still counted."""
        base = {
            "note_id": self.note_id,
            "date_of_service": self.date_of_service,
            "setting": self.setting,
            "icd10cm_release": self.versions.get("icd10cm", ""),
            "error": self.error["code"] if self.error else None,  # a note that could not be coded: one row
        }
        if not self.suggestions:
            return self._with_claim_columns([
                {
                    **base,
                    "system": None,
                    "code": None,
                    "description": None,
                    "label": None,
                    "confidence": None,
                    "units": None,
                    "modifiers": "",
                    "rationale": None,
                    "evidence_start": None,
                    "evidence_end": None,
                    "evidence_text": None,
                    "query_axes": "",
                    "query_prompt": None,
                    "family": None,
                    "source": None,
                }
            ])
        rows = []
        for s in self.suggestions:
            first = s.evidence[0] if s.evidence else None
            rows.append(
                {
                    **base,
                    "system": s.system,
                    "code": s.code,
                    "description": s.description,
                    "label": s.label,
                    "confidence": round(s.confidence, 3),
                    "units": s.units,
                    "modifiers": ";".join(s.modifiers),
                    "rationale": s.rationale,
                    "evidence_start": first.start if first else None,
                    "evidence_end": first.end if first else None,
                    "evidence_text": first.text if first else None,
                    "query_axes": ";".join(s.query.axes) if s.query else "",
                    "query_prompt": s.query.prompt if s.query else None,
                    "family": s.family,
                    "source": s.source,
                }
            )
        return self._with_claim_columns(rows)

    def _with_claim_columns(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Claim readiness (issue 14): service type, pointers and finding codes per row (no note text)."""
        from nlp.claim.render import claim_columns

        return claim_columns(self.claim, rows)
