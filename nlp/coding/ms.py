"""Multiple sclerosis (FY2026 G35.A / G35.B0-2 / G35.C0-2 / G35.D; never the retired G35)."""

from __future__ import annotations

from nlp.coding.base import CodingContext, merged_attrs, suggest_header
from nlp.coding.tables import first_match, load_table, split_list
from nlp.facts import Fact
from nlp.result import Suggestion

TABLE = "coding_ms.csv"


class MsCoder:
    family = "ms"
    concepts = frozenset({"multiple_sclerosis", "clinically_isolated_syndrome"})

    def code(self, facts: list[Fact], ctx: CodingContext) -> list[Suggestion]:
        rows = load_table(TABLE, ("concept", "header"), ("match", "stated_axes", "missing_axes"))
        out = []
        concepts = [
            c for c in ("multiple_sclerosis", "clinically_isolated_syndrome") if any(f.concept == c for f in facts)
        ]
        if "multiple_sclerosis" in concepts:  # CIS that became MS is coded as MS
            concepts = ["multiple_sclerosis"]
        for concept in concepts:
            group = [f for f in facts if f.concept == concept]
            attrs = merged_attrs(group)
            row = first_match(rows, concept, attrs)
            if row is None:
                continue
            sug = suggest_header(
                ctx,
                row["header"],
                {},
                family=self.family,
                source="ms",
                facts=group,
                stated=split_list(row["stated_axes"]),
                missing=split_list(row["missing_axes"]),
            )
            if sug is not None:
                sug.rationale = (
                    f"{concept} course={attrs.get('course', 'not stated')}, "
                    f"activity={attrs.get('activity', 'not stated')} -> {sug.code}"
                )
                out.append(sug)
        return out
