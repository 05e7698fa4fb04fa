"""Every speed and memory figure of the project, measured in one run and printed with its target.

    python scripts/benchmark.py --notes ../shared/data/mtsamples_neuro/notes      (make bench)

Targets are printed beside the figures; nothing here asserts (machines are noisy). Sections:
  cold CLI start     `neurocode code G40.219` in a fresh process: wall s and peak RSS MB (median of N)
  first-use build    building the bundled ICD-10-CM cache into an empty data folder (once per install)
  cold suggest       `neurocode suggest NOTE` in a fresh process (imports, pipeline, code-set and fuzzy index)
  throughput         spaCy tokenizer floor vs this pipeline vs suggest vs medspaCy default (notes/s);
                     suggest as a share of the floor; peak RSS in use after suggest over every note
  size scaling       one note of 3 KB, 30 KB, 300 KB and 2 MB (the default size limit): seconds and
                     milliseconds per KB (flat = linear)
  web                POST /api/suggest latency on a warm `neurocode serve` (scripts/bench_web.py)
  batch              `neurocode batch` with 1 and 2 workers, per-worker memory (scripts/bench_batch.py)
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


def bench_cold_suggest(repeats: int) -> None:
    note = ROOT / "examples" / "epilepsy_clinic_note.txt"
    cmd = neurocode_cmd() + ["suggest", str(note), "--dos", "2026-05-14"]
    run_measured(cmd)  # code-set cache and fuzzy index exist; the figure is a cold process, warm disk
    runs = [run_measured(cmd) for _ in range(repeats)]
    walls = [r[0] for r in runs]
    rss = [r[1] for r in runs]
    print(f"cold `neurocode suggest {note.name}` ({repeats} fresh processes): "
          f"median {statistics.median(walls):.2f} s (max {max(walls):.2f}), peak RSS median "
          f"{statistics.median(rss):.0f} MB   target <= 1.5 s")


def scaling_note(notes: list[str], size: int) -> str:
    """`size` bytes of notes joined one after another (an archive exported as one note)."""
    parts: list[str] = []
    total = 0
    pool = notes or [(ROOT / "examples" / n).read_text(encoding="utf-8") for n in
                     sorted(p.name for p in (ROOT / "examples").glob("*.txt"))]
    while total < size:
        for text in pool:
            parts.append(text)
            total += len(text) + 2
            if total >= size:
                break
    return "\n\n".join(parts).encode("utf-8")[:size].decode("utf-8", "ignore")  # at most `size` bytes


def bench_scaling(notes: list[str], sizes: tuple[int, ...] = (3_000, 30_000, 300_000, 2_000_000)) -> None:
    from nlp.api import suggest

    suggest(scaling_note(notes, 3_000), date_of_service="2026-05-14")  # warm-up: pipeline and indexes
    print("size scaling (one note of joined notes; ms per KB stays flat when the work is linear):")
    for size in sizes:
        text = scaling_note(notes, size)
        t = time.perf_counter()
        suggest(text, date_of_service="2026-05-14")
        wall = time.perf_counter() - t
        print(f"  {size / 1000:7.0f} KB: {wall:7.2f} s   {1000 * wall / (size / 1000):6.2f} ms/KB")


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


def bench_throughput(notes: list[str], repeat: int) -> None:
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
    print(f"throughput on {len(notes)} notes (median {chars[len(chars) // 2]} chars), best of {repeat}:")
    suggest_rate, share_of_floor = bench_suggest(notes, repeat)
    rss_in_use = bench_pipeline._rss_mb()  # pipeline, code set and fuzzy index loaded, every note coded
    f = bench_pipeline.measure(notes, repeat=repeat)
    print(f"  spaCy blank('en') tokenizer (floor): {f['tokenizer_notes_per_s']:8.1f} notes/s")
    print(f"  neurocode pipeline + facts:          {f['pipeline_notes_per_s']:8.1f} notes/s   "
          f"= {f['pipeline_vs_tokenizer']:.2f} of the floor (target >= 0.35)")
    print(f"  neurocode suggest (full result):     {suggest_rate:8.1f} notes/s   "
          f"= {suggest_rate / f['pipeline_notes_per_s']:.2f} of the pipeline (target >= 0.80), "
          f"{share_of_floor:.2f} of the floor timed alongside (target >= 0.5)")
    if "medspacy_default_notes_per_s" in f:
        print(f"  medspaCy default pipeline:           {f['medspacy_default_notes_per_s']:8.1f} notes/s   "
              f"pipeline is {f['pipeline_vs_medspacy']:.1f}x medspaCy (target >= 10x)")
    print(f"  peak RSS with the pipeline loaded:   {f['rss_mb_after_loading_pipeline']:8.0f} MB")
    print(f"  peak RSS in use (after suggest):     {rss_in_use:8.0f} MB (target <= 400 MB)")


def bench_suggest(notes: list[str], repeat: int) -> tuple[float, float]:
    """(suggest notes/s, its share of the spaCy blank tokenizer's rate): the two are timed in turn in
    each pass, so that a shared machine's drift affects both alike; the share is the median pass's."""
    import spacy

    from nlp.api import suggest_many

    tokenizer = spacy.blank("en")
    list(suggest_many([(f"warm-up{i}", text) for i, text in enumerate(notes[:50])]))
    best = float("inf")
    shares = []
    for _ in range(repeat):
        t = time.perf_counter()
        for _doc in tokenizer.pipe(notes):
            pass
        floor = time.perf_counter() - t
        t = time.perf_counter()
        for _result in suggest_many((f"n{i}", text) for i, text in enumerate(notes)):
            pass
        took = time.perf_counter() - t
        best = min(best, took)
        shares.append(floor / took)
    return len(notes) / best, statistics.median(shares)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--notes", type=Path, default=ROOT.parent / "shared" / "data" / "mtsamples_neuro" / "notes")
    ap.add_argument("--limit", type=int, default=400, help="notes to use for throughput")
    ap.add_argument("--repeats", type=int, default=5, help="fresh processes for the cold-start figure")
    ap.add_argument("--throughput-repeats", type=int, default=3, help="best of N passes over the notes")
    sections = ["cli", "suggest", "build", "throughput", "scaling", "web", "batch"]
    ap.add_argument("--only", choices=sections, action="append")
    ap.add_argument("--batch-total", type=int, default=2000, help="notes in the batch figure (dev notes repeated)")
    args = ap.parse_args()
    only = set(args.only or sections)
    print(f"neurocode benchmark, {time.strftime('%Y-%m-%d')}, python {sys.version.split()[0]}, "
          f"{os.cpu_count()} cores")
    if "cli" in only:
        bench_cold_cli(args.repeats)
    if "suggest" in only:
        bench_cold_suggest(args.repeats)
    if "build" in only:
        bench_first_use_build()
    notes = load_notes(args.notes, args.limit)
    if "throughput" in only:
        bench_throughput(notes, args.throughput_repeats)
    if "scaling" in only:
        bench_scaling(notes)
    if "web" in only:
        sys.path.insert(0, str(ROOT / "scripts"))
        import bench_web  # type: ignore[import-not-found]

        bench_web.report(args.notes)
    if "batch" in only:
        subprocess.run([sys.executable, str(ROOT / "scripts" / "bench_batch.py"), "--notes", str(args.notes),
                        "--total", str(args.batch_total)], check=False)


if __name__ == "__main__":
    main()
