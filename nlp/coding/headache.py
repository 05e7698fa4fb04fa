"""Headache: migraine G43 (type, intractable and status migrainosus read from the tabular), G44
(tension, cluster, medication overuse, post-traumatic, and named syndromes with their own G44.0-/G44.5-/G44.8-
code or none: `other_headache`, e.g. nummular headache -> G44.89 NEC) and the symptom R51.9.

A headache symptom is not coded beside a definitive headache diagnosis (Guidelines I.B.5: signs
and symptoms routinely associated with a disease are not coded separately)."""

from __future__ import annotations

from nlp.coding.base import CodingContext, bool_axis, merged_attrs, suggest_header
from nlp.coding.tables import first_match, load_table, split_list
from nlp.facts import Fact
from nlp.result import Suggestion

TABLE = "coding_headache.csv"
ORDER = (
    "migraine",
    "tension_headache",
    "cluster_headache",
    "medication_overuse_headache",
    "post_traumatic_headache",
    "other_headache",
    "headache",
)


class HeadacheCoder:
    family = "headache"
    concepts = frozenset(ORDER)

    def code(self, facts: list[Fact], ctx: CodingContext) -> list[Suggestion]:
        rows = load_table(TABLE, ("concept", "header"), ("match", "stated_axes", "missing_axes"))
        out = []
        diagnosed = False
        for concept in ORDER:
            group = [f for f in facts if f.concept == concept]
            if not group or (concept == "headache" and diagnosed):
                continue
            attrs = merged_attrs(group)
            row = first_match(rows, concept, attrs)
            if row is None:
                continue
            wants = {"intractability": bool_axis(attrs.get("intractable"))}
            if concept == "migraine":
                wants["status_migrainosus"] = bool_axis(attrs.get("status_migrainosus"))
            if concept in ("post_traumatic_headache",) and attrs.get("chronic") is False:
                wants["chronicity"] = "acute"
            sug = suggest_header(
                ctx,
                row["header"],
                wants,
                family=self.family,
                source="headache",
                facts=group,
                stated=split_list(row["stated_axes"]),
                missing=split_list(row["missing_axes"]),
            )
            if sug is not None:
                out.append(sug)
                diagnosed = True
        return out
