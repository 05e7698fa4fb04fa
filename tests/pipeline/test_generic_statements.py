"""A general statement about a disease is not the patient's diagnosis (one named clinical case each)."""

from __future__ import annotations

import pytest

# (case id, text, mention, hypothetical?)
CASES = [
    ("antibody_titres_tend_to_be_elevated_in_disease",
     "Striated muscle antibody titers tend to be elevated in myasthenia gravis with thymoma.",
     "myasthenia gravis", True),
    ("findings_typically_seen_in_disease", "These lesions are typically seen in multiple sclerosis.",
     "multiple sclerosis", True),
    ("patient_finding_tends_to_be_worse_is_current", "Her headaches tend to be worse in the morning.",
     "headaches", False),
    ("stated_diagnosis_is_current", "IMPRESSION:\nMyasthenia gravis.", "Myasthenia gravis", False),
]


@pytest.mark.parametrize(("text", "mention", "hypothetical"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_generic_statement(pipeline, text: str, mention: str, hypothetical: bool) -> None:  # type: ignore[no-untyped-def]
    ents = {e.text: e for e in pipeline(text).ents}
    assert bool(ents[mention]._.is_hypothetical) is hypothetical
