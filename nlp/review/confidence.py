"""Confidence of a suggestion.

Today: a documented rule constant per source coder (below), lowered for each defaulted axis, and
for fuzzy matches calibrated from the match score. `score_confidence(suggestion, features)` is the
one hook a trained model replaces later (nlp/review/confidence model loading, issue 5).
"""

from __future__ import annotations

from typing import Any

from nlp.result import Suggestion

# Rule confidence per source coder: how often a suggestion of that coder is expected to be right
# when its facts are right. Table coders over explicit attributes are high; counting coders depend
# on complete procedure tables; symptom rows are simple lookups; fuzzy matches are lowest.
RULE_CONFIDENCE: dict[str, float] = {
    "epilepsy": 0.85,
    "ms": 0.9,
    "headache": 0.85,
    "neuromuscular": 0.85,
    "stroke": 0.8,
    "dementia": 0.8,
    "parkinson": 0.9,
    "ncs": 0.85,
    "emg": 0.8,
    "eeg": 0.85,
    "chemodenervation": 0.8,
    "toxin": 0.85,
    "lp": 0.9,
    "nerve_block": 0.8,
    "symptom_table": 0.7,
    "common_dx": 0.7,  # Alphabetic Index default of a named common diagnosis (dev 2026-11-23: ~0.75 precise)
    "fuzzy": 0.5,
}
DEFAULT_CONFIDENCE = 0.6
PER_MISSING_AXIS = 0.05  # each defaulted axis lowers the confidence that the code is final
FUZZY_FLOOR, FUZZY_CEILING = 0.3, 0.6  # fuzzy score 90 -> 0.3, 100 -> 0.6


def features_of(suggestion: Suggestion) -> dict[str, Any]:
    """Features a trained model can use (all available without the note text)."""
    return {
        "source": suggestion.source,
        "family": suggestion.family,
        "system": suggestion.system,
        "code_class": suggestion.code_class,
        "n_missing_axes": len(suggestion.missing_axes),
        "n_evidence": len(suggestion.evidence),
        "raw_score": suggestion.confidence,
        "sections": sorted({e.section for e in suggestion.evidence}),
    }


def score_confidence(suggestion: Suggestion, features: dict[str, Any]) -> float:
    """Rule confidence in [0, 1]; replace this function to plug a trained model in."""
    if suggestion.source == "fuzzy":
        raw = float(features.get("raw_score") or 0.0)
        return round(FUZZY_FLOOR + (FUZZY_CEILING - FUZZY_FLOOR) * max(0.0, min(1.0, (raw - 90.0) / 10.0)), 3)
    base = RULE_CONFIDENCE.get(suggestion.source, DEFAULT_CONFIDENCE)
    base -= PER_MISSING_AXIS * int(features.get("n_missing_axes") or 0)
    return round(max(0.05, min(1.0, base)), 3)
