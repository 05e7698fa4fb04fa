from __future__ import annotations

import pytest

# (id, family, concept, attrs, expected code, label, axes that must be queried)
CASES = [
    ("ms_relapsing_remitting", "ms", "multiple_sclerosis", {"course": "relapsing_remitting"}, "G35.A",
     "specific", set()),
    ("ms_unspecified", "ms", "multiple_sclerosis", {}, "G35.D", "NOS", {"ms_course", "ms_activity"}),
    ("ms_primary_progressive_active", "ms", "multiple_sclerosis",
     {"course": "primary_progressive", "activity": "active"}, "G35.B1", "specific", set()),
    ("ms_secondary_progressive_activity_missing", "ms", "multiple_sclerosis",
     {"course": "secondary_progressive"}, "G35.C0", "NOS", {"ms_activity"}),
    ("migraine_nos", "headache", "migraine", {}, "G43.909", "NOS",
     {"migraine_type", "intractability", "status_migrainosus"}),
    ("migraine_aura_intractable_no_status", "headache", "migraine",
     {"aura": True, "intractable": True, "status_migrainosus": False}, "G43.119", "specific", set()),
    ("migraine_aura_status_missing", "headache", "migraine", {"aura": True, "intractable": True}, "G43.119",
     "NOS", {"status_migrainosus"}),
    ("chronic_migraine", "headache", "migraine",
     {"chronic": True, "intractable": True, "status_migrainosus": False}, "G43.719", "specific", set()),
    ("menstrual_migraine", "headache", "migraine",
     {"menstrual": True, "intractable": False, "status_migrainosus": False}, "G43.829", "specific", set()),
    ("other_migraine_nec", "headache", "medication_overuse_headache", {"intractable": False}, "G44.40", "NEC",
     set()),
    ("tension_chronic", "headache", "tension_headache", {"chronic": True, "intractable": False}, "G44.229",
     "specific", set()),
    ("headache_symptom", "headache", "headache", {}, "R51.9", "NOS", {"headache_type"}),
    ("carpal_tunnel_right", "neuromuscular", "carpal_tunnel", {"laterality": "right"}, "G56.01", "specific",
     set()),
    ("carpal_tunnel_side_missing", "neuromuscular", "carpal_tunnel", {}, "G56.00", "NOS", {"laterality"}),
    ("ulnar_bilateral", "neuromuscular", "ulnar_neuropathy", {"laterality": "bilateral"}, "G56.23",
     "specific", set()),
    ("radiculopathy_levels_cervical", "neuromuscular", "radiculopathy", {"level": ["C6", "C7"]}, "M54.12",
     "specific", set()),
    ("radiculopathy_levels_lumbosacral", "neuromuscular", "radiculopathy", {"level": ["L5", "S1"]}, "M54.17",
     "specific", set()),
    ("radiculopathy_region_missing", "neuromuscular", "radiculopathy", {}, "M54.10", "NOS", {"spinal_region"}),
    ("polyneuropathy_nos", "neuromuscular", "polyneuropathy", {}, "G62.9", "NOS",
     {"etiology", "neuropathy_type"}),
    ("diabetic_polyneuropathy_type_defaulted", "neuromuscular", "polyneuropathy", {"cause": "diabetic"},
     "E11.42", "NOS", {"diabetes_type"}),
    ("stroke_acute_nos", "stroke", "stroke", {}, "I63.9", "NOS", {"stroke_type"}),
    ("hemiparesis_sequela_left_default_nondominant", "stroke", "hemiparesis",
     {"sequela": True, "laterality": "left"}, "I69.354", "specific", set()),
    ("hemiparesis_sequela_right_dominant", "stroke", "hemiparesis",
     {"sequela": True, "laterality": "right", "dominant_side": True}, "I69.351", "specific", set()),
    ("hemiparesis_sequela_side_missing", "stroke", "hemiparesis", {"sequela": True}, "I69.359", "NOS",
     {"laterality"}),
    ("aphasia_acute_sign", "stroke", "aphasia", {}, "R47.01", "specific", set()),
    ("dementia_nos", "dementia", "dementia", {}, "F03.90", "NOS", {"dementia_type", "severity"}),
    ("dementia_moderate", "dementia", "dementia", {"severity": "moderate", "behavioral": False}, "F03.B0",
     "NOS", {"dementia_type"}),
    ("vascular_dementia_mild", "dementia", "vascular_dementia", {"severity": "mild"}, "F01.A0", "specific",
     set()),
    ("parkinson_disease_dyskinesia_not_stated", "parkinson", "parkinson_disease", {}, "G20.A1", "NOS", {"dyskinesia"}),
    ("parkinson_dyskinesia_fluctuations", "parkinson", "parkinson_disease",
     {"dyskinesia": True, "fluctuations": True}, "G20.B2", "specific", set()),
    ("parkinsonism", "parkinson", "parkinsonism", {}, "G20.C", "NOS", {"etiology"}),
    ("symptom_numbness", "symptom", "numbness", {}, "R20.0", "specific", set()),
    ("symptom_weakness_limb_nec", "symptom", "weakness", {"laterality": "right"}, "R29.898", "NEC", set()),
]


