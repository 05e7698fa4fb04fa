"""Coding conventions of the annotation guide, one named clinical case each (facts built directly)."""

from __future__ import annotations

import pytest

from tests.coding.conftest import make_fact as f

# (case id, facts, codes expected, codes that must not be suggested)
CASES = [
    ("ros_only_headache_not_coded",
     [f("headache", "headache", section="ros")], [], ["R51.9"]),
    ("ros_only_polyneuropathy_not_coded",
     [f("neuromuscular", "polyneuropathy", section="ros")], [], ["G62.9"]),
    ("headache_in_impression_is_coded",
     [f("headache", "headache", section="impression")], ["R51.9"], []),
    ("presenting_headache_not_coded_beside_hemorrhage",
     [f("headache", "headache", section="chief_complaint"),
      f("stroke", "subarachnoid_hemorrhage", section="hpi", stroke_type="hemorrhagic")], ["I60.9"], ["R51.9"]),
    ("stroke_deficit_in_chief_complaint_kept_beside_diagnosis",
     [f("stroke", "dysarthria", section="chief_complaint"),
      f("neuromuscular", "carpal_tunnel", laterality="right")], ["R47.1", "G56.01"], []),
    ("symptom_codes_alone_are_not_a_diagnosis",
     [f("symptom", "confusion", section="chief_complaint"), f("stroke", "aphasia", section="exam")],
     ["R41.0", "R47.01"], []),
    ("hemiparetic_cerebral_palsy_is_g80_2_without_g81",
     [f("stroke", "hemiparesis", laterality="right"), f("stroke", "cerebral_palsy", laterality="right")],
     ["G80.2"], ["G81.91", "G80.9"]),
    ("limb_weakness_part_of_hemiparesis",
     [f("stroke", "hemiparesis", section="exam", laterality="left"),
      f("symptom", "weakness", section="exam", laterality="left")], ["G81.94"], ["R29.898"]),
    ("spasticity_and_dysarthria_part_of_ms",
     [f("ms", "multiple_sclerosis"), f("symptom", "spasticity", section="exam"),
      f("stroke", "dysarthria", section="exam")], ["G35.D"], ["R25.2", "R47.1"]),
    ("diabetic_polyneuropathy_absorbs_diabetic_neuropathy_mention",
     [f("neuromuscular", "peripheral_neuropathy", cause="diabetic"),
      f("neuromuscular", "diabetic_neuropathy", cause="diabetic")], ["E11.42"], ["E11.40"]),
    ("peripheral_neuropathy_consistent_with_diabetic_neuropathy_is_e11_42",
     [f("neuromuscular", "polyneuropathy", poly=True), f("neuromuscular", "diabetic_neuropathy", cause="diabetic")],
     ["E11.42"], ["E11.40", "G62.9"]),
    ("negated_diabetic_neuropathy_leaves_peripheral_neuropathy_g62_9",
     [f("neuromuscular", "polyneuropathy", poly=True),
      f("neuromuscular", "diabetic_neuropathy", assertion="negated", cause="diabetic")],
     ["G62.9"], ["E11.42", "E11.40"]),
    ("unclassified_seizure_type_in_assessment_outranks_types_in_history",
     [f("epilepsy", "epilepsy", intractable=True),
      f("epilepsy", "seizure", section="hpi", motor=["tonic"]),
      f("epilepsy", "seizure", section="impression", unclassified=True)], ["G40.919"], ["G40.419"]),
    ("seizure_type_in_history_classifies_when_assessment_does_not_say_unclassified",
     [f("epilepsy", "epilepsy", intractable=True), f("epilepsy", "seizure", section="hpi", motor=["tonic"])],
     ["G40.419"], ["G40.919"]),
    ("generic_neuropathy_joins_diabetic_neuropathy",
     [f("neuromuscular", "diabetic_neuropathy", cause="diabetic"), f("neuromuscular", "polyneuropathy")],
     ["E11.40"], ["G62.9"]),
    ("moyamoya_is_a_diagnosis", [f("stroke", "moyamoya", section="hpi")], ["I67.5"], []),
    ("left_homonymous_hemianopia", [f("stroke", "hemianopia", section="exam", laterality="left")], ["H53.462"],
     ["H53.461"]),
    ("presenting_diplopia_not_coded_beside_gbs",
     [f("symptom", "diplopia", section="hpi"), f("neuromuscular", "guillain_barre")], ["G61.0"], ["H53.2"]),
    ("confusion_excludes_altered_mental_status",
     [f("symptom", "confusion", section="exam"), f("symptom", "altered_mental_status", section="exam")],
     ["R41.0"], ["R41.82"]),
    ("altered_mental_status_in_the_assessment_outranks_confusion_in_the_history",
     [f("symptom", "disorientation", section="hpi"), f("symptom", "disorientation", section="exam"),
      f("symptom", "altered_mental_status", section="impression")], ["R41.82"], ["R41.0"]),
    ("confusion_in_the_assessment_keeps_r41_0_over_altered_mental_status_in_hpi",
     [f("symptom", "confusion", section="impression"), f("symptom", "altered_mental_status", section="hpi")],
     ["R41.0"], ["R41.82"]),
    ("both_in_the_assessment_keep_r41_0",
     [f("symptom", "confusion", section="impression"), f("symptom", "altered_mental_status", section="impression")],
     ["R41.0"], ["R41.82"]),
    ("old_infarct_on_imaging_is_z86_73", [f("stroke", "stroke", assertion="historical", section="impression")],
     ["Z86.73"], []),
    ("stroke_only_in_past_medical_history_list_not_coded",
     [f("stroke", "stroke", assertion="historical", section="pmh")], [], ["Z86.73"]),
    ("pmh_stroke_with_documented_residual_deficit_is_a_sequela",
     [f("stroke", "stroke", assertion="historical", section="pmh"),
      f("stroke", "aphasia", section="exam", sequela=True)], ["I69.320"], []),
    ("old_infarct_beside_new_deficit_codes_the_deficit_as_a_sign",
     [f("stroke", "stroke", assertion="historical", section="hpi"), f("stroke", "aphasia", section="exam")],
     ["R47.01"], ["I69.320"]),
    ("spasticity_alone_is_coded",
     [f("symptom", "spasticity", section="exam")], ["R25.2"], []),
]


