"""Parkinson's disease (FY2024 G20.A1/A2/B1/B2 by dyskinesia and fluctuations; G20 itself is no
longer billable) and parkinsonism G20.C."""

from __future__ import annotations

from typing import Any

from nlp.coding.base import bool_axis
from nlp.coding.conditions import ConditionCoder


class ParkinsonCoder(ConditionCoder):
    family = "parkinson"
    concepts = frozenset({"parkinson_disease", "parkinsonism"})

    def groups(self, facts):
        groups = super().groups(facts)
        if any(c == "parkinson_disease" for c, _, _ in groups):  # parkinsonism of PD is PD
            groups = [g for g in groups if g[0] != "parkinsonism"]
        return groups

    def wants(self, concept: str, attrs: dict[str, Any]) -> dict[str, str | None]:
        return {
            "dyskinesia": bool_axis(attrs.get("dyskinesia")),
            "fluctuations": bool_axis(attrs.get("fluctuations")),
        }
