"""Loaders for the pipeline's data files (term lists, sections, context rules, patterns).

Every file lives in `nlp/resources/` and is read with `importlib.resources`. Each loader validates
its rows (columns, allowed values, a non-empty `source`) and raises a numbered `ResourceError`
naming the file and row, never guessing a default for a malformed row.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from nlp.errors import Errors, ResourceError
from nlp.facts import FAMILIES

IGNORE = "_ignore"
LIST_ATTRS = frozenset({"motor", "states", "level"})


@dataclass(frozen=True)
class Term:
    """An entity term: matched text -> (family, concept) with attributes baked into the phrase."""

    term: str
    concept: str
    family: str
    attrs: tuple[tuple[str, Any], ...]
    case_sensitive: bool
    source: str


@dataclass(frozen=True)
class ModifierTerm:
    """An attribute mention: matched text -> attribute values for entities of some families.

    `targets` holds (family, concept-or-None). Empty `attrs` = a blocker that only stops a shorter
    modifier from matching inside it (e.g. 'right-handed' blocks 'right')."""

    term: str
    attrs: tuple[tuple[str, Any], ...]
    targets: tuple[tuple[str, str | None], ...]
    case_sensitive: bool
    source: str


@dataclass(frozen=True)
class SectionRule:
    header: str
    category: str
    kind: str  # "section" | "subsection"
    flag: str  # "family" | "historical" | "narrative" | ""
    source: str


def _read_text(*parts: str) -> str:
    return resources.files("nlp.resources").joinpath(*parts).read_text(encoding="utf-8")


def _rows(name: str, required: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    parts = name.split("/")
    reader = csv.DictReader(io.StringIO(_read_text(*parts)))
    columns = tuple(reader.fieldnames or ())
    unknown = sorted(set(columns) - set(required))
    if unknown or set(required) - set(columns):
        raise ResourceError(Errors.E302, resource=name, unknown=unknown or sorted(set(required) - set(columns)),
                            allowed=list(required))
    rows = []
    for i, row in enumerate(reader, start=2):
        if None in row or any(v is None for v in row.values()):
            raise ResourceError(Errors.E301, resource=name, row=i, detail="wrong number of columns")
        row = {k: v.strip() for k, v in row.items()}
        if not row.get("source"):
            raise ResourceError(Errors.E301, resource=name, row=i, detail="empty 'source'")
        rows.append((i, row))
    return rows


def _bool(value: str, name: str, row: int) -> bool:
    if value in ("yes", "true"):
        return True
    if value in ("no", "false", ""):
        return False
    raise ResourceError(Errors.E301, resource=name, row=row, detail=f"expected yes/no, got {value!r}")


def parse_attrs(text: str, name: str, row: int) -> tuple[tuple[str, Any], ...]:
    """'onset=focal;intractable=true' -> (('onset', 'focal'), ('intractable', True))."""
    out: list[tuple[str, Any]] = []
    for item in filter(None, (p.strip() for p in text.split(";"))):
        key, sep, raw = item.partition("=")
        if not sep or not re.fullmatch(r"[a-z_]+", key) or not raw:
            raise ResourceError(Errors.E301, resource=name, row=row, detail=f"bad attribute {item!r}")
        value: Any = {"true": True, "false": False}.get(raw, raw)
        out.append((key, value))
    return tuple(out)


@cache
def entity_terms() -> tuple[Term, ...]:
    files = sorted(
        p.name for p in resources.files("nlp.resources").joinpath("terms").iterdir()
        if p.name.endswith(".csv") and p.name not in _NON_ENTITY_FILES
    )
    out: list[Term] = []
    for fname in files:
        name = f"terms/{fname}"
        for i, row in _rows(name, ("term", "concept", "family", "attrs", "case_sensitive", "source")):
            family = row["family"]
            if family != IGNORE and family not in FAMILIES:
                raise ResourceError(Errors.E301, resource=name, row=i,
                                    detail=f"unknown family {family!r}; allowed: {', '.join(FAMILIES)}, {IGNORE}")
            if not row["term"] or not row["concept"]:
                raise ResourceError(Errors.E301, resource=name, row=i, detail="empty term or concept")
            out.append(Term(row["term"], row["concept"], family, parse_attrs(row["attrs"], name, i),
                            _bool(row["case_sensitive"], name, i), row["source"]))
    return tuple(out)


_NON_ENTITY_FILES = frozenset({"modifiers.csv", "nerves.csv", "muscles.csv", "ncs_vocab.csv"})


@cache
def modifier_terms() -> tuple[ModifierTerm, ...]:
    name = "terms/modifiers.csv"
    out: list[ModifierTerm] = []
    for i, row in _rows(name, ("term", "attrs", "families", "case_sensitive", "source")):
        targets: list[tuple[str, str | None]] = []
        for item in row["families"].split("|"):
            family, _, concept = item.partition(":")
            if family not in FAMILIES:
                raise ResourceError(Errors.E301, resource=name, row=i, detail=f"unknown family {family!r}")
            targets.append((family, concept or None))
        if not row["term"]:
            raise ResourceError(Errors.E301, resource=name, row=i, detail="empty term")
        out.append(ModifierTerm(row["term"], parse_attrs(row["attrs"], name, i), tuple(targets),
                                _bool(row["case_sensitive"], name, i), row["source"]))
    return tuple(out)


@cache
def nerves() -> dict[str, tuple[str, str | None]]:
    """term (lower) -> (nerve, default test or None)."""
    name = "terms/nerves.csv"
    allowed = {"", "motor", "sensory", "f_wave", "h_reflex"}
    out: dict[str, tuple[str, str | None]] = {}
    for i, row in _rows(name, ("term", "nerve", "default_test", "source")):
        if row["default_test"] not in allowed:
            raise ResourceError(Errors.E301, resource=name, row=i, detail=f"default_test not in {sorted(allowed)}")
        out[row["term"].lower()] = (row["nerve"], row["default_test"] or None)
    return out


@cache
def ncs_vocab() -> dict[str, dict[str, str]]:
    """kind -> {term (lower) -> value}; kinds: side, test, skip."""
    name = "terms/ncs_vocab.csv"
    out: dict[str, dict[str, str]] = {"side": {}, "test": {}, "skip": {}}
    for i, row in _rows(name, ("kind", "term", "value", "source")):
        if row["kind"] not in out:
            raise ResourceError(Errors.E301, resource=name, row=i, detail=f"kind must be one of {sorted(out)}")
        out[row["kind"]][row["term"].lower()] = row["value"]
    return out


@cache
def muscles() -> dict[str, tuple[str, str, str, bool]]:
    """term -> (muscle, emg_region, toxin_region, case_sensitive); all-caps terms match case-sensitively."""
    name = "terms/muscles.csv"
    emg_regions = {"upper_extremity", "lower_extremity", "paraspinal", "thoracic_paraspinal", "cranial", "larynx",
                   "trunk"}
    toxin_regions = {"face", "neck", "larynx", "upper_extremity", "lower_extremity", "trunk", "head"}
    out: dict[str, tuple[str, str, str, bool]] = {}
    for i, row in _rows(name, ("term", "muscle", "emg_region", "toxin_region", "source")):
        if row["emg_region"] not in emg_regions or row["toxin_region"] not in toxin_regions:
            raise ResourceError(Errors.E301, resource=name, row=i, detail="unknown emg_region or toxin_region")
        out[row["term"]] = (row["muscle"], row["emg_region"], row["toxin_region"], row["term"].isupper())
    return out


@cache
def section_rules() -> dict[str, SectionRule]:
    name = "sections.csv"
    out: dict[str, SectionRule] = {}
    for i, row in _rows(name, ("header", "category", "kind", "flag", "source")):
        if row["kind"] not in ("section", "subsection"):
            raise ResourceError(Errors.E301, resource=name, row=i, detail="kind must be section or subsection")
        if row["flag"] not in ("family", "historical", "hypothetical", "narrative", ""):
            raise ResourceError(Errors.E301, resource=name, row=i,
                                detail="flag must be family/historical/hypothetical/narrative")
        key = normalise_header(row["header"])
        out[key] = SectionRule(key, row["category"], row["kind"], row["flag"], row["source"])
    return out


def normalise_header(text: str) -> str:
    return " ".join(text.lower().replace("&", " & ").split())


@cache
def patterns() -> dict[str, re.Pattern[str]]:
    name = "pipeline_patterns.csv"
    out: dict[str, re.Pattern[str]] = {}
    for i, row in _rows(name, ("name", "pattern", "source")):
        try:
            out[row["name"]] = re.compile(row["pattern"])
        except re.error as e:
            raise ResourceError(Errors.E301, resource=name, row=i, detail=f"bad regular expression ({e})") from e
    return out


@cache
def word_list(name: str) -> tuple[str, ...]:
    """The words of one named list in `word_lists.csv` (lower case, file order)."""
    words = tuple(row["word"].lower() for _i, row in _rows("word_lists.csv", ("list", "word", "source"))
                  if row["list"] == name)
    if not words:
        raise ResourceError(Errors.E301, resource="word_lists.csv", row=0, detail=f"no words for list {name!r}")
    return words


@cache
def family_history_concepts() -> dict[str, str]:
    """Diagnosis family -> the family-history concept a relative's disease of it becomes (Z82.0 / Z82.3)."""
    name = "family_history_concepts.csv"
    out: dict[str, str] = {}
    for i, row in _rows(name, ("family", "concept", "source")):
        if row["family"] not in FAMILIES:
            raise ResourceError(Errors.E301, resource=name, row=i, detail=f"unknown family {row['family']!r}")
        out[row["family"]] = row["concept"]
    return out


