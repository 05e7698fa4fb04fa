"""Neurological signs written without their index term: phrasing families -> symptom codes, end to end
(one named clinical case each; synthetic sentences, no note text)."""

from __future__ import annotations

import pytest

from nlp.api import suggest

DOS = "2026-05-01"

# (case id, note text, codes expected, codes that must not be suggested)
CASES = [
    ("orientation_to_one_sphere_is_disorientation",
     "EXAM:\nMS: Alert and oriented to person only. Follows commands.", ["R41.0"], []),
    ("oriented_only_to_self_is_disorientation",
     "EXAM:\nMental status: awake, oriented only to self.", ["R41.0"], []),
    ("nonfluent_speech_is_aphasia",
     "EXAM:\nSpeech: short phrases, non-fluent. Comprehension intact.", ["R47.01"], []),
    ("expressive_aphasia_is_aphasia",
     "EXAM:\nShe has an expressive aphasia with word-finding pauses.", ["R47.01"], []),
    ("dysmetric_finger_nose_is_other_lack_of_coordination",
     "EXAM:\nCOORDINATION: dysmetric finger-nose-finger on the left.", ["R27.8"], []),
    ("clumsy_hand_is_other_lack_of_coordination",
     "HPI:\nFor two weeks his right hand has felt clumsy.", ["R27.8"], []),
    ("written_ataxia_takes_r27_0_not_r27_8",
     "EXAM:\nAtaxia and dysmetria on heel-knee-shin bilaterally.", ["R27.0"], ["R27.8"]),
    ("brisk_reflexes_are_abnormal_reflex",
     "EXAM:\nREFLEXES: brisk reflexes in both legs, plantar responses flexor.", ["R29.2"], []),
    ("brisk_reflexes_part_of_motor_neuron_disease",
     "EXAM:\nFasciculations and brisk reflexes.\nIMPRESSION: Amyotrophic lateral sclerosis.", ["G12.21"],
     ["R29.2"]),
    ("reflexes_graded_3_plus_are_hyperreflexia",
     "EXAM:\nReflexes: 3+/3+ throughout all four extremities.", ["R29.2"], []),
    ("one_reflex_graded_3_plus_among_normal_grades",
     "EXAM:\nReflexes: 2+/2+ in the arms, 3+/3+ patellae, 1/1 ankles.", ["R29.2"], []),
    ("normal_reflex_grades_not_coded",
     "EXAM:\nReflexes: 1+/1+ to 2+/2+ and symmetric throughout.", [], ["R29.2"]),
    ("strength_grade_3_plus_is_not_a_reflex",
     "EXAM:\nReflexes symmetric. Strength 3+/5 in the legs.", [], ["R29.2"]),
    ("hyperreflexia_part_of_multiple_sclerosis",
     "EXAM:\nReflexes 3+ at the knees.\nASSESSMENT:\nRelapsing-remitting multiple sclerosis.", [], ["R29.2"]),
    ("shuffling_gait_is_other_gait_abnormality",
     "EXAM:\nGAIT: slow and shuffling, turns en bloc.", ["R26.89"], []),
    ("listing_to_one_side_is_other_gait_abnormality",
     "HPI:\nShe began listing to the left when walking.", ["R26.89"], []),
    ("wide_based_gait_is_other_gait_abnormality",
     "EXAM:\nGait: wide-based gait, cannot tandem.", ["R26.89"], []),
    ("unsteady_gait_is_unsteadiness_on_feet",
     "HPI:\nHe reports an unsteady gait for a month.", ["R26.81"], []),
    ("both_hallucination_modalities_each_coded",
     "HPI:\nHe reports auditory and visual hallucinations for a week. The hallucinations are worse at night.",
     ["R44.0", "R44.1"], ["R44.3"]),
    ("visual_hallucinations_only",
     "HPI:\nShe has visual hallucinations of small animals.", ["R44.1"], ["R44.3", "R44.0"]),
    ("hallucinations_without_modality_unspecified",
     "HPI:\nFive days of hallucinations.", ["R44.3"], []),
    ("disorientation_part_of_dementia",
     "HPI:\nIncreasing disorientation at night.\nIMPRESSION: Alzheimer's dementia.", [], ["R41.0"]),
    ("dystonic_cerebral_palsy_is_athetoid_g80_3",
     "ASSESSMENT:\nDystonic cerebral palsy with intractable epilepsy.", ["G80.3"], ["G80.9"]),
    ("spastic_cerebral_palsy_nos_is_g80_1",
     "ASSESSMENT:\nSpastic cerebral palsy.", ["G80.1"], ["G80.9"]),
    ("spastic_quadriplegic_cerebral_palsy_is_g80_0",
     "ASSESSMENT:\nSpastic quadriplegic cerebral palsy.", ["G80.0"], ["G80.1", "G80.9"]),
    ("ataxic_cerebral_palsy_is_g80_4",
     "ASSESSMENT:\nAtaxic cerebral palsy.", ["G80.4"], []),
    ("cerebral_palsy_without_type_is_unspecified",
     "ASSESSMENT:\nCerebral palsy.", ["G80.9"], []),
    ("somnolence_progressing_to_stupor_codes_the_deepest_level",
     "HPI:\nHe became somnolent in the ER and by the time of the scan he was stuporous.", ["R40.1"], ["R40.0"]),
    ("negated_dysmetria_not_coded",
     "EXAM:\nThere is no dysmetria on finger-nose testing.", [], ["R27.8"]),
]


@pytest.mark.parametrize(("text", "expected", "absent"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_sign_phrasing(text: str, expected: list[str], absent: list[str]) -> None:
    codes = {s["code"] for s in suggest(text, note_id="t", date_of_service=DOS).to_dict()["suggestions"]}
    assert set(expected) <= codes, codes
    assert not set(absent) & codes, codes
