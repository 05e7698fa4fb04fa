"""Botulinum toxin supply (HCPCS J0585-J0589): the J-code by agent, units converted to the
product's billing unit (Dysport per 5 units, Myobloc per 100), a JW line for documented wastage
from a single-dose vial, and JZ on the line when nothing was wasted."""

from __future__ import annotations

from nlp.codesets import procedures
from nlp.coding.base import CodingContext, merged_attrs
from nlp.coding.tables import Row, load_table
from nlp.facts import Fact
from nlp.result import Suggestion


def agents() -> dict[str, Row]:
    return {r["agent"]: r for r in load_table("coding_toxins.csv", ("agent", "code", "billing_unit"), ("vial_sizes",))}


def billing_units(code: str, product_units: float) -> int:
    """Product units -> HCPCS billing units (nlp.codesets.procedures rounds a partial unit up)."""
    return procedures.billing_units(code, product_units) if product_units > 0 else 1


class ToxinCoder:
    family = "toxin"
    concepts = frozenset({"botulinum_toxin"})

    def code(self, facts: list[Fact], ctx: CodingContext) -> list[Suggestion]:
        if not facts:
            return []
        table = agents()
        a = merged_attrs(facts)
        missing: list[str] = []
        agent = a.get("agent")
        if agent not in table:
            missing.append("toxin_agent")
            agent = "unknown"
        row = table[agent]
        total = a.get("total_units")
        if total is None:
            doses = [i.get("units") for i in (a.get("injections") or []) if i.get("units") is not None]
            total = sum(doses) if doses else None
        if total is None:
            missing.append("toxin_units")
        wasted = a.get("wasted_units")
        if wasted is None and a.get("vial_units") is not None and total is not None:
            wasted = max(0.0, float(a["vial_units"]) - float(total))
        if wasted is None:
            missing.append("toxin_wastage")
        code = row["code"]
        units = billing_units(code, float(total)) if total is not None else 1
        modifiers = ("JZ",) if wasted is not None and wasted == 0 else ()
        why = (
            f"{agent} {total if total is not None else 'units not stated'} product units"
            f" / {row['billing_unit']} per billing unit -> {code} x {units}"
        )
        out = [
            ctx.procedure_suggestion(
                "HCPCS",
                code,
                family=self.family,
                source="toxin",
                facts=facts,
                units=units,
                modifiers=modifiers,
                missing=missing,
                stated=[ax for ax in ("toxin_agent", "toxin_units", "toxin_wastage") if ax not in missing],
                rationale=why,
            )
        ]
        if wasted:
            w_units = billing_units(code, float(wasted))
            out.append(
                ctx.procedure_suggestion(
                    "HCPCS",
                    code,
                    family=self.family,
                    source="toxin",
                    facts=facts,
                    units=w_units,
                    modifiers=("JW",),
                    missing=[m for m in missing if m == "toxin_agent"],
                    stated=["toxin_wastage"],
                    rationale=f"discarded {wasted} product units (single-dose vial) -> {code}-JW x {w_units}",
                )
            )
        return out
