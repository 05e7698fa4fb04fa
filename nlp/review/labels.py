"""Label a suggestion specific / NEC / NOS.

From two things: the class of the code (its own description: 'unspecified' -> NOS, 'other' -> NEC,
see nlp/codesets/codeclass.py) and which axes the documentation actually stated. A defaulted axis
(e.g. 'not intractable' only because nothing was said) makes the suggestion NOS whatever the code's
class. NEC = documented in detail but the code set has only an 'other' code.
"""

from __future__ import annotations

from functools import lru_cache

from nlp.coding.tables import load_table, split_list
from nlp.result import Suggestion


@lru_cache(maxsize=1)
def default_axes() -> dict[str, list[str]]:
    """Query axes for a NOS code whose coder named no missing axis, by family."""
    return {r["family"]: split_list(r["axes"]) for r in load_table("review_default_axes.csv", ("family", "axes"))}


@lru_cache(maxsize=1)
def label_overrides() -> dict[str, str]:
    """Codes whose 'unspecified' title names no documentation axis a provider could add (e.g.
    R41.0 'Disorientation, unspecified' is where 'confusion' indexes): label -> `review_labels.csv`."""
    return {r["code"]: r["label"] for r in load_table("review_labels.csv", ("code", "label"))}


def label_for(suggestion: Suggestion) -> str:
    if not suggestion.missing_axes and suggestion.code in label_overrides():
        return label_overrides()[suggestion.code]
    if suggestion.missing_axes or suggestion.code_class == "NOS":
        return "NOS"
    if suggestion.code_class == "NEC":
        return "NEC"
    return "specific"


def _is_sign(suggestion: Suggestion) -> bool:
    """ICD-10-CM chapter 18 (R codes): an unspecified sign asks for its cause, whichever family
    coded it (a stroke-family R27.0 does not ask for the stroke type)."""
    return suggestion.system == "ICD-10-CM" and suggestion.code.startswith("R")


def apply_label(suggestion: Suggestion) -> None:
    """Set the label; a NOS code with no named missing axis gets its family's default axes."""
    suggestion.label = label_for(suggestion)
    if suggestion.label == "NOS" and not suggestion.missing_axes:
        axes = (
            (default_axes().get("symptom") if _is_sign(suggestion) else None)
            or default_axes().get(suggestion.source)
            or default_axes().get(suggestion.family)
            or ["etiology"]
        )
        suggestion.missing_axes = [a for a in axes if a not in suggestion.stated_axes] or axes[:1]
