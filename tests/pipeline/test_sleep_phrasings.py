"""Sleep-study (polysomnography) phrasings through the whole pipeline (one named clinical case each; short
synthetic reports written for the project, not taken from any real note)."""

from __future__ import annotations

import pytest

from nlp.api import suggest

DOS = "2026-05-01"
SLEEP = {"95782", "95783", "95808", "95810", "95811"}
ROUTINE_EEG = {"95816", "95819", "95822", "95812", "95813"}

# (case id, note text, CPT codes expected, CPT codes that must not be suggested)
CASES = [
    ("adult_attended_psg_with_full_channel_list",
     "POLYSOMNOGRAPHY REPORT\nPROCEDURE: A 54-year-old man had attended overnight polysomnography in the sleep "
     "laboratory. Recorded channels: EEG, EOG, chin EMG, leg EMG, nasal pressure, respiratory effort belts, "
     "pulse oximetry and ECG.\nFINDINGS: Sleep efficiency 81%. AHI 22 per hour.\nIMPRESSION: Moderate "
     "obstructive sleep apnea.", ["95810"], ["95811", "95808"] + sorted(ROUTINE_EEG)),
    ("channel_list_without_the_study_name_is_the_study",
     "PROCEDURE: Overnight study in an observed laboratory. The patient was monitored with EEG, EOG, "
     "chin EMG, leg EMG, airflow thermistor, thoracoabdominal effort, EKG and oximetry.\n"
     "SUMMARY: Severe obstructive sleep apnea. Suggest CPAP titration study.",
     ["95810"], ["95811", "95860", "95870"] + sorted(ROUTINE_EEG)),
    ("split_night_study_with_cpap_titration",
     "PROCEDURE: Split-night polysomnogram in a 61-year-old woman. Channels: EEG, EOG, chin EMG, leg EMG, "
     "airflow, respiratory effort, oximetry and ECG.\nFINDINGS: AHI 41 in the diagnostic portion. CPAP was "
     "initiated at 5 cm H2O and titrated to 11 cm H2O.\nIMPRESSION: Severe obstructive sleep apnea, "
     "controlled on CPAP 11.", ["95811"], ["95810", "95808"]),
    ("limited_study_with_two_additional_parameters",
     "PROCEDURE: Attended polysomnogram of a 45-year-old man with limited montage: EEG, EOG and chin EMG "
     "with airflow and oximetry only.\nFINDINGS: No apneas.\nIMPRESSION: Normal limited study.",
     ["95808"], ["95810", "95811"]),
    ("four_year_old_child_full_study",
     "PROCEDURE: Attended pediatric polysomnography of a 4-year-old boy with snoring. Channels: EEG, EOG, "
     "chin EMG, leg EMG, airflow, respiratory effort, oximetry and end-tidal CO2.\nFINDINGS: Obstructive "
     "AHI 6.\nIMPRESSION: Moderate pediatric obstructive sleep apnea.", ["95782"], ["95810", "95783"]),
    ("split_night_criteria_not_met_is_a_diagnostic_study",
     "PROCEDURE: Attended polysomnogram of a 58-year-old man scheduled as a split-night study. Channels: EEG, "
     "EOG, chin EMG, leg EMG, airflow, respiratory effort, oximetry and ECG.\nFINDINGS: AHI 7. Split-night "
     "criteria were not met and CPAP was not initiated.\nIMPRESSION: Mild obstructive sleep apnea.",
     ["95810"], ["95811"]),
    ("psg_ordered_in_the_impression_is_not_coded",
     "CHIEF COMPLAINT: Snoring.\nEXAMINATION: Neck circumference 44 cm. Awake and alert.\nIMPRESSION: Loud "
     "snoring and daytime sleepiness in a 49-year-old woman; PSG ordered.", [], sorted(SLEEP)),
    ("psg_ordered_in_plan_is_not_coded",
     "CHIEF COMPLAINT: Daytime sleepiness.\nASSESSMENT: Snoring and witnessed apneas in a 50-year-old man.\n"
     "PLAN: PSG ordered. Return after the study.", [], sorted(SLEEP)),
    ("psg_ordered_beside_a_routine_eeg_is_not_coded",
     "EEG REPORT\nTECHNIQUE: 24 minutes recorded awake and drowsy.\nIMPRESSION: Normal EEG. Loud snoring "
     "reported by the family; PSG ordered.", ["95816"], sorted(SLEEP)),
    ("prior_psg_in_history_is_not_coded",
     "HISTORY OF PRESENT ILLNESS: A 66-year-old woman had a polysomnogram last year showing moderate "
     "obstructive sleep apnea.\nASSESSMENT: Obstructive sleep apnea.\nPLAN: Continue CPAP.", [], sorted(SLEEP)),
]


def _cpt(text: str) -> set[str]:
    return {s["code"] for s in suggest(text, note_id="t", date_of_service=DOS).to_dict()["suggestions"]
            if s["system"] == "CPT"}


@pytest.mark.parametrize(("text", "expected", "absent"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_sleep_phrasing(text: str, expected: list[str], absent: list[str]) -> None:
    codes = _cpt(text)
    assert set(expected) <= codes, codes
    assert not set(absent) & codes, codes


def test_eeg_channel_of_psg_is_not_a_routine_eeg() -> None:
    text = ("PROCEDURE: Attended overnight polysomnography. EEG, EOG, chin EMG, leg EMG, airflow, respiratory "
            "effort, oximetry and ECG were recorded; the patient was awake and asleep.\nIMPRESSION: Mild "
            "obstructive sleep apnea.")
    codes = _cpt(text)
    assert "95810" in codes, codes
    assert not codes & ROUTINE_EEG, codes
