"""EEG and lumbar-puncture phrasings through the whole pipeline (one named clinical case each; short
synthetic notes written for the project, not taken from any real note)."""

from __future__ import annotations

import pytest

from nlp.api import suggest

DOS = "2026-05-01"

# (case id, note text, CPT codes expected, CPT codes that must not be suggested)
EEG_CASES = [
    # states told in a negated clause were not recorded (eeg_state_negated_before / _after)
    ("sleep_was_not_obtained_is_awake_and_drowsy",
     "EEG REPORT\nTECHNIQUE: 22 minutes of recording, 10-20 system. States: awake and drowsy; sleep was not "
     "obtained.\nIMPRESSION: Normal awake and drowsy EEG.", ["95816"], ["95819"]),
    ("sleep_not_achieved_is_awake_and_drowsy",
     "EEG REPORT\nTECHNIQUE: Digital EEG recorded for 26 minutes while awake and drowsy. Sleep not achieved "
     "despite deprivation.\nIMPRESSION: Normal EEG.", ["95816"], ["95819"]),
    ("no_wakefulness_captured_is_sleep_only",
     "EEG REPORT\nTECHNIQUE: Recorded for 30 minutes after sedation; sleep throughout, no wakefulness was "
     "captured.\nFINDINGS: Vertex waves and spindles.\nIMPRESSION: Normal EEG.", ["95822"], ["95819"]),
    ("toddler_unable_to_cooperate_awake_is_sleep_only",
     "EEG REPORT\nINDICATION: Staring spells.\nTECHNIQUE: 25 minutes recorded; the toddler was unable to "
     "cooperate for an awake recording and was asleep for the whole study.\nIMPRESSION: Normal sleep EEG.",
     ["95822"], ["95819"]),
    ("comatose_patient_routine_recording_is_coma_only",
     "EEG REPORT\nTECHNIQUE: 30 minutes recorded at the bedside in the ICU.\nFINDINGS: The patient is "
     "comatose; diffuse delta slowing without reactivity.\nIMPRESSION: Severe encephalopathy.", ["95822"],
     ["95816", "95819"]),
    ("seizures_out_of_sleep_in_history_are_not_a_recorded_state",
     "HISTORY OF PRESENT ILLNESS: Nocturnal seizures arising from sleep.\nEEG REPORT: 25 minutes recorded "
     "awake and drowsy.\nIMPRESSION: Normal EEG.", ["95816"], ["95819"]),
    # only this encounter's EEG is coded
    ("prior_eeg_quoted_in_clinic_visit_not_coded",
     "CHIEF COMPLAINT: Seizures.\nEEG: Previous EEG showed left temporal spikes.\nIMPRESSION: Focal epilepsy."
     "\nPLAN: Continue lamotrigine.", [], ["95816", "95819", "95822"]),
    ("eeg_result_line_in_clinic_visit_not_coded",
     "CHIEF COMPLAINT: Drop attacks.\nEEG: Generalized slow spike-and-wave discharges in sleep.\nASSESSMENT: "
     "Generalized epilepsy.\nPLAN: Adjust valproate.", [], ["95816", "95819", "95822"]),
    ("eeg_result_in_studies_of_a_clinic_visit_not_coded",
     "CHIEF COMPLAINT: Memory loss and seizures.\nSTUDIES: MRI showed mesial temporal signal change. EEG was "
     "normal awake and asleep.\nIMPRESSION: Possible limbic encephalitis.", [], ["95816", "95819"]),
    ("eeg_section_stating_the_recording_coded",
     "CHIEF COMPLAINT: Spells.\nEEG: 25 minutes recorded awake and drowsy in clinic today, normal.\n"
     "IMPRESSION: Spells, normal EEG.", ["95816"], []),
    ("outside_eeg_quoted_in_findings_not_coded",
     "FINDINGS: Outside EEG of 20 minutes recorded awake and drowsy was normal.\nIMPRESSION: Recurrent "
     "syncope.", [], ["95816"]),
    ("ordered_ambulatory_eeg_does_not_type_todays_routine_eeg",
     "PROCEDURE: EEG performed today.\nEEG REPORT: 24 minutes recorded awake and drowsy.\n"
     "PLAN: Ambulatory EEG if spells persist.", ["95816"], ["95719", "95720", "95717"]),
    ("eeg_channel_of_sleep_study_not_coded",
     "PROCEDURE: Attended overnight study. The patient was monitored with EEG, EOG, chin EMG, airflow, "
     "respiratory effort and oximetry.\nSUMMARY: Obstructive sleep apnea.", [], ["95816", "95819", "95822"]),
    # long-term EEG: video stated absent, interpretation after the entire recording
    ("ambulatory_72h_without_video_read_at_end_of_study",
     "AMBULATORY EEG REPORT\nRECORDING: 72 hours of ambulatory EEG at home without video, read at the end of "
     "the study.\nIMPRESSION: Normal ambulatory EEG.", ["95723"], ["95720", "95724"]),
    ("video_48h_interpreted_after_the_entire_recording",
     "VIDEO EEG MONITORING\nRECORDING: 48 hours of continuous video EEG in the monitoring unit; single "
     "interpretation after the entire recording.\nIMPRESSION: Normal video EEG.", ["95722"], ["95720"]),
    ("video_60h_reported_at_completion",
     "LONG-TERM VIDEO EEG\nRECORDING: 60 hours of video EEG, reported at the completion of the study.\n"
     "IMPRESSION: Two typical events without EEG change.", ["95722"], ["95720"]),
    ("non_video_ambulatory_eeg_24h",
     "AMBULATORY EEG REPORT\nRECORDING: 24 hours of non-video ambulatory EEG.\nIMPRESSION: Normal.",
     ["95719"], ["95720"]),
    ("icu_monitoring_video_use_not_documented",
     "LONG-TERM EEG MONITORING\nPATIENT: Comatose after cardiac arrest.\nRECORDING: Long-term EEG "
     "monitoring was performed in the ICU; the use of video is not documented.\nIMPRESSION: Suppressed "
     "background.", ["95717"], ["95718"]),
]


