"""Choose a billable leaf under a header by reading the axes off the tabular descriptions.

ICD-10-CM puts intractability, status epilepticus / migrainosus, laterality, dominance, dementia
severity and disturbance in the final characters. Rather than hard-code digit tables, each leaf's
description is read with the patterns in `coding_axis_terms.csv`; the leaf that agrees with every
documented axis is chosen, and axes the note did not state take the classification's default from
`coding_axis_defaults.csv` (recorded, so the label can say NOS and the query can ask).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from nlp.codesets.icd10cm import Icd10cmRelease, IcdCode
from nlp.coding.tables import load_table


@dataclass(frozen=True)
class AxisTerm:
    axis: str
    value: str
    pattern: re.Pattern[str]
    scope: re.Pattern[str] | None


@dataclass(frozen=True)
class AxisDefault:
    axis: str
    default: str
    counts_as_missing: bool


@dataclass
class Resolved:
    code: IcdCode
    stated: list[str] = field(default_factory=list)
    defaulted: list[str] = field(default_factory=list)  # axes filled with the default

    def missing(self) -> list[str]:
        """Defaulted axes that make the suggestion NOS (per coding_axis_defaults.csv)."""
        defaults = axis_defaults()
        return [a for a in self.defaulted if a in defaults and defaults[a].counts_as_missing]


@lru_cache(maxsize=1)
def axis_terms() -> tuple[AxisTerm, ...]:
    rows = load_table("coding_axis_terms.csv", ("axis", "value", "pattern"), ("scope",))
    return tuple(
        AxisTerm(
            r["axis"],
            r["value"],
            re.compile(r["pattern"], re.IGNORECASE),
            re.compile(r["scope"]) if r["scope"] else None,
        )
        for r in rows
    )


@lru_cache(maxsize=1)
def axis_defaults() -> dict[str, AxisDefault]:
    rows = load_table("coding_axis_defaults.csv", ("axis", "default", "counts_as_missing"))
    return {r["axis"]: AxisDefault(r["axis"], r["default"], r["counts_as_missing"].lower() == "true") for r in rows}


def read_axes(code: str, description: str) -> dict[str, str]:
    """The axis values a code's description expresses (first matching term per axis)."""
    out: dict[str, str] = {}
    for term in axis_terms():
        if term.axis in out or (term.scope is not None and not term.scope.search(code)):
            continue
        if term.pattern.search(description):
            out[term.axis] = term.value
    return out


def resolve(release: Icd10cmRelease, header: str, wants: dict[str, str]) -> Resolved | None:
    """The billable leaf under `header` agreeing with `wants` (axis -> value); None if none does.

    Axes a leaf expresses that are not in `wants` must hold their default value; they are
    reported in `Resolved.defaulted`. Among agreeing leaves the one expressing most wanted axes
    wins, then the one expressing most axes (the plain leaf, not a named variant), then code order.
    """
    head = release.get(header)
    leaves = [head] if head.billable else release.billable_leaves(head.code)
    defaults = axis_defaults()
    read = [(leaf, read_axes(leaf.code, leaf.description)) for leaf in leaves]
    # only axes whose value varies between the leaves are choices; the others belong to the header
    varying = {a for _, axes in read for a in axes if len({ax.get(a) for _, ax in read}) > 1}
    best: tuple[tuple[int, int, str], Resolved] | None = None
    for leaf, all_axes in read:
        axes = {a: v for a, v in all_axes.items() if a in varying}
        if any(axis in axes and axes[axis] != value for axis, value in wants.items()):
            continue
        defaulted = [a for a in axes if a not in wants]
        if any(a not in defaults or axes[a] != defaults[a].default for a in defaulted):
            continue
        stated = [a for a in wants if a in axes]
        score = (-len(stated), -len(axes), leaf.code)
        if best is None or score < best[0]:
            best = (score, Resolved(leaf, stated, defaulted))
    return best[1] if best else None
