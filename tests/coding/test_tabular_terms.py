"""Terms derived from the ICD-10-CM tabular (scripts/derive_tabular_terms.py -> terms/tabular.csv):
the derivation rules, the generated file's integrity, and named clinical cases coded through them."""

from __future__ import annotations

import csv
import importlib.util
import sys
from pathlib import Path

import pytest

from nlp.api import suggest
from nlp.codesets import icd10cm

ROOT = Path(__file__).resolve().parents[2]
RESOURCES = ROOT / "nlp" / "resources"


def _derive_module():
    spec = importlib.util.spec_from_file_location("derive_tabular_terms", ROOT / "scripts" / "derive_tabular_terms.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("derive_tabular_terms", mod)
    spec.loader.exec_module(mod)
    return mod


def test_cleaning_keeps_names_and_drops_residual_and_combination_classes() -> None:
    d = _derive_module()
    assert d.clean("Cerebral aneurysm NOS") == "cerebral aneurysm"
    assert d.clean("Difficulty in walking, not elsewhere classified") == "difficulty in walking"
    assert d.clean("Third [oculomotor] nerve palsy, unspecified eye") == "third nerve palsy"
    assert d.clean("Other specified disorders of brain") is None        # residual class
    assert d.clean("Cerebral infarction due to thrombosis") is None     # a combination needs the coder's axes
    assert d.clean("Chorea") is None                                     # short one-word term
    assert d.variants("compression of brain") == ["compression of brain", "brain compression",
                                                  "compression of the brain"]
    assert d.variants("essential tremor") == ["essential tremor", "essential tremors"]


def test_generated_file_is_in_scope_billable_or_a_header_and_never_an_excluded_term() -> None:
    with (RESOURCES / "tabular_term_scope.csv").open(encoding="utf-8") as fh:
        scope = tuple(r["prefix"] for r in csv.DictReader(fh))
    with (RESOURCES / "tabular_term_exclusions.csv").open(encoding="utf-8") as fh:
        excluded = {r["term"] for r in csv.DictReader(fh)}
    release = icd10cm.for_date(None)
    with (RESOURCES / "terms" / "tabular.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) > 300
    for r in rows:
        code = r["concept"].removeprefix("icd:")
        assert r["concept"].startswith("icd:") and code.startswith(scope), r
        assert release.find(code) is not None, r
        assert r["term"] not in excluded and "derived by scripts/derive_tabular_terms.py" in r["source"]


def codes(text: str) -> set[str]:
    return {s.code for s in suggest(text).suggestions}


@pytest.mark.parametrize(("case", "text", "code"), [
    ("metabolic_encephalopathy", "ASSESSMENT:\n1. Metabolic encephalopathy.\n", "G93.41"),
    ("myoclonus_in_the_assessment", "ASSESSMENT:\n1. Myoclonus.\n", "G25.3"),
    ("tarlov_cyst_is_a_nerve_root_cyst", "ASSESSMENT:\n1. Tarlov cyst at S2.\n", "G96.191"),
    ("rem_sleep_behavior_disorder", "IMPRESSION:\n1. REM sleep behavior disorder.\n", "G47.52"),
    ("hemispatial_neglect", "ASSESSMENT:\n1. Hemispatial neglect.\n", "R41.4"),
    ("ocular_motor_palsy_side_picks_the_leaf", "ASSESSMENT:\n1. Third nerve palsy, right eye.\n", "H49.01"),
])
def test_tabular_terms_code_assessment_statements(case: str, text: str, code: str) -> None:
    assert code in codes(text), case


def test_tabular_terms_outside_the_assessment_are_not_coded() -> None:
    # machine-derived terms need the provider's diagnostic statement: an exam finding alone is not coded
    assert "G25.3" not in codes("EXAM: Myoclonus of the arms.\nASSESSMENT:\n1. Migraine.\n")
    assert "G47.00" not in codes("MEDICATIONS: Trazodone for insomnia.\nASSESSMENT:\n1. Migraine.\n")


def test_unspecified_encephalopathy_is_not_coded_beside_a_specified_one() -> None:
    got = codes("ASSESSMENT:\n1. Encephalopathy.\n2. Metabolic encephalopathy.\n")
    assert "G93.41" in got and "G93.40" not in got


def test_dyskinesia_is_an_axis_of_parkinson_disease() -> None:
    got = codes("ASSESSMENT:\n1. Parkinson disease.\n2. Dyskinesia.\n")
    assert any(c.startswith("G20") for c in got) and "G24.9" not in got
