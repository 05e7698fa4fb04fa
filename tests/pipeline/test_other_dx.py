"""Pipeline facts for diagnoses outside the neurology families (`other_dx`): common diagnosis terms,
diagnosis lines of the assessment sections, their assertion and the 'treated' past-history rule.
Notes are written for the test (no shared data)."""

from __future__ import annotations

import pytest

from nlp.pipeline import extract_facts


def _dx(text: str) -> list[tuple[str, str, str, bool]]:
    return [(f.concept, f.assertion, f.evidence[0].text, bool(f.attrs.get("treated")))
            for f in extract_facts(text) if f.family == "other_dx"]


# (clinical case id, note, concept, assertion, treated)
CASES = [
    ("assessment_item_present", "ASSESSMENT:\n1.  Hyperlipidemia.\n", "hyperlipidemia", "present", False),
    ("hpi_comorbidity_present", "HISTORY OF PRESENT ILLNESS:\nA 60-year-old woman with hypertension and "
     "diabetes mellitus presents with numbness.\n", "hypertension", "present", False),
    ("pmh_item_historical", "PAST MEDICAL HISTORY:\n1.  Hypertension.\n2.  Gout.\n", "hypertension",
     "historical", False),
    ("pmh_item_treated_is_current", "PAST MEDICAL HISTORY:\nHypertension treated with lisinopril.\n",
     "hypertension", "present", True),
    ("pmh_item_on_drug_is_current", "PAST MEDICAL HISTORY:\nDiabetes on metformin.\n", "diabetes",
     "present", True),
    ("narrative_medical_history_of", "She has a past medical history of hypertension and gout.\n",
     "hypertension", "historical", False),
    ("familial_medical_history", "HISTORY:\nHer familial medical history is significant for diabetes.\n",
     "diabetes", "family", False),
    ("consistent_with_hedge", "IMPRESSION:\nA length-dependent neuropathy consistent with diabetes.\n",
     "diabetes", "uncertain", False),
    ("denied", "HPI:\nShe denies chest pain.\n", "chest_pain", "negated", False),
    ("family_section", "FAMILY HISTORY:\nMother had hypertension.\n", "hypertension", "family", False),
    ("eeg_bipolar_montage_is_not_bipolar_disorder", "EEG:\nA bipolar montage was used.\n", None, "", False),
]


@pytest.mark.parametrize(("text", "concept", "assertion", "treated"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_other_dx_fact(text, concept, assertion, treated) -> None:
    found = [d for d in _dx(text) if d[0] != "diagnosis_line"]
    if concept is None:
        assert found == []
        return
    hit = [d for d in found if d[0] == concept]
    assert hit, found
    assert hit[0][1] == assertion
    assert hit[0][3] == treated


# (clinical case id, note, expected diagnosis lines as (text, assertion))
LINES = [
    ("numbered_items_without_terms", "IMPRESSION:\n1.  Tinea pedis.\n2.  Dehydration.\n",
     [("Tinea pedis", "present"), ("Dehydration", "present")]),
    ("item_with_entity_is_not_a_line", "DIAGNOSES:\n1.  Hypertension.\n2.  Tinea pedis.\n",
     [("Tinea pedis", "present")]),
    ("hedged_line_uncertain", "IMPRESSION:\nPossible Whipple disease.\n",
     [("Possible Whipple disease", "uncertain")]),
    ("rule_out_line_uncertain", "IMPRESSION:\nRule out sinusitis.\n", [("Rule out sinusitis", "uncertain")]),
    ("negated_line", "IMPRESSION:\nNo evidence of meningitis.\n", [("No evidence of meningitis", "negated")]),
    ("not_outside_diagnosis_sections", "HPI:\nTinea pedis.\n", []),
]


@pytest.mark.parametrize(("text", "lines"), [c[1:] for c in LINES], ids=[c[0] for c in LINES])
def test_diagnosis_lines(text, lines) -> None:
    got = [(d[2], d[1]) for d in _dx(text) if d[0] == "diagnosis_line"]
    assert got == lines
    for d in _dx(text):
        if d[0] == "diagnosis_line":
            assert text.find(d[2]) >= 0  # evidence is sliced from the original text


# (clinical case id, note, expected polyneuropathy cause)
CAUSES = [
    ("hedged_cause_not_an_attribute", "IMPRESSION:\nA sensory motor polyneuropathy consistent with diabetes.\n", None),
]


@pytest.mark.parametrize(("text", "cause"), [c[1:] for c in CAUSES], ids=[c[0] for c in CAUSES])
def test_hedged_cause(text, cause) -> None:
    facts = [f for f in extract_facts(text) if f.family == "neuromuscular"]
    assert facts and all(f.attrs.get("cause") == cause for f in facts)
