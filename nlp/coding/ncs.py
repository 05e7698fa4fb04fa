"""Nerve conduction studies 95907-95913, one code per session by total study count.

One study = one sensory test, or one motor test with or without its F-wave, or one H-reflex,
per nerve and side, whatever the number of stimulation sites (so tibial motor + tibial F-wave
is one study). When the report covers nerves it does not name ('the remaining nerves tested') or
gives one study's latency twice, the counted studies are a floor: the code is labelled NOS and the
nerves studied are queried. A total the report states ('Total: 13 studies') is the performer's count
and chooses the code; when it differs from the studies listed, the code is labelled NOS and the
nerves studied are queried."""

from __future__ import annotations

from typing import Any

from nlp.coding.base import CodingContext
from nlp.coding.tables import load_table
from nlp.facts import Fact
from nlp.result import Suggestion

_KIND = {"motor": "motor", "f_wave": "motor", "sensory": "sensory", "h_reflex": "h_reflex"}


def count_studies(nerves: list[dict[str, Any]]) -> int:
    """Distinct (nerve, side, study kind). A study written without its side ('the peroneal motor
    response') is the same study as the sided one of that nerve and kind when the report has one."""
    keys = set()
    for entry in nerves:
        nerve = str(entry.get("nerve") or "").strip().lower()
        side = entry.get("side")
        for test in entry.get("tests") or ["motor"]:
            keys.add((nerve, side, _KIND.get(test, test)))
    sided = {(nerve, kind) for nerve, side, kind in keys if side is not None}
    return len({k for k in keys if k[1] is not None or (k[0], k[2]) not in sided})


def code_for_count(n: int) -> str:
    for row in load_table("coding_ncs.csv", ("min_studies", "max_studies", "code")):
        if int(row["min_studies"]) <= n <= int(row["max_studies"]):
            return row["code"]
    raise ValueError(f"no nerve conduction code for {n} studies")


class NcsCoder:
    family = "ncs"
    concepts = frozenset({"nerve_conduction"})

    def code(self, facts: list[Fact], ctx: CodingContext) -> list[Suggestion]:
        if not facts:
            return []
        nerves = [n for f in facts for n in (f.attrs.get("nerves") or [])]
        stated = int(max((f.attrs["study_count"] for f in facts if f.attrs.get("study_count")), default=0))
        listed = count_studies(nerves) if nerves else 0
        minimum = int(max((f.attrs.get("study_count_min") or 0 for f in facts), default=0))
        n = stated or listed or minimum
        uncertain = [u for f in facts for u in (f.attrs.get("count_uncertain") or [])]
        if stated:
            # the stated total settles nerves left unnamed or a study written twice; it is itself in
            # doubt when it disagrees with the studies listed (fewer listed is expected only when
            # the report says some nerves are not named)
            unnamed = any(u.startswith("nerves tested but not") for u in uncertain)
            uncertain = [] if not listed or listed == stated or (listed < stated and unnamed) else [
                f"the report states {stated} studies and lists {listed}"]
        missing = [] if n and not uncertain else ["nerves_studied"]
        code = code_for_count(max(n, 1))
        why = (
            f"{n} nerve conduction studies stated by the report -> {code}"
            if stated
            else f"{n} nerve conduction studies (sensory, motor+F-wave, H-reflex per nerve and side) -> {code}"
            if n
            else f"nerve conduction studies performed, study count not documented -> {code}"
        )
        if n and uncertain:
            why += f"; count uncertain ({'; '.join(uncertain)})" + ("" if stated else f": at least {n} studies")
        return [
            ctx.procedure_suggestion(
                "CPT",
                code,
                family=self.family,
                source="ncs",
                facts=facts,
                missing=missing,
                stated=[] if missing else ["nerves_studied"],
                rationale=why,
            )
        ]
