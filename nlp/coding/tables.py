"""Loaders for the coding rule tables in nlp/resources (rules are data; Python holds logic).

Every table is a CSV with a `source` column on every row (guideline section, tabular note, payer
policy). Each loader validates its columns on load: unknown columns -> E302, a row without a
required value or without a source -> E301.
"""

from __future__ import annotations

import csv
import importlib.resources
from functools import cache

from nlp.errors import Errors, ResourceError

Row = dict[str, str]


@cache  # a finite set of (file, columns) keys: never evict
def load_table(name: str, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> tuple[Row, ...]:
    """Rows of `nlp/resources/<name>` as dicts of stripped strings, in file order."""
    text = (importlib.resources.files("nlp.resources") / name).read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    reader = csv.DictReader(lines)
    columns = tuple(reader.fieldnames or ())
    allowed = (*required, *optional, "source")
    unknown = [c for c in columns if c not in allowed]
    if unknown:
        raise ResourceError(Errors.E302, resource=name, unknown=unknown, allowed=list(allowed))
    rows = []
    for i, raw in enumerate(reader, start=2):
        row = {k: (v or "").strip() for k, v in raw.items() if k is not None}
        missing = [c for c in (*required, "source") if not row.get(c)]
        if missing:
            raise ResourceError(Errors.E301, resource=name, row=i, detail=f"missing {', '.join(missing)}")
        for c in optional:
            row.setdefault(c, "")
        rows.append(row)
    return tuple(rows)


def split_list(value: str) -> list[str]:
    """'a;b; c' -> ['a', 'b', 'c']; '' -> []."""
    return [v.strip() for v in value.split(";") if v.strip()]


def parse_conditions(value: str) -> list[tuple[str, str]]:
    """'onset=focal;awareness=impaired' -> [('onset', 'focal'), ('awareness', 'impaired')].

    A value of `*` means "stated, any value"; `-` means "not stated"."""
    out = []
    for part in split_list(value):
        key, _, val = part.partition("=")
        out.append((key.strip(), val.strip()))
    return out


def condition_holds(attrs: dict, key: str, expected: str) -> bool:
    """One `key=value` condition of a rule row against a fact's attributes.

    `*` = stated with any value, `-` = not stated, `true`/`false` compare booleans, and a list
    attribute holds when it contains the value."""
    value = attrs.get(key)
    if expected == "*":
        return value not in (None, [], "")
    if expected == "-":
        return value in (None, [], "")
    if isinstance(value, bool):
        return expected.lower() == str(value).lower()
    if isinstance(value, list):
        return expected in value
    return value is not None and str(value) == expected


def first_match(rows: tuple[Row, ...], concept: str, attrs: dict) -> Row | None:
    """The first row for `concept` whose `match` conditions all hold."""
    for row in rows:
        if row.get("concept") != concept:
            continue
        if all(condition_holds(attrs, k, v) for k, v in parse_conditions(row.get("match", ""))):
            return row
    return None


def sections_with(policy: str) -> frozenset[str]:
    """Section names carrying a policy in `coding_sections.csv` (e.g. 'mention': procedures named
    there are not performed in this encounter)."""
    rows = load_table("coding_sections.csv", ("section", "policy"))
    return frozenset(r["section"] for r in rows if r["policy"] == policy)
