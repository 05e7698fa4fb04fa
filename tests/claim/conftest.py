"""Builders for claim tests: suggestions made directly (no pipeline) and short synthetic notes."""

from __future__ import annotations

import pytest

from nlp.facts import Evidence
from nlp.result import Suggestion


def make(system: str, code: str, *, label: str = "specific", section: str = "impression", text: str = "x",
         units: int = 1, modifiers: tuple[str, ...] = (), code_class: str = "specific",
         start: int = 0) -> Suggestion:
    return Suggestion(system=system, code=code, description=f"{code} description", family="test", source="test",
                      label=label, units=units, modifiers=list(modifiers), code_class=code_class,
                      evidence=[Evidence(start, start + len(text), section, text)])


@pytest.fixture
def sugg():  # type: ignore[no-untyped-def]
    return make
