"""Tabular notes read as the conventions say (issue 9 item 6): an Excludes1 note naming a condition's
NOS form does not exclude a specified code of that category; a conditional 'code first any ...' note
gives no finding when the condition is not documented."""

from __future__ import annotations

from nlp.api import suggest


def test_radiculitis_nos_note_does_not_exclude_a_specified_cervical_radiculopathy() -> None:
    from nlp.codesets import icd10cm
    from nlp.review.edits import _specified_beside_nos

    icd = icd10cm.for_date(None)
    assert _specified_beside_nos(icd, "radiculitis NOS (M54.1)", "M54.12")        # specified: not excluded
    assert not _specified_beside_nos(icd, "radiculitis NOS (M54.1)", "M54.10")    # the NOS form itself
    assert not _specified_beside_nos(icd, "mononeuropathies (G56-G58)", "G56.01")  # not an NOS note


def test_history_of_stroke_gets_no_code_first_finding() -> None:
    # Z86 'Code first any follow-up examination after treatment (Z09)' applies only to a follow-up exam
    result = suggest("HISTORY OF PRESENT ILLNESS: He had a stroke in 2015 with no residual deficits.\n"
                     "ASSESSMENT:\n1. Migraine without aura.\n2. History of stroke.\n")
    assert "Z86.73" in [s.code for s in result.suggestions]
    assert not [e for e in result.edits if e.type == "code_first"]


def test_query_options_cover_every_axis() -> None:
    result = suggest("ASSESSMENT:\n1. Migraine.\n")
    query = next(q for q in result.queries if q.code.startswith("G43"))
    assert len(query.axes) > 1 and set(query.options_by_axis) == set(query.axes)
    for axis, choices in query.options_by_axis.items():
        assert set(choices) <= set(query.options), axis
    assert query.options[-2:] == ["other", "clinically undetermined"]
