"""Peripheral nerve blocks (64400-64530) by the nerve injected; bilateral -> modifier 50."""

from __future__ import annotations

from nlp.coding.base import CodingContext
from nlp.coding.conditions import merge_laterality
from nlp.coding.tables import load_table
from nlp.facts import Fact
from nlp.result import Suggestion


class NerveBlockCoder:
    family = "nerve_block"
    concepts = frozenset({"nerve_block"})

    def code(self, facts: list[Fact], ctx: CodingContext) -> list[Suggestion]:
        table = {r["nerve"]: r["code"] for r in load_table("coding_nerve_blocks.csv", ("nerve", "code"))}
        out = []
        by_code: dict[str, list[Fact]] = {}
        for f in facts:
            nerve = f.attrs.get("nerve") or "other"
            by_code.setdefault(table.get(nerve, table["other"]), []).append(f)
        for code, group in by_code.items():
            bilateral = merge_laterality(group) == "bilateral"
            side = " (bilateral)" if bilateral else ""
            nerves = sorted({str(f.attrs.get("nerve") or "unspecified") for f in group})
            out.append(
                ctx.procedure_suggestion(
                    "CPT",
                    code,
                    family=self.family,
                    source="nerve_block",
                    facts=group,
                    modifiers=("50",) if bilateral else (),
                    rationale=f"nerve block: {', '.join(nerves)}{side} -> {code}",
                )
            )
        return out