def _cpt(text: str) -> set[str]:
    return {s["code"] for s in suggest(text, note_id="t", date_of_service=DOS).to_dict()["suggestions"]
            if s["system"] == "CPT"}


@pytest.mark.parametrize(("text", "expected", "absent"), [c[1:] for c in EEG_CASES], ids=[c[0] for c in EEG_CASES])
def test_eeg_phrasing(text: str, expected: list[str], absent: list[str]) -> None:
    codes = _cpt(text)
    assert set(expected) <= codes, codes
    assert not set(absent) & codes, codes


LP_CASES = [
    # the CSF tap test is a diagnostic lumbar puncture whatever the volume removed (terms/procedures.csv)
    ("large_volume_csf_tap_test_under_fluoroscopy_is_diagnostic",
     "PROCEDURE: High-volume CSF tap test under fluoroscopic guidance for gait assessment.\nDESCRIPTION: L4-L5, "
     "35 mL removed. Gait measured before and after.", ["62328"], ["62329", "62272"]),
    ("lumbar_tap_test_without_guidance",
     "PROCEDURE: Lumbar tap test.\nDESCRIPTION: L3-L4, 30 mL of CSF removed; gait re-tested at 2 hours.",
     ["62270"], ["62272"]),
    ("diagnostic_lumbar_tap",
     "PROCEDURE: Diagnostic lumbar tap at L4-L5 for CSF cell count and oligoclonal bands.", ["62270"], []),
    # a puncture the narrative places in another setting was done by others (context_rules.json)
    ("lp_in_emergency_department_by_others_not_coded",
     "PROCEDURES DURING THIS HOSPITALIZATION:\n1. The patient underwent a lumbar puncture in the emergency "
     "department, which was unremarkable.", [], ["62270"]),
    ("lp_at_outside_hospital_not_coded",
     "FINDINGS: Diagnostic lumbar puncture at the outside hospital showed elevated protein.", [], ["62270"]),
    ("previous_lp_quoted_not_coded",
     "FINDINGS: Previous diagnostic lumbar puncture showed normal opening pressure.\nIMPRESSION: Chronic "
     "daily headache.", [], ["62270"]),
]


