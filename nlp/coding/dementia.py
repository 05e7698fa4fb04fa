"""Dementia: F03 (unspecified dementia), F01 (vascular), G30/G31 + F02 with code-first sequencing
(the underlying condition first, the F02 manifestation after it); severity and disturbance are
read from the tabular final characters."""

from __future__ import annotations

from typing import Any

from nlp.coding.base import CodingContext
from nlp.coding.conditions import ConditionCoder, condition_rows
from nlp.facts import Fact
from nlp.result import Suggestion

UNDERLYING = ("alzheimer_disease", "lewy_body_dementia", "frontotemporal_dementia", "vascular_dementia")


class DementiaCoder(ConditionCoder):
    family = "dementia"

    @property
    def concepts(self) -> frozenset[str]:  # type: ignore[override]
        return frozenset(r["concept"] for r in condition_rows(self.family))

    def code(self, facts: list[Fact], ctx: CodingContext) -> list[Suggestion]:
        specific = [f for f in facts if f.concept in UNDERLYING]
        if specific:
            # 'dementia' beside a named type describes the same condition: its attributes join it
            extra = {k: v for f in facts if f.concept == "dementia" for k, v in f.attrs.items() if v is not None}
            facts = [
                Fact(f.family, f.concept, f.assertion, f.evidence, {**extra, **f.attrs})
                if f.concept in UNDERLYING
                else f
                for f in facts
                if f.concept != "dementia"
            ]
        return super().code(facts, ctx)

    def wants(self, concept: str, attrs: dict[str, Any]) -> dict[str, str | None]:
        behavioral = attrs.get("behavioral")  # a disturbance name, True (other behavioral) or False (none)
        if isinstance(behavioral, bool):
            disturbance: str | None = "other_behavioral" if behavioral else "none"
        else:
            disturbance = behavioral
        return {"severity": attrs.get("severity"), "disturbance": disturbance}
