"""Neuropathy, entrapment (laterality in the final character), radiculopathy (M54.1x by region,
one code per region) and other neuromuscular diagnoses."""

from __future__ import annotations

import re
from typing import Any

from nlp.coding.base import merged_attrs
from nlp.coding.conditions import ConditionCoder, condition_rows, merge_laterality
from nlp.facts import Fact

_LEVEL = re.compile(r"^\s*([CTLS])\s*(\d{1,2})\s*$", re.IGNORECASE)
_REGIONS = (("C", "cervical"), ("T", "thoracic"), ("L", "lumbar"), ("S", "sacral"))
_ORDER = ("occipito_atlanto_axial", "cervical", "thoracic", "lumbar", "sacral")
_SPANS = {
    ("cervical", "thoracic"): "cervicothoracic",
    ("thoracic", "lumbar"): "thoracolumbar",
    ("lumbar", "sacral"): "lumbosacral",
}


def region_of_levels(levels: list[str]) -> str | None:
    """['C6', 'C7'] -> 'cervical'; ['L5', 'S1'] -> 'lumbosacral'; ['C1', 'C2'] -> occipito-atlanto-axial."""
    found = []
    for level in levels:
        m = _LEVEL.match(str(level))
        if not m:
            continue
        letter, number = m.group(1).upper(), int(m.group(2))
        if letter == "C" and number <= 2:
            found.append("occipito_atlanto_axial")
        else:
            found.append(dict(_REGIONS)[letter])
    regions = sorted(set(found), key=_ORDER.index)
    if not regions:
        return None
    if len(regions) == 1:
        return regions[0]
    if regions == ["occipito_atlanto_axial", "cervical"]:
        return "cervical"
    return _SPANS.get((regions[0], regions[-1])) if len(regions) == 2 else None


GENERIC_NEUROPATHY = ("polyneuropathy", "peripheral_neuropathy")


def diabetic_neuropathy_as_one(facts: list[Fact]) -> list[Fact]:
    """Diabetic neuropathy and the note's generic neuropathy mentions are one condition (one E11.4x
    code). A mention named as a polyneuropathy ('peripheral neuropathy', 'polyneuropathy': attribute
    poly) in a note that documents diabetic neuropathy is the diabetic polyneuropathy (Index:
    Neuropathy, peripheral -> see Polyneuropathy; Diabetes, with, polyneuropathy -> E11.42): the
    'diabetic neuropathy' mention becomes part of it, as it does of a polyneuropathy whose cause is
    stated diabetic. Plain 'neuropathy' mentions join the diabetic
    neuropathy instead (Diabetes, with, neuropathy -> E11.40), not G62.9."""
    diabetic = [f for f in facts if f.concept == "diabetic_neuropathy" and f.assertion == "present"]
    if not diabetic:
        return facts
    generic = [f for f in facts if f.concept in GENERIC_NEUROPATHY and f.assertion == "present"
               and f.attrs.get("cause") in (None, "diabetic")]
    if not any(f.attrs.get("poly") or f.attrs.get("cause") == "diabetic" for f in generic):
        return [Fact(f.family, "diabetic_neuropathy", f.assertion, f.evidence, {**f.attrs, "cause": "diabetic"})
                if f in generic else f for f in facts]
    out = []
    for f in facts:
        if f in diabetic:
            continue
        if f in generic:
            f = Fact(f.family, f.concept, f.assertion, f.evidence + [e for d in diabetic for e in d.evidence],
                     {**f.attrs, "cause": "diabetic"})
        out.append(f)
    return out


def disc_groups(
    discs: list[Fact], radic_by_region: dict[str | None, list[Fact]], *, unlocated: bool = False
) -> list[tuple[str, list[Fact], dict[str, Any]]]:
    """One disc disorder per documented level (M50.x cervical level characters), else per region.
    'With radiculopathy' when the disc's sentence says so or a radiculopathy of the same region (or an
    unlocated one) is documented; an unlocated disc is not coded (the region is the code's axis).
    Spondylosis (M47.-, `unlocated=True`) is grouped per region only (no level axis), and an unlocated
    one is coded 'site unspecified' with a region query."""
    by_key: dict[tuple[str | None, str], list[Fact]] = {}
    for f in discs:
        region = f.attrs.get("region")
        if not region and not unlocated:
            continue
        levels = [""] if unlocated else (list(f.attrs.get("disc_level") or []) or [""])
        for level in levels:
            by_key.setdefault((region, level), []).append(f)
    if unlocated and len({r for r, _l in by_key}) > 1:
        by_key.pop((None, ""), None)  # an unlocated mention is one of the located ones
    out = []
    for (region, level), group in by_key.items():
        attrs = merged_attrs(group)
        attrs["region"] = region
        attrs["disc_level"] = level or None
        attrs.pop("laterality", None)
        if not attrs.get("disc_with") and (region in radic_by_region or list(radic_by_region) == [None]):
            attrs["disc_with"] = "radiculopathy"
        out.append(("disc_disorder", group, attrs))
    return out


class NeuromuscularCoder(ConditionCoder):
    family = "neuromuscular"

    @property
    def concepts(self) -> frozenset[str]:  # type: ignore[override]
        return frozenset(r["concept"] for r in condition_rows(self.family))

    def groups(self, facts: list[Fact]) -> list[tuple[str, list[Fact], dict[str, Any]]]:
        out = []
        facts = diabetic_neuropathy_as_one(facts)
        radic = [f for f in facts if f.concept == "radiculopathy"]
        discs = [f for f in facts if f.concept == "disc_disorder"]
        spondyloses = [f for f in facts if f.concept == "spondylosis"]
        others = [f for f in facts if f.concept not in ("radiculopathy", "disc_disorder", "spondylosis")]
        out.extend(super().groups(others))
        by_region: dict[str | None, list[Fact]] = {}
        for f in radic:
            region = f.attrs.get("region") or region_of_levels(list(f.attrs.get("level") or []))
            by_region.setdefault(region, []).append(f)
        if len(by_region) > 1:
            by_region.pop(None, None)  # an unlocated mention is one of the located ones
        spine_groups = disc_groups(discs, by_region) + [
            ("spondylosis", g, a) for _c, g, a in disc_groups(spondyloses, by_region, unlocated=True)]
        for disc_group in spine_groups:
            out.append(disc_group)
            if disc_group[2].get("disc_with") == "radiculopathy":
                # M54.1 Excludes1: radiculopathy with a cervical (M50.1) or lumbar (M51.1) disc disorder
                by_region.pop(disc_group[2].get("region"), None)
                if len(by_region) == 1 and None in by_region:
                    by_region.pop(None)
        for region, group in by_region.items():
            attrs = merged_attrs(group)
            attrs["region"] = region
            attrs.pop("laterality", None)  # M54.1x has no laterality axis
            out.append(("radiculopathy", group, attrs))
        return out

    def wants(self, concept: str, attrs: dict[str, Any]) -> dict[str, str | None]:
        return {"laterality": attrs.get("laterality")}


__all__ = ["NeuromuscularCoder", "disc_groups", "merge_laterality", "region_of_levels"]