@pytest.mark.parametrize(("text", "expected", "absent"), [c[1:] for c in LP_CASES], ids=[c[0] for c in LP_CASES])
def test_lp_phrasing(text: str, expected: list[str], absent: list[str]) -> None:
    codes = _cpt(text)
    assert set(expected) <= codes, codes
    assert not set(absent) & codes, codes


@pytest.mark.parametrize("qualifier", ["Prior", "Previous", "Earlier", "Outside", "Most recent", "Last", "Recent"])
def test_earlier_study_qualifier_is_not_this_encounters_eeg(qualifier: str) -> None:
    """context_rules.json: a study qualified as earlier is a past study whose result is quoted."""
    text = f"FINDINGS: {qualifier} EEG of 20 minutes recorded awake and drowsy was normal.\nIMPRESSION: Syncope."
    assert not _cpt(text) & {"95816", "95819", "95822"}


@pytest.mark.parametrize("setting", ["in the emergency department", "in the emergency room", "in the ED",
                                     "in the ER", "at the outside hospital", "at an outside hospital",
                                     "at the referring hospital", "at another hospital",
                                     "by the emergency department", "by the ED"])
def test_lumbar_puncture_done_in_another_setting_is_not_coded(setting: str) -> None:
    """context_rules.json: a puncture the narrative places in another setting was done by others."""
    text = f"FINDINGS: Diagnostic lumbar puncture {setting} showed 3 white cells.\nIMPRESSION: Headache."
    assert "62270" not in _cpt(text)


@pytest.mark.parametrize("term", ["lumbar tap test", "CSF tap test", "spinal tap test", "diagnostic tap test",
                                  "large volume tap test", "large-volume tap test", "high volume tap test",
                                  "high-volume tap test"])
def test_tap_test_names_are_a_diagnostic_lumbar_puncture(term: str) -> None:
    """terms/procedures.csv: the CSF tap test is diagnostic whatever the volume ('large volume' -> 62272 otherwise)."""
    text = f"PROCEDURE: {term} at L3-L4 for suspected hydrocephalus, large volume of 40 mL removed, gait measured."
    codes = _cpt(text)
    assert "62270" in codes and "62272" not in codes, codes


def test_finger_tap_test_is_not_a_lumbar_puncture() -> None:
    """terms/procedures.csv has no bare 'tap test': the finger tap test of a motor exam is no procedure."""
    text = "EXAM: Finger tap test slowed on the right.\nIMPRESSION: Parkinsonism.\nPROCEDURE: None."
    assert not _cpt(text) & {"62270", "62272", "62328", "62329"}


@pytest.mark.parametrize(("reading", "code"), [
    ("interpreted daily", "95720"),
    ("with a daily interpretation", "95720"),
    ("read at the end of the study", "95722"),
    ("with one report after the entire study", "95722"),
], ids=["interpreted_daily", "daily_interpretation", "read_at_end", "one_report_after_entire_study"])
def test_when_a_long_term_eeg_is_read(reading: str, code: str) -> None:
    """pipeline_patterns.csv eeg_read_daily / eeg_read_end_of_study: 95719/95720 per 24 hours vs 95721-95726."""
    text = f"VIDEO EEG MONITORING\nRECORDING: 48 hours of continuous video EEG, {reading}.\nIMPRESSION: Normal."
    codes = _cpt(text)
    assert code in codes and not codes & ({"95720", "95722"} - {code}), codes
