"""Epilepsy and seizures: G40 (subcategory from onset / awareness / syndrome / etiology,
final characters read from the tabular), R56 (single seizure, febrile, post-traumatic), F44.5 (PNES).

All present epilepsy-family mentions describe one condition: when the note documents epilepsy,
its seizure mentions add attributes to it and are not coded again as R56.9 (G40 Excludes1 R56.9).
Likewise the seizure mentions of a note documenting a febrile or post-traumatic seizure are that
seizure (R56.0- / R56.1), not a second, unspecified one.

When the assessment calls the seizure type unclassified ("seizures, which are difficult to classify"),
the types told elsewhere in the note (history, a hedged comparison) do not classify the current
epilepsy: onset, awareness, motor type and syndrome are dropped and the code is G40.9- (NOS, query).
"""

from __future__ import annotations

from nlp.coding.base import CodingContext, bool_axis, in_assessment, merged_attrs, suggest_header
from nlp.coding.tables import first_match, load_table, split_list
from nlp.facts import Fact
from nlp.result import Suggestion

TABLE = "coding_epilepsy.csv"
COLUMNS = ("concept", "header")
OPTIONAL = ("match", "stated_axes", "missing_axes")
SOURCE = "epilepsy"
EPILEPSY = ("epilepsy", "status_epilepticus")
SEPARATE = ("febrile_seizure", "post_traumatic_seizure", "pnes")
TYPED_SEIZURES = ("febrile_seizure", "post_traumatic_seizure")  # their seizure mentions are the same events
TYPE_AXES = ("onset", "awareness", "motor", "syndrome", "focal_to_bilateral", "etiology")


def unclassified_in_assessment(facts: list[Fact]) -> bool:
    return any(f.attrs.get("unclassified") and in_assessment(f) for f in facts)


class EpilepsyCoder:
    family = "epilepsy"
    concepts = frozenset(
        {"epilepsy", "seizure", "febrile_seizure", "pnes", "post_traumatic_seizure", "status_epilepticus"}
    )

    def code(self, facts: list[Fact], ctx: CodingContext) -> list[Suggestion]:
        rows = load_table(TABLE, COLUMNS, OPTIONAL)
        out: list[Suggestion] = []
        epilepsy = [f for f in facts if f.concept in EPILEPSY]
        seizures = [f for f in facts if f.concept == "seizure"]
        if epilepsy:
            group = epilepsy + seizures
            attrs = merged_attrs(group)
            if any(f.concept == "status_epilepticus" for f in epilepsy):
                attrs.setdefault("status_epilepticus", True)
            if attrs.get("focal_to_bilateral") and not attrs.get("onset"):
                attrs["onset"] = "focal"
            if unclassified_in_assessment(group):
                attrs = {k: v for k, v in attrs.items() if k not in TYPE_AXES}
            out += self._one(ctx, rows, "epilepsy", attrs, group)
        elif seizures and not any(f.concept in TYPED_SEIZURES for f in facts):
            attrs = merged_attrs(seizures)
            if attrs.get("focal_to_bilateral") and not attrs.get("onset"):
                attrs["onset"] = "focal"
            if unclassified_in_assessment(seizures):
                attrs = {k: v for k, v in attrs.items() if k not in TYPE_AXES}
            out += self._one(ctx, rows, "seizure", attrs, seizures)
        for concept in SEPARATE:
            group = [f for f in facts if f.concept == concept]
            if group:
                out += self._one(ctx, rows, concept, merged_attrs(group), group)
        return out

    def _one(self, ctx: CodingContext, rows, concept: str, attrs: dict, group: list[Fact]) -> list[Suggestion]:
        row = first_match(rows, concept, attrs)
        if row is None:
            return []
        wants = {
            "intractability": bool_axis(attrs.get("intractable")),
            "status_epilepticus": bool_axis(attrs.get("status_epilepticus")),
        }
        documented = ", ".join(f"{k}={v}" for k, v in attrs.items() if not isinstance(v, list)) or "no attributes"
        sug = suggest_header(
            ctx,
            row["header"],
            wants,
            family=self.family,
            source=SOURCE,
            facts=group,
            stated=split_list(row["stated_axes"]),
            missing=split_list(row["missing_axes"]),
            rationale="",
        )
        if sug is None:
            return []
        sug.rationale = f"{concept} ({documented}) -> {row['header']} -> {sug.code}"
        if sug.missing_axes:
            sug.rationale += f"; not documented: {', '.join(sug.missing_axes)}"
        return [sug]
