"""EEG coder rules, one named clinical case each (facts built directly, no pipeline).

CPT conventions: routine 95816 awake+drowsy / 95819 awake+asleep / 95822 sleep or coma only; long-term
professional 95717-95726 by hours and video, 95719/95720 read after each 24 hours, 95721-95726 read after
the entire recording (>36 h); only this encounter's EEG is coded. The lumbar-puncture rules are term and
context data: see tests/pipeline/test_eeg_lp_phrasings.py."""

from __future__ import annotations

import pytest


def state(name, negated=False, section="eeg", narrative=False):
    return {"state": name, "section": section, "negated": negated, "narrative": narrative, "start": 0}


def mention(section="eeg", assertion="present", header=False, eeg_type=None, psg_channel=False, narrative=False):
    return {"section": section, "assertion": assertion, "header": header, "eeg_type": eeg_type,
            "psg_channel": psg_channel, "narrative": narrative}


# (case id, EEG fact attributes, CPT code expected, label)
LONG_TERM = [
    ("video_48h_read_at_end_of_study",
     {"eeg_type": "long_term", "duration_min": 2880, "video": True, "read": "end_of_study"}, "95722", "specific"),
    ("ambulatory_72h_without_video_read_at_end",
     {"eeg_type": "ambulatory", "duration_min": 4320, "video": False, "read": "end_of_study"}, "95723", "specific"),
    ("ambulatory_40h_without_video_read_at_end",
     {"eeg_type": "ambulatory", "duration_min": 2400, "video": False, "read": "end_of_study"}, "95721", "specific"),
    ("video_65h_read_at_end",
     {"eeg_type": "long_term", "duration_min": 3900, "video": True, "read": "end_of_study"}, "95724", "specific"),
    ("video_5_days_read_at_end",
     {"eeg_type": "long_term", "duration_min": 7200, "video": True, "read": "end_of_study"}, "95726", "specific"),
    ("ambulatory_4_days_without_video_read_at_end",
     {"eeg_type": "ambulatory", "duration_min": 5760, "video": False, "read": "end_of_study"}, "95725", "specific"),
    ("video_48h_read_daily_stays_per_24h_code",
     {"eeg_type": "long_term", "duration_min": 2880, "video": True, "read": "daily"}, "95720", "specific"),
    ("video_30h_read_at_end_is_not_a_complete_study_code",
     {"eeg_type": "long_term", "duration_min": 1800, "video": True, "read": "end_of_study"}, "95720", "specific"),
    ("icu_monitoring_video_use_not_documented_queries_video",
     {"eeg_type": "long_term", "states": ["coma"], "video": True, "video_undocumented": True}, "95717", "NOS"),
    ("stated_without_video_beats_undocumented",
     {"eeg_type": "long_term", "duration_min": 600, "video": False, "video_undocumented": True}, "95717",
     "specific"),
]


@pytest.mark.parametrize(("attrs", "code", "label"), [c[1:] for c in LONG_TERM], ids=[c[0] for c in LONG_TERM])
def test_long_term_eeg(run, fact, attrs, code, label):
    result = run(fact("eeg", "eeg", **attrs))
    assert result.codes("CPT") == [code]
    assert result.get(code).label == label


def test_undocumented_video_is_queried(run, fact):
    result = run(fact("eeg", "eeg", eeg_type="long_term", states=["coma"], video=True, video_undocumented=True))
    s = result.get("95717")
    assert s is not None and "eeg_video" in s.query.axes and "eeg_duration" in s.query.axes


ROUTINE_STATES = [
    ("sleep_not_obtained_is_awake_and_drowsy",
     [state("awake"), state("drowsy"), state("asleep", negated=True)], "95816"),
    ("no_wakefulness_captured_is_sleep_only",
     [state("awake", negated=True), state("asleep")], "95822"),
    ("seizures_from_sleep_in_history_are_not_a_recorded_state",
     [state("asleep", section="hpi"), state("awake"), state("drowsy")], "95816"),
    ("sleep_named_in_a_narrative_section_is_not_a_recorded_state",
     [state("asleep", section="exam", narrative=True), state("awake")], "95816"),
    ("awake_and_asleep_recorded",
     [state("awake"), state("asleep")], "95819"),
    ("comatose_patient_recording_is_coma_only",
     [state("coma")], "95822"),
]


@pytest.mark.parametrize(("mentions", "code"), [c[1:] for c in ROUTINE_STATES], ids=[c[0] for c in ROUTINE_STATES])
def test_routine_eeg_states(run, fact, mentions, code):
    states = sorted({m["state"] for m in mentions})  # the note-wide union the mentions replace
    result = run(fact("eeg", "eeg", eeg_type="routine", duration_min=25, states=states, state_mentions=mentions))
    assert result.codes("CPT") == [code]


# (case id, EEG fact attributes, CPT codes expected)
THIS_ENCOUNTER = [
    ("prior_eeg_quoted_under_eeg_header_not_coded",
     {"mentions": [mention(header=True), mention(assertion="historical")]}, []),
    ("eeg_result_line_without_recording_not_coded",
     {"states": ["asleep"], "mentions": [mention(header=True)]}, []),
    ("eeg_section_stating_the_recording_coded",
     {"states": ["awake", "drowsy"], "recorded": True, "mentions": [mention(header=True)]}, ["95816"]),
    ("eeg_section_with_duration_coded",
     {"states": ["awake", "drowsy"], "duration_min": 22, "mentions": [mention(header=True)]}, ["95816"]),
    ("eeg_result_in_studies_reviewed_at_a_visit_not_coded",
     {"states": ["awake", "asleep"], "mentions": [mention(section="studies", narrative=True)]}, []),
    ("eeg_recorded_under_its_own_header_after_a_history_mention_coded",
     {"states": ["awake", "drowsy"], "duration_min": 25,
      "mentions": [mention(section="hpi", narrative=True), mention(header=True)]}, ["95816"]),
    ("eeg_channel_of_a_sleep_study_not_coded",
     {"states": ["awake"], "mentions": [mention(section="procedure", psg_channel=True)]}, []),
    ("eeg_report_with_planned_ambulatory_eeg_stays_routine",
     {"eeg_type": "ambulatory", "states": ["awake", "drowsy"], "duration_min": 24,
      "mentions": [mention(section="procedure"), mention(section="plan", eeg_type="ambulatory")]}, ["95816"]),
    ("eeg_report_typed_in_its_own_section",
     {"eeg_type": "extended", "duration_min": 50,
      "mentions": [mention(section="procedure", eeg_type="extended")]}, ["95812"]),
]


@pytest.mark.parametrize(("attrs", "codes"), [c[1:] for c in THIS_ENCOUNTER], ids=[c[0] for c in THIS_ENCOUNTER])
def test_eeg_of_this_encounter(run, fact, attrs, codes):
    result = run(fact("eeg", "eeg", section="eeg", **attrs))
    assert result.codes("CPT") == codes
    if not codes:
        assert any("not performed in this encounter" in w for w in result.warnings)

