"""Lumbar puncture: 62270 diagnostic, 62272 therapeutic drainage, 62328 / 62329 with fluoroscopic
or CT guidance (guidance included). Diagnostic vs therapeutic is the documented intent."""

from __future__ import annotations

from nlp.coding.base import CodingContext, merged_attrs
from nlp.coding.tables import load_table
from nlp.facts import Fact
from nlp.result import Suggestion


class LpCoder:
    family = "lp"
    concepts = frozenset({"lumbar_puncture"})

    def code(self, facts: list[Fact], ctx: CodingContext) -> list[Suggestion]:
        if not facts:
            return []
        a = merged_attrs(facts)
        missing = [] if a.get("intent") else ["lp_intent"]
        intent = a.get("intent") or "diagnostic"
        guidance = a.get("guidance") or "none"
        rows = load_table("coding_lp.csv", ("intent", "guidance", "code"))
        row = next((r for r in rows if r["intent"] == intent and r["guidance"] == guidance), None)
        if row is None:
            ctx.warnings.append(f"lp: no code for intent {intent} with guidance {guidance}; not suggested.")
            return []
        why = f"lumbar puncture, intent={a.get('intent') or 'not stated'}, guidance={guidance} -> {row['code']}"
        return [
            ctx.procedure_suggestion(
                "CPT",
                row["code"],
                family=self.family,
                source="lp",
                facts=facts,
                missing=missing,
                stated=["lp_guidance"] + ([] if missing else ["lp_intent"]),
                rationale=why,
            )
        ]
