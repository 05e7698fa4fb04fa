"""neurocode: neurology clinical notes to ICD-10-CM / CPT / HCPCS code suggestions.

The public library API is re-exported lazily so that `neurocode code ...` does not import spaCy.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

__all__ = ["__version__", "suggest", "suggest_many"]


def __getattr__(name: str) -> Any:
    if name in ("suggest", "suggest_many"):
        from nlp import api

        return getattr(api, name)
    raise AttributeError(f"module 'nlp' has no attribute {name!r}")
