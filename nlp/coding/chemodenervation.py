"""Chemodenervation CPT from the toxin injection record: 64612 face, 64615 chronic migraine, 64616
neck, 64617 larynx, 64642-64645 extremities (muscles counted per extremity, not sites or units;
at most 4 extremities), 64646/64647 trunk; +95873 / +95874 guidance once per chemodenervation code,
one kind only."""

from __future__ import annotations

from typing import Any

from nlp.coding.base import CodingContext
from nlp.coding.counts import count
from nlp.coding.tables import load_table
from nlp.facts import Fact
from nlp.result import Suggestion

LIMBS = {"upper_extremity": "upper", "lower_extremity": "lower"}


def _codes() -> dict[str, str]:
    return {r["item"]: r["code"] for r in load_table("coding_chemodenervation.csv", ("item", "code"))}


def muscles_by_extremity(injections: list[dict[str, Any]]) -> dict[tuple[str | None, str], set[str]]:
    """Muscles per (side, extremity). When every injection with a stated side is on one side, a
    muscle listed without a side belongs to that side (one limb is not counted twice because the
    side was written once for a list of muscles)."""
    sides = {i.get("side") for i in injections if i.get("side") in ("left", "right")}
    only = next(iter(sides)) if len(sides) == 1 else None
    out: dict[tuple[str | None, str], set[str]] = {}
    for inj in injections:
        limb = LIMBS.get(inj.get("region") or "")
        if limb:
            out.setdefault((inj.get("side") or only, limb), set()).add(str(inj.get("muscle") or "").lower())
    return out


class ChemodenervationCoder:
    family = "chemodenervation"
    concepts = frozenset({"botulinum_toxin"})

    def code(self, facts: list[Fact], ctx: CodingContext) -> list[Suggestion]:
        if not facts:
            return []
        codes = _codes()
        injections = [i for f in facts for i in (f.attrs.get("injections") or [])]
        indication = next((f.attrs["indication"] for f in facts if f.attrs.get("indication")), None)
        guidance = next((f.attrs["guidance"] for f in facts if f.attrs.get("guidance")), None)
        out: list[Suggestion] = []

        def emit(
            item: str,
            units: int = 1,
            modifiers: tuple[str, ...] = (),
            missing: tuple[str, ...] = (),
            why: str = "",
        ) -> None:
            out.append(
                ctx.procedure_suggestion(
                    "CPT",
                    codes[item],
                    family=self.family,
                    source="chemodenervation",
                    facts=facts,
                    units=units,
                    modifiers=modifiers,
                    missing=missing,
                    stated=() if missing else ("muscles_injected",),
                    rationale=why,
                )
            )

        if indication == "chronic_migraine":
            emit("chronic_migraine", why="chronic migraine protocol (bilateral, once per session)")
        else:
            for region, item in (
                ("face", "face_unilateral"),
                ("neck", "neck_unilateral"),
                ("larynx", "larynx_unilateral"),
            ):
                sides = {i.get("side") for i in injections if i.get("region") == region}
                if not sides and region == "face" and indication in ("blepharospasm", "hemifacial_spasm"):
                    sides = {None}
                if not sides and region == "neck" and indication == "cervical_dystonia":
                    sides = {None}
                if sides:
                    bilateral = {"left", "right"} <= sides or "bilateral" in sides
                    emit(
                        item,
                        modifiers=("50",) if bilateral else (),
                        why=f"{region} muscles, {'bilateral' if bilateral else 'unilateral'}",
                    )
            self._extremities(injections, emit)
            trunk = {str(i.get("muscle") or "").lower() for i in injections if i.get("region") == "trunk"}
            if trunk:
                item = "trunk_complete" if len(trunk) >= count("chemo_trunk_complete_min_muscles") else "trunk_limited"
                emit(item, why=f"{len(trunk)} trunk muscles")
        if not out:
            emit(
                "extremity_first_limited",
                missing=("muscles_injected",),
                why="chemodenervation documented; muscles injected not documented",
            )
        n_codes = sum(s.units for s in out)
        if guidance in ("emg", "electrical_stimulation"):
            item = "guidance_emg" if guidance == "emg" else "guidance_electrical_stimulation"
            emit(item, units=n_codes, why=f"{guidance} guidance, one per chemodenervation code ({n_codes})")
        return out

    @staticmethod
    def _extremities(injections: list[dict[str, Any]], emit: Any) -> None:
        limbs = muscles_by_extremity(injections)
        if not limbs:
            return
        complete = count("chemo_extremity_complete_min_muscles")
        ordered = sorted(limbs.items(), key=lambda kv: -len(kv[1]))[: count("chemo_max_extremities")]
        first_key, first_muscles = ordered[0]
        first_complete = len(first_muscles) >= complete
        emit(
            "extremity_first_complete" if first_complete else "extremity_first_limited",
            why=f"first extremity {first_key[0] or ''} {first_key[1]}: {len(first_muscles)} muscles",
        )
        more_complete = sum(1 for _, m in ordered[1:] if len(m) >= complete)
        more_limited = len(ordered) - 1 - more_complete
        if more_complete:
            emit(
                "extremity_additional_complete",
                units=more_complete,
                why=f"{more_complete} additional extremity(ies) with >= {complete} muscles",
            )
        if more_limited:
            emit(
                "extremity_additional_limited",
                units=more_limited,
                why=f"{more_limited} additional extremity(ies) with 1-{complete - 1} muscles",
            )
