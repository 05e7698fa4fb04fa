"""Loaders for the claim tables in nlp/resources (rules are data; each row carries a source).

Every loader validates on load through `nlp.coding.tables.load_table` (unknown columns -> E302, a
row without a required value or source -> E301) and checks what its values mean (dates, regexes,
numbers), citing the file and line.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

from nlp.coding.tables import load_table, split_list
from nlp.errors import Errors, ResourceError

SERVICE_RULES = "claim_service_type_rules.csv"
PATTERNS = "claim_patterns.csv"
EM_CODES = "em_codes.csv"
EM_TIMES = "em_time_thresholds.csv"
EM_CROSSWALK = "em_medicare_crosswalk.csv"
EM_QUERIES = "em_query_templates.csv"
POINTER_RULES = "claim_pointer_rules.csv"
DENIAL_RISKS = "claim_denial_risks.csv"

RULE_USES = ("certain", "subtype", "weak_label")
RULE_TARGETS = ("head", "text", "title", "specialty")


def _date(resource: str, row_no: int, value: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as e:
        raise ResourceError(Errors.E301, resource=resource, row=row_no, detail="a date is not YYYY-MM-DD") from e


def _regex(resource: str, row_no: int, value: str) -> re.Pattern[str]:
    try:
        return re.compile(value)
    except re.error as e:
        raise ResourceError(Errors.E301, resource=resource, row=row_no, detail=f"invalid regex ({e.msg})") from e


def expand_codes(value: str) -> list[str]:
    """'95907-95913;64615' -> every numeric code in the ranges plus the single codes."""
    out: list[str] = []
    for part in split_list(value):
        lo, sep, hi = part.partition("-")
        if sep and lo[-4:].isdigit() and hi[-4:].isdigit() and lo[:-4] == hi[:-4]:
            prefix, width = lo[:-4], len(lo) - len(lo[:-4])
            out += [f"{prefix}{n:0{width}d}" for n in range(int(lo[len(prefix):]), int(hi[len(prefix):]) + 1)]
        else:
            out.append(part.upper())
    return out


def dx_matches(code: str, prefixes: list[str]) -> str | None:
    """The first ICD-10-CM prefix ('G43.7', 'M54.1') that `code` falls under, ignoring the dot."""
    bare = code.replace(".", "").upper()
    return next((p for p in prefixes if bare.startswith(p.replace(".", "").upper())), None)


@dataclass(frozen=True)
class ServiceRule:
    row: int
    use: str
    target: str
    pattern: re.Pattern[str]
    service_type: str
    subtype: str
    source: str


@cache
def service_rules() -> tuple[ServiceRule, ...]:
    from nlp.claim.records import SERVICE_TYPES

    rows = load_table(SERVICE_RULES, ("use", "target", "pattern", "service_type"), ("subtype",))
    out = []
    for i, r in enumerate(rows, start=2):
        if r["use"] not in RULE_USES or r["target"] not in RULE_TARGETS:
            raise ResourceError(Errors.E301, resource=SERVICE_RULES, row=i,
                                detail=f"use must be one of {RULE_USES}, target one of {RULE_TARGETS}")
        if r["service_type"] not in (*SERVICE_TYPES, "-"):
            raise ResourceError(Errors.E301, resource=SERVICE_RULES, row=i,
                                detail=f"service_type must be one of {SERVICE_TYPES} or '-'")
        out.append(ServiceRule(i, r["use"], r["target"], _regex(SERVICE_RULES, i, r["pattern"]),
                               r["service_type"], r["subtype"], r["source"]))
    return tuple(out)


@cache
def patterns() -> dict[str, re.Pattern[str]]:
    rows = load_table(PATTERNS, ("name", "pattern"))
    return {r["name"]: _regex(PATTERNS, i, r["pattern"]) for i, r in enumerate(rows, start=2)}


@dataclass(frozen=True)
class EmCode:
    code: str
    category: str
    description: str
    effective_from: dt.date | None
    effective_to: dt.date | None


@cache
def em_codes() -> dict[str, EmCode]:
    rows = load_table(EM_CODES, ("code", "family", "description", "effective_from"),
                      ("counting_unit", "addon", "primary_codes", "code_class", "effective_to"))
    return {r["code"]: EmCode(r["code"], r["family"].removeprefix("em_"), r["description"],
                              _date(EM_CODES, i, r["effective_from"]), _date(EM_CODES, i, r["effective_to"]))
            for i, r in enumerate(rows, start=2)}


@dataclass(frozen=True)
class TimeThreshold:
    category: str
    code: str
    min_minutes: int
    max_minutes: int | None
    effective_from: dt.date
    effective_to: dt.date | None
    source: str

    def in_force(self, day: dt.date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)


@cache
def time_thresholds() -> tuple[TimeThreshold, ...]:
    rows = load_table(EM_TIMES, ("category", "code", "min_minutes", "effective_from"),
                      ("max_minutes", "effective_to"))
    out = []
    for i, r in enumerate(rows, start=2):
        if not r["min_minutes"].isdigit() or (r["max_minutes"] and not r["max_minutes"].isdigit()):
            raise ResourceError(Errors.E301, resource=EM_TIMES, row=i, detail="minutes must be whole numbers")
        start = _date(EM_TIMES, i, r["effective_from"])
        assert start is not None  # required column
        out.append(TimeThreshold(r["category"], r["code"], int(r["min_minutes"]),
                                 int(r["max_minutes"]) if r["max_minutes"] else None, start,
                                 _date(EM_TIMES, i, r["effective_to"]), r["source"]))
    return tuple(out)


@cache
def medicare_crosswalk() -> tuple[dict[str, str], ...]:
    return load_table(EM_CROSSWALK, ("category", "payer", "alternative_category", "alternative_codes", "when",
                                     "effective_from"))


@cache
def em_queries() -> dict[str, dict[str, str]]:
    return {r["axis"]: r for r in load_table(EM_QUERIES, ("axis", "prompt", "options"))}


@dataclass(frozen=True)
class PointerRule:
    codes: frozenset[str]
    prefixes: tuple[str, ...]
    rank: int
    source: str


@cache
def pointer_rules() -> tuple[PointerRule, ...]:
    rows = load_table(POINTER_RULES, ("procedure_codes", "diagnosis_prefixes", "rank"))
    out = []
    for i, r in enumerate(rows, start=2):
        if not r["rank"].isdigit():
            raise ResourceError(Errors.E301, resource=POINTER_RULES, row=i, detail="rank must be a whole number")
        out.append(PointerRule(frozenset(expand_codes(r["procedure_codes"])),
                               tuple(split_list(r["diagnosis_prefixes"])), int(r["rank"]), r["source"]))
    return tuple(out)


@cache
def denial_risks() -> dict[str, dict[str, str]]:
    return {r["reason"]: r for r in load_table(DENIAL_RISKS, ("reason", "applies_to", "message"))}
