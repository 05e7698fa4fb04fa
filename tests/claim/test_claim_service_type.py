"""Type of service: one named case per service type (rules where certain, the model otherwise)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlp.claim import model as model_mod
from nlp.claim.service_type import classify

CASES = {
    "office_new": ("NEW PATIENT - HEADACHE\nCHIEF COMPLAINT: New patient referred by her primary care "
                   "physician for headaches.\nHISTORY OF PRESENT ILLNESS: 34-year-old woman with two years of "
                   "throbbing headaches.\nASSESSMENT: Migraine without aura.\nPLAN: Start topiramate.",
                   "office_visit", "new"),
    "office_established": ("CHIEF COMPLAINT: Seizure follow-up.\nHISTORY OF PRESENT ILLNESS: The patient returns "
                           "for follow-up of focal epilepsy. No seizures since the last visit on levetiracetam.\n"
                           "EXAMINATION: Normal.\nASSESSMENT: Focal epilepsy, well controlled.\nPLAN: Continue.",
                           "office_visit", "established"),
    "consult_outpatient": ("NEUROLOGY OUTPATIENT CONSULTATION\nREASON FOR CONSULTATION: Hand numbness, asked to see "
                           "by Dr. X.\nHISTORY: Six months of numb fingers at night.\nIMPRESSION: Carpal tunnel "
                           "syndrome.", "consultation", "outpatient"),
    "consult_inpatient": ("INPATIENT NEUROLOGY CONSULTATION\nREASON FOR CONSULTATION: Admitted with confusion; "
                          "asked to evaluate for seizures.\nIMPRESSION: Toxic metabolic encephalopathy.",
                          "consultation", "inpatient"),
    "eeg": ("EEG REPORT\nHISTORY: Staring spells.\nDESCRIPTION: Posterior dominant rhythm 9 Hz, reactive. Drowsiness "
            "recorded.\nIMPRESSION: Normal awake and drowsy EEG.", "diagnostic_test", "eeg"),
    "emg_ncs_table": ("HISTORY: Numbness of both feet.\nNERVE       Lat (ms)   Amp (mV)   CV (m/s)\nR peroneal  "
                      "5.1        1.2        38\nR sural     absent\nIMPRESSION: Sensorimotor polyneuropathy.",
                      "diagnostic_test", "emg_ncs"),
    "evoked_potentials": ("VISUAL EVOKED POTENTIALS\nINDICATION: Optic neuritis.\nFINDINGS: P100 latency prolonged "
                          "on the left.", "diagnostic_test", "evoked_potentials"),
    "sleep_study": ("Overnight polysomnogram performed for snoring and witnessed apneas.\nFINDINGS: AHI 24 per hour."
                    "\nIMPRESSION: Moderate obstructive sleep apnea.", "diagnostic_test", "sleep_study"),
    "chemodenervation": ("PROCEDURE NOTE: OnabotulinumtoxinA for chronic migraine.\nINDICATION: Chronic migraine.\n"
                         "PROCEDURE: 155 units injected into 31 sites.", "therapeutic_procedure", "chemodenervation"),
    "nerve_block": ("PROCEDURE NOTE - BILATERAL GREATER OCCIPITAL NERVE BLOCKS\nINDICATION: Occipital neuralgia.\n"
                    "PROCEDURE: 3 mL bupivacaine each side.", "therapeutic_procedure", "nerve_block"),
    "lumbar_puncture": ("LUMBAR PUNCTURE PROCEDURE NOTE\nINDICATION: Suspected idiopathic intracranial hypertension."
                        "\nPROCEDURE: L3-L4, opening pressure 34 cm H2O.", "therapeutic_procedure", "lumbar_puncture"),
    "discharge_summary": ("ADMITTING DIAGNOSIS: Status epilepticus.\nDISCHARGE DIAGNOSIS: Focal epilepsy.\nHOSPITAL "
                          "COURSE: Loaded with fosphenytoin; no further seizures.", "hospital_care", "discharge"),
    "operative_note": ("PREOPERATIVE DIAGNOSIS: Right carpal tunnel syndrome.\nPOSTOPERATIVE DIAGNOSIS: Same.\n"
                       "PROCEDURE: Right open carpal tunnel release.", "other", "operative"),
    "imaging_report": ("EXAM: MRI brain without contrast.\nREASON FOR EXAM: Headache.\nFINDINGS: No mass, no "
                       "hemorrhage.\nIMPRESSION: Normal MRI of the brain.", "other", "imaging"),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_service_type_named_case(case: str) -> None:
    text, expected_type, expected_subtype = CASES[case]
    st = classify(text)
    assert (st.type, st.subtype) == (expected_type, expected_subtype), st.to_dict()
    assert st.source.startswith(("rule:", "model"))


def test_service_type_rule_overrides_model_and_reports_probability() -> None:
    st = classify(CASES["emg_ncs_table"][0])
    assert st.source.startswith("rule:") and st.rule  # the nerve-conduction table rule decided
    assert st.probability is None and st.alternatives == {}  # a certain rule has no model probability


def test_service_type_model_decision_reports_probability() -> None:
    st = classify(CASES["office_established"][0])
    assert st.source == "model" and st.probability is not None and 0.0 < st.probability <= 1.0
    assert st.type in st.alternatives and st.alternatives[st.type] == st.probability
    assert len(st.alternatives) == 3 and sum(st.alternatives.values()) <= 1.0 + 1e-9


def test_service_type_setting_inpatient_makes_consult_inpatient() -> None:
    assert classify(CASES["consult_outpatient"][0], setting="inpatient").subtype == "inpatient"


def test_service_type_missing_model_warns_e904_and_keeps_rules(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEUROCODE_MODELS", str(tmp_path))
    assert classify(CASES["eeg"][0], warnings=[]).type == "diagnostic_test"  # rules need no model
    warnings: list[str] = []
    st = classify("Some text without any header.", warnings=warnings)
    assert (st.type, st.source) == ("other", "default")
    assert len(warnings) == 1 and warnings[0].startswith("E904") and "Some text" not in warnings[0]


def test_service_type_bad_model_file_warns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "service_type").mkdir()
    (tmp_path / "service_type" / "model.json").write_text(json.dumps({"format": "something-else"}))
    monkeypatch.setenv("NEUROCODE_MODELS", str(tmp_path))
    model, warning = model_mod.active_model()
    assert model is None and warning and "E904" in warning


def test_service_type_json_model_matches_sklearn() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    from nlp.claim.train import PARAMS, export

    texts = [CASES[k][0] for k in CASES] * 2
    labels = [CASES[k][1] for k in CASES] * 2
    pipe = make_pipeline(TfidfVectorizer(**{**PARAMS, "min_df": 1}), LogisticRegression(max_iter=500))
    pipe.fit(texts, labels)
    ours = model_mod.ServiceTypeModel.from_dict(export(pipe))
    theirs = pipe.predict_proba([CASES["eeg"][0]])[0]
    mine = ours.predict_proba(CASES["eeg"][0])
    for cls, p in zip(pipe.classes_, theirs, strict=True):
        assert mine[cls] == pytest.approx(float(p), abs=1e-4)


def test_service_type_committed_model_loads_without_shared() -> None:
    model, warning = model_mod.active_model()
    assert warning is None and model is not None
    assert set(model.classes) == {"office_visit", "consultation", "diagnostic_test", "therapeutic_procedure",
                                  "hospital_care", "other"}


def test_service_type_heldout_notes_labelled_by_hand() -> None:
    """The 60 held-out synthetic notes (never trained on) keep their hand-labelled type."""
    from nlp.claim.train import heldout_figures

    model, _ = model_mod.active_model()
    assert model is not None
    figures = heldout_figures(model)
    assert figures is not None and figures["notes"] == 60
    assert figures["rules_plus_model"]["accuracy"] >= 0.95
