"""Family history Z82.x only where the note makes it relevant (one named clinical case each)."""

from __future__ import annotations

import pytest

from nlp.api import suggest

DOS = "2026-05-01"

# (case id, note text, codes expected, codes that must not be suggested)
CASES = [
    ("relative_alzheimer_compared_with_patient_is_z82_0",
     "HPI:\nProgressive memory loss.\nFAMILY HISTORY:\nHer grandmother was diagnosed with Alzheimer disease in "
     "her 70s with symptoms similar to the patient.", ["Z82.0"], ["G30.9"]),
    ("relative_epilepsy_same_presentation_is_z82_0",
     "HPI:\nTwo seizures this month.\nFAMILY HISTORY:\nHis brother has epilepsy with the same symptoms as he has.",
     ["Z82.0"], []),
    ("relative_stroke_compared_is_z82_3",
     "HPI:\nTransient left arm weakness.\nFAMILY HISTORY:\nMother had a stroke at 50 with weakness like hers.",
     ["Z82.3"], []),
    ("family_history_list_not_compared_not_coded",
     "HPI:\nTwo seizures this month.\nFAMILY HISTORY:\nFather with Parkinson's disease. Mother with stroke.",
     [], ["Z82.0", "Z82.3", "G20.A1"]),
]


@pytest.mark.parametrize(("text", "expected", "absent"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_family_history(text: str, expected: list[str], absent: list[str]) -> None:
    codes = {s["code"] for s in suggest(text, note_id="t", date_of_service=DOS).to_dict()["suggestions"]}
    assert set(expected) <= codes, codes
    assert not set(absent) & codes, codes
