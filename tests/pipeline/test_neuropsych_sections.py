"""Neuropsychological report headers: the background history narrative and the list of test
instruments (one named clinical case each; synthetic text, no note text)."""

from __future__ import annotations

import pytest

from nlp.api import suggest
from nlp.pipeline.sections import find_sections

DOS = "2026-05-01"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("RELEVANT HISTORY:\nShe reports migraines.\nTESTS ADMINISTERED:\nCognistat",
         ["background_history", "test_list"]),
        ("BACKGROUND INFORMATION:\nHe was referred.\nMEASURES ADMINISTERED:\nTrails A & B",
         ["background_history", "test_list"]),
    ],
    ids=["relevant-history-and-tests", "background-information-and-measures"],
)
def test_neuropsych_sections_found(text: str, expected: list[str]) -> None:
    assert [c for _s, _e, c in find_sections(text)] == expected


# (case id, note text, codes expected, codes that must not be suggested)
CASES = [
    ("test_instrument_names_are_not_findings",
     "REASON FOR REFERRAL:\nEpisodes of syncope.\nTESTS ADMINISTERED:\nMattis Dementia Rating Scale\n"
     "Multilingual Aphasia Examination\n", ["R55"], ["F03.90", "R47.01"]),
    ("past_procedure_in_background_history_not_coded",
     "REASON FOR REFERRAL:\nEpisodes of syncope.\nRELEVANT HISTORY:\nAt 18 she had a spinal tap for headaches.\n",
     ["R55"], ["62270"]),
]


@pytest.mark.parametrize(("text", "expected", "absent"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_neuropsych_report_coding(text: str, expected: list[str], absent: list[str]) -> None:
    codes = {s["code"] for s in suggest(text, note_id="t", date_of_service=DOS).to_dict()["suggestions"]}
    assert set(expected) <= codes, codes
    assert not set(absent) & codes, codes
