"""A general statement about a disease is not the patient's diagnosis; a finding that did not progress /
improve persists (one named clinical case each)."""

from __future__ import annotations

import pytest

# (case id, text, mention, hypothetical?)
CASES = [
    ("antibody_titres_tend_to_be_elevated_in_disease",
     "Striated muscle antibody titers tend to be elevated in myasthenia gravis with thymoma.",
     "myasthenia gravis", True),
    ("findings_typically_seen_in_disease", "These lesions are typically seen in multiple sclerosis.",
     "multiple sclerosis", True),
    ("patient_finding_tends_to_be_worse_is_current", "Her headaches tend to be worse in the morning.",
     "headaches", False),
    ("stated_diagnosis_is_current", "IMPRESSION:\nMyasthenia gravis.", "Myasthenia gravis", False),
]


@pytest.mark.parametrize(("text", "mention", "hypothetical"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_generic_statement(pipeline, text: str, mention: str, hypothetical: bool) -> None:  # type: ignore[no-untyped-def]
    ents = {e.text: e for e in pipeline(text).ents}
    assert bool(ents[mention]._.is_hypothetical) is hypothetical


# (case id, text, mention, negated?)
PERSISTS = [
    ("no_progression_until_new_symptom_not_negated",
     "She had no progression of her symptoms until May when her right hand was clumsy.", "clumsy", False),
    ("no_improvement_in_finding_means_it_persists", "No improvement in her headaches.", "headaches", False),
    ("no_relief_of_finding_means_it_persists", "There was no relief of the tremor with propranolol.", "tremor", False),
    ("if_not_always_is_an_intensifier_not_a_negation",
     "He frequently if not always has trouble getting out of a car and shuffles his feet.", "shuffles", False),
    ("plain_no_still_negates", "No weakness.", "weakness", True),
]


@pytest.mark.parametrize(("text", "mention", "negated"), [c[1:] for c in PERSISTS], ids=[c[0] for c in PERSISTS])
def test_persisting_finding_not_negated(pipeline, text: str, mention: str, negated: bool) -> None:  # type: ignore[no-untyped-def]
    ents = {e.text: e for e in pipeline(text).ents}
    assert bool(ents[mention]._.is_negated) is negated
