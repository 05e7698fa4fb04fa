"""`neurocode batch`, local engine: every input format, the error rows, output formats, workers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from nlp.api import suggest
from nlp.batch import read_tables
from nlp.batch.inputs import Columns
from nlp.batch.runner import run_batch
from nlp.batch.schema import NOTES_SCHEMA, SUGGESTIONS_SCHEMA, VOLATILE_COLUMNS
from nlp.batch.score import ScoreOptions
from nlp.errors import NeurocodeError

from .conftest import EMG, EPILEPSY, TEXTS, note_rows, write_archive, write_folder, write_table


def run(inp: Path, out: Path, **kw) -> tuple[pd.DataFrame, pd.DataFrame]:
    run_batch(inp, out, progress=False, **kw)
    return read_tables(out)


def stable(df: pd.DataFrame, table: str) -> pd.DataFrame:
    return df.drop(columns=VOLATILE_COLUMNS[table])


def test_tables_follow_schema_and_match_suggest(tmp_path, rows):
    sugg, notes = run(write_table(rows, tmp_path / "in.jsonl"), tmp_path / "out")
    assert list(notes.columns) == NOTES_SCHEMA.names
    assert list(sugg.columns) == SUGGESTIONS_SCHEMA.names
    assert list(notes["note_id"]) == [r["note_id"] for r in rows]
    assert set(notes["status"]) == {"ok"}
    for r in rows:  # the same codes, labels and order as the library's own suggest()
        kwargs = {"date_of_service": r["date_of_service"]} if r["date_of_service"] else {}
        expected = suggest(r["text"], note_id=r["note_id"], **kwargs)
        mine = sugg[sugg["note_id"] == r["note_id"]]
        assert list(mine["code"]) == expected.codes()
        assert list(mine["label"]) == [s.label for s in expected.suggestions]
        assert list(mine["family"]) == [s.family for s in expected.suggestions]
        note = notes[notes["note_id"] == r["note_id"]].iloc[0]
        assert note["n_suggestions"] == len(expected.suggestions)
        assert note["n_nos"] == sum(s.label == "NOS" for s in expected.suggestions)
    # metadata per note, null when absent; the setting default fills in
    first = notes.iloc[0]
    assert (first["provider_id"], first["date_of_service"], first["setting"]) == ("prov0", "2026-05-14", "outpatient")
    assert pd.isna(first["specialty"]) and pd.isna(notes.iloc[1]["date_of_service"])
    assert sugg["icd10cm_release"].notna().all() and sugg["cpt_version"].notna().all()
    # the evidence offsets point at the evidence text in the note
    for _, s in sugg[sugg["evidence_start"].notna()].iterrows():
        text = rows[int(s["input_index"])]["text"]
        assert text[int(s["evidence_start"]):int(s["evidence_end"])] == s["evidence_text"]


def test_nos_suggestion_carries_query_axes_and_prompt(tmp_path):
    rows = [{"note_id": "h", "text": "ASSESSMENT: Epilepsy.\n"}]
    sugg, _ = run(write_table(rows, tmp_path / "in.jsonl"), tmp_path / "out")
    nos = sugg[sugg["label"] == "NOS"]
    assert len(nos) >= 1
    assert all(len(axes) > 0 for axes in nos["query_axes"]) and nos["query_prompt"].notna().all()


@pytest.mark.parametrize("kind", ["csv", "parquet", "folder", "zip", "tar.gz"])
def test_every_input_format_gives_the_same_tables(tmp_path, kind):
    rows = note_rows(5)
    ref_sugg, ref_notes = run(write_table(rows, tmp_path / "ref.jsonl"), tmp_path / "ref")
    if kind in ("csv", "parquet"):
        inp = write_table(rows, tmp_path / f"in.{kind}")
    else:
        folder = write_folder(rows, tmp_path / "notes")
        inp = folder if kind == "folder" else write_archive(folder, tmp_path / f"notes.{kind}")
    sugg, notes = run(inp, tmp_path / "out")
    assert len(notes) == len(rows) and set(notes["status"]) == {"ok"}
    if kind in ("csv", "parquet"):
        key = ["note_id", "provider_id", "date_of_service", "specialty", "status", "n_suggestions"]
        pd.testing.assert_frame_equal(notes[key], ref_notes[key])
        pd.testing.assert_frame_equal(sugg, ref_sugg)
    else:  # text files: id = relative path, no metadata (newest release)
        expected_ids = sorted(f"{'sub/' if i % 2 else ''}{r['note_id']}.txt" for i, r in enumerate(rows))
        assert list(notes["note_id"]) == expected_ids
        assert notes["date_of_service"].isna().all()
        by_text = {r["text"]: suggest(r["text"]).codes() for r in rows}
        for _, n in notes.iterrows():
            text = rows[[r["note_id"] for r in rows].index(Path(n["note_id"]).stem)]["text"]
            assert list(sugg[sugg["note_id"] == n["note_id"]]["code"]) == by_text[text]


def test_configurable_columns_and_command_line_defaults(tmp_path):
    rows = [{"id": "a", "body": EPILEPSY, "dos": None, "where": "inpatient"}, {"id": "b", "body": EMG, "dos": None}]
    cols = Columns(note_id="id", text="body", date_of_service="dos", setting="where")
    _, notes = run(write_table(rows, tmp_path / "in.jsonl"), tmp_path / "out", columns=cols,
                   options=ScoreOptions(date_of_service="2026-06-01", setting="outpatient"))
    assert list(notes["setting"]) == ["inpatient", "outpatient"]
    assert list(notes["date_of_service"]) == ["2026-06-01", "2026-06-01"]
    assert set(notes["status"]) == {"ok"}


def by_id(notes: pd.DataFrame) -> dict[str, pd.Series]:
    return {r["note_id"]: r for _, r in notes.iterrows()}


def test_bad_notes_become_numbered_error_rows_and_the_run_continues(tmp_path):
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "good.txt").write_text(EPILEPSY, encoding="utf-8")
    (folder / "empty.txt").write_text("  \n", encoding="utf-8")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (folder / "big.txt").write_text("Headache. " * 520_000, encoding="utf-8")  # 5.2 MB
    (folder / "latin1.txt").write_bytes("ASSESSMENT: Migraine without aura. Caf\xe9.\n".encode("latin-1"))
    (folder / "utf16.txt").write_bytes(EPILEPSY.encode("utf-16"))
    (folder / "old.txt").write_text(EPILEPSY, encoding="utf-8")
    sugg, notes = run(folder, tmp_path / "out", part_size=3)
    n = by_id(notes)
    assert len(notes) == 7 and notes["input_index"].is_unique
    assert n["empty.txt"]["error_code"] == "E804"
    assert n["binary.txt"]["error_code"] == "E421"
    assert n["big.txt"]["error_code"] == "E403" and "5200000 bytes" in n["big.txt"]["error_message"]
    assert n["latin1.txt"]["status"] == "ok" and n["latin1.txt"]["warnings"][0].startswith("E401")
    assert n["utf16.txt"]["status"] == "ok" and n["utf16.txt"]["n_suggestions"] == n["good.txt"]["n_suggestions"]
    assert n["good.txt"]["status"] == "ok"
    for row in notes[notes["status"] == "error"].itertuples():
        assert row.error_message.startswith(row.error_code) and row.note_id in row.error_message
        assert "Headache. Headache" not in row.error_message
    assert set(sugg["note_id"]) <= {k for k, v in n.items() if v["status"] == "ok"}


def test_date_without_release_is_that_notes_e105(tmp_path):
    rows = [{"note_id": "old", "text": EPILEPSY, "date_of_service": "2015-01-01"},
            {"note_id": "new", "text": EPILEPSY, "date_of_service": "2026-05-14"},
            {"note_id": "bad", "text": EPILEPSY, "date_of_service": "14/05/2026"}]
    _, notes = run(write_table(rows, tmp_path / "in.jsonl"), tmp_path / "out")
    assert list(notes["error_code"].fillna("-")) == ["E105", "-", "E104"]


def test_duplicates_missing_text_and_corrupt_rows(tmp_path):
    csv_path = tmp_path / "in.csv"
    csv_path.write_text(
        'note_id,text\n"a","ASSESSMENT: Epilepsy."\n"b","x","extra field"\n"a","again"\n,"no id"\n"c",""\n',
        encoding="utf-8")
    _, notes = run(csv_path, tmp_path / "out")
    assert list(notes["note_id"].fillna("-")) == ["a", "b", "a", "-", "c"]
    assert list(notes["error_code"].fillna("-")) == ["-", "E807", "E806", "E807", "E804"]
    assert "first seen at input_index 0" in notes.iloc[2]["error_message"]

    no_text = write_table([{"note_id": "x", "body": EPILEPSY}, {"note_id": "y", "body": EMG}], tmp_path / "t.parquet")
    _, notes = run(no_text, tmp_path / "out2")
    assert list(notes["error_code"]) == ["E802", "E802"]
    assert "columns found: note_id, body" in notes.iloc[0]["error_message"]

    jsonl = tmp_path / "in.jsonl"
    jsonl.write_text('{"note_id": "j1", "text": "ASSESSMENT: Epilepsy."}\n{"note_id": "j2", "te\n[1]\n',
                     encoding="utf-8")
    _, notes = run(jsonl, tmp_path / "out3")
    assert list(notes["error_code"].fillna("-")) == ["-", "E807", "E807"]

    nulls = tmp_path / "nulls.parquet"
    pq.write_table(pa.table({"note_id": ["p1", None, "p3"], "text": ["ASSESSMENT: Epilepsy.", "x", None]}), nulls)
    _, notes = run(nulls, tmp_path / "out4")
    assert list(notes["error_code"].fillna("-")) == ["-", "E807", "E804"]


def test_missing_id_column_and_unknown_input_are_fatal_numbered_errors(tmp_path):
    with pytest.raises(NeurocodeError, match="E803"):
        run_batch(write_table([{"id": "a", "text": "x"}], tmp_path / "in.csv"), tmp_path / "o", progress=False)
    (tmp_path / "notes.docx").write_bytes(b"PK")
    with pytest.raises(NeurocodeError, match="E801"):
        run_batch(tmp_path / "notes.docx", tmp_path / "o2", progress=False)


def test_a_coder_that_raises_is_one_error_row(tmp_path, monkeypatch):
    import nlp.api

    real = nlp.api.suggest_facts
    secret = "SECRET-NOTE-TEXT"

    def flaky(facts, *, note_id=None, **kw):
        if note_id == "boom":
            raise ValueError(f"coder failed on {secret}")
        return real(facts, note_id=note_id, **kw)

    monkeypatch.setattr(nlp.api, "suggest_facts", flaky)
    rows = [{"note_id": "ok1", "text": EPILEPSY}, {"note_id": "boom", "text": secret + " " + EMG},
            {"note_id": "ok2", "text": EMG}]
    sugg, notes = run(write_table(rows, tmp_path / "in.jsonl"), tmp_path / "out")
    assert list(notes["status"]) == ["ok", "error", "ok"]
    boom = notes.iloc[1]
    # the core's per-note error result (E424: coding failed, exception class named) becomes the error row
    assert boom["error_code"] == "E424" and "ValueError" in boom["error_message"]
    assert secret not in boom["error_message"]
    assert set(sugg["note_id"]) == {"ok1", "ok2"}


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_output_formats_read_back_as_the_parquet_tables(tmp_path, fmt):
    rows = note_rows(4) + [{"note_id": "e", "text": ""}]
    inp = write_table(rows, tmp_path / "in.jsonl")
    ref_s, ref_n = run(inp, tmp_path / "pq")
    s, n = run(inp, tmp_path / fmt, fmt=fmt)
    assert next((tmp_path / fmt / "notes").glob(f"*.{fmt}"))
    pd.testing.assert_frame_equal(stable(n, "notes"), stable(ref_n, "notes"))
    pd.testing.assert_frame_equal(s, ref_s)


def test_existing_output_needs_resume(tmp_path, rows):
    inp = write_table(rows, tmp_path / "in.jsonl")
    run(inp, tmp_path / "out")
    with pytest.raises(NeurocodeError, match="E809"):
        run_batch(inp, tmp_path / "out", progress=False)
    with pytest.raises(NeurocodeError, match="E810"):
        run_batch(inp, tmp_path / "out", progress=False, resume=True, part_size=7)


def test_two_workers_give_the_same_tables_as_one(tmp_path):
    rows = note_rows(9)
    inp = write_table(rows, tmp_path / "in.parquet")
    s1, n1 = run(inp, tmp_path / "w1", part_size=2)
    s2, n2 = run(inp, tmp_path / "w2", part_size=2, workers=2)
    pd.testing.assert_frame_equal(s1, s2)
    pd.testing.assert_frame_equal(stable(n1, "notes"), stable(n2, "notes"))
    assert len(json.loads((tmp_path / "w2" / "manifest.json").read_text())["parts"]) == 5


def test_cli_summary_exit_status_and_no_note_text_in_logs(tmp_path):
    rows = note_rows(4) + [{"note_id": "empty", "text": ""}]
    inp = write_table(rows, tmp_path / "in.jsonl")
    cmd = [sys.executable, "-m", "nlp.cli", "batch", str(inp), "-o", str(tmp_path / "out"), "--part-size", "2",
           "--log-every", "0"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert "5 notes: 4 ok, 1 error (E804 1)" in proc.stderr
    assert "batch: 2/5 notes (0 error)" in proc.stderr  # plain progress lines when not a terminal
    logs = proc.stdout + proc.stderr
    for text in TEXTS:
        for line in text.splitlines():
            if len(line) > 12:
                assert line not in logs
    ok = [sys.executable, "-m", "nlp.cli", "batch", str(write_table(note_rows(2), tmp_path / "ok.jsonl")),
          "-o", str(tmp_path / "out2")]
    assert subprocess.run(ok, capture_output=True, text=True, timeout=300).returncode == 0


def test_claim_columns_carry_service_type_and_pointers(tmp_path):
    # issue 14 in the batch tables: the note's type of service, and each procedure line's diagnosis pointers
    sugg, notes = run(write_table([{"note_id": "emg", "text": EMG}], tmp_path / "in.jsonl"), tmp_path / "out")
    assert notes.iloc[0]["service_type"].startswith("diagnostic_test")
    ncs = sugg[sugg["code"].str.startswith("959")]
    assert len(ncs) and all(list(p) == ["G56.01"] for p in ncs["pointer_codes"])
    icd = sugg[sugg["system"] == "ICD-10-CM"]
    assert all(len(p) == 0 for p in icd["pointer_codes"])
