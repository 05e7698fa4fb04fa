"""Clinical phrasing cases for diagnosis coding: seizures, the assessment's conclusions, stroke sequelae,
dementia disturbance, disc levels (one named clinical case each; short
synthetic notes written for the project)."""

from __future__ import annotations

import pytest

from nlp.api import suggest

DOS = "2026-05-01"

# (case id, note text, codes expected, codes that must not be suggested)
CASES = [
    ("assessment_rules_out_epilepsy_treated_elsewhere",
     "HISTORY OF PRESENT ILLNESS: 31-year-old woman with episodes of whole body shaking. She had been treated "
     "for epilepsy by an outside provider.\nASSESSMENT: Psychogenic nonepileptic seizures. She does not have "
     "epilepsy.", ["F44.5"], ["G40.909", "G40.919", "R56.9"]),
    ("assessment_affirming_epilepsy_keeps_it",
     "HISTORY OF PRESENT ILLNESS: Known epilepsy.\nASSESSMENT: Epilepsy, intractable. She does not have "
     "migraine.", ["G40.919"], []),
    ("epilepsy_protocol_and_monitoring_unit_are_not_diagnoses",
     "CHIEF COMPLAINT: Review of epilepsy monitoring unit results.\nSTUDIES: MRI brain with epilepsy protocol "
     "normal.\nIMPRESSION: Single unprovoked generalized seizure.", ["R56.9"], ["G40.909", "G40.309"]),
    ("functional_seizures_are_pnes",
     "ASSESSMENT: Functional seizures confirmed by video EEG.", ["F44.5"], ["R56.9"]),
    ("landau_kleffner_with_eses_is_other_epilepsy_without_status",
     "HISTORY OF PRESENT ILLNESS: 7-year-old boy with Landau-Kleffner syndrome and electrical status "
     "epilepticus in sleep on EEG.\nASSESSMENT: Landau-Kleffner syndrome, treatment resistant.",
     ["G40.804"], ["G40.803", "G40.919"]),
    ("decline_as_worsening_does_not_negate",
     "HISTORY OF PRESENT ILLNESS: Language has continued to decline despite valproate and clobazam; his "
     "epilepsy is treatment resistant.", ["G40.919"], []),
    ("mcdonald_criteria_not_met_is_not_ms",
     "ASSESSMENT: Clinically isolated syndrome. She does not yet meet McDonald criteria for multiple sclerosis.",
     [], ["G35.D"]),
    ("weakness_that_resolved_is_not_current",
     "HISTORY OF PRESENT ILLNESS: 30-year-old man had a left-sided clonic seizure lasting 2 minutes, followed "
     "by left arm weakness that resolved after 3 hours.", ["R56.9"], ["R29.898"]),
    ("seizure_mentions_of_a_febrile_seizure_are_that_seizure",
     "HISTORY OF PRESENT ILLNESS: 2-year-old girl with a febrile illness who had a left-sided clonic seizure "
     "lasting 20 minutes.\nIMPRESSION: Complex febrile seizure.", ["R56.01"], ["R56.9", "R50.9"]),
    ("postictal_confusion_not_coded_beside_the_seizure",
     "HISTORY OF PRESENT ILLNESS: 52-year-old man had a witnessed generalized convulsion followed by "
     "confusion for 20 minutes.\nIMPRESSION: First seizure.", ["R56.9"], ["R41.0"]),
    ("essential_tremor_includes_its_tremor",
     "EXAM: Bilateral postural and kinetic tremor of the hands.\nIMPRESSION: Essential tremor.",
     ["G25.0"], ["R25.1"]),
    ("hemiparesis_as_a_sequela_is_i69_without_a_new_infarction",
     "HISTORY OF PRESENT ILLNESS: 67-year-old right-handed man 5 months after a left MCA ischemic stroke.\n"
     "ASSESSMENT: Right hemiparesis, dominant side, as a sequela of left MCA cerebral infarction.",
     ["I69.351"], ["I63.9", "G81.91"]),
    ("hemiparesis_following_cerebral_infarction_side_not_stated",
     "ASSESSMENT: Hemiparesis following cerebral infarction, chronic, stable.", ["I69.359"], ["I63.9", "G81.90"]),
    ("deficit_months_after_the_stroke_is_a_sequela",
     "HISTORY: 63-year-old man with right spastic hemiparesis 14 months after a left MCA ischemic stroke.",
     ["I69.351"], ["I63.9", "G81.91"]),
    ("acute_stroke_with_an_old_residual_keeps_both",
     "ASSESSMENT: Acute left MCA ischemic stroke. Residual left hemiparesis from a prior right MCA infarct.",
     ["I63.512", "I69.354"], ["I63.9"]),
    ("prior_infarction_without_residual_is_z86_73",
     "IMPRESSION: Dizziness, positional; prior cerebral infarction without residual deficits, relevant to "
     "workup.", ["R42", "Z86.73"], ["I63.9"]),
    ("vascular_dementia_with_agitation_is_f01_b11_without_r45_1",
     "CHIEF COMPLAINT: Confusion and agitation.\nASSESSMENT: Vascular dementia, moderate, with agitation.",
     ["F01.B11"], ["F01.B18", "R45.1"]),
    ("disc_at_a_level_with_cord_compression_in_the_impression_is_m50_0",
     "IMPRESSION:\nCervical spondylosis. She has a small disc at C3-C4 with subtle cord compression.",
     ["M50.01"], []),
    ("disc_bulge_at_a_level_in_imaging_findings_is_not_a_diagnosis",
     "MRI C-SPINE:\nMild disc bulge at C5-C6 without stenosis.\nIMPRESSION:\nNeck pain.", [], ["M50.20", "M50.222"]),
    ("cva_tenderness_is_a_renal_exam_not_a_stroke",
     "ABDOMEN: Soft, nontender. Negative CVA tenderness bilaterally.\nIMPRESSION: Abdominal pain.", [], ["I63.9"]),
    ("what_a_condition_can_result_in_is_not_a_diagnosis",
     "EDUCATION: Untreated pre-eclampsia can result in a stroke.", [], ["I63.9"]),
    ("a_visit_for_concerns_of_a_stroke_is_not_a_stroke",
     "HISTORY OF PRESENT ILLNESS: She comes in today with concerns of having a stroke. She has numbness of the "
     "left arm.", ["R20.0"], ["I63.9"]),
    ("stroke_last_month_is_not_this_encounters_acute_stroke",
     "HISTORY OF PRESENT ILLNESS: Admitted to rehabilitation after suffering a right cerebellar infarct last "
     "month.", [], ["I63.9"]),
    ("old_infarct_with_a_hyphenated_size_is_history",
     "INTERPRETATION: There is an old moderate-sized infarct of the right parietal lobe.", [], ["I63.9"]),
    ("consent_risks_are_not_diagnoses",
     "CONSENT: We discussed the potential for post-dural puncture headache and its treatment.", [], ["R51.9"]),
    ("not_intractable_does_not_negate_the_next_condition",
     "ASSESSMENT: Chronic post-traumatic headache, not intractable, sequela of concussion without loss of "
     "consciousness.", ["S06.0X0S"], []),
    ("condition_with_none_since_is_history",
     "HPI: 45 y/o woman with epilepsy, well controlled. Also h/o migraines in her 20s, none since.",
     [], ["G43.909"]),
    ("lobar_hematoma_site_is_cortical_hemorrhage",
     "HOSPITAL COURSE: CT confirmed a large hematoma with surrounding edema involving the right temporal and "
     "parietal lobes.", ["I61.1"], ["I61.9"]),
    ("thalamic_hemorrhage_is_subcortical",
     "IMPRESSION: Left thalamic intracerebral hemorrhage.", ["I61.0"], ["I61.9"]),
    ("hemorrhage_without_site_is_queried",
     "IMPRESSION: Intracerebral hemorrhage.", ["I61.9"], []),
    ("scalp_hematoma_is_not_a_brain_hemorrhage",
     "EXAM: Small scalp hematoma over the occiput after the fall.", [], ["I61.1", "I61.9"]),
    ("cardioembolic_left_mca_infarction_is_i63_412",
     "IMPRESSION: Acute ischemic stroke, left MCA territory, cardioembolic from paroxysmal atrial fibrillation.",
     ["I63.412", "I48.0"], ["I63.9", "I48.91"]),
    ("thrombotic_infarction_vessel_not_stated_is_queried",
     "IMPRESSION: Acute thrombotic stroke.", ["I63.30"], ["I63.9"]),
    ("right_pca_embolic_infarction",
     "ASSESSMENT: Acute embolic infarct of the right posterior cerebral artery territory.", ["I63.431"], []),
    ("acute_hemorrhage_keeps_its_deficit_told_in_the_history",
     "HISTORY OF PRESENT ILLNESS: By the time the scan was complete he was stuporous.\nIMPRESSION: Acute "
     "right thalamic intracerebral hemorrhage.", ["I61.0", "R40.1"], []),
    ("left_mca_occlusion_without_mechanism_is_i63_512",
     "IMPRESSION: Acute ischemic stroke from left MCA occlusion, status post thrombectomy.", ["I63.512"],
     ["I63.9"]),
    ("aphasia_following_the_stroke_is_a_sequela",
     "IMPRESSION:\n1. Expressive aphasia following the stroke, improving with therapy.", ["I69.320"],
     ["R47.01"]),
    ("hemiparesis_following_a_hemispheric_stroke_is_a_sequela",
     "DIAGNOSIS: Right spastic hemiparesis following left hemispheric ischemic stroke (right dominant).",
     ["I69.351"], ["I63.9", "G81.91"]),
    ("deficit_after_an_acute_stroke_is_not_a_sequela",
     "IMPRESSION: Aphasia after the acute left MCA stroke this morning.", ["R47.01"], ["I69.320"]),
    ("paroxysmal_type_replaces_unspecified_atrial_fibrillation",
     "HPI: Telemetry showed episodes of atrial fibrillation.\nIMPRESSION: Paroxysmal atrial fibrillation.",
     ["I48.0"], ["I48.91"]),
    ("differential_considered_and_less_likely_is_not_coded",
     "ASSESSMENT: Benign paroxysmal positional vertigo. Vestibular migraine was considered and is much less "
     "likely.", [], ["G43.909", "G43.809"]),
    ("question_of_a_diagnosis_is_not_coded",
     "HPI: Also reports hand numbness at night, question of carpal tunnel.", [], ["G56.00"]),
    ("study_purpose_is_not_a_diagnosis",
     "NEEDLE EMG: Needle examination was offered to look for cervical radiculopathy, but the patient declined.",
     [], ["M54.12"]),
    ("electrodiagnostic_impression_deferred_to_clinical_context",
     "IMPRESSION: Findings consistent with a diffuse disorder of motor neurons such as amyotrophic lateral "
     "sclerosis, in the appropriate clinical context. Myopathy is not suggested.", [], ["G12.21", "G72.9"]),
    ("long_term_video_eeg_with_a_single_interpretation_at_the_end",
     "STUDY:\nContinuous video-EEG monitoring recorded for a total of 70 hours. Review was performed by the "
     "epileptologist with a single interpretation and report at the end of the study.\nIMPRESSION:\n"
     "Normal long-term video-EEG.", ["95724"], ["95720"]),
    ("cannot_be_excluded_is_uncertain",
     "IMPRESSION: A superimposed cervical radiculopathy cannot be excluded without needle EMG.", [], ["M54.12"]),
    ("eeg_impression_deferring_to_clinical_correlation_is_uncertain",
     "IMPRESSION: The electroclinical picture is consistent with childhood absence epilepsy; clinical "
     "correlation by the treating neurologist is recommended.", [], ["G40.A09"]),
    ("curly_apostrophe_eponym_matches", "IMPRESSION: Bell\u2019s Palsy, left.", ["G51.0"], []),
    ("chronic_subdural_hematoma_is_nontraumatic_chronic", "IMPRESSION: Chronic subdural hematoma.", ["I62.03"],
     ["I62.00"]),
    ("subdural_hematoma_after_a_fall_is_traumatic",
     "IMPRESSION: Subdural hematoma after a fall, without loss of consciousness.", ["S06.5X0A"], ["I62.00"]),
    ("normal_pressure_hydrocephalus", "IMPRESSION: Normal pressure hydrocephalus.", ["G91.2"], ["G91.9"]),
    ("left_carotid_stenosis", "ASSESSMENT: Left carotid stenosis, 80%.", ["I65.22"], []),
    ("huntington_disease", "HPI: Huntington's disease with chorea.", ["G10"], []),
    ("ms_contin_is_a_drug_not_multiple_sclerosis", "MEDICATIONS: MS Contin 30 mg twice daily.", [], ["G35.D"]),
    ("allergy_reaction_is_not_a_condition", "ALLERGIES: CODEINE (HALLUCINATIONS).", [], ["R44.3"]),
    ("return_precautions_are_not_symptoms",
     "INSTRUCTIONS: Seek immediate medical attention for chest pain or fever.", [], ["R07.9", "R50.9"]),
    ("patient_negates_symptoms", "HPI: He negates any symptoms of depression or anxiety.", [], ["F32.A", "F41.9"]),
    ("could_represent_is_a_hedge", "IMPRESSION: The EEG could represent absence epilepsy.", [], ["G40.A09"]),
    ("what_a_drug_might_induce_is_hypothetical", "PLAN: Bupropion might induce a seizure; avoid it.", [],
     ["R56.9"]),
    ("condition_then_suspected_is_uncertain",
     "IMPRESSION: Gait disturbance and urinary incontinence; normal pressure hydrocephalus suspected.",
     [], ["G91.2"]),
    ("evaluation_for_a_condition_is_not_the_condition",
     "INDICATION:\nEvaluation for normal pressure hydrocephalus (large-volume diagnostic tap test).", [],
     ["G91.2"]),
    ("topic_header_is_not_a_finding", "REVIEW OF HYDROCEPHALUS RISK FACTORS:\nNone.", [], ["G91.9"]),
    ("cervical_spinal_stenosis_has_its_region", "REASON FOR VISIT: Followup cervical spinal stenosis.",
     ["M48.02"], ["M48.00"]),
    ("radicular_numbness_is_part_of_the_radiculopathy",
     "HPI: Numbness of the right thumb.\nEXAM: Decreased sensation in the right thumb.\nIMPRESSION: Right C6 "
     "radiculopathy.", ["M54.12"], ["R20.0", "R20.2"]),
    ("headache_is_part_of_the_hemorrhage",
     "EXAM: Severe headache.\nIMPRESSION: Acute left thalamic intracerebral hemorrhage.", ["I61.0"], ["R51.9"]),
    ("flaccid_hemiplegia_has_its_type", "IMPRESSION: Dense left flaccid hemiplegia.", ["G81.04"], ["G81.94"]),
    ("spastic_hemiparesis_has_its_type", "IMPRESSION: Right spastic hemiparesis.", ["G81.11"], ["G81.91"]),
    ("motor_neuron_disease_is_not_als", "IMPRESSION: Motor neuron disease.", ["G12.20"], ["G12.21"]),
    ("stage_one_sleep_is_drowsiness",
     "EEG REPORT\nDESCRIPTION:\nRoutine EEG recorded for 25 minutes in the awake and drowsy (stage I sleep) "
     "states.\nIMPRESSION:\nNormal EEG.", ["95816"], ["95819"]),
    ("weakness_of_a_named_part_is_limb_weakness", "HPI: She has weakness of the right hand.", ["R29.898"],
     ["R53.1"]),
    ("episodes_but_not_recently_are_history", "HPI: She reports past episodes of vertigo, but not recently.", [],
     ["R42"]),
    ("at_that_time_is_history", "HPI: At that time, she had migraine-type headaches.", [], ["G43.909"]),
    ("limb_weakness_is_part_of_guillain_barre",
     "EXAMINATION: Symmetric weakness 3/5 in the legs.\nIMPRESSION: Guillain-Barre syndrome.", ["G61.0"],
     ["R29.898", "R53.1"]),
    ("operative_title_gives_the_side_of_the_diagnosis",
     "PREOPERATIVE DIAGNOSIS:\nCarpal tunnel syndrome.\nPROCEDURE:\nEndoscopic release of left transverse carpal "
     "ligament.\nANESTHESIA:\nMonitored anesthesia care.", ["G56.02"], ["G56.00"]),
    ("carpal_tunnel_as_anatomy_is_not_the_syndrome",
     "FINDINGS:\nNormal flexor tendons within the carpal tunnel.\nIMPRESSION:\nTenosynovitis.", [],
     ["G56.00"]),
    ("history_of_stroke_with_residual_deficits_codes_the_sequelae",
     "EXAM: Right lower facial weakness.\nIMPRESSION:\n1. History of left MCA ischemic stroke, cardioembolic, with "
     "residual right (dominant) hemiparesis and expressive aphasia.", ["I69.351", "I69.320"],
     ["I63.412", "G81.91", "R29.810"]),
    ("history_of_subdural_hematoma_is_not_current", "PROBLEMS:\n3. History of subdural hematoma.", [],
     ["I62.00"]),
    ("nph_insulin_is_not_hydrocephalus", "MEDICATIONS:\nNPH insulin 10 units twice daily.", [], ["G91.2"]),
    ("brain_herniation_and_edema", "IMPRESSION: Acute subdural hematoma with uncal herniation and cerebral edema.",
     ["I62.01", "G93.5", "G93.6"], []),
    ("cord_compression_is_part_of_disc_myelopathy",
     "IMPRESSION: Large C6-C7 herniated disc with cord compression.", ["M50.023"], ["G95.20"]),
    ("oral_hypoglycemic_beside_its_diabetes_is_z79_84",
     "MEDICATIONS:\nMetformin 500 mg twice daily.\nASSESSMENT:\nType 2 diabetes mellitus, controlled.",
     ["E11.9", "Z79.84"], []),
    ("drug_without_its_condition_is_not_coded",
     "MEDICATIONS:\nMetformin 500 mg twice daily.\nASSESSMENT:\nMigraine without aura.", [], ["Z79.84"]),
    ("anticoagulant_beside_atrial_fibrillation_is_z79_01",
     "MEDICATIONS:\nApixaban 5 mg twice daily.\nASSESSMENT:\nParoxysmal atrial fibrillation, on apixaban.",
     ["I48.0", "Z79.01"], []),
    ("anticoagulant_only_planned_is_not_long_term_use",
     "ASSESSMENT:\nAcute ischemic stroke; paroxysmal atrial fibrillation.\nPLAN:\nStart apixaban at day 4.",
     ["I48.0"], ["Z79.01"]),
    ("insulin_with_type_1_diabetes_is_not_z79_4",
     "MEDICATIONS:\nLantus 20 units nightly.\nASSESSMENT:\nType 1 diabetes mellitus.", [], ["Z79.4"]),
    ("no_residual_weakness_is_negated", "EXAMINATION: Back to baseline, no residual weakness.", [],
     ["R53.1", "R29.898"]),
    ("generalized_shaking_with_loss_of_consciousness_is_a_convulsion",
     "REFERRING DIAGNOSIS: Episode of generalized shaking with loss of consciousness 6 days ago.", ["R56.9"], []),
    ("psychogenic_seizures_are_not_also_convulsions",
     "HPI: Episodes of generalized shaking.\nASSESSMENT: Psychogenic nonepileptic seizures.", ["F44.5"], ["R56.9"]),
    ("sleep_named_in_a_recommended_study_is_not_recorded",
     "EEG REPORT\nTECHNIQUE:\nRecording duration was 24 minutes. The patient was awake and drowsy during the "
     "recording; sleep was not obtained.\nIMPRESSION:\nNormal awake and drowsy EEG. If suspicion remains, a "
     "sleep-deprived EEG capturing sleep could be considered.", ["95816"], ["95819"]),
    ("findings_argue_against_a_neuropathy",
     "INTERPRETATION: Normal conduction across the fibular head argues against a common peroneal neuropathy.", [],
     ["G57.30"]),
    ("not_a_consideration_is_negated", "IMPRESSION: CIDP is not a consideration at 5 days.", [], ["G61.81"]),
    ("usual_cause_not_yet_demonstrated_is_not_coded",
     "COMMENT: A disc herniation at L4-L5 would be the usual cause but is not yet demonstrated.", [],
     ["M51.26", "M51.16"]),
    ("a_p_header_is_the_assessment_and_y_o_age_makes_febrile_seizures_history",
     "HPI: 45 y/o woman w/ h/o complex partial seizures, well controlled. Also febrile seizures as a "
     "toddler.\nEXAM: Normal.\nA/P: Complex partial seizures, well controlled (not intractable).",
     ["G40.209"], ["R56.00", "R56.01"]),
]