@cache
def age_limited_terms() -> dict[str, float]:
    """Condition terms that belong to an age band ('infantile spasms'): term (lower case) -> the
    oldest age in years at which a mention still describes the current condition."""
    name = "age_limited_conditions.csv"
    out: dict[str, float] = {}
    for i, row in _rows(name, ("term", "max_age_years", "source")):
        try:
            out[" ".join(row["term"].lower().split())] = float(row["max_age_years"])
        except ValueError as e:
            raise ResourceError(Errors.E301, resource=name, row=i, detail="max_age_years must be a number") from e
    return out


_CONTEXT_KEYS = {"literal", "category", "direction", "pattern", "metadata", "allowed_types", "excluded_types",
                 "max_targets", "max_scope"}


@cache
def context_rule_dicts() -> tuple[dict[str, Any], ...]:
    """The ConText rules in medspaCy's JSON shape; every rule carries metadata.source."""
    name = "context_rules.json"
    data = json.loads(_read_text(name))
    out = []
    for i, rule in enumerate(data.get("context_rules", []), start=1):
        unknown = set(rule) - _CONTEXT_KEYS
        if unknown:
            raise ResourceError(Errors.E302, resource=name, unknown=sorted(unknown), allowed=sorted(_CONTEXT_KEYS))
        if not (rule.get("metadata") or {}).get("source"):
            raise ResourceError(Errors.E301, resource=name, row=i, detail="rule needs metadata.source")
        out.append(rule)
    return tuple(out)


@cache
def section_flags() -> dict[str, str]:
    """section category -> flag ("family" / "historical" / "hypothetical" / "narrative"), from sections.csv."""
    return {r.category: r.flag for r in section_rules().values() if r.flag}
