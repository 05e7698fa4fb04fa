"""Which facts are coded, and the 'not coded' list for the others, with the reason.

Setting (Guidelines Section IV.H / II.H): outpatient (default, professional) does not code
uncertain diagnoses — their documented symptoms are coded instead; inpatient codes them as if
established (not an uncertain free-text diagnosis line: the fuzzy fallback never fires on uncertain
text). Negated, family, historical and hypothetical mentions are never coded as current.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from nlp.facts import Fact
from nlp.result import NotCoded

SETTINGS = ("outpatient", "inpatient")


@dataclass
class Partition:
    codable: list[Fact] = field(default_factory=list)
    historical: list[Fact] = field(default_factory=list)
    not_coded: list[NotCoded] = field(default_factory=list)


def partition(facts: list[Fact], setting: str = "outpatient") -> Partition:
    out = Partition()
    for f in facts:
        if f.assertion == "present":
            out.codable.append(f)
            continue
        if f.assertion == "uncertain" and setting == "inpatient" and f.concept != "diagnosis_line":
            out.codable.append(replace(f, assertion="present"))
            continue
        if f.assertion == "historical":
            out.historical.append(f)
        reason = (
            f.assertion
            if f.assertion in ("negated", "uncertain", "family", "historical", "hypothetical")
            else "uncertain"
        )
        ev = f.evidence[0] if f.evidence else None
        out.not_coded.append(
            NotCoded(
                text=ev.text if ev else f.concept.replace("_", " "),
                start=ev.start if ev else 0,
                end=ev.end if ev else 0,
                reason=reason,
                concept=f.concept,
                family=f.family,
                section=ev.section if ev else "",
            )
        )
    out.not_coded.sort(key=lambda n: n.start)
    return out
