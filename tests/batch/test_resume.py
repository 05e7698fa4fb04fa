"""A real kill (SIGKILL) midway through `neurocode batch`, then --resume: nothing lost, nothing doubled."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

from nlp.batch import read_tables
from nlp.batch.runner import run_batch
from nlp.batch.score import TEST_DELAY_ENV

from .conftest import note_rows, write_table


def finished_parts(outdir: Path) -> int:
    try:
        return len(json.loads((outdir / "manifest.json").read_text())["parts"])
    except (OSError, ValueError, KeyError):
        return 0


def test_killed_run_resumes_to_the_same_tables(tmp_path):
    rows = note_rows(40) + [{"note_id": "n000", "text": "duplicate id"}, {"note_id": "blank", "text": ""}]
    inp = write_table(rows, tmp_path / "notes.jsonl")
    out = tmp_path / "killed"
    cmd = [sys.executable, "-m", "nlp.cli", "batch", str(inp), "-o", str(out), "--part-size", "4", "--quiet"]
    # the documented test hook slows each part down so that the kill lands midway
    proc = subprocess.Popen(cmd, env={**os.environ, TEST_DELAY_ENV: "0.4"},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 240
    while finished_parts(out) < 3 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    manifest = json.loads((out / "manifest.json").read_text())
    done = len(manifest["parts"])
    assert 3 <= done < 11 and not manifest["complete"]
    # a part file a crash left behind, not in the manifest: never read as finished
    (out / "notes" / "part-00010.parquet").write_bytes(b"PAR1 truncated")
    (out / "suggestions" / ".tmp-part-00010.parquet").write_bytes(b"PAR1")
    partial_s, partial_n = read_tables(out)
    assert len(partial_n) == 4 * done

    resumed = subprocess.run(cmd + ["--resume"], capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 1  # the duplicate and the blank note are error rows
    assert f"{len(rows) - 4 * done} scored" in resumed.stderr

    run_batch(inp, tmp_path / "whole", part_size=4, progress=False)
    s1, n1 = read_tables(out)
    s2, n2 = read_tables(tmp_path / "whole")
    assert len(n1) == len(rows) and n1["input_index"].tolist() == list(range(len(rows)))
    pd.testing.assert_frame_equal(n1.drop(columns="seconds"), n2.drop(columns="seconds"))
    pd.testing.assert_frame_equal(s1, s2)
    pd.testing.assert_frame_equal(partial_s, s1[s1["input_index"] < 4 * done].reset_index(drop=True))
    assert not (out / "suggestions" / ".tmp-part-00010.parquet").exists()
