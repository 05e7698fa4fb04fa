"""Fixtures of the batch tests: a few short synthetic notes and writers for every input format."""

from __future__ import annotations

import json
import tarfile
import zipfile
from pathlib import Path

import pandas as pd
import pytest

EPILEPSY = (
    "NEUROLOGY CLINIC NOTE\n\nHISTORY: 30-year-old woman with focal epilepsy. Her seizures begin with staring\n"
    "and impaired awareness despite two medications; her epilepsy is drug-resistant.\n\n"
    "ASSESSMENT: Intractable focal epilepsy with focal impaired awareness seizures, without status epilepticus.\n"
)
MIGRAINE = (
    "HEADACHE CLINIC\n\nASSESSMENT: Chronic migraine without aura, not intractable, without status migrainosus.\n"
    "PLAN: Continue topiramate.\n"
)
EMG = (
    "EMG / NERVE CONDUCTION REPORT\n\nNerve conduction studies: right median motor, right median sensory,\n"
    "right ulnar motor and right ulnar sensory nerves were tested.\n"
    "Needle EMG of the right upper extremity: abductor pollicis brevis, first dorsal interosseous, biceps.\n\n"
    "IMPRESSION: Right carpal tunnel syndrome, moderate.\n"
)
HEADACHE = "ASSESSMENT: Headache.\n"
TEXTS = [EPILEPSY, MIGRAINE, EMG, HEADACHE]


def note_rows(n: int = 4) -> list[dict[str, str | None]]:
    """n notes cycling through the texts, with per-note metadata on some of them."""
    rows = []
    for i in range(n):
        rows.append({
            "note_id": f"n{i:03d}",
            "text": TEXTS[i % len(TEXTS)],
            "provider_id": f"prov{i % 3}",
            "date_of_service": "2026-05-14" if i % 2 == 0 else None,
            "setting": "outpatient",
            "specialty": "neurology" if i % 4 else None,
        })
    return rows


def write_table(rows: list[dict], path: Path) -> Path:
    """rows -> .csv / .jsonl / .parquet at path (by its suffix)."""
    if path.suffix == ".jsonl":
        path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    elif path.suffix == ".csv":
        pd.DataFrame(rows).to_csv(path, index=False)
    else:
        pd.DataFrame(rows).to_parquet(path, index=False)
    return path


def write_folder(rows: list[dict], root: Path) -> Path:
    """rows -> root/<note_id>.txt, every other note in a subfolder (recursive reading)."""
    for i, r in enumerate(rows):
        p = root / ("sub" if i % 2 else "") / f"{r['note_id']}.txt"
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(r["text"], encoding="utf-8")
    return root


def write_archive(folder: Path, path: Path) -> Path:
    files = sorted(p for p in folder.rglob("*.txt"))
    if path.suffix == ".zip":
        with zipfile.ZipFile(path, "w") as zf:
            for p in files:
                zf.write(p, p.relative_to(folder).as_posix())
    else:
        with tarfile.open(path, "w:gz") as tf:
            for p in files:
                tf.add(p, p.relative_to(folder).as_posix())
    return path


@pytest.fixture
def rows() -> list[dict]:
    return note_rows(4)
