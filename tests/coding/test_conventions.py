"""Coding conventions of the annotation guide, one named clinical case each (facts built directly)."""

from __future__ import annotations

import pytest

from tests.coding.conftest import make_fact as f

# (case id, facts, codes expected, codes that must not be suggested)
CASES = [
    ("ros_only_headache_not_coded",
     [f("headache", "headache", section="ros")], [], ["R51.9"]),
    ("ros_only_polyneuropathy_not_coded",
     [f("neuromuscular", "polyneuropathy", section="ros")], [], ["G62.9"]),
    ("headache_in_impression_is_coded",
     [f("headache", "headache", section="impression")], ["R51.9"], []),
    ("presenting_headache_not_coded_beside_hemorrhage",
     [f("headache", "headache", section="chief_complaint"),
      f("stroke", "subarachnoid_hemorrhage", section="hpi", stroke_type="hemorrhagic")], ["I60.9"], ["R51.9"]),
    ("stroke_deficit_in_chief_complaint_kept_beside_diagnosis",
     [f("stroke", "dysarthria", section="chief_complaint"),
      f("neuromuscular", "carpal_tunnel", laterality="right")], ["R47.1", "G56.01"], []),
    ("symptom_codes_alone_are_not_a_diagnosis",
     [f("symptom", "confusion", section="chief_complaint"), f("stroke", "aphasia", section="exam")],
     ["R41.0", "R47.01"], []),
]


@pytest.mark.parametrize(("facts", "expected", "absent"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_convention(run, facts, expected, absent):
    codes = run(*facts).codes()
    for code in expected:
        assert code in codes, codes
    for code in absent:
        assert code not in codes, codes
