"""Diagnosis vocabulary and attribute rules at the coder level: facts -> ICD-10-CM leaf, label and query
axes (one named clinical case per rule; facts are built directly, no note text)."""

from __future__ import annotations

import pytest

# (case id, family, concept, attrs, expected code, label, axes that must be queried)
CASES = [
    # intracranial injury: loss of consciousness (6th character) and sequela (7th character) from the tabular
    ("concussion_without_loc_sequela", "stroke", "concussion", {"loc": "none", "sequela": True},
     "S06.0X0S", "specific", set()),
    ("concussion_without_loc_current_injury", "stroke", "concussion", {"loc": "none"}, "S06.0X0A",
     "specific", set()),
    ("concussion_loc_not_documented_queried", "stroke", "concussion", {}, "S06.0X9A", "NOS", {"loc"}),
    ("concussion_loc_stated_without_duration_queried", "stroke", "concussion",
     {"loc": "unspecified_duration", "loc_duration": "unstated"}, "S06.0X9A", "NOS", {"loc"}),
    ("concussion_loc_of_unknown_duration_documented", "stroke", "concussion", {"loc": "unspecified_duration"},
     "S06.0X9A", "specific", set()),
    ("concussion_loc_status_unknown", "stroke", "concussion", {"loc": "unknown", "sequela": True}, "S06.0XAS",
     "specific", set()),
    ("concussion_brief_loc_30_minutes_or_less", "stroke", "concussion", {"loc": "le30"}, "S06.0X1A",
     "specific", set()),
    ("traumatic_subdural_sequela_loc_unknown_duration", "stroke", "subdural_hematoma",
     {"traumatic": True, "loc": "unspecified_duration", "sequela": True}, "S06.5X9S", "specific", set()),
    ("traumatic_subdural_without_loc", "stroke", "subdural_hematoma", {"traumatic": True, "loc": "none"},
     "S06.5X0A", "specific", set()),
    ("postconcussional_syndrome", "symptom", "postconcussion_syndrome", {}, "F07.81", "specific", set()),
    # other brain diagnoses
    ("idiopathic_intracranial_hypertension", "symptom", "intracranial_hypertension", {}, "G93.2", "specific",
     set()),
    ("anoxic_brain_damage_is_specific", "symptom", "anoxic_brain_damage", {}, "G93.1", "specific", set()),
    ("coma_nos_is_specific", "symptom", "coma", {}, "R40.20", "specific", set()),
    ("staring_spells_transient_alteration_of_awareness", "symptom", "altered_awareness", {}, "R40.4",
     "specific", set()),
    ("fasciculations", "symptom", "fasciculation", {}, "R25.3", "specific", set()),
    ("fainting_is_syncope", "symptom", "syncope", {}, "R55", "specific", set()),
    ("ataxic_gait", "symptom", "ataxic_gait", {}, "R26.0", "specific", set()),
    # cranial and peripheral nerves
    ("trigeminal_neuralgia_no_laterality_axis", "neuromuscular", "trigeminal_neuralgia", {"laterality": "right"},
     "G50.0", "specific", set()),
    ("occipital_neuralgia_no_laterality_axis", "neuromuscular", "occipital_neuralgia", {"laterality": "left"},
     "M54.81", "specific", set()),
    ("peroneal_neuropathy_left", "neuromuscular", "peroneal_neuropathy", {"laterality": "left"}, "G57.32",
     "specific", set()),
    ("sciatic_neuropathy_right", "neuromuscular", "sciatic_neuropathy", {"laterality": "right"}, "G57.01",
     "specific", set()),
    ("tibial_neuropathy_bilateral", "neuromuscular", "tibial_neuropathy", {"laterality": "bilateral"}, "G57.43",
     "specific", set()),
    ("meralgia_paresthetica_left", "neuromuscular", "meralgia_paresthetica", {"laterality": "left"}, "G57.12",
     "specific", set()),
    ("tarsal_tunnel_side_missing", "neuromuscular", "tarsal_tunnel", {}, "G57.50", "NOS", {"laterality"}),
    # myopathy types
    ("inclusion_body_myositis", "neuromuscular", "myopathy", {"myopathy_type": "inclusion_body"}, "G72.41",
     "specific", set()),
    ("critical_illness_myopathy", "neuromuscular", "myopathy", {"myopathy_type": "critical_illness"}, "G72.81",
     "specific", set()),
    ("statin_myopathy_drug_induced", "neuromuscular", "myopathy", {"myopathy_type": "drug"}, "G72.0",
     "specific", set()),
    ("alcoholic_myopathy", "neuromuscular", "myopathy", {"myopathy_type": "alcoholic"}, "G72.1", "specific",
     set()),
    ("hypokalemic_periodic_paralysis", "neuromuscular", "myopathy", {"myopathy_type": "periodic_paralysis"},
     "G72.3", "specific", set()),
    ("inflammatory_myopathy_nec", "neuromuscular", "myopathy", {"myopathy_type": "inflammatory"}, "G72.49",
     "NEC", set()),
    ("myopathy_type_missing", "neuromuscular", "myopathy", {}, "G72.9", "NOS", {"etiology"}),
    # attribute modifiers
    ("myasthenia_gravis_with_exacerbation", "neuromuscular", "myasthenia_gravis", {"exacerbation": True},
     "G70.01", "specific", set()),
    ("myasthenia_gravis_without_exacerbation", "neuromuscular", "myasthenia_gravis", {"exacerbation": False},
     "G70.00", "specific", set()),
    ("alzheimer_late_onset", "dementia", "alzheimer_disease", {"onset": "late"}, "G30.1", "specific", set()),
    ("alzheimer_early_onset", "dementia", "alzheimer_disease", {"onset": "early"}, "G30.0", "specific", set()),
    ("parkinson_dyskinesia_without_fluctuations", "parkinson", "parkinson_disease", {"dyskinesia": True},
     "G20.B1", "specific", set()),
    ("parkinson_fluctuations_without_dyskinesia", "parkinson", "parkinson_disease",
     {"dyskinesia": False, "fluctuations": True}, "G20.A2", "specific", set()),
    ("chronic_migraine_with_aura_refractory", "headache", "migraine",
     {"chronic": True, "aura": True, "intractable": True, "status_migrainosus": False}, "G43.E19", "specific",
     set()),
    ("chronic_migraine_with_aura_axes_missing", "headache", "migraine", {"chronic": True, "aura": True},
     "G43.E09", "NOS", {"intractability", "status_migrainosus"}),
    # named headache syndromes (G44.5-, G44.8-, G44.0-)
    ("nummular_headache_other_headache_syndrome", "headache", "other_headache", {"headache_kind": "nummular"},
     "G44.89", "NEC", set()),
    ("hypnic_headache", "headache", "other_headache", {"headache_kind": "hypnic"}, "G44.81", "specific", set()),
    ("primary_cough_headache", "headache", "other_headache", {"headache_kind": "cough"}, "G44.83", "specific",
     set()),
    ("primary_exertional_headache", "headache", "other_headache", {"headache_kind": "exertional"}, "G44.84",
     "specific", set()),
    ("primary_stabbing_headache", "headache", "other_headache", {"headache_kind": "stabbing"}, "G44.85",
     "specific", set()),
    ("cervicogenic_headache", "headache", "other_headache", {"headache_kind": "cervicogenic"}, "G44.86",
     "specific", set()),
    ("hemicrania_continua", "headache", "other_headache", {"headache_kind": "hemicrania_continua"}, "G44.51",
     "specific", set()),
    ("new_daily_persistent_headache", "headache", "other_headache", {"headache_kind": "ndph"}, "G44.52",
     "specific", set()),
    ("paroxysmal_hemicrania_intractability_missing", "headache", "other_headache",
     {"headache_kind": "paroxysmal_hemicrania"}, "G44.039", "NOS", {"intractability"}),
    ("chronic_paroxysmal_hemicrania_intractable", "headache", "other_headache",
     {"headache_kind": "paroxysmal_hemicrania", "chronic": True, "intractable": True}, "G44.041", "specific",
     set()),
    ("sunct_not_intractable", "headache", "other_headache", {"headache_kind": "sunct", "intractable": False},
     "G44.059", "specific", set()),
]


