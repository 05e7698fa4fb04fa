"""Family and neuro scope of a code, from `nlp/resources/code_families.csv`.

The scope is the annotation guide's definition (chapter G, F01-F03, I60-I69, R20-R29, R40-R47, R51,
R55, R56, S06, M50-M54, E08-E13 .4x, Z82.0, Z86.6x; the neurology CPT families; J0585-J0589).
Used by the scorer (neuro-scope figures) and by the fallback coder (which leaves neuro-scope codes
to the family coders).
"""

from __future__ import annotations

import csv
import importlib.resources
from functools import lru_cache


@lru_cache(maxsize=1)
def _family_rows() -> tuple[tuple[str, str, str, str, bool], ...]:
    text = (importlib.resources.files("nlp.resources") / "code_families.csv").read_text(encoding="utf-8")
    return tuple((r["system"], r["start"], r["end"], r["family"], r["neuro"] == "1")
                 for r in csv.DictReader(text.splitlines()))


def family_of(system: str, code: str) -> tuple[str, bool]:
    """(family, in neuro scope) of a code; ('other', False) when no row covers it. First row wins."""
    for sys_, start, end, family, neuro in _family_rows():
        if sys_ == system and start <= code <= end:
            return family, neuro
    return "other", False
