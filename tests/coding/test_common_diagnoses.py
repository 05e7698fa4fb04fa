"""Fallback coder: common diagnoses outside the neurology families (coding_common_diagnoses.csv) and
fuzzy matching of diagnosis lines against ICD-10-CM descriptions."""

from __future__ import annotations

import pytest

from nlp.coding.tables import load_table

# (clinical case id, concept, section, attrs, assertion, expected code or None, label, query axes)
CASES = [
    ("htn_in_assessment", "hypertension", "impression", {}, "present", "I10", "specific", set()),
    ("hyperlipidemia_default_unspecified", "hyperlipidemia", "impression", {}, "present", "E78.5", "NOS",
     {"lipid_type"}),
    ("afib_type_not_stated", "atrial_fibrillation", "impression", {}, "present", "I48.91", "NOS", {"af_type"}),
    ("diabetes_type_not_stated_hpi", "diabetes", "hpi", {}, "present", "E11.9", "NOS", {"diabetes_type"}),
    ("diabetes_poorly_controlled_hyperglycemia", "diabetes_poorly_controlled", "none", {}, "present", "E11.65",
     "NOS", {"diabetes_type"}),
    ("type1_diabetes", "diabetes_type1", "impression", {}, "present", "E10.9", "specific", set()),
    ("gerd_esophagitis_not_stated", "gerd", "diagnosis", {}, "present", "K21.9", "NOS", {"esophagitis"}),
    ("depression_unspecified", "depression", "none", {}, "present", "F32.A", "NOS",
     {"depression_type", "severity"}),
    ("bipolar_secondary_diagnosis", "bipolar_disorder", "diagnosis", {}, "present", "F31.9", "NOS",
     {"current_episode", "severity"}),
    ("anxiety_disorder", "anxiety", "diagnosis", {}, "present", "F41.9", "NOS", {"anxiety_type"}),
    ("iron_deficiency_anemia", "iron_deficiency_anemia", "diagnosis", {}, "present", "D50.9", "NOS",
     {"etiology"}),
    ("spinal_stenosis_region_missing", "spinal_stenosis", "impression", {}, "present", "M48.00", "NOS",
     {"spinal_region"}),
    ("glaucoma_treated_pmh", "glaucoma", "pmh", {"treated": True}, "present", "H40.9", "NOS",
     {"glaucoma_type", "laterality"}),
    ("pmh_item_not_addressed", "hypertension", "pmh", {}, "present", None, "", set()),
    ("exam_finding_obese_not_diagnosed", "obesity", "exam", {}, "present", None, "", set()),
    ("negated_hypertension", "hypertension", "impression", {}, "negated", None, "", set()),
    ("uncertain_diabetes_hedge", "diabetes", "impression", {}, "uncertain", None, "", set()),
    ("family_history_diabetes", "diabetes", "family_history", {}, "family", None, "", set()),
    ("historical_depression", "depression", "hpi", {}, "historical", None, "", set()),
]


@pytest.mark.parametrize(("concept", "section", "attrs", "assertion", "code", "label", "axes"),
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_common_diagnosis(run, fact, concept, section, attrs, assertion, code, label, axes) -> None:
    result = run(fact("other_dx", concept, assertion=assertion, section=section, **attrs))
    icd = [s for s in result.suggestions if s.system == "ICD-10-CM"]
    if code is None:
        assert icd == []
        return
    assert [s.code for s in icd] == [code]
    assert icd[0].label == label
    asked = {a for q in result.queries for a in q.axes}
    assert axes <= asked


def test_every_common_diagnosis_row_is_billable_and_sourced() -> None:
    from nlp.codesets.icd10cm import for_date

    release = for_date("2026-05-01")
    for row in load_table("coding_common_diagnoses.csv", ("concept", "code"), ("missing_axes",)):
        assert release.require_billable(row["code"]).billable, row["concept"]
        assert "Alphabetic Index" in row["source"] or "(verify)" in row["source"]


def test_every_term_concept_has_a_code() -> None:
    from nlp.pipeline.resources import entity_terms

    concepts = {r["concept"] for r in load_table("coding_common_diagnoses.csv", ("concept", "code"), ("missing_axes",))}
    assert {t.concept for t in entity_terms() if t.family == "other_dx"} <= concepts


# (clinical case id, facts as (concept, section, assertion, attrs), codes expected, codes absent)
COMBINATIONS = [
    ("diabetes_without_complications_not_beside_neuropathy",
     [("other_dx", "diabetes", "impression"), ("neuromuscular", "polyneuropathy", "impression")],
     set(), {"E11.9"}),
    ("comorbidity_does_not_drop_presenting_sign",
     [("other_dx", "hypertension", "hpi"), ("symptom", "numbness", "hpi")], {"I10", "R20.0"}, set()),
]


@pytest.mark.parametrize(("facts", "present", "absent"), [c[1:] for c in COMBINATIONS],
                         ids=[c[0] for c in COMBINATIONS])
def test_combination(run, fact, facts, present, absent) -> None:
    built = []
    for family, concept, section in facts:
        attrs = {"cause": "diabetic"} if concept == "polyneuropathy" else {}
        built.append(fact(family, concept, section=section, **attrs))
    codes = {s.code for s in run(*built).suggestions}
    assert present <= codes
    assert not (absent & codes)


# (clinical case id, diagnosis line text, assertion, expected code or None)
LINES = [
    ("line_tinea_pedis", "Tinea pedis", "present", "B35.3"),
    ("line_dehydration", "Dehydration", "present", "E86.0"),
    ("line_free_text_no_match", "She is advised to continue with the same medication", "present", None),
    ("line_uncertain_not_fuzzy_matched", "Tinea pedis", "uncertain", None),
    ("line_negated_not_fuzzy_matched", "Dehydration", "negated", None),
]


@pytest.mark.parametrize(("text", "assertion", "code"), [c[1:] for c in LINES], ids=[c[0] for c in LINES])
def test_diagnosis_line_fuzzy(run, fact, text, assertion, code) -> None:
    for setting in ("outpatient", "inpatient"):
        result = run(fact("other_dx", "diagnosis_line", assertion=assertion, section="impression", text=text),
                     setting=setting)
        codes = [s.code for s in result.suggestions]
        assert codes == ([code] if code else [])
        for s in result.suggestions:
            assert s.source == "fuzzy"
