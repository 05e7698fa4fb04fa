"""Counting thresholds used by the procedure coders (`coding_counts.csv`, each row sourced)."""

from __future__ import annotations

from functools import lru_cache

from nlp.coding.tables import load_table


@lru_cache(maxsize=1)
def _counts() -> dict[str, float]:
    return {r["name"]: float(r["value"]) for r in load_table("coding_counts.csv", ("name", "value"))}


def count(name: str) -> int:
    return int(_counts()[name])
