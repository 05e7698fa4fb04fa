from __future__ import annotations

import pytest

CASES = [
    ("epilepsy_nos", "epilepsy", {}, "G40.909", "NOS", {"seizure_type", "intractability"}),
    ("focal_impaired_intractable", "epilepsy",
     {"onset": "focal", "awareness": "impaired", "intractable": True}, "G40.219", "specific", set()),
    ("focal_aware_not_intractable", "epilepsy",
     {"onset": "focal", "awareness": "aware", "intractable": False}, "G40.109", "specific", set()),
    ("focal_awareness_missing", "epilepsy", {"onset": "focal", "intractable": False}, "G40.209", "NOS",
     {"awareness"}),
    ("refractory_with_status", "epilepsy",
     {"onset": "focal", "awareness": "impaired", "intractable": True, "status_epilepticus": True},
     "G40.211", "specific", set()),
    ("generalized_idiopathic", "epilepsy", {"onset": "generalized", "intractable": False}, "G40.309",
     "specific", set()),
    ("lennox_gastaut_intractable", "epilepsy", {"syndrome": "lennox_gastaut", "intractable": True},
     "G40.814", "specific", set()),
    ("named_syndrome_nec", "epilepsy", {"syndrome": "doose_syndrome", "intractable": False}, "G40.802",
     "NEC", set()),
    ("juvenile_myoclonic", "epilepsy", {"syndrome": "juvenile_myoclonic", "intractable": False}, "G40.B09",
     "specific", set()),
    ("single_seizure", "seizure", {}, "R56.9", "NOS", {"seizure_type", "epilepsy_vs_single_seizure"}),
    ("febrile_complex", "febrile_seizure", {"febrile_complex": True}, "R56.01", "specific", set()),
    ("post_traumatic_seizure", "post_traumatic_seizure", {}, "R56.1", "specific", set()),
    ("pnes", "pnes", {}, "F44.5", "specific", set()),
]


@pytest.mark.parametrize(("concept", "attrs", "code", "label", "axes"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_epilepsy_codes(run, fact, concept, attrs, code, label, axes):
    result = run(fact("epilepsy", concept, **attrs))
    s = result.get(code)
    assert s is not None, result.codes()
    assert s.label == label
    assert axes <= set(s.missing_axes)
    if label == "NOS":
        assert s.query is not None and axes <= set(s.query.axes)
    else:
        assert s.query is None


def test_epilepsy_absorbs_seizure_mentions(run, fact):
    result = run(fact("epilepsy", "epilepsy", intractable=True),
                 fact("epilepsy", "seizure", onset="focal", awareness="impaired"))
    assert result.codes() == ["G40.219"]


def test_epilepsy_status_concept_sets_status(run, fact):
    result = run(fact("epilepsy", "epilepsy"), fact("epilepsy", "status_epilepticus"))
    assert result.codes() == ["G40.901"]


def test_epilepsy_final_characters_read_from_tabular(icd):
    from nlp.coding.axes import resolve

    found = resolve(icd, "G40.A", {"intractability": "true", "status_epilepticus": "false"})
    assert found is not None and "intractable" in found.code.description
    assert "without status epilepticus" in found.code.description
