"""Negation after an inline line label ('Station: no truncal ataxia'): one named clinical case each."""

from __future__ import annotations

import pytest

# (case id, text, mention, negated?)
CASES = [
    ("label_then_no_finding_is_negated", "EXAM:\nStation: no truncal ataxia.", "ataxia", True),
    ("label_then_no_list_is_negated",
     "EXAM:\nStation: No pronator drift, truncal ataxia or Romberg sign.", "ataxia", True),
    ("coordination_label_no_dysmetria", "EXAM:\nCOORDINATION: no dysmetria on finger-nose.", "dysmetria", True),
    ("finding_label_then_clause_final_no", "ROS:\nTremor: no, dizziness: yes.", "Tremor", True),
    ("finding_label_then_line_final_no", "ROS:\nTremor: no\nGait: ataxic.", "Tremor", True),
    ("finding_after_line_final_no_not_negated", "ROS:\nTremor: no\nGait: ataxic.", "ataxic", False),
    ("study_label_with_negative_result", "COURSE:\nEEG: no focal or epileptiform activity.", "EEG", True),
    ("study_label_with_abnormal_result", "COURSE:\nEEG: diffuse slowing.", "EEG", False),
    ("label_then_positive_finding", "EXAM:\nCoordination: dysmetria on the left.", "dysmetria", False),
]


@pytest.mark.parametrize(("text", "mention", "negated"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_label_negation(pipeline, text: str, mention: str, negated: bool) -> None:  # type: ignore[no-untyped-def]
    ents = {e.text: e for e in pipeline(text).ents}
    assert bool(ents[mention]._.is_negated) is negated
