"""Sleep-study (attended polysomnography) coder rules, one named clinical case each (facts built
directly, no pipeline).

CPT conventions (coding_sleep.csv): 95810 age 6 or older with sleep staging and 4 or more additional
parameters; 95811 the same with CPAP / bilevel initiation; 95808 1-3 additional parameters; 95782 /
95783 under 6 years; only this encounter's study is coded; home / unattended tests are not coded here."""

from __future__ import annotations

import pytest

STAGING = ["eeg", "eog", "chin_emg"]
FULL = ["leg_emg", "airflow", "effort", "oximetry", "ecg"]


def channels(params, staging=STAGING, section="procedure", planned=False, prior=False, narrative=False):
    return {"section": section, "narrative": narrative, "planned": planned, "prior": prior,
            "staging": staging, "params": params}


def psg(section="procedure", assertion="present", planned=False, prior=False, narrative=False, header=False):
    return {"section": section, "assertion": assertion, "narrative": narrative, "planned": planned,
            "prior": prior, "header": header}


def pap(titration=True, negated=False, section="procedure", planned=False):
    return {"section": section, "narrative": False, "planned": planned, "prior": False,
            "titration": titration, "negated": negated}


# (case id, concept, fact attributes, CPT codes expected, label of the first, missing axes)
CASES = [
    ("adult_psg_with_five_additional_parameters",
     "polysomnography", {"psg_mentions": [psg()], "sleep_channel_mentions": [channels(FULL)],
                         "patient_age_years": 52}, ["95810"], "specific", []),
    ("channel_list_without_the_word_polysomnography_is_the_study",
     "eeg", {"sleep_channel_mentions": [channels(FULL)]}, ["95810"], "specific", []),
    ("split_night_with_cpap_titration",
     "polysomnography", {"psg_mentions": [psg()], "sleep_channel_mentions": [channels(FULL)],
                         "pap_mentions": [pap()], "patient_age_years": 47}, ["95811"], "specific", []),
    ("limited_study_with_airflow_and_oximetry_only",
     "polysomnography", {"psg_mentions": [psg()], "sleep_channel_mentions": [channels(["airflow", "oximetry"])],
                         "patient_age_years": 60}, ["95808"], "specific", []),
    ("child_of_four_years_full_study",
     "polysomnography", {"psg_mentions": [psg()], "sleep_channel_mentions": [channels(FULL)],
                         "patient_age_years": 4}, ["95782"], "specific", []),
    ("child_of_three_years_with_cpap_titration",
     "polysomnography", {"psg_mentions": [psg()], "sleep_channel_mentions": [channels(FULL)],
                         "pap_mentions": [pap()], "patient_age_years": 3}, ["95783"], "specific", []),
    ("child_of_eight_years_is_the_adult_code",
     "polysomnography", {"psg_mentions": [psg()], "sleep_channel_mentions": [channels(FULL)],
                         "patient_age_years": 8}, ["95810"], "specific", []),
    ("channels_not_listed_defaults_to_full_study_and_queries",
     "polysomnography", {"psg_mentions": [psg()]}, ["95810"], "NOS", ["sleep_study_parameters"]),
    ("cpap_named_without_titration_wording_queries_titration",
     "polysomnography", {"psg_mentions": [psg()], "sleep_channel_mentions": [channels(FULL)],
                         "pap_mentions": [pap(titration=False)]}, ["95810"], "NOS", ["titration"]),
    ("titration_negated_is_diagnostic_study",
     "polysomnography", {"psg_mentions": [psg()], "sleep_channel_mentions": [channels(FULL)],
                         "pap_mentions": [pap(negated=True)]}, ["95810"], "specific", []),
    ("titration_recommended_in_summary_is_not_this_study",
     "eeg", {"sleep_channel_mentions": [channels(FULL)], "pap_mentions": [pap(section="findings", planned=True)]},
     ["95810"], "specific", []),
    ("psg_ordered_in_plan_not_coded",
     "polysomnography", {"psg_mentions": [psg(section="plan", narrative=True, planned=True)]}, [], None, []),
    ("psg_planned_in_impression_not_coded",
     "polysomnography", {"psg_mentions": [psg(section="impression", planned=True)]}, [], None, []),
    ("prior_psg_reported_separately_not_coded",
     "polysomnography", {"psg_mentions": [psg(section="impression", prior=True)]}, [], None, []),
    ("routine_eeg_with_ecg_and_eye_leads_is_not_a_sleep_study",
     "eeg", {"sleep_channel_mentions": [channels(["ecg"], staging=["eeg", "eog"])]}, [], None, []),
    ("home_sleep_apnea_test_not_coded_by_this_coder",
     "polysomnography", {"psg_mentions": [psg()], "sleep_channel_mentions": [channels(["airflow", "oximetry"])],
                         "unattended_mentions": [{"section": "procedure", "narrative": False, "planned": False,
                                                  "prior": False}]}, [], None, []),
]


@pytest.mark.parametrize(("concept", "attrs", "codes", "label", "missing"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_sleep_study(run, fact, concept, attrs, codes, label, missing):
    result = run(fact("eeg", concept, **attrs))
    sleep = [c for c in result.codes("CPT") if c in {"95782", "95783", "95808", "95810", "95811"}]
    assert sleep == codes
    if codes:
        s = result.get(codes[0])
        assert s.label == label
        assert s.missing_axes == missing
        if missing:
            assert s.query is not None and set(missing) <= set(s.query.axes)


def test_psg_channel_eeg_is_not_also_a_routine_eeg(run, fact):
    """The EEG named as one channel of the sleep study is part of it (CPT 95808-95811 include the EEG)."""
    mention = {"section": "procedure", "assertion": "present", "header": False, "eeg_type": None,
               "psg_channel": True, "narrative": False}
    result = run(fact("eeg", "eeg", mentions=[mention], states=["asleep", "awake"],
                      sleep_channel_mentions=[channels(FULL)]))
    assert result.codes("CPT") == ["95810"]
