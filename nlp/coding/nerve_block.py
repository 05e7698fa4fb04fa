"""Peripheral nerve blocks (64400-64530) by the nerve injected, and chemical neurolysis of a
peripheral nerve (64640 when the nerve has no code of its own), radiofrequency neurotomy of the
sacroiliac-joint nerves (64625) or of facet-joint nerves by spinal region (64633 / 64635, first joint);
bilateral -> modifier 50.
`coding_nerve_blocks.csv` maps (concept, nerve) to the code; concept defaults to nerve_block."""

from __future__ import annotations

from nlp.coding.base import CodingContext
from nlp.coding.conditions import merge_laterality
from nlp.coding.tables import load_table
from nlp.facts import Fact
from nlp.result import Suggestion


class NerveBlockCoder:
    family = "nerve_block"
    concepts = frozenset({"nerve_block", "neurolysis", "rf_neurotomy"})

    def code(self, facts: list[Fact], ctx: CodingContext) -> list[Suggestion]:
        rows = load_table("coding_nerve_blocks.csv", ("nerve", "code"), ("concept",))
        table = {(r["concept"] or "nerve_block", r["nerve"]): r["code"] for r in rows}
        out = []
        by_code: dict[str, list[Fact]] = {}
        for f in facts:
            nerve = f.attrs.get("nerve") or (f"region:{f.attrs['region']}" if f.attrs.get("region") else "other")
            code = table.get((f.concept, nerve)) or table.get((f.concept, "other"))
            if code is None:
                ctx.warnings.append(f"nerve_block: no code for {f.concept} of nerve {nerve}; not suggested.")
                continue
            by_code.setdefault(code, []).append(f)
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
                    rationale=f"{group[0].concept.replace('_', ' ')}: {', '.join(nerves)}{side} -> {code}",
                )
            )
        return out
