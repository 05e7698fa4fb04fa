from __future__ import annotations

import pytest


def nerves(n_sensory: int, n_motor: int = 0, f_waves: bool = False):
    out = [{"nerve": f"sensory{i}", "side": "right", "tests": ["sensory"]} for i in range(n_sensory)]
    out += [{"nerve": f"motor{i}", "side": "right", "tests": ["motor", "f_wave"] if f_waves else ["motor"]}
            for i in range(n_motor)]
    return out


NCS = [
    ("one_study", nerves(1), "95907"),
    ("motor_plus_f_wave_is_one_study", [{"nerve": "tibial", "side": "left", "tests": ["motor", "f_wave"]}],
     "95907"),
    ("four_studies", nerves(2, 2, f_waves=True), "95908"),
    ("twelve_studies", nerves(6, 6, f_waves=True), "95912"),
    ("thirteen_studies", nerves(7, 6), "95913"),
    ("same_nerve_both_sides_counts_twice",
     [{"nerve": "median", "side": "left", "tests": ["sensory"]},
      {"nerve": "median", "side": "right", "tests": ["sensory"]},
      {"nerve": "median", "side": "right", "tests": ["motor"]}], "95908"),
]


@pytest.mark.parametrize(("nerve_list", "code"), [c[1:] for c in NCS], ids=[c[0] for c in NCS])
def test_ncs_study_count(run, fact, nerve_list, code):
    result = run(fact("ncs", "nerve_conduction", nerves=nerve_list))
    assert result.codes("CPT") == [code]
    assert result.get(code).label == "specific"


def test_ncs_without_nerve_list_is_nos(run, fact):
    s = run(fact("ncs", "nerve_conduction")).get("95907")
    assert s.label == "NOS" and s.query.axes == ["nerves_studied"]


def test_ncs_with_unnamed_nerves_keeps_the_counted_code_and_queries(run, fact):
    """'The remaining nerves tested were normal': 3 named studies are a floor, not the count."""
    s = run(fact("ncs", "nerve_conduction", nerves=nerves(3),
                 count_uncertain=["nerves tested but not named"])).get("95908")
    assert s is not None and s.label == "NOS" and s.query.axes == ["nerves_studied"]
    assert "at least 3 studies" in s.rationale


def muscles(n, side="right", region="upper_extremity"):
    return [{"muscle": f"m{i}", "side": side, "region": region} for i in range(n)]


EMG = [
    ("alone_one_extremity", muscles(5), False, [("95860", 1)]),
    ("alone_two_extremities", muscles(5) + muscles(4, "left"), False, [("95861", 1)]),
    ("alone_four_extremities",
     muscles(3) + muscles(3, "left") + muscles(3, region="lower_extremity")
     + muscles(3, "left", "lower_extremity"), False, [("95864", 1)]),
    ("with_ncs_four_muscles_limited", muscles(4), True, [("95885", 1)]),
    ("with_ncs_five_muscles_complete", muscles(5), True, [("95886", 1)]),
    ("with_ncs_two_complete_extremities", muscles(6) + muscles(5, "left"), True, [("95886", 2)]),
    ("with_ncs_mixed", muscles(6) + muscles(2, "left", "lower_extremity"), True, [("95886", 1), ("95885", 1)]),
    ("with_ncs_cervical_paraspinals_join_the_arm",
     muscles(5) + [{"muscle": "cervical paraspinal", "side": "right", "region": "paraspinal"}], True,
     [("95886", 1)]),
    ("with_ncs_lumbar_paraspinals_and_thoracic_non_extremity",
     muscles(5) + [{"muscle": "lumbar paraspinal", "side": "right", "region": "paraspinal"},
                   {"muscle": "T6 paraspinal", "side": "right", "region": "thoracic_paraspinal"}], True,
     [("95886", 1), ("95887", 2)]),
    ("side_unknown_muscle_joins_the_one_sided_arm",
     muscles(4) + [{"muscle": "deltoid", "side": None, "region": "upper_extremity"}], True, [("95886", 1)]),
    ("alone_thoracic_paraspinal", muscles(3, region="thoracic_paraspinal"), False, [("95869", 1)]),
    ("alone_cranial_bilateral", muscles(2, region="cranial") + muscles(2, "left", "cranial"), False,
     [("95868", 1)]),
]


@pytest.mark.parametrize(("muscle_list", "with_ncs", "expected"), [c[1:] for c in EMG], ids=[c[0] for c in EMG])
def test_emg_codes(run, fact, muscle_list, with_ncs, expected):
    facts = [fact("emg", "needle_emg", muscles=muscle_list)]
    if with_ncs:
        facts.append(fact("ncs", "nerve_conduction", nerves=nerves(2)))
    result = run(*facts)
    got = [(s.code, s.units) for s in result.suggestions if s.family == "emg"]
    assert got == expected


def test_emg_with_ncs_extremities_without_muscles_is_nos(run, fact):
    result = run(fact("emg", "needle_emg", extremities=["right upper", "left upper"]),
                 fact("ncs", "nerve_conduction", nerves=nerves(3)))
    s = result.get("95885")
    assert s.units == 2 and s.label == "NOS" and s.query.axes == ["muscles_tested"]


