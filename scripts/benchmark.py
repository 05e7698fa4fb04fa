"""Every speed and memory figure of the project, measured in one run and printed with its target.

    python scripts/benchmark.py --notes ../shared/data/mtsamples_neuro/notes      (make bench)

Targets are printed beside the figures; nothing here asserts (machines are noisy). Sections:
  cold CLI start     `neurocode code G40.219` in a fresh process: wall s and peak RSS MB (median of N)
  first-use build    building the bundled ICD-10-CM cache into an empty data folder (once per install)
  throughput         spaCy tokenizer floor vs this pipeline vs suggest vs medspaCy default (notes/s)
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_measured(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float, int]:
    """(wall seconds, peak RSS MB, exit status) of one fresh child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    return wall, usage.ru_maxrss / 1024.0, os.waitstatus_to_exitcode(status)


def neurocode_cmd() -> list[str]:
    exe = Path(sys.executable).parent / "neurocode"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "nlp.cli"]


def bench_cold_cli(repeats: int) -> None:
    cmd = neurocode_cmd() + ["code", "G40.219"]
    run_measured(cmd)  # make sure the cache exists; the figure below is a cold process, warm disk
    runs = [run_measured(cmd) for _ in range(repeats)]
    walls = [r[0] for r in runs]
    rss = [r[1] for r in runs]
    print(f"cold CLI `neurocode code G40.219` ({repeats} fresh processes): "
          f"median {statistics.median(walls):.3f} s (max {max(walls):.3f}), "
          f"peak RSS median {statistics.median(rss):.0f} MB (max {max(rss):.0f})   "
          f"target <= 2 s, <= 300 MB")
    for code in ("95907", "J0585"):
        wall, mb, status = run_measured(neurocode_cmd() + ["code", code])
        print(f"cold CLI `neurocode code {code}`: {wall:.3f} s, {mb:.0f} MB (exit {status})")


def bench_first_use_build() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, NEUROCODE_HOME=tmp)
        wall, mb, status = run_measured(neurocode_cmd() + ["codeset", "build-default"], env=env)
        size = sum(p.stat().st_size for p in Path(tmp).rglob("*") if p.is_file()) / 1e6
        print(f"first-use ICD-10-CM cache build: {wall:.2f} s, peak RSS {mb:.0f} MB, cache {size:.1f} MB "
              f"(exit {status}; once per install)")
        shutil.rmtree(tmp, ignore_errors=True)


def load_notes(notes_dir: Path | None, limit: int) -> list[str]:
    if notes_dir is None or not notes_dir.is_dir():
        return []
    paths = sorted(notes_dir.glob("*.txt"))[:limit]
    return [p.read_text(encoding="utf-8", errors="replace") for p in paths]


def bench_throughput(notes: list[str]) -> None:
    if not notes:
        print("throughput: skipped (no notes folder; pass --notes)")
        return
    try:
        sys.path.insert(0, str(ROOT / "scripts"))
        import bench_pipeline  # type: ignore[import-not-found]
    except ImportError:
        print("throughput: skipped (scripts/bench_pipeline.py not present yet)")
        return
    chars = sorted(len(n) for n in notes)
    print(f"throughput on {len(notes)} notes (median {chars[len(chars) // 2]} chars):")
    figures = bench_pipeline.measure(notes)
    for name, value in figures.items():
        print(f"  {name}: {value:.1f}" if isinstance(value, float) else f"  {name}: {value}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--notes", type=Path, default=ROOT.parent / "shared" / "data" / "mtsamples_neuro" / "notes")
    ap.add_argument("--limit", type=int, default=400, help="notes to use for throughput")
    ap.add_argument("--repeats", type=int, default=5, help="fresh processes for the cold-start figure")
    ap.add_argument("--only", choices=["cli", "build", "throughput"], action="append")
    args = ap.parse_args()
    only = set(args.only or ["cli", "build", "throughput"])
    print(f"neurocode benchmark, {time.strftime('%Y-%m-%d')}, python {sys.version.split()[0]}, "
          f"{os.cpu_count()} cores")
    if "cli" in only:
        bench_cold_cli(args.repeats)
    if "build" in only:
        bench_first_use_build()
    if "throughput" in only:
        bench_throughput(load_notes(args.notes, args.limit))


if __name__ == "__main__":
    main()
