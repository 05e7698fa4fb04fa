"""Diagnosis pointers: ordered, chosen from the evidence and the pointer table."""

from __future__ import annotations

import pytest

from nlp.claim.pointers import claim_lines


def test_pointer_chemodenervation_points_to_chronic_migraine(sugg) -> None:  # type: ignore[no-untyped-def]
    suggestions = [sugg("ICD-10-CM", "R51.9", label="NOS", section="hpi"),
                   sugg("ICD-10-CM", "G43.709", section="indication"),
                   sugg("CPT", "64615", section="procedure")]
    diagnoses, lines = claim_lines(suggestions)
    assert [d["letter"] for d in diagnoses] == ["A", "B"]
    assert lines[0].code == "64615" and lines[0].pointer_codes[0] == "G43.709"
    assert lines[0].pointers[0] == "B"


def test_pointer_emg_found_condition_before_prompting_symptom(sugg) -> None:  # type: ignore[no-untyped-def]
    suggestions = [sugg("ICD-10-CM", "R20.2", section="indication"),
                   sugg("ICD-10-CM", "I10", section="pmh"),
                   sugg("ICD-10-CM", "G56.01", section="impression"),
                   sugg("CPT", "95909"), sugg("CPT", "95886", units=2)]
    _, lines = claim_lines(suggestions)
    for line in lines:
        assert line.pointer_codes == ["G56.01", "R20.2"]  # hypertension is not pointed to
        assert "condition found" in line.pointer_reasons[0]


def test_pointer_symptom_when_study_found_nothing(sugg) -> None:  # type: ignore[no-untyped-def]
    _, lines = claim_lines([sugg("ICD-10-CM", "R20.2", section="indication"), sugg("CPT", "95907")])
    assert lines[0].pointer_codes == ["R20.2"]


def test_pointer_falls_back_to_indication_then_first(sugg) -> None:  # type: ignore[no-untyped-def]
    _, lines = claim_lines([sugg("ICD-10-CM", "I10", section="pmh"), sugg("ICD-10-CM", "E78.5", section="impression"),
                            sugg("CPT", "99999")])
    assert lines[0].pointer_codes == ["E78.5"]
    _, lines = claim_lines([sugg("ICD-10-CM", "I10", section="pmh"), sugg("CPT", "99999")])
    assert lines[0].pointer_codes == ["I10"] and lines[0].pointer_reasons == ["first diagnosis of the note"]


def test_pointer_no_diagnosis_gives_empty_pointers(sugg) -> None:  # type: ignore[no-untyped-def]
    _, lines = claim_lines([sugg("CPT", "62270")])
    assert lines[0].pointers == []


@pytest.mark.parametrize("n", [5, 14])
def test_pointer_at_most_four_and_twelve_diagnoses(sugg, n: int) -> None:  # type: ignore[no-untyped-def]
    dx = [sugg("ICD-10-CM", f"G56.{i % 4}{i % 3}", section="impression") for i in range(n)]
    diagnoses, lines = claim_lines([*dx, sugg("CPT", "95909")])
    assert len(lines[0].pointers) == 4 and len(diagnoses) == min(n, 12)
