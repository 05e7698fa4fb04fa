"""A coder driven by rows of `coding_conditions.csv` (family, concept, match -> header [+ also]).

Family modules (neuromuscular, stroke, dementia, parkinson) subclass it and add their own
grouping: which mentions describe one condition, which attributes become which axes.
"""

from __future__ import annotations

from typing import Any

from nlp.coding.base import CodingContext, bool_axis, merged_attrs, suggest_header
from nlp.coding.tables import Row, first_match, load_table, split_list
from nlp.facts import Fact
from nlp.result import Suggestion

TABLE = "coding_conditions.csv"
COLUMNS = ("family", "concept", "header")
OPTIONAL = ("match", "also", "stated_axes", "missing_axes")


def condition_rows(family: str) -> tuple[Row, ...]:
    return tuple(r for r in load_table(TABLE, COLUMNS, OPTIONAL) if r["family"] == family)


def merge_laterality(facts: list[Fact]) -> str | None:
    """left + right mentions of one condition are bilateral."""
    sides = {f.attrs.get("laterality") for f in facts} - {None}
    if "bilateral" in sides or {"left", "right"} <= sides:
        return "bilateral"
    return next(iter(sides)) if sides else None


class ConditionCoder:
    family = ""
    concepts: frozenset[str] = frozenset()

    def groups(self, facts: list[Fact]) -> list[tuple[str, list[Fact], dict[str, Any]]]:
        """(concept, mentions, merged attributes) per condition; one group per concept by default."""
        out = []
        for concept in sorted(
            {f.concept for f in facts},
            key=lambda c: min((e.start for f in facts if f.concept == c for e in f.evidence), default=0),
        ):
            group = [f for f in facts if f.concept == concept]
            attrs = merged_attrs(group)
            lat = merge_laterality(group)
            if lat:
                attrs["laterality"] = lat
            out.append((concept, group, attrs))
        return out

    def wants(self, concept: str, attrs: dict[str, Any]) -> dict[str, str | None]:
        return {"laterality": attrs.get("laterality"), "intractability": bool_axis(attrs.get("intractable"))}

    def code(self, facts: list[Fact], ctx: CodingContext) -> list[Suggestion]:
        rows = condition_rows(self.family)
        out: list[Suggestion] = []
        for concept, group, attrs in self.groups(facts):
            row = first_match(rows, concept, attrs)
            if row is None:
                continue
            wants = self.wants(concept, attrs)
            for header in [row["header"], *split_list(row["also"])]:
                sug = suggest_header(
                    ctx,
                    header,
                    wants,
                    family=self.family,
                    source=self.family,
                    facts=group,
                    stated=split_list(row["stated_axes"]),
                    missing=split_list(row["missing_axes"]) if header == row["header"] else (),
                )
                if sug is None:
                    continue
                documented = ", ".join(f"{k}={v}" for k, v in attrs.items() if v not in (None, [], ""))
                sug.rationale = f"{concept}{f' ({documented})' if documented else ''} -> {header} -> {sug.code}"
                if sug.missing_axes:
                    sug.rationale += f"; not documented: {', '.join(sug.missing_axes)}"
                out.append(sug)
        return out
