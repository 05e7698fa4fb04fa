"""Fixtures for the review tests: facts are built directly (no pipeline)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from nlp.facts import Evidence, Fact
from nlp.result import NoteResult


@pytest.fixture
def fact() -> Callable[..., Fact]:
    def _fact(family: str, concept: str, assertion: str = "present", text: str | None = None,
              **attrs: Any) -> Fact:
        words = text or concept.replace("_", " ")
        section = "procedure" if family in ("ncs", "emg", "eeg", "lp", "toxin", "nerve_block") else "assessment"
        return Fact(family, concept, assertion, [Evidence(10, 10 + len(words), section, words)], attrs)

    return _fact


@pytest.fixture
def run() -> Callable[..., NoteResult]:
    from nlp.api import suggest_facts

    def _run(*facts: Fact, setting: str = "outpatient") -> NoteResult:
        return suggest_facts(list(facts), note_id="t", date_of_service="2026-05-01", setting=setting)

    return _run
