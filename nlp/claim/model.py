"""The service-type classifier at run time: TF-IDF + multinomial logistic regression, stored as JSON.

`models/service_type/model.json` holds the vocabulary, idf weights, coefficients and intercepts of a
scikit-learn pipeline (`nlp.claim.train` writes it and checks that this re-implementation gives the
same probabilities as scikit-learn). JSON rather than a pickle: it loads without scikit-learn, on any
version, and a reviewer can read it. A missing or bad file gives warning E904 and rules only.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np

from nlp.errors import Errors

TOKEN = re.compile(r"(?u)\b\w\w+\b")   # scikit-learn's default token_pattern
FORMAT = "neurocode-service-type/1"
MAX_CHARS = 6000                        # the classifier reads the note's opening (title, headers, HPI)


def default_path() -> Path:
    """service_type/model.json in the project's models folder (`$NEUROCODE_MODELS` moves it)."""
    from nlp.review.confidence_model import models_dir

    return models_dir() / "service_type" / "model.json"


def features_text(text: str) -> str:
    return text[:MAX_CHARS]


@dataclass(frozen=True, eq=False)
class ServiceTypeModel:
    classes: tuple[str, ...]
    vocabulary: dict[str, int]
    idf: tuple[float, ...]
    coef: tuple[tuple[float, ...], ...]
    intercept: tuple[float, ...]
    ngram_max: int
    sublinear_tf: bool

    def _vector(self, text: str) -> dict[int, float]:
        tokens = TOKEN.findall(features_text(text).lower())
        grams = list(tokens)
        for n in range(2, self.ngram_max + 1):
            grams += map(" ".join, zip(*(tokens[i:] for i in range(n)), strict=False))
        vocab = self.vocabulary
        counts = Counter(vocab[g] for g in grams if g in vocab)
        vec = {j: ((1 + math.log(c)) if self.sublinear_tf else c) * self.idf[j] for j, c in counts.items()}
        norm = math.sqrt(sum(v * v for v in vec.values()))
        return {j: v / norm for j, v in vec.items()} if norm else vec

    def predict_proba(self, text: str) -> dict[str, float]:
        vec = self._vector(text)
        idx = np.fromiter(vec.keys(), dtype=np.int64, count=len(vec))
        vals = np.fromiter(vec.values(), dtype=np.float64, count=len(vec))
        scores = self._weights[:, idx] @ vals + self._bias
        exps = np.exp(scores - scores.max())
        return {c: float(e) for c, e in zip(self.classes, exps / exps.sum(), strict=True)}

    @cached_property
    def _weights(self) -> np.ndarray:
        return np.asarray(self.coef, dtype=np.float64)

    @cached_property
    def _bias(self) -> np.ndarray:
        return np.asarray(self.intercept, dtype=np.float64)

    @classmethod
    def from_dict(cls, data: dict) -> ServiceTypeModel:
        if data.get("format") != FORMAT:
            raise ValueError(f"format is {data.get('format')!r}, expected {FORMAT!r}")
        classes = tuple(data["classes"])
        coef = tuple(tuple(float(x) for x in row) for row in data["coef"])
        idf = tuple(float(x) for x in data["idf"])
        vocab = {str(k): int(v) for k, v in data["vocabulary"].items()}
        if len(coef) != len(classes) or any(len(row) != len(idf) for row in coef) or len(vocab) != len(idf):
            raise ValueError("coefficient, idf and vocabulary sizes disagree")
        return cls(classes, vocab, idf, coef, tuple(float(x) for x in data["intercept"]),
                   int(data.get("ngram_max", 1)), bool(data.get("sublinear_tf", False)))


@lru_cache(maxsize=4)
def _load(path: Path, _mtime: int) -> ServiceTypeModel:
    return ServiceTypeModel.from_dict(json.loads(path.read_text(encoding="utf-8")))


def active_model(path: Path | None = None) -> tuple[ServiceTypeModel | None, str | None]:
    """(model, None), or (None, E904 warning) when the file is missing or unreadable."""
    p = path or default_path()
    try:
        return _load(p, p.stat().st_mtime_ns), None
    except (OSError, ValueError, KeyError, TypeError) as e:
        return None, Errors.E904.format(path=str(p), detail=type(e).__name__)
