"""Age-limited conditions (age_limited_conditions.csv): told of a patient past the age band, outside
the assessment, they are onset history, not the current condition (one named clinical case each)."""

from __future__ import annotations

import pytest

from nlp.api import suggest
from nlp.pipeline.context import patient_age_years

DOS = "2026-05-01"

# (case id, note text, codes expected, codes that must not be suggested)
CASES = [
    ("nine_year_old_with_infantile_spasms_in_infancy_history",
     "HISTORY OF PRESENT ILLNESS:\nThe patient is a 9-year-old boy who began having seizures in infancy "
     "presenting as infantile spasms. He now has frequent seizures.\nIMPRESSION:\nIntractable epilepsy.",
     ["G40.919"], ["G40.824", "G40.822"]),
    ("infant_with_infantile_spasms_is_current",
     "HISTORY OF PRESENT ILLNESS:\nThe patient is a 7-month-old girl with infantile spasms since last month, "
     "intractable.\nIMPRESSION:\nInfantile spasms, intractable.",
     ["G40.824"], []),
    ("older_child_with_infantile_spasms_restated_in_the_impression_is_current",
     "HISTORY OF PRESENT ILLNESS:\nThe patient is a 6-year-old boy.\nIMPRESSION:\nInfantile spasms, "
     "intractable.", ["G40.824"], []),
    ("adult_with_febrile_seizures_as_a_toddler",
     "HISTORY OF PRESENT ILLNESS:\nThis 34-year-old woman had febrile seizures at age 2. She now reports "
     "migraine headaches.\nIMPRESSION:\nMigraine without aura.", [], ["R56.00", "R56.01"]),
    ("toddler_with_febrile_seizure_is_current",
     "HISTORY OF PRESENT ILLNESS:\nThis 18-month-old boy had a febrile seizure yesterday with a temperature "
     "of 39.5.", ["R56.00"], []),
    ("no_age_stated_keeps_the_mention_current",
     "HISTORY OF PRESENT ILLNESS:\nThe patient has infantile spasms, intractable.", ["G40.824"], []),
]


@pytest.mark.parametrize(("text", "expected", "absent"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_age_limited_condition(text: str, expected: list[str], absent: list[str]) -> None:
    codes = {s["code"] for s in suggest(text, note_id="t", date_of_service=DOS).to_dict()["suggestions"]}
    assert set(expected) <= codes, codes
    assert not set(absent) & codes, codes


@pytest.mark.parametrize(("text", "years"), [
    ("A 9-year-old male", 9.0), ("an 18 month old infant", 1.5), ("a 3-week-old", 3 * 7 / 365.25),
    ("a 60 year old woman", 60.0), ("no age here, 40 mg daily", None),
])
def test_patient_age(text: str, years: float | None) -> None:
    got = patient_age_years(text)
    assert got == pytest.approx(years) if years is not None else got is None
