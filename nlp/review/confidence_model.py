"""A trained confidence model for suggestions: logistic regression stored as JSON.

Trained by `neurocode train` (nlp/training/confidence.py) with scikit-learn; stored as feature
weights in `models/confidence/model.json`, so loading needs neither pickle nor a matching
scikit-learn version. Inference is a dot product over the features of `model_features()`.

Failure policy (documented in the model card): a missing model file means rule confidence
(no warning: a fresh install may run without one); an unreadable, corrupt or wrong-format file
gives warning E501 in the result and rule confidence. `suggest` never fails because of the model.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from nlp.errors import Errors

MODEL_FORMAT = "neurocode-logreg-v1"
# The threshold drops weak candidates of these sources only: fuzzy string matches of the fallback
# coder. Its table rows (symptom table, common diagnoses) are deterministic rules like the family
# coders, and are never dropped: a model trained on 105 synthetic notes dropped correct
# common-diagnosis codes on the dev set when they were included (query recall 0.78 -> 0.64).
FALLBACK_SOURCES = ("fuzzy",)


_PROJECT_MODELS = Path(__file__).resolve().parent.parent.parent / "models"  # resolved once, not per note


def models_dir() -> Path:
    """`$NEUROCODE_MODELS`, else the project's top-level models/ folder (beside the nlp package)."""
    env = os.environ.get("NEUROCODE_MODELS")
    return Path(env) if env else _PROJECT_MODELS


def default_model_path() -> Path:
    return models_dir() / "confidence" / "model.json"


def model_features(s: Mapping[str, Any]) -> dict[str, float]:
    """Features of a suggestion in its dict form (NoteResult JSON): no note text is used.

    Categorical values become `name=value` indicators (as scikit-learn's DictVectorizer does), so
    the trainer and this function produce the same feature names.
    """
    evidence = list(s.get("evidence") or [])
    feats: dict[str, float] = {
        f"source={s.get('source', '')}": 1.0,
        f"family={s.get('family', '')}": 1.0,
        f"system={s.get('system', '')}": 1.0,
        f"label={s.get('label', '')}": 1.0,
        f"assertion={s.get('assertion', 'present')}": 1.0,
        "n_missing_axes": float(len(s.get("missing_axes") or [])),
        "n_evidence": float(min(len(evidence), 5)),
        "rule_confidence": float(s.get("rule_confidence", s.get("confidence")) or 0.0),
        "has_query": 1.0 if s.get("query") else 0.0,
    }
    for section in sorted({str(e.get("section") or "none") for e in evidence} or {"none"}):
        feats[f"section={section}"] = 1.0
    return feats


@dataclass(frozen=True)
class ConfidenceModel:
    weights: dict[str, float]
    intercept: float
    threshold: float
    meta: dict[str, Any]

    def predict(self, suggestion: Mapping[str, Any]) -> float:
        z = self.intercept + sum(self.weights.get(k, 0.0) * v for k, v in model_features(suggestion).items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def keeps(self, suggestion: Mapping[str, Any], probability: float) -> bool:
        """False for a weak fallback candidate (below the documented threshold)."""
        return suggestion.get("source") not in FALLBACK_SOURCES or probability >= self.threshold

    def to_json(self) -> str:
        return json.dumps({"format": MODEL_FORMAT, "intercept": self.intercept, "threshold": self.threshold,
                           "weights": dict(sorted(self.weights.items())), "meta": self.meta}, indent=2) + "\n"


class ModelLoadError(Exception):
    """Carries the numbered E501 message; callers turn it into a result warning."""


def load_model(path: str | Path) -> ConfidenceModel:
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ModelLoadError(Errors.E501.format(path=str(p), detail=type(e).__name__)) from e
    if not isinstance(data, dict) or data.get("format") != MODEL_FORMAT:
        found = data.get("format") if isinstance(data, dict) else type(data).__name__
        raise ModelLoadError(Errors.E501.format(path=str(p), detail=f"format {found!r}, expected {MODEL_FORMAT!r}"))
    try:
        weights = {str(k): float(v) for k, v in data["weights"].items()}
        model = ConfidenceModel(weights, float(data["intercept"]), float(data["threshold"]), dict(data.get("meta", {})))
    except (KeyError, TypeError, ValueError, AttributeError) as e:
        raise ModelLoadError(Errors.E501.format(path=str(p), detail=f"missing or bad field ({e!s:.60})")) from e
    if not all(math.isfinite(w) for w in (*weights.values(), model.intercept, model.threshold)):
        raise ModelLoadError(Errors.E501.format(path=str(p), detail="non-finite weight"))
    return model


@lru_cache(maxsize=4)
def _cached(path: str, mtime: float) -> tuple[ConfidenceModel | None, str | None]:
    try:
        return load_model(path), None
    except ModelLoadError as e:
        return None, str(e)


def active_model() -> tuple[ConfidenceModel | None, str | None]:
    """(model, warning). `NEUROCODE_CONFIDENCE=rules` turns the model off; a missing file is no error."""
    if os.environ.get("NEUROCODE_CONFIDENCE", "model") == "rules":
        return None, None
    path = Path(os.environ.get("NEUROCODE_CONFIDENCE_MODEL") or default_model_path())
    if not path.exists():
        return None, None
    return _cached(str(path), path.stat().st_mtime)
