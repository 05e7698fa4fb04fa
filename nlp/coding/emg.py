"""Needle EMG: alone 95860-95864 by extremity count (95870 limited, 95869 thoracic paraspinal,
95867/95868 cranial, 95865 larynx, 95872 single fibre); with same-day nerve conduction studies the
add-ons 95885 (1-4 muscles) / 95886 (5 or more) per extremity and 95887 non-extremity, units =
extremities."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

from nlp.coding.base import CodingContext
from nlp.coding.counts import count
from nlp.coding.tables import load_table
from nlp.facts import Fact
from nlp.result import Suggestion

LIMBS = {"upper_extremity": "upper", "lower_extremity": "lower"}
_LOWER = re.compile(r"lumb|sacr|\b[ls]\d")
_UPPER = re.compile(r"cerv|\bc\d")


def _codes() -> dict[tuple[str, str], str]:
    return {(r["context"], r["item"]): r["code"] for r in load_table("coding_emg.csv", ("context", "item", "code"))}


def extremity_muscles(muscles: list[dict[str, Any]],
                      stated: Sequence[tuple[str | None, str]] = ()) -> dict[tuple[str | None, str], set[str]]:
    """(side, upper|lower) -> distinct muscles tested in that extremity, with the extremities the
    report states without muscles. Muscles (or a stated limb) without a side join the one sided
    extremity of their limb when there is exactly one; with both sides of the limb tested, their
    extremity is unknown ('fibrillations in the biceps' after 'right and left biceps') and they add
    no extremity; with none, they are one extremity."""
    out: dict[tuple[str | None, str], set[str]] = {}
    for m in muscles:
        limb = LIMBS.get(m.get("region") or "")
        if limb:
            out.setdefault((m.get("side"), limb), set()).add(str(m.get("muscle") or "").lower())
    for key in stated:
        out.setdefault(key, set())
    for limb in ("upper", "lower"):
        sided = [k for k in out if k[1] == limb and k[0] is not None]
        if (None, limb) in out and len(sided) == 1:
            out[sided[0]] |= out.pop((None, limb))
        elif (None, limb) in out and sided:
            out.pop((None, limb))
    return out


def paraspinal_limb(muscle: dict[str, Any]) -> str | None:
    """'cervical paraspinals' / 'C7 paraspinal' -> upper; 'lumbar' / 'L5' / 'sacral' -> lower."""
    name = str(muscle.get("muscle") or "").lower()
    if _LOWER.search(name):
        return "lower"
    if _UPPER.search(name):
        return "upper"
    return None


def non_extremity_groups(muscles: list[dict[str, Any]], limbs: set[str]) -> list[str]:
    """Non-extremity muscle groups reported with 95887. Paraspinals at the level of a tested limb
    (cervical with an arm, lumbosacral with a leg) belong to that limb's study (CPT 95860-95864
    'with or without related paraspinal areas'); other paraspinals, thoracic paraspinals and
    cranial-nerve muscles are non-extremity."""
    groups: list[str] = []
    for m in muscles:
        region = m.get("region") or ""
        if LIMBS.get(region):
            continue
        if region == "paraspinal":
            level = paraspinal_limb(m)
            if (level in limbs) or (level is None and limbs):
                continue
            group = f"paraspinal_{level or 'unspecified'}"
        else:
            group = region
        if group not in groups:
            groups.append(group)
    return groups


def stated_extremities(values: list[str]) -> list[tuple[str | None, str]]:
    out: list[tuple[str | None, str]] = []
    for v in values:
        words = v.lower()
        side = "left" if "left" in words else "right" if "right" in words else None
        limb = "lower" if "lower" in words or "leg" in words else "upper"
        if "bilateral" in words or "both" in words:
            out += [("left", limb), ("right", limb)]
        else:
            out.append((side, limb))
    return list(dict.fromkeys(out))


def stated_muscle_counts(facts: list[Fact], limbs: dict[tuple[str | None, str], set[str]]
                         ) -> dict[tuple[str | None, str], int]:
    """Muscle counts the report states per extremity ('left arm, 4 muscles'); a count stated without
    a side goes to the one sided extremity of its limb."""
    out: dict[tuple[str | None, str], int] = {}
    for f in facts:
        for label, n in (f.attrs.get("muscle_counts") or {}).items():
            for key in stated_extremities([label]):
                sided = [k for k in limbs if k[1] == key[1] and k[0] is not None]
                if key not in limbs and key[0] is None and len(sided) == 1:
                    key = sided[0]
                out[key] = max(out.get(key, 0), int(n))
    return out


class EmgCoder:
    family = "emg"
    concepts = frozenset({"needle_emg"})

    def code(self, facts: list[Fact], ctx: CodingContext) -> list[Suggestion]:
        if not facts:
            return []
        codes = _codes()
        muscles = [m for f in facts for m in (f.attrs.get("muscles") or [])]
        if all(f.attrs.get("guidance_only") for f in facts):
            return []  # needle EMG guiding an injection: +95874 with the chemodenervation code
        stated = stated_extremities([e for f in facts for e in (f.attrs.get("extremities") or [])])
        limbs = extremity_muscles(muscles, stated)
        called = [e for f in facts for e in (f.attrs.get("limited_extremities") or [])]
        called_limited = set(stated_extremities(called))
        said = stated_muscle_counts(facts, limbs)
        other = Counter(m.get("region") for m in muscles if not LIMBS.get(m.get("region") or ""))
        limited = any(f.attrs.get("limited") for f in facts)

        def emit(code: str, units: int = 1, missing: tuple[str, ...] = (), why: str = "") -> Suggestion:
            return ctx.procedure_suggestion(
                "CPT",
                code,
                family=self.family,
                source="emg",
                facts=facts,
                units=units,
                missing=missing,
                stated=() if missing else ("muscles_tested",),
                rationale=why,
            )

        if any(f.attrs.get("single_fiber") for f in facts):
            return [emit(codes[("alone", "single_fiber")], why="single fibre EMG")]
        if ctx.same_day_ncs:
            out = []
            complete = count("emg_complete_min_muscles")
            # a muscle count the report states for the extremity outranks the muscles it names
            full = [k for k, v in limbs.items() if max(len(v), said.get(k, 0)) >= complete]
            partial = [k for k in limbs if k not in full]
            unknown = any(not limbs[k] and k not in said for k in partial)
            if full:
                out.append(
                    emit(
                        codes[("with_ncs", "extremity_complete")],
                        len(full),
                        why=f"{len(full)} extremity(ies) with >= {complete} muscles, same-day NCS",
                    )
                )
            if partial:
                # the report calls each of them limited and lists its muscles: documented; otherwise
                # fewer than the complete-study count named is limited by default, and the full list
                # of muscles sampled decides 95885 vs 95886 -> NOS, query
                documented = not unknown and all(k in called_limited or k in said for k in partial)
                out.append(
                    emit(
                        codes[("with_ncs", "extremity_limited")],
                        len(partial),
                        () if documented else ("muscles_tested",),
                        why=f"{len(partial)} extremity(ies) with 1-{complete - 1} muscles named"
                        f"{' (muscle count not documented)' if unknown else ''}, same-day NCS; "
                        + ("limited study stated" if documented else "limited by default"),
                    )
                )
            groups = non_extremity_groups(muscles, {limb for _, limb in limbs})
            if groups:
                out.append(
                    emit(
                        codes[("with_ncs", "non_extremity")],
                        len(groups),
                        why=f"non-extremity muscles ({', '.join(groups)}), same-day NCS",
                    )
                )
            if not out:
                out.append(
                    emit(
                        codes[("with_ncs", "extremity_limited")],
                        1,
                        ("muscles_tested",),
                        why="needle EMG with same-day NCS; extremities and muscles not documented",
                    )
                )
            return out
        n = min(len(limbs), count("emg_max_extremities"))
        if n and limited:
            return [emit(codes[("alone", "limited")], n, why=f"limited study, {n} extremity(ies)")]
        if n:
            return [emit(codes[("alone", f"extremities_{n}")], why=f"{n} extremity(ies), no same-day NCS")]
        if other.get("thoracic_paraspinal"):
            return [emit(codes[("alone", "thoracic_paraspinal")], why="thoracic paraspinal muscles only")]
        if other.get("cranial"):
            sides = {m.get("side") for m in muscles if m.get("region") == "cranial"}
            item = "cranial_bilateral" if {"left", "right"} <= sides else "cranial_unilateral"
            return [emit(codes[("alone", item)], why=f"cranial nerve supplied muscles ({item.split('_')[1]})")]
        if other.get("larynx"):
            return [emit(codes[("alone", "larynx")], why="larynx")]
        if other:
            return [emit(codes[("alone", "limited")], why="axial (non-limb) muscles only")]
        return [
            emit(
                codes[("alone", "extremities_1")],
                1,
                ("muscles_tested",),
                why="needle EMG performed; extremities not documented",
            )
        ]