# (case id, facts, code, label, query axes that must be asked)
LABELS = [
    ("hemiparesis_type_not_documented", [f("stroke", "hemiparesis", laterality="left")], "G81.94", "NOS",
     {"paralysis_type"}),
    ("cerebral_palsy_type_not_documented", [f("stroke", "cerebral_palsy")], "G80.9", "NOS", {"cp_type"}),
    ("stroke_family_sign_asks_etiology", [f("stroke", "ataxia", section="exam")], "R27.0", "NOS", {"etiology"}),
    ("diabetes_type_defaulted_is_queried", [f("neuromuscular", "polyneuropathy", cause="diabetic")], "E11.42",
     "NOS", {"diabetes_type"}),
    ("median_neuropathy_not_localised", [f("neuromuscular", "median_neuropathy", laterality="left")], "G56.12",
     "NOS", {"neuropathy_type"}),
    ("confusion_indexes_fully_to_r41_0", [f("symptom", "confusion", section="exam")], "R41.0", "specific",
     set()),
]


@pytest.mark.parametrize(("facts", "code", "label", "axes"), [c[1:] for c in LABELS], ids=[c[0] for c in LABELS])
def test_label_and_query(run, facts, code, label, axes):
    s = run(*facts).get(code)
    assert s is not None and s.label == label
    assert axes <= set(s.query.axes if s.query else [])


@pytest.mark.parametrize(("facts", "expected", "absent"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_convention(run, facts, expected, absent):
    codes = run(*facts).codes()
    for code in expected:
        assert code in codes, codes
    for code in absent:
        assert code not in codes, codes
