"""Fixtures for the coder tests: facts are built directly (no pipeline)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from nlp.facts import Evidence, Fact
from nlp.result import NoteResult

DOS = "2026-05-01"
PROCEDURE_FAMILIES = ("ncs", "emg", "eeg", "lp", "toxin", "nerve_block")


def make_fact(family: str, concept: str, assertion: str = "present", section: str | None = None,
              text: str | None = None, start: int = 0, **attrs: Any) -> Fact:
    """A fact; procedures default to a procedure-report section, diagnoses to the assessment."""
    words = text or concept.replace("_", " ")
    section = section or ("procedure" if family in PROCEDURE_FAMILIES else "assessment")
    return Fact(family, concept, assertion, [Evidence(start, start + len(words), section, words)], attrs)


@pytest.fixture
def fact() -> Callable[..., Fact]:
    return make_fact


@pytest.fixture
def run() -> Callable[..., NoteResult]:
    from nlp.api import suggest_facts

    def _run(*facts: Fact, setting: str = "outpatient", dos: str = DOS) -> NoteResult:
        return suggest_facts(list(facts), note_id="t", date_of_service=dos, setting=setting)

    return _run