@pytest.mark.parametrize(("family", "concept", "attrs", "code", "label", "axes"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_condition_codes(run, fact, family, concept, attrs, code, label, axes):
    result = run(fact(family, concept, **attrs))
    s = result.get(code)
    assert s is not None, result.codes()
    assert s.label == label
    assert axes <= set(s.missing_axes)
    assert (s.query is not None) == (label == "NOS")


def test_left_and_right_mentions_are_bilateral(run, fact):
    result = run(fact("neuromuscular", "carpal_tunnel", laterality="left"),
                 fact("neuromuscular", "carpal_tunnel", laterality="right"))
    assert result.codes() == ["G56.03"]


def test_radiculopathy_one_code_per_region(run, fact):
    result = run(fact("neuromuscular", "radiculopathy", level=["C6"]),
                 fact("neuromuscular", "radiculopathy", level=["L5"]))
    assert sorted(result.codes()) == ["M54.12", "M54.16"]


def test_alzheimer_sequenced_before_f02(run, fact):
    result = run(fact("dementia", "alzheimer_disease", severity="mild", behavioral=False))
    assert result.codes() == ["G30.9", "F02.A0"]
    assert any(e.type == "code_first" and e.codes == ["G30.9", "F02.A0"] for e in result.edits)


def test_old_stroke_beside_a_new_deficit_is_not_a_sequela(run, fact):
    # Guidelines I.C.9.d: I69.x only for a deficit documented as a residual of the prior stroke
    result = run(fact("stroke", "stroke", assertion="historical"), fact("stroke", "aphasia"))
    assert "R47.01" in result.codes() and not any(c.startswith("I69") for c in result.codes())


def test_documented_residual_of_prior_stroke_is_a_sequela(run, fact):
    result = run(fact("stroke", "stroke", assertion="historical"), fact("stroke", "aphasia", sequela=True))
    assert result.codes() == ["I69.320"]


def test_history_of_stroke_without_deficit(run, fact):
    result = run(fact("stroke", "stroke", assertion="historical"))
    assert result.codes() == ["Z86.73"]


def test_ms_is_never_g35(run, fact):
    assert "G35" not in run(fact("ms", "multiple_sclerosis")).codes()


def test_every_table_code_is_in_the_release(icd):
    for name, column in (("coding_conditions.csv", "header"), ("coding_epilepsy.csv", "header"),
                         ("coding_ms.csv", "header"), ("coding_headache.csv", "header"),
                         ("coding_symptoms.csv", "code")):
        for row in _rows(name):
            for code in row[column].split(";"):  # a symptom row may carry one code per documented modality
                assert icd.find(code.strip()) is not None, (name, row[column])


def _rows(name):
    import csv
    import importlib.resources

    text = (importlib.resources.files("nlp.resources") / name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))
