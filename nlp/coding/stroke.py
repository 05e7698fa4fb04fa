"""Stroke: acute I60-I63 / G45.9, sequelae I69.x (deficit + laterality + dominance, Guidelines
I.C.9.d), deficits as signs when no stroke is coded, history Z86.73.

A deficit is a sequela only when its fact says so (`sequela`: "residual", "sequela", "late effect"):
an old infarct on imaging beside a new deficit does not make it a residual (Guidelines I.C.9.d;
annotation: I69.x only for deficits documented as residuals of a prior stroke).
A stroke told with its residual deficits ('hemiparesis as a sequela of cerebral infarction') is the
old stroke of those sequelae, not a new one (I63 beside I69 only for a stroke stated acute).
Dominance not documented follows Guidelines I.C.6.a:
right side -> dominant, left side -> non-dominant.
"""

from __future__ import annotations

from typing import Any

from nlp.coding.base import CodingContext
from nlp.coding.conditions import ConditionCoder
from nlp.coding.tables import sections_with
from nlp.facts import STROKE_DEFICITS, Fact
from nlp.result import Suggestion

DEFICITS = STROKE_DEFICITS
STROKES = ("stroke", "intracerebral_hemorrhage", "brain_hematoma", "subarachnoid_hemorrhage")


class StrokeCoder(ConditionCoder):
    family = "stroke"
    concepts = frozenset({*STROKES, *DEFICITS, "tia", "history_of_stroke"})

    def code(self, facts: list[Fact], ctx: CodingContext) -> list[Suggestion]:
        residual = any(f.concept in DEFICITS and f.attrs.get("sequela") for f in facts)
        old = [f for f in facts if f.concept in STROKES and not f.attrs.get("acute")
               and (f.attrs.get("sequela") or residual)]
        facts = [f for f in facts if not any(f is o for o in old)]
        acute = [f for f in facts if f.concept in STROKES]
        past = [f for f in ctx.historical if f.concept in STROKES] + old
        stroke_type = next((f.attrs.get("stroke_type") for f in [*acute, *past] if f.attrs.get("stroke_type")), None)
        adjusted = []
        for f in facts:
            if f.concept in DEFICITS:
                attrs = dict(f.attrs)
                if stroke_type and "stroke_type" not in attrs:
                    attrs["stroke_type"] = stroke_type
                f = Fact(f.family, f.concept, f.assertion, f.evidence, attrs)
            adjusted.append(f)
        coded_deficit = any(f.concept in DEFICITS and f.attrs.get("sequela") for f in adjusted)
        lists = sections_with("history_list")
        relevant = [f for f in past if any(e.section not in lists for e in f.evidence)]
        if relevant and not acute and not coded_deficit:
            # Z86.73 only where the note makes the old stroke relevant (e.g. an old infarct on this
            # visit's imaging), not for an item of the past-medical-history list (annotation guide)
            adjusted.append(Fact("stroke", "history_of_stroke", "present", relevant[0].evidence, {}))
        return super().code(adjusted, ctx)

    def wants(self, concept: str, attrs: dict[str, Any]) -> dict[str, str | None]:
        side = attrs.get("laterality")
        dominance = None
        if side in ("left", "right"):
            if attrs.get("dominant_side") is not None:
                dominance = "dominant" if attrs["dominant_side"] else "non_dominant"
            else:
                dominance = "dominant" if side == "right" else "non_dominant"
        return {"laterality": side, "dominance": dominance}
