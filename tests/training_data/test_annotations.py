"""Consistency of the synthetic training notes and their annotations (training_data/).

Self-contained: reads only training_data/ and the bundled ICD-10-CM release (through the session `icd`
fixture of tests/conftest.py). The vocabularies below restate docs/annotation-guide.md.
"""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[2] / "training_data"
NOTES = DATA / "notes"
ANNOTATIONS = DATA / "annotations.jsonl"

SYSTEMS = {"ICD-10-CM", "CPT", "HCPCS"}
LABELS = {"specific", "NEC", "NOS"}
REASONS = {"negated", "uncertain", "family", "historical", "hypothetical"}
GUIDE_AXES = {
    "seizure_type", "onset", "awareness", "intractability", "status_epilepticus", "epilepsy_vs_single_seizure",
    "ms_course", "ms_activity", "migraine_type", "status_migrainosus", "headache_type", "laterality", "etiology",
    "neuropathy_type", "nerves_studied", "muscles_tested", "muscles_injected", "toxin_agent", "toxin_units",
    "toxin_wastage", "eeg_duration", "eeg_state", "eeg_video", "lp_guidance", "lp_intent", "stroke_type",
    "deficit_laterality", "dementia_type", "severity",
}
# New axes the guide allows ("add a new short snake_case axis only if none fits"); listed in the README.
EXTRA_AXES = {"dyskinesia", "optic_neuritis_type"}
MODIFIERS = {"JW", "JZ", "50", "RT", "LT"}
KEYS = {"note_id", "codes", "not_coded", "comment"}
CODE_KEYS = {"system", "code", "label", "neuro", "evidence", "query_axes", "units", "modifiers", "alternatives"}
CPT_RANGES = [(95700, 95999), (64612, 64647), (62270, 62329), (64400, 64530), (20552, 20553)]
HCPCS_CODES = {"J0585", "J0586", "J0587", "J0588", "J0589"}
ICD_RE = re.compile(r"^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$")


def _lines() -> list[str]:
    return [line for line in ANNOTATIONS.read_text(encoding="utf-8").splitlines() if line.strip()]


def _records() -> list[dict]:
    out = []
    for line in _lines():
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError:
            continue  # reported by test_line_parses
    return out


RECORDS = _records()
IDS = [r.get("note_id", f"line{i}") for i, r in enumerate(RECORDS)]


def _text(rec: dict) -> str:
    return (NOTES / f"{rec['note_id']}.txt").read_text(encoding="utf-8")


def _in_neuro_scope(system: str, code: str) -> bool:
    """The annotation guide's `neuro` scope."""
    if system == "CPT":
        return code.isdigit() and any(lo <= int(code) <= hi for lo, hi in CPT_RANGES)
    if system == "HCPCS":
        return code in HCPCS_CODES
    c3 = code[:3]
    return (
        code[0] == "G"
        or c3 in {"F01", "F02", "F03", "R51", "R55", "R56", "S06"}
        or "I60" <= c3 <= "I69"
        or "R20" <= c3 <= "R29"
        or "R40" <= c3 <= "R47"
        or code[:5] in {"M50.0", "M50.1", "M51.0", "M51.1", "M54.1", "M54.8"} and code != "M54.89"
        or c3 in {"E08", "E09", "E10", "E11", "E13"} and code[4:5] == "4"
        or code == "Z82.0"
        or code.startswith("Z86.6")
    )


def test_annotation_file_not_empty() -> None:
    assert len(RECORDS) >= 80


@pytest.mark.parametrize("index", range(len(_lines())), ids=lambda i: f"line{i + 1}")
def test_line_parses(index: int) -> None:
    rec = json.loads(_lines()[index])
    assert isinstance(rec, dict)
    assert set(rec) == KEYS, f"keys {sorted(rec)}"
    assert isinstance(rec["codes"], list) and rec["codes"]
    assert isinstance(rec["not_coded"], list)
    assert isinstance(rec["comment"], str)
    assert re.fullmatch(r"syn-\d{4}", rec["note_id"])


def test_note_ids_unique_and_sorted() -> None:
    ids = [r["note_id"] for r in RECORDS]
    assert len(ids) == len(set(ids))
    assert ids == sorted(ids)


def test_every_note_has_annotation_and_vice_versa() -> None:
    files = {p.stem for p in NOTES.glob("*.txt")}
    ids = {r["note_id"] for r in RECORDS}
    assert files - ids == set(), "notes without annotation"
    assert ids - files == set(), "annotations without note file"


