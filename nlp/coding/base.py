"""What every coder shares: the coding context and the suggestion builders.

A coder is a small object with a `family`, the `concepts` it handles and
`code(facts, ctx) -> list[Suggestion]`. Coders read only facts (never text), look codes up in the
release in force on the date of service, and leave labels, queries, edits and confidence to
nlp/review.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from nlp.codesets import procedures
from nlp.codesets.icd10cm import Icd10cmRelease
from nlp.facts import Evidence, Fact
from nlp.result import Suggestion


@dataclass
class CodingContext:
    icd: Icd10cmRelease
    dos: dt.date | None
    setting: str = "outpatient"
    warnings: list[str] = field(default_factory=list)
    same_day_ncs: bool = False  # the note documents nerve conduction studies in this encounter
    historical: list[Fact] = field(default_factory=list)  # past mentions (e.g. old stroke -> sequelae)

    def icd_suggestion(
        self,
        code: str,
        *,
        family: str,
        source: str,
        facts: Sequence[Fact] = (),
        missing: Iterable[str] = (),
        stated: Iterable[str] = (),
        rationale: str = "",
    ) -> Suggestion:
        """An ICD-10-CM suggestion; the code must be billable in the release in force (E103)."""
        item = self.icd.require_billable(code, self.dos)
        return Suggestion(
            system="ICD-10-CM",
            code=item.code,
            description=item.description,
            family=family,
            source=source,
            rationale=rationale,
            evidence=evidence_of(facts),
            missing_axes=_unique(missing),
            stated_axes=_unique(stated),
            code_class=item.code_class,
        )

    def procedure_suggestion(
        self,
        system: str,
        code: str,
        *,
        family: str,
        source: str,
        facts: Sequence[Fact] = (),
        units: int = 1,
        modifiers: Sequence[str] = (),
        missing: Iterable[str] = (),
        stated: Iterable[str] = (),
        rationale: str = "",
    ) -> Suggestion:
        """A CPT or HCPCS suggestion; description and class come from nlp.codesets.procedures."""
        description, code_class = procedure_info(code, self.dos, self.warnings)
        return Suggestion(
            system=system,
            code=code,
            description=description,
            family=family,
            source=source,
            units=max(1, int(units)),
            modifiers=list(modifiers),
            rationale=rationale,
            evidence=evidence_of(facts),
            missing_axes=_unique(missing),
            stated_axes=_unique(stated),
            code_class=code_class,
        )


class Coder(Protocol):
    @property
    def family(self) -> str: ...

    @property
    def concepts(self) -> frozenset[str]: ...

    def code(self, facts: list[Fact], ctx: CodingContext) -> list[Suggestion]: ...


def procedure_info(code: str, dos: dt.date | None, warnings: list[str]) -> tuple[str, str]:
    """(description, code class) of a CPT/HCPCS code from the neurology procedure tables; a code
    missing from them is still suggested, with a warning."""
    table = procedures.cpt_table() if procedures.is_cpt(code) else procedures.hcpcs_table()
    if code not in table:
        warnings.append(f"{code} is not in the neurology CPT/HCPCS tables: description not available.")
        return "", "specific"
    proc = procedures.get_procedure(code, dos)
    return proc.description, proc.code_class


def evidence_of(facts: Iterable[Fact]) -> list[Evidence]:
    seen: set[tuple[int, int]] = set()
    out = []
    for f in facts:
        for e in f.evidence:
            if (e.start, e.end) not in seen:
                seen.add((e.start, e.end))
                out.append(e)
    return sorted(out, key=lambda e: e.start)


DIAGNOSIS_SECTIONS = re.compile(r"assess|impression|diagnos|problem", re.IGNORECASE)


def in_assessment(item: Fact | Suggestion) -> bool:
    """Is one of the fact's (or suggestion's) mentions in an assessment / impression / diagnosis /
    problem section?"""
    return any(DIAGNOSIS_SECTIONS.search(e.section or "") for e in item.evidence)


def merged_attrs(facts: Iterable[Fact]) -> dict[str, Any]:
    """Attributes of several mentions of one condition: the first stated value of each key wins,
    lists are unioned (in order)."""
    out: dict[str, Any] = {}
    for f in facts:
        for k, v in f.attrs.items():
            if v is None:
                continue
            if isinstance(v, list):
                cur = out.setdefault(k, [])
                if isinstance(cur, list):
                    cur.extend(x for x in v if x not in cur)
            elif k not in out:
                out[k] = v
    return out


def _unique(items: Iterable[str]) -> list[str]:
    out: list[str] = []
    for i in items:
        if i not in out:
            out.append(i)
    return out


def bool_axis(value: Any) -> str | None:
    """A fact's boolean attribute as an axis value ('true'/'false'), None when not documented."""
    if value is None:
        return None
    return "true" if value else "false"


def suggest_header(
    ctx: CodingContext,
    header: str,
    wants: dict[str, str | None],
    *,
    family: str,
    source: str,
    facts: Sequence[Fact],
    stated: Iterable[str] = (),
    missing: Iterable[str] = (),
    rationale: str = "",
) -> Suggestion | None:
    """Resolve `header` to the billable leaf agreeing with the documented axes and build the
    suggestion; defaulted axes that count join `missing`. None (with a warning) when no leaf
    agrees, e.g. a code removed from the release in force."""
    from nlp.coding.axes import resolve

    clean = {k: v for k, v in wants.items() if v is not None}
    if ctx.icd.find(header) is None:
        ctx.warnings.append(f"{family}: {header} is not in ICD-10-CM release {ctx.icd.key}; not suggested.")
        return None
    found = resolve(ctx.icd, header, clean)
    if found is None:
        ctx.warnings.append(
            f"{family}: no billable code under {header} agrees with the documented axes "
            f"{sorted(clean)} in release {ctx.icd.key}."
        )
        return None
    why = rationale or _axes_rationale(header, found.code.code, clean, found.defaulted)
    return ctx.icd_suggestion(
        found.code.code,
        family=family,
        source=source,
        facts=facts,
        missing=[*missing, *found.missing()],
        stated=[*stated, *found.stated],
        rationale=why,
    )


def _axes_rationale(header: str, code: str, wants: dict[str, str], defaulted: list[str]) -> str:
    parts = [f"{k}={v}" for k, v in wants.items()]
    text = f"{header} -> {code}"
    if parts:
        text += f" (documented {', '.join(parts)})"
    if defaulted:
        text += f"; defaulted {', '.join(defaulted)}"
    return text
