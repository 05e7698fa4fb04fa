"""Service-type training on weak labels: labelling rules, a tiny end-to-end run, missing inputs."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from nlp.claim.model import ServiceTypeModel
from nlp.claim.train import train, weak_label
from nlp.errors import NeurocodeError


@pytest.mark.parametrize("title, specialties, text, expected", [
    ("EMG/Nerve Conduction Study - 4", "Radiology; Neurology", "NERVE CONDUCTION STUDIES:", "diagnostic_test"),
    ("Consult - Migraine", "Neurology; Consult - History and Phy.", "HISTORY OF PRESENT ILLNESS:", "consultation"),
    ("Discharge Summary - Migraine", "General Medicine; Discharge Summary", "ADMITTING DIAGNOSIS:", "hospital_care"),
    ("Carpal Tunnel Release", "Surgery; Orthopedic", "PREOPERATIVE DIAGNOSIS:", "other"),
    ("MRI Brain - Thrombus", "Radiology; Neurology", "CC: Headache.\nHX: 45 y/o", None),  # teaching case: unlabelled
    ("Gen Med Progress Note - 4", "SOAP / Chart / Progress Notes", "SUBJECTIVE:", "office_visit"),
], ids=["emg_title", "consult_title", "discharge", "operative", "case_history_unlabelled", "soap_note"])
def test_train_weak_label(title: str, specialties: str, text: str, expected: str | None) -> None:
    assert weak_label(title, specialties, text) == expected


TEMPLATES = {
    "SOAP / Chart / Progress Notes": ("Progress Note - {i}", "SUBJECTIVE: Patient returns for follow-up {i} of "
                                      "headaches, doing better.\nPLAN: continue medication, return in {i} months."),
    "Neurology; Consult - History and Phy.": ("Neuro Consult - {i}", "REASON FOR CONSULTATION: asked by Dr. X "
                                              "to evaluate weakness {i}.\nIMPRESSION: neuropathy, consult "
                                              "recommendations."),
    "Radiology; Neurology": ("EEG - {i}", "DESCRIPTION: posterior dominant rhythm {i} Hz, electrodes placed, "
                             "photic stimulation.\nIMPRESSION: normal electroencephalogram."),
    "Surgery; Neurosurgery": ("Craniotomy - {i}", "PREOPERATIVE DIAGNOSIS: mass {i}.\nPROCEDURE: craniotomy, "
                              "incision, bone flap, closure with sutures, anesthesia."),
    "Discharge Summary": ("Discharge Summary - {i}", "HOSPITAL COURSE: admitted {i} days, discharged home on "
                          "medications, discharge instructions given, follow up."),
    "Pain Management": ("Lumbar Puncture - {i}", "PROCEDURE: lumbar puncture at L3-L4 {i}, needle, CSF "
                        "collected, opening pressure, tolerated procedure."),
}


def test_train_tiny_corpus_end_to_end(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    rows = []
    for k, (spec, (title, body)) in enumerate(TEMPLATES.items()):
        for i in range(1, 7):
            note_id = f"n-{k}-{i}"
            (notes / f"{note_id}.txt").write_text(body.format(i=i))
            rows.append({"id": note_id, "specialties": spec, "sample_name": title.format(i=i), "description": "",
                         "n_chars": "0", "split": "dev"})
    manifest = tmp_path / "manifest.csv"
    with manifest.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    out = tmp_path / "model"
    rep = train(manifest, notes, tmp_path / "none.jsonl", tmp_path / "none", out)
    assert rep["examples"] == 36 and rep["json_max_prob_diff"] <= 1e-3
    assert set(rep["model_cv"]["per_class_f1"]) == {"office_visit", "consultation", "diagnostic_test", "other",
                                                    "hospital_care", "therapeutic_procedure"}
    model = ServiceTypeModel.from_dict(json.loads((out / "model.json").read_text()))
    probs = model.predict_proba("HOSPITAL COURSE: admitted, discharged home with discharge instructions.")
    assert max(probs, key=lambda c: probs[c]) == "hospital_care"
    card = (out / "MODEL_CARD.md").read_text()
    assert f"**{rep['model_cv']['macro_f1']}**" in card and "weak labels" in card


def test_train_missing_manifest_is_e905(tmp_path: Path) -> None:
    with pytest.raises(NeurocodeError, match="^E905"):
        train(tmp_path / "missing.csv", tmp_path, tmp_path / "a.jsonl", tmp_path, tmp_path / "out")