@pytest.mark.parametrize("rec", RECORDS, ids=IDS)
def test_note_text_shape(rec: dict) -> None:
    text = _text(rec)
    assert 300 <= len(text) <= 2500
    assert text.isascii()


@pytest.mark.parametrize("rec", RECORDS, ids=IDS)
def test_evidence_and_not_coded_verbatim(rec: dict) -> None:
    text = _text(rec)
    for c in rec["codes"]:
        assert c["evidence"].strip() and c["evidence"] in text, f"{c['code']}: evidence not verbatim"
    for n in rec["not_coded"]:
        assert set(n) == {"text", "reason"}
        assert n["text"] in text, f"not_coded text not verbatim: {n['text']!r}"
        assert n["reason"] in REASONS


@pytest.mark.parametrize("rec", RECORDS, ids=IDS)
def test_code_fields(rec: dict) -> None:
    for c in rec["codes"]:
        assert set(c) <= CODE_KEYS, sorted(set(c) - CODE_KEYS)
        assert c["system"] in SYSTEMS
        assert c["label"] in LABELS
        assert isinstance(c["neuro"], bool)
        assert c["neuro"] == _in_neuro_scope(c["system"], c["code"]), f"{c['code']}: neuro flag"
        if "units" in c:
            assert c["system"] in {"CPT", "HCPCS"}
            assert type(c["units"]) is int and c["units"] > 1, "units only when > 1, positive int"
        for m in c.get("modifiers", []):
            assert m in MODIFIERS
        if c["system"] == "ICD-10-CM":
            assert ICD_RE.match(c["code"]), c["code"]
            assert "units" not in c and "modifiers" not in c
        elif c["system"] == "CPT":
            assert _in_neuro_scope("CPT", c["code"]), f"{c['code']} outside the neurology CPT families"
        else:
            assert c["code"] in HCPCS_CODES
        for alt in c.get("alternatives", []):
            assert alt != c["code"]


@pytest.mark.parametrize("rec", RECORDS, ids=IDS)
def test_query_axes_match_label(rec: dict) -> None:
    for c in rec["codes"]:
        axes = c["query_axes"]
        assert isinstance(axes, list)
        if c["label"] == "NOS":
            assert axes, f"{c['code']}: NOS code needs query axes"
            assert set(axes) <= GUIDE_AXES | EXTRA_AXES, sorted(set(axes) - GUIDE_AXES - EXTRA_AXES)
            assert len(axes) == len(set(axes))
        else:
            assert axes == [], f"{c['code']}: only NOS codes carry query axes"


@pytest.mark.parametrize("rec", RECORDS, ids=IDS)
def test_icd_codes_billable_april_2026(rec: dict, icd) -> None:  # type: ignore[no-untyped-def]
    for c in rec["codes"]:
        if c["system"] != "ICD-10-CM":
            continue
        for code in (c["code"], *c.get("alternatives", [])):
            assert code != "G35", "G35 is not billable since FY2026"
            found = icd.find(code)
            assert found is not None, f"{code} not in the release"
            assert found.billable, f"{code} not billable"


@pytest.mark.parametrize("rec", RECORDS, ids=IDS)
def test_no_duplicate_code_lines(rec: dict) -> None:
    keys = [(c["system"], c["code"], tuple(c.get("modifiers", []))) for c in rec["codes"]]
    assert len(keys) == len(set(keys))


def test_label_and_family_coverage() -> None:
    labels = {c["label"] for r in RECORDS for c in r["codes"]}
    assert labels == LABELS
    reasons = {n["reason"] for r in RECORDS for n in r["not_coded"]}
    assert reasons == REASONS
    codes = {c["code"] for r in RECORDS for c in r["codes"]}
    for needed in ("G40.219", "G35.D", "G43.909", "R51.9", "R56.9", "F44.5", "E11.42", "95913", "95886",
                   "95819", "95822", "95812", "95813", "64615", "J0585", "J0586", "J0587", "J0588", "62328",
                   "64405"):
        assert needed in codes, needed


def test_readme_counts_are_current() -> None:
    spec = importlib.util.spec_from_file_location("training_data_stats", DATA / "stats.py")
    assert spec and spec.loader
    stats = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(stats)
    block = stats.markdown(RECORDS)
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    assert block in readme, "README counts are stale: paste the output of training_data/stats.py"
