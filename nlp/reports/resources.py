"""The report's data files: documentation tips per query axis and display names of the condition
families (`nlp/resources/report_documentation_tips.csv`, `report_families.csv`; every row has a
source). Python holds only the lookups."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from nlp.coding.tables import load_table

TIPS_FILE = "report_documentation_tips.csv"
FAMILIES_FILE = "report_families.csv"


@dataclass(frozen=True)
class Tip:
    axis: str
    label: str  # short display name of the axis ("Seizure type")
    tip: str  # what to write instead ("State the seizure type: ...")
    source: str  # the classification rule that makes the axis matter


@dataclass(frozen=True)
class FamilyName:
    family: str
    display: str
    order: int


@cache
def tips() -> dict[str, Tip]:
    rows = load_table(TIPS_FILE, ("axis", "label", "tip"))
    return {r["axis"]: Tip(r["axis"], r["label"], r["tip"], r["source"]) for r in rows}


@cache
def families() -> dict[str, FamilyName]:
    rows = load_table(FAMILIES_FILE, ("family", "display", "order"))
    return {r["family"]: FamilyName(r["family"], r["display"], int(r["order"])) for r in rows}


def axis_label(axis: str) -> str:
    """Display name of a query axis; an axis without a tip row shows its own name (and the report
    lists it under 'no tip on file', see `tip_for`)."""
    tip = tips().get(axis)
    return tip.label if tip else axis.replace("_", " ")


def tip_for(axis: str) -> Tip | None:
    return tips().get(axis)


def family_display(family: str | None) -> str:
    if not family:
        return "Not assigned"
    name = families().get(family)
    return name.display if name else family.replace("_", " ")


def family_order(display: str) -> int:
    orders = [f.order for f in families().values() if f.display == display]
    return min(orders) if orders else 1000