EEG = [
    ("routine_awake_drowsy", {"eeg_type": "routine", "states": ["awake", "drowsy"], "duration_min": 25},
     "95816", "specific"),
    ("routine_awake_asleep", {"eeg_type": "routine", "states": ["awake", "asleep"], "duration_min": 30},
     "95819", "specific"),
    ("routine_sleep_only", {"eeg_type": "routine", "states": ["asleep"], "duration_min": 30}, "95822",
     "specific"),
    ("routine_duration_missing", {"eeg_type": "routine", "states": ["awake"]}, "95816", "NOS"),
    ("extended_50_min", {"eeg_type": "extended", "duration_min": 50}, "95812", "specific"),
    ("routine_that_ran_90_min", {"eeg_type": "routine", "states": ["awake"], "duration_min": 90}, "95813",
     "specific"),
    ("long_term_video_24h", {"eeg_type": "long_term", "duration_min": 1440, "video": True}, "95720",
     "specific"),
    ("long_term_video_missing", {"eeg_type": "long_term", "duration_min": 600}, "95717", "NOS"),
    ("long_term_multi_day_video", {"eeg_type": "long_term", "duration_min": 4000, "video": True}, "95720",
     "specific"),
]


@pytest.mark.parametrize(("attrs", "code", "label"), [c[1:] for c in EEG], ids=[c[0] for c in EEG])
def test_eeg_codes(run, fact, attrs, code, label):
    result = run(fact("eeg", "eeg", **attrs))
    assert result.codes("CPT") == [code]
    assert result.get(code).label == label


def injections(n, side="right", region="upper_extremity", units=50.0):
    return [{"muscle": f"m{i}", "side": side, "region": region, "units": units} for i in range(n)]


CHEMO = [
    ("one_extremity_four_muscles", injections(4), [("64642", 1)]),
    ("one_extremity_five_muscles", injections(5), [("64644", 1)]),
    ("two_extremities_limited", injections(2) + injections(3, region="lower_extremity"),
     [("64642", 1), ("64643", 1)]),
    ("complete_plus_limited", injections(5) + injections(2, "left"), [("64644", 1), ("64643", 1)]),
    ("two_complete", injections(5) + injections(6, "left"), [("64644", 1), ("64645", 1)]),
    ("same_muscle_many_sites_counts_once",
     [{"muscle": "biceps", "side": "right", "region": "upper_extremity", "units": 25.0}] * 6, [("64642", 1)]),
    ("neck_unilateral", injections(2, region="neck"), [("64616", 1)]),
    ("trunk_six", injections(6, region="trunk"), [("64647", 1)]),
    ("muscles_without_side_join_the_one_documented_side",
     injections(1, region="lower_extremity") + injections(2, side=None, region="lower_extremity")
     + injections(1), [("64642", 1), ("64643", 1)]),
]


@pytest.mark.parametrize(("inj", "expected"), [c[1:] for c in CHEMO], ids=[c[0] for c in CHEMO])
def test_chemodenervation_codes(run, fact, inj, expected):
    result = run(fact("toxin", "botulinum_toxin", agent="onabotulinumtoxinA", total_units=100.0,
                      wasted_units=0.0, injections=inj))
    assert [(s.code, s.units) for s in result.suggestions if s.system == "CPT"] == expected


def test_chronic_migraine_protocol(run, fact):
    result = run(fact("toxin", "botulinum_toxin", agent="onabotulinumtoxinA", total_units=155.0,
                      vial_units=200.0, indication="chronic_migraine", injections=injections(7, region="head")))
    assert result.codes("CPT") == ["64615"]


def test_guidance_once_per_chemodenervation_code(run, fact):
    result = run(fact("toxin", "botulinum_toxin", agent="onabotulinumtoxinA", total_units=200.0,
                      wasted_units=0.0, guidance="electrical_stimulation",
                      injections=injections(2) + injections(1, "left")))
    s = result.get("95873")
    assert s.units == 2 and result.get("95874") is None


TOXIN = [
    ("botox_wastage_jw_line", {"agent": "onabotulinumtoxinA", "total_units": 155.0, "vial_units": 200.0},
     [("J0585", 155, []), ("J0585", 45, ["JW"])], "specific"),
    ("botox_no_wastage_jz", {"agent": "onabotulinumtoxinA", "total_units": 200.0, "wasted_units": 0.0},
     [("J0585", 200, ["JZ"])], "specific"),
    ("dysport_units_divided_by_5", {"agent": "abobotulinumtoxinA", "total_units": 500.0, "wasted_units": 0.0},
     [("J0586", 100, ["JZ"])], "specific"),
    ("myobloc_units_divided_by_100", {"agent": "rimabotulinumtoxinB", "total_units": 5000.0,
                                      "wasted_units": 0.0}, [("J0587", 50, ["JZ"])], "specific"),
    ("agent_and_wastage_missing", {"total_units": 200.0}, [("J0585", 200, [])], "NOS"),
]


