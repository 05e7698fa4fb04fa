"""Small hand-made batch tables for the report tests, written in the batch output layout
(nlp/batch/README.md) with the batch schema, so the tests never run batch scoring."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from nlp.batch.schema import NOTES_SCHEMA, SUGGESTIONS_SCHEMA
from nlp.batch.tables import write_json_atomic, write_part

# note_id, provider, date, specialty, status; then its suggestions: (code, label, family, axes)
HAND_NOTES: list[tuple[str, str | None, str | None, str | None, str]] = [
    ("n1", "P1", "2026-04-10", "epilepsy", "ok"),
    ("n2", "P1", "2026-04-20", "epilepsy", "ok"),
    ("n3", "P1", "2026-05-05", "epilepsy", "ok"),
    ("n4", "P1", "2026-06-01", "epilepsy", "ok"),
    ("n5", "P2", "2026-05-10", None, "ok"),
    ("n6", "P2", None, None, "ok"),
    ("n7", "P2", "2026-05-20", None, "error"),
]
HAND_SUGGESTIONS: dict[str, list[tuple[str, str, str, list[str]]]] = {
    "n1": [("G40.909", "NOS", "epilepsy", ["seizure_type", "intractability"]), ("95816", "specific", "eeg", [])],
    "n2": [("G43.909", "NOS", "headache", ["migraine_type", "intractability"])],
    "n3": [("G40.219", "specific", "epilepsy", [])],
    "n4": [("G44.89", "NEC", "headache", []), ("G35.D", "NOS", "ms", ["ms_course", "ms_activity"])],
    "n5": [("G40.909", "NOS", "epilepsy", ["seizure_type"])],
    "n6": [("R51.9", "NOS", "headache", ["headache_type"]), ("G43.009", "specific", "headache", [])],
}


def tables(notes: list[tuple[Any, ...]], suggestions: dict[str, list[tuple[Any, ...]]],
           text: str = "Seizure text from the note", description: str | dict[str, str] = "a code description",
           prompt: str = "The note documents 'x'. Please clarify") -> tuple[list[dict], list[dict]]:
    """Rows of the notes and suggestions tables for the given notes and their suggestions."""
    note_rows, sugg_rows = [], []
    for i, (note_id, provider, date, specialty, status) in enumerate(notes):
        meta = {"note_id": note_id, "input_index": i, "provider_id": provider, "date_of_service": date,
                "setting": "outpatient", "specialty": specialty}
        sugg = suggestions.get(note_id, []) if status == "ok" else []
        note_rows.append({**meta, "source": f"notes.jsonl:row {i + 1}", "status": status,
                          "error_code": None if status == "ok" else "E804",
                          "error_message": None if status == "ok" else f"E804: Note {note_id}: the note is empty",
                          "warnings": [], "n_chars": 100, "n_suggestions": len(sugg),
                          "n_specific": sum(s[1] == "specific" for s in sugg),
                          "n_nec": sum(s[1] == "NEC" for s in sugg),
                          "n_nos": sum(s[1] == "NOS" for s in sugg), "n_queries": sum(bool(s[3]) for s in sugg),
                          "icd10cm_release": "2026-04-01" if status == "ok" else None, "pipeline_version": "test",
                          "seconds": 0.01})
        for j, (code, label, family, axes) in enumerate(sugg):
            sugg_rows.append({**meta, "suggestion_index": j, "system": "CPT" if code[0].isdigit() else "ICD-10-CM",
                              "code": code, "label": label,
                              "description": description.get(code) if isinstance(description, dict) else description,
                              "confidence": 0.8,
                              "units": 1, "modifiers": [], "family": family, "source": family,
                              "assertion": "present", "query_axes": list(axes),
                              "query_prompt": prompt if axes else None, "evidence_start": 0, "evidence_end": 10,
                              "evidence_text": text, "icd10cm_release": "2026-04-01", "cpt_version": "test",
                              "hcpcs_version": "test", "pipeline_version": "test"})
    return note_rows, sugg_rows


def frames(note_rows: list[dict], sugg_rows: list[dict]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(suggestions, notes) DataFrames with the batch schema's columns and types."""
    import pyarrow as pa

    sugg = pa.Table.from_pylist(sugg_rows, schema=SUGGESTIONS_SCHEMA).to_pandas()
    notes = pa.Table.from_pylist(note_rows, schema=NOTES_SCHEMA).to_pandas()
    sugg["query_axes"] = [list(v) if v is not None else [] for v in sugg["query_axes"]]
    return sugg, notes


@pytest.fixture
def hand_frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    return frames(*tables(HAND_NOTES, HAND_SUGGESTIONS))


@pytest.fixture
def write_results(tmp_path: Path) -> Callable[..., Path]:
    """Write note and suggestion rows as a finished batch output folder; returns the folder."""

    def write(note_rows: list[dict], sugg_rows: list[dict], name: str = "results", complete: bool = True) -> Path:
        out = tmp_path / name
        out.mkdir()
        parts = []
        if note_rows:
            parts.append({"part": 0, "notes": write_part(out, "notes", 0, note_rows, "parquet"),
                          "suggestions": write_part(out, "suggestions", 0, sugg_rows, "parquet"),
                          "n_notes": len(note_rows), "n_suggestions": len(sugg_rows)})
        write_json_atomic(out / "manifest.json", {"version": 1, "engine": "local", "format": "parquet",
                                                  "parts": parts, "complete": complete})
        return out

    return write


@pytest.fixture
def hand_results(write_results: Callable[..., Path]) -> Path:
    return write_results(*tables(HAND_NOTES, HAND_SUGGESTIONS))


@pytest.fixture
def make_rows() -> Callable[..., tuple[list[dict], list[dict]]]:
    """`make_rows(notes, suggestions, text=..., description=..., prompt=...)` -> (note_rows, sugg_rows)."""
    return tables


@pytest.fixture
def to_frames() -> Callable[[list[dict], list[dict]], tuple[pd.DataFrame, pd.DataFrame]]:
    return frames


@pytest.fixture
def hand_tables() -> tuple[list[tuple[Any, ...]], dict[str, list[tuple[Any, ...]]]]:
    """The hand-made notes and suggestions (the figures tests compute their answers from these by hand)."""
    return HAND_NOTES, HAND_SUGGESTIONS
