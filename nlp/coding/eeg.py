"""EEG: routine 95816 / 95819 / 95822 by states recorded, extended 95812 / 95813 by duration,
long-term (professional) 95717-95726 by duration, video and when it was interpreted (after each 24 hours:
95719 / 95720; after the entire recording of more than 36 hours: 95721-95726).

Only this encounter's study is coded: an EEG named in the report sections only as a prior or negated
study, or a section that quotes an EEG result without any recording statement, is a study reviewed.
States come from the recording-state mentions outside history/plan sections and not negated
('sleep was not obtained'); a type named only in history/plan sections (an ordered ambulatory EEG)
does not type this encounter's study."""

from __future__ import annotations

from typing import Any

from nlp.coding.base import CodingContext, merged_attrs
from nlp.coding.counts import count
from nlp.coding.tables import Row, load_table, sections_with
from nlp.facts import Fact
from nlp.result import Suggestion

COLUMNS = ("eeg_type", "item", "min_minutes", "max_minutes", "video", "read", "code")


def routine_item(states: list[str]) -> str | None:
    s = set(states)
    if "asleep" in s and ("awake" in s or "drowsy" in s):
        return "awake_asleep"
    if "asleep" in s:
        return "asleep_only"
    if s & {"awake", "drowsy"}:
        return "awake_drowsy"
    if "coma" in s:
        return "coma_only"
    return None


def recorded_states(a: dict[str, Any]) -> list[str]:
    """States recorded in this study: state mentions that are not negated and not in narrative, history
    or plan sections (CPT 95816 / 95819 / 95822 follow the states recorded). Without mention details,
    the note-wide `states` attribute."""
    mentions = a.get("state_mentions")
    if mentions is None:
        return list(a.get("states") or [])
    reference = sections_with("mention")
    out: list[str] = []
    for m in mentions:
        if m["negated"] or m.get("narrative") or m["section"] in reference:
            continue
        if m["state"] not in out:
            out.append(m["state"])
    return out


def this_encounter(a: dict[str, Any]) -> bool:
    """Is the EEG this encounter's study (annotation guide: CPT only for procedures performed)?

    A mention outside narrative sections (history, studies reviewed, plan) that is present (not prior,
    negated or planned) says yes; mentions there that are all prior/negated say no, and so does an EEG
    named only as one channel of a polysomnogram (CPT 95808-95811 include the EEG channels) or only in
    narrative sections ('STUDIES: EEG was normal'); with only a section header naming the EEG, the
    section must state the recording (duration, 'recorded', 'technique') - a quoted result is not a study."""
    mentions = a.get("mentions")
    if not mentions:
        return True
    reference = sections_with("mention")
    body = [m for m in mentions if not m["header"] and not m.get("narrative") and m["section"] not in reference]
    channels = [m for m in body if m.get("psg_channel")]
    body = [m for m in body if not m.get("psg_channel")]
    if any(m["assertion"] == "present" for m in body):
        return True
    if body or channels or not any(m["header"] for m in mentions):
        return False
    return bool(a.get("recorded")) or a.get("duration_min") is not None


def study_type(a: dict[str, Any]) -> str:
    """The EEG type of this encounter's mentions; a type named only in history/plan sections (an
    ordered ambulatory EEG) is not this study's type."""
    mentions = a.get("mentions") or []
    reference = sections_with("mention")
    here = [m["eeg_type"] for m in mentions if m.get("eeg_type") and not m.get("narrative")
            and m["section"] not in reference and m["assertion"] == "present"]
    if here:
        return str(here[0])
    elsewhere = {m["eeg_type"] for m in mentions if m.get("eeg_type")}
    stated = a.get("eeg_type")
    if stated and stated in elsewhere:
        return "routine"
    return str(stated or "routine")


def _pick(rows: tuple[Row, ...], eeg_type: str, item: str, minutes: float | None, video: bool | None,
          read: str | None = None) -> Row | None:
    for r in rows:
        if r["eeg_type"] != eeg_type or r["item"] not in ("any", item):
            continue
        if minutes is not None and not int(r["min_minutes"]) <= minutes <= int(r["max_minutes"]):
            continue
        if r["video"] != "any" and r["video"] != str(bool(video)).lower():
            continue
        if r["read"] not in ("", "any") and r["read"] != read:
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
        if not this_encounter(a):
            ctx.warnings.append("eeg: the EEG is named only as a prior, planned or quoted study; not coded "
                                "(not performed in this encounter).")
            return []
        minutes = a.get("duration_min")
        states = recorded_states(a)
        video = None if a.get("video_undocumented") and a.get("video") is not False else a.get("video")
        read = a.get("read")
        eeg_type = study_type(a)
        if eeg_type == "ambulatory":
            eeg_type = "long_term"
        if eeg_type == "routine" and minutes is not None and minutes >= count("eeg_extended_min_minutes"):
            eeg_type = "extended"
        missing: list[str] = []
        if eeg_type == "long_term":
            if minutes is None:
                missing.append("eeg_duration")
            if video is None:
                missing.append("eeg_video")
            row = _pick(rows, "long_term", "any", minutes if minutes is not None else 120, video, read)
        elif eeg_type == "extended":
            row = _pick(rows, "extended", "any", minutes, None)
        else:
            item = routine_item(states)
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
            f"{eeg_type} EEG, states={','.join(states) or 'not stated'}, "
            f"duration={minutes if minutes is not None else 'not stated'} min, video={video}"
            f"{', read ' + read.replace('_', ' ') if eeg_type == 'long_term' and read else ''} -> "
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