@pytest.mark.parametrize(("attrs", "lines", "label"), [c[1:] for c in TOXIN], ids=[c[0] for c in TOXIN])
def test_toxin_lines(run, fact, attrs, lines, label):
    result = run(fact("toxin", "botulinum_toxin", injections=injections(2, region="neck"), **attrs))
    hcpcs = [s for s in result.suggestions if s.system == "HCPCS"]
    assert [(s.code, s.units, s.modifiers) for s in hcpcs] == lines
    assert hcpcs[0].label == label


def test_toxin_missing_agent_queries_agent_and_wastage(run, fact):
    s = run(fact("toxin", "botulinum_toxin", total_units=200.0)).get("J0585")
    assert set(s.query.axes) == {"toxin_agent", "toxin_wastage"}


LP = [
    ("diagnostic", {"intent": "diagnostic"}, "62270", "specific"),
    ("therapeutic", {"intent": "therapeutic"}, "62272", "specific"),
    ("diagnostic_fluoroscopy", {"intent": "diagnostic", "guidance": "fluoroscopy"}, "62328", "specific"),
    ("therapeutic_ct", {"intent": "therapeutic", "guidance": "ct"}, "62329", "specific"),
    ("intent_missing", {}, "62270", "NOS"),
]


@pytest.mark.parametrize(("attrs", "code", "label"), [c[1:] for c in LP], ids=[c[0] for c in LP])
def test_lp_codes(run, fact, attrs, code, label):
    result = run(fact("lp", "lumbar_puncture", **attrs))
    assert result.codes("CPT") == [code]
    assert result.get(code).label == label


def test_nerve_block_bilateral_occipital(run, fact):
    result = run(fact("nerve_block", "nerve_block", nerve="greater_occipital", laterality="left"),
                 fact("nerve_block", "nerve_block", nerve="greater_occipital", laterality="right"))
    s = result.get("64405")
    assert s is not None and s.modifiers == ["50"]


def test_procedure_named_in_history_without_details_not_coded(run, fact):
    result = run(fact("emg", "needle_emg", section="hpi"), fact("lp", "lumbar_puncture", section="plan"))
    assert result.codes() == []
    assert any("not performed in this encounter" in w for w in result.warnings)


# (case id, family, concept, fact section, attrs, codes): where a procedure is named, and with
# which details, decides whether it was done in this encounter
PERFORMED = [
    ("prior_eeg_result_in_history_not_coded", "eeg", "eeg", "hpi",
     {"states": ["awake", "drowsy"], "duration_min": 25}, []),
    ("eeg_report_section_coded", "eeg", "eeg", "eeg", {"states": ["awake", "drowsy"], "duration_min": 25},
     ["95816"]),
    ("bare_emg_reference_outside_report_not_coded", "emg", "needle_emg", "other", {}, []),
    ("emg_with_muscles_in_impression_coded", "emg", "needle_emg", "impression",
     {"muscles": [{"muscle": "deltoid", "side": "right", "region": "upper_extremity"}]}, ["95860"]),
    ("product_name_only_in_history_not_coded", "toxin", "botulinum_toxin", "hpi",
     {"agent": "onabotulinumtoxinA"}, []),
    ("lp_intent_in_history_not_coded", "lp", "lumbar_puncture", "hpi", {"intent": "diagnostic"}, []),
    ("lp_in_procedure_section_coded", "lp", "lumbar_puncture", "procedure", {}, ["62270"]),
]


@pytest.mark.parametrize(("family", "concept", "section", "attrs", "codes"), [c[1:] for c in PERFORMED],
                         ids=[c[0] for c in PERFORMED])
def test_procedure_performed_in_this_encounter(run, fact, family, concept, section, attrs, codes):
    assert run(fact(family, concept, section=section, **attrs)).codes("CPT") == codes


def test_presenting_symptom_not_coded_beside_diagnosis(run, fact):
    result = run(fact("symptom", "numbness", section="indication"),
                 fact("neuromuscular", "carpal_tunnel", laterality="right"))
    assert result.codes() == ["G56.01"]


NERVE_PROCEDURES = [
    ("phenol_neurolysis_obturator", "neurolysis", {"laterality": "right"}, "64640"),
    ("block_other_nerve", "nerve_block", {"nerve": "femoral"}, "64447"),
]


@pytest.mark.parametrize(("concept", "attrs", "code"), [c[1:] for c in NERVE_PROCEDURES],
                         ids=[c[0] for c in NERVE_PROCEDURES])
def test_nerve_procedures(run, fact, concept, attrs, code):
    assert run(fact("nerve_block", concept, **attrs)).codes("CPT") == [code]


def test_emg_limited_with_ncs_queries_muscle_list(run, fact):
    """Four muscles named with same-day NCS: 95885 by default, NOS until the full muscle list is known."""
    result = run(fact("emg", "needle_emg", muscles=muscles(4)), fact("ncs", "nerve_conduction", nerves=nerves(2)))
    s = result.get("95885")
    assert s.label == "NOS" and "muscles_tested" in s.query.axes