@pytest.mark.parametrize(("family", "concept", "attrs", "code", "label", "axes"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_vocabulary_codes(run, fact, family, concept, attrs, code, label, axes):
    result = run(fact(family, concept, **attrs))
    s = result.get(code)
    assert s is not None, result.codes()
    assert s.label == label
    assert axes <= set(s.missing_axes)


# integral signs (Guidelines I.B.5) and unspecified codes beside the specified condition they describe:
# (case id, sign fact, condition fact, code that must not be suggested, code that must be)
INTEGRAL = [
    ("headache_part_of_intracranial_hypertension", ("headache", "headache", {}),
     ("symptom", "intracranial_hypertension", {}), "R51.9", "G93.2"),
    ("staring_spells_part_of_epilepsy", ("symptom", "altered_awareness", {}),
     ("epilepsy", "epilepsy", {"onset": "generalized", "intractable": False}), "R40.4", None),
    ("unresponsive_spells_part_of_psychogenic_nonepileptic_seizures", ("symptom", "altered_awareness", {}),
     ("epilepsy", "pnes", {}), "R40.4", "F44.5"),
    ("fasciculations_part_of_motor_neuron_disease", ("symptom", "fasciculation", {}),
     ("neuromuscular", "als", {}), "R25.3", "G12.21"),
    ("dysphagia_part_of_myasthenia_gravis", ("symptom", "dysphagia", {}),
     ("neuromuscular", "myasthenia_gravis", {"exacerbation": True}), "R13.10", "G70.01"),
    ("numbness_part_of_carpal_tunnel", ("symptom", "numbness", {"laterality": "right"}),
     ("neuromuscular", "carpal_tunnel", {"laterality": "right"}), "R20.0", "G56.01"),
    ("tingling_part_of_polyneuropathy", ("symptom", "paresthesia", {}),
     ("neuromuscular", "polyneuropathy", {"poly": True}), "R20.2", "G62.9"),
    ("thenar_weakness_part_of_median_neuropathy", ("symptom", "weakness", {"laterality": "left"}),
     ("neuromuscular", "carpal_tunnel", {"laterality": "left"}), "R29.898", "G56.02"),
    ("spasticity_part_of_hemiparesis_after_stroke", ("symptom", "spasticity", {}),
     ("stroke", "hemiparesis", {"sequela": True, "laterality": "right"}), "R25.2", "I69.351"),
    ("hyperreflexia_part_of_hemiparesis_after_stroke", ("symptom", "hyperreflexia", {}),
     ("stroke", "hemiparesis", {"sequela": True, "laterality": "left"}), "R29.2", "I69.354"),
    ("polyneuropathy_nos_part_of_cidp", ("neuromuscular", "polyneuropathy", {"poly": True}),
     ("neuromuscular", "cidp", {}), "G62.9", "G61.81"),
]


@pytest.mark.parametrize(("sign", "condition", "absent", "present"), [c[1:] for c in INTEGRAL],
                         ids=[c[0] for c in INTEGRAL])
def test_integral_sign_not_coded_beside_condition(run, fact, sign, condition, absent, present):
    result = run(fact(sign[0], sign[1], **sign[2]), fact(condition[0], condition[1], start=40, **condition[2]))
    assert absent not in result.codes(), result.codes()
    if present:
        assert present in result.codes(), result.codes()


def test_nontraumatic_subdural_is_not_an_injury_code(run, fact):
    result = run(fact("stroke", "subdural_hematoma"))
    assert not any(c.startswith("S06") for c in result.codes()), result.codes()
