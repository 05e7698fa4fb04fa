"""The held-out synthetic sets are well formed: every note has one annotation line, every quote is in its
note, every system is known (a malformed set would silently change the reported figures)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

EVAL_DATA = Path(__file__).resolve().parents[2] / "eval_data"
SETS = [EVAL_DATA / name for name in ("heldout_synthetic", "heldout_synthetic_2")]


@pytest.mark.parametrize("root", SETS, ids=[p.name for p in SETS])
def test_every_note_has_one_annotation_and_quotes_are_verbatim(root: Path) -> None:
    lines = [json.loads(x) for x in (root / "annotations.jsonl").read_text().splitlines() if x.strip()]
    ids = [g["note_id"] for g in lines]
    assert len(ids) == len(set(ids)) == len(list((root / "notes").glob("*.txt")))
    for g in lines:
        text = (root / "notes" / f"{g['note_id']}.txt").read_text()
        for c in g["codes"]:
            assert c["system"] in ("ICD-10-CM", "CPT", "HCPCS")
            assert c["label"] in ("specific", "NEC", "NOS")
            assert (c["label"] == "NOS") == bool(c.get("query_axes")), (g["note_id"], c["code"])
            assert " ".join(c["evidence"].split()) in " ".join(text.split()), (g["note_id"], c["code"])
        for nc in g.get("not_coded", []):
            assert " ".join(nc["text"].split()) in " ".join(text.split()), g["note_id"]