@pytest.mark.parametrize(("text", "expected", "absent"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_case(text: str, expected: list[str], absent: list[str]) -> None:
    codes = {s["code"] for s in suggest(text, note_id="t", date_of_service=DOS).to_dict()["suggestions"]}
    assert set(expected) <= codes, codes
    assert not set(absent) & codes, codes


@pytest.mark.parametrize(("text", "label"), [
    ("IMPRESSION: Single unprovoked generalized seizure.", "specific"),
    ("IMPRESSION: Seizure.", "NOS"),
], ids=["first_seizure_documents_r56_9_fully", "seizure_without_single_or_epilepsy_is_queried"])
def test_r56_9_label(text: str, label: str) -> None:
    s = [s for s in suggest(text, note_id="t", date_of_service=DOS).to_dict()["suggestions"] if s["code"] == "R56.9"]
    assert s and s[0]["label"] == label


def test_context_rule_literals_are_unique() -> None:
    """medspaCy keys phrase rules by literal: a second rule with the same literal is silently lost,
    so a scope or type restriction must be merged into the one rule."""
    from collections import Counter

    from nlp.pipeline.resources import context_rule_dicts

    counts = Counter(r["literal"].lower() for r in context_rule_dicts() if "pattern" not in r)
    assert [lit for lit, n in counts.items() if n > 1] == []
