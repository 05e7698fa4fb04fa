"""EEG: routine 95816 / 95819 / 95822 by states recorded, extended 95812 / 95813 by duration,
long-term (professional) 95717-95726 by duration and video."""

from __future__ import annotations

from nlp.coding.base import CodingContext, merged_attrs
from nlp.coding.counts import count
from nlp.coding.tables import Row, load_table
from nlp.facts import Fact
from nlp.result import Suggestion

COLUMNS = ("eeg_type", "item", "min_minutes", "max_minutes", "video", "code")


def routine_item(states: list[str]) -> str | None:
    s = set(states)
    if "asleep" in s and ("awake" in s or "drowsy" in s):
        return "awake_asleep"
    if "asleep" in s:
        return "asleep_only"
    if s & {"awake", "drowsy"}:
        return "awake_drowsy"
    return None


def _pick(rows: tuple[Row, ...], eeg_type: str, item: str, minutes: float | None, video: bool | None) -> Row | None:
    for r in rows:
        if r["eeg_type"] != eeg_type or r["item"] not in ("any", item):
            continue
        if minutes is not None and not int(r["min_minutes"]) <= minutes <= int(r["max_minutes"]):
            continue
        if r["video"] != "any" and r["video"] != str(bool(video)).lower():
            continue
        return r
    return None


class EegCoder:
    family = "eeg"
    concepts = frozenset({"eeg"})

    def code(self, facts: list[Fact], ctx: CodingContext) -> list[Suggestion]:
        if not facts:
            return []
        rows = load_table("coding_eeg.csv", COLUMNS)
        a = merged_attrs(facts)
        minutes = a.get("duration_min")
        eeg_type = a.get("eeg_type") or "routine"
        if eeg_type == "ambulatory":
            eeg_type = "long_term"
        if eeg_type == "routine" and minutes is not None and minutes >= count("eeg_extended_min_minutes"):
            eeg_type = "extended"
        missing: list[str] = []
        if eeg_type == "long_term":
            if minutes is None:
                missing.append("eeg_duration")
            if a.get("video") is None:
                missing.append("eeg_video")
            row = _pick(rows, "long_term", "any", minutes if minutes is not None else 120, a.get("video"))
        elif eeg_type == "extended":
            row = _pick(rows, "extended", "any", minutes, None)
        else:
            item = routine_item(list(a.get("states") or []))
            if item is None:
                missing.append("eeg_state")
            if minutes is None:
                missing.append("eeg_duration")
            row = _pick(rows, "routine", item or "awake_drowsy", None, None)
        if row is None:
            ctx.warnings.append(f"eeg: no EEG code for type {eeg_type} and {minutes} minutes; not suggested.")
            return []
        stated = [ax for ax in ("eeg_duration", "eeg_state", "eeg_video") if ax not in missing]
        why = (
            f"{eeg_type} EEG, states={','.join(a.get('states') or []) or 'not stated'}, "
            f"duration={minutes if minutes is not None else 'not stated'} min, video={a.get('video')} -> "
            f"{row['code']}"
        )
        return [
            ctx.procedure_suggestion(
                "CPT",
                row["code"],
                family=self.family,
                source="eeg",
                facts=facts,
                missing=missing,
                stated=stated,
                rationale=why,
            )
        ]
