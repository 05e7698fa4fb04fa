"""Nerve conduction reports whose study count cannot be read (named clinical cases): the counted
studies stay the code, labelled NOS with a query on the nerves studied."""

from __future__ import annotations

import pytest

from nlp.api import suggest

DOS = "2026-05-01"

UNNAMED = ("NERVE CONDUCTION STUDIES:\nThe right median sensory distal latency is prolonged. Right ulnar sensory "
           "response is normal. Right sural sensory response is normal. The remaining nerves tested revealed "
           "normal distal latencies, amplitudes and F-waves.\nIMPRESSION:\nMild right carpal tunnel syndrome.")
TWICE = ("NERVE CONDUCTION STUDIES:\nRight median motor distal latency is prolonged with a normal amplitude. "
         "Left median sensory response is normal. Left ulnar sensory response is normal. The right median motor "
         "distal latency is normal with a normal amplitude at the wrist.\nIMPRESSION:\nRight median neuropathy.")
CLEAR = ("NERVE CONDUCTION STUDIES:\nRight median motor distal latency is prolonged. Right median sensory "
         "response is absent. Right ulnar motor and sensory responses are normal.\nIMPRESSION:\n"
         "Right carpal tunnel syndrome.")
TABLE = ("NERVE CONDUCTION STUDIES:\nNerve / Site        Latency  Amplitude\nR Median motor wrist   4.9 ms  6 mV\n"
         "R Median motor elbow   9.1 ms  5 mV\nR Ulnar motor wrist   3.0 ms  9 mV\nR Median sensory   3.9 ms  9 uV\n"
         "IMPRESSION:\nRight carpal tunnel syndrome.")

CASES = [
    ("remaining_nerves_not_named", UNNAMED, "95908", "NOS"),
    ("one_study_reported_twice_with_different_findings", TWICE, "95908", "NOS"),
    ("each_study_named_once", CLEAR, "95908", "specific"),
    ("table_rows_per_stimulation_site_are_one_study", TABLE, "95908", "specific"),
]


@pytest.mark.parametrize(("text", "code", "label"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_ncs_count_certainty(text: str, code: str, label: str) -> None:
    result = suggest(text, note_id="t", date_of_service=DOS).to_dict()
    ncs = [s for s in result["suggestions"] if s["system"] == "CPT" and s["code"][:4] in ("9590", "9591")]
    assert [s["code"] for s in ncs] == [code]
    assert ncs[0]["label"] == label
    axes = (ncs[0].get("query") or {}).get("axes", [])
    assert ("nerves_studied" in axes) == (label == "NOS")
