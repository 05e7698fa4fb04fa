"""`run_batch`: score a whole input into the notes / suggestions tables (local engine).

Notes are cut into parts of `part_size` in input order; N worker processes (each loading the
pipeline once) score parts; the main process writes each finished part atomically and then records
it in manifest.json. `--resume` skips the parts the manifest lists and deletes stray part files.
"""

from __future__ import annotations

import concurrent.futures as cf
import hashlib
import multiprocessing as mp
import os
import resource
import shutil
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nlp.batch import tables
from nlp.batch.inputs import Columns, NoteInput, count_notes, fingerprint, input_kind, is_remote, read_notes
from nlp.batch.progress import Progress
from nlp.batch.schema import FORMATS, STATUS_ERROR, TABLES
from nlp.batch.score import ScoreOptions, score_chunk
from nlp.errors import Errors, InputError

MANIFEST_VERSION = 1
ENGINES = ("local", "spark")


@dataclass
class Summary:
    notes: int = 0
    ok: int = 0
    error: int = 0
    errors_by_code: dict[str, int] = field(default_factory=dict)
    codes_by_label: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    scored_now: int = 0  # notes scored by this invocation (not skipped by --resume)
    startup_seconds: float = 0.0  # of `seconds`: until every worker had loaded the pipeline

    @property
    def notes_per_second(self) -> float:
        return self.scored_now / self.seconds if self.seconds > 0 else 0.0

    @property
    def scoring_notes_per_second(self) -> float:
        """Throughput once the pipeline is loaded (the steady rate of a long run)."""
        busy = self.seconds - self.startup_seconds
        return self.scored_now / busy if busy > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"notes": self.notes, "ok": self.ok, "error": self.error, "errors_by_code": self.errors_by_code,
                "codes_by_label": self.codes_by_label, "seconds": round(self.seconds, 3),
                "scored_now": self.scored_now, "notes_per_second": round(self.notes_per_second, 2),
                "startup_seconds": round(self.startup_seconds, 3),
                "scoring_notes_per_second": round(self.scoring_notes_per_second, 2)}

    def text(self) -> str:
        labels = ", ".join(f"{k} {v}" for k, v in sorted(self.codes_by_label.items())) or "none"
        errs = ", ".join(f"{k} {v}" for k, v in sorted(self.errors_by_code.items()))
        return (f"batch: {self.notes} notes: {self.ok} ok, {self.error} error{f' ({errs})' if errs else ''}; "
                f"codes by label: {labels}; {self.scored_now} scored in {self.seconds:.1f} s "
                f"({self.notes_per_second:.1f} notes/s; {self.scoring_notes_per_second:.1f} after "
                f"{self.startup_seconds:.1f} s start-up)")


def summarize(outdir: Path, seconds: float, scored_now: int) -> Summary:
    suggestions, notes = tables.read_tables(outdir)
    status = Counter(notes["status"])
    return Summary(notes=len(notes), ok=status.get("ok", 0), error=status.get(STATUS_ERROR, 0),
                   errors_by_code=dict(Counter(notes["error_code"].dropna())),
                   codes_by_label=dict(Counter(suggestions["label"].dropna())), seconds=seconds,
                   scored_now=scored_now)


def _check(workers: int, engine: str, fmt: str, part_size: int) -> None:
    if workers < 1:
        raise InputError(Errors.E813, option="--workers", value=workers, detail="use 1 or more")
    if engine not in ENGINES:
        raise InputError(Errors.E813, option="--engine", value=engine, detail="use local or spark")
    if fmt not in FORMATS:
        raise InputError(Errors.E813, option="--format", value=fmt, detail="use parquet, csv or jsonl")
    if part_size < 1:
        raise InputError(Errors.E813, option="--part-size", value=part_size, detail="use 1 or more")


def _identity(path: Path | str, engine: str, fmt: str, part_size: int, opts: ScoreOptions,
              cols: Columns) -> dict[str, Any]:
    """What a --resume must match: engine, format, input (path and fingerprint) and options."""
    if is_remote(path):  # read by Spark only: identified by its URI
        name, print_ = str(path), hashlib.sha256(str(path).encode()).hexdigest()[:16]
    else:
        local = Path(path)
        input_kind(local)  # E402 / E801
        name, print_ = str(local.resolve()), fingerprint(local)
    return {"version": MANIFEST_VERSION, "engine": engine, "format": fmt, "input": name,
            "input_fingerprint": print_,
            "options": {"part_size": part_size, **opts.to_dict(), "columns": cols.__dict__}}


def prepare_outdir(outdir: Path, identity: dict[str, Any], resume: bool) -> dict[str, Any]:
    """Start or continue a run in outdir -> the manifest to extend (stray part files removed)."""
    path = outdir / tables.MANIFEST
    if path.exists() and not resume:
        raise InputError(Errors.E809, path=str(outdir))
    if resume and path.exists():
        manifest = tables.read_manifest(outdir)
        for key in ("engine", "format", "input_fingerprint", "options"):
            if manifest.get(key) != identity[key]:
                raise InputError(Errors.E810, path=str(outdir), detail=f"the {key} differs from the first run")
        listed = {p[t] for p in manifest["parts"] for t in TABLES}
        for table in TABLES:  # a part not in the manifest is unfinished (crash): remove it
            for f in (outdir / table).glob("*") if (outdir / table).is_dir() else []:
                if f"{table}/{f.name}" not in listed:
                    f.unlink()
        return manifest
    if outdir.exists() and any(outdir.iterdir()):
        if not resume:
            raise InputError(Errors.E809, path=str(outdir))
        for table in TABLES:  # resume without a manifest: nothing was finished
            shutil.rmtree(outdir / table, ignore_errors=True)
    outdir.mkdir(parents=True, exist_ok=True)
    manifest = {**identity, "parts": [], "complete": False}
    tables.write_json_atomic(path, manifest)
    return manifest


def _parts(notes: Iterator[NoteInput], size: int) -> Iterator[tuple[int, list[NoteInput]]]:
    chunk: list[NoteInput] = []
    for note in notes:
        chunk.append(note)
        if len(chunk) == size:
            yield note.input_index // size, chunk
            chunk = []
    if chunk:
        yield chunk[0].input_index // size, chunk


def _init_worker() -> None:
    from nlp.pipeline import load_pipeline

    load_pipeline()  # once per worker process


def _score_part(part: int, notes: list[NoteInput], opts: ScoreOptions) -> tuple[int, list[dict], list[dict], dict]:
    note_rows, sugg_rows = score_chunk(notes, opts)
    worker = {"worker_pid": os.getpid(),
              "worker_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}
    return part, note_rows, sugg_rows, worker


def run_batch(
    input_path: str | Path,
    outdir: str | Path,
    *,
    workers: int = 1,
    engine: str = "local",
    resume: bool = False,
    fmt: str = "parquet",
    part_size: int = 100,
    columns: Columns | None = None,
    options: ScoreOptions | None = None,
    progress: bool = True,
    log_every: float = 10.0,
) -> Summary:
    """Score every note of `input_path` into `outdir` (layout in nlp/batch/README.md)."""
    _check(workers, engine, fmt, part_size)
    cols, opts = columns or Columns(), options or ScoreOptions()
    if engine == "spark":
        from nlp.batch.spark import run_spark

        identity = _identity(str(input_path), engine, fmt, part_size, opts, cols)
        return run_spark(str(input_path), Path(outdir), identity=identity, resume=resume, cols=cols, opts=opts)
    path, outdir = Path(input_path), Path(outdir)
    input_kind(path)  # E402 / E801 before anything is written
    identity = _identity(path, engine, fmt, part_size, opts, cols)
    manifest = prepare_outdir(outdir, identity, resume)
    done = {p["part"]: p for p in manifest["parts"]}
    bar = Progress(count_notes(path), every=log_every, enabled=progress)
    start = time.perf_counter()
    scored = 0

    def record(part: int, note_rows: list[dict], sugg_rows: list[dict], worker: dict) -> None:
        nonlocal scored
        entry = {"part": part, "notes": tables.write_part(outdir, "notes", part, note_rows, fmt),
                 "suggestions": tables.write_part(outdir, "suggestions", part, sugg_rows, fmt),
                 "n_notes": len(note_rows), "n_suggestions": len(sugg_rows), **worker}
        manifest["parts"] = sorted([*manifest["parts"], entry], key=lambda p: p["part"])
        tables.write_json_atomic(outdir / tables.MANIFEST, manifest)
        scored += len(note_rows)
        bar.update(len(note_rows), sum(r["status"] == STATUS_ERROR for r in note_rows))

    def pending() -> Iterator[tuple[int, list[NoteInput]]]:
        for part, chunk in _parts(read_notes(path, cols), part_size):
            if part in done:  # finished before (--resume): counted, not scored again
                bar.update(len(chunk), skipped=True)
                continue
            yield part, chunk

    try:
        if workers == 1:
            _init_worker()
            ready = time.perf_counter()
            for part, chunk in pending():
                record(*_score_part(part, chunk, opts))
        else:
            ready = _run_pool(pending(), workers, opts, record)
    finally:
        bar.close()
    seconds = time.perf_counter() - start
    summary = summarize(outdir, seconds, scored)
    summary.startup_seconds = ready - start
    manifest.update(complete=True, summary=summary.to_dict())
    tables.write_json_atomic(outdir / tables.MANIFEST, manifest)
    return summary


def _ready(_: int) -> int:
    time.sleep(0.5)  # long enough that each warm-up call lands in its own worker
    return os.getpid()


def _run_pool(pending: Iterator[tuple[int, list[NoteInput]]], workers: int, opts: ScoreOptions, record: Any) -> float:
    """Score parts in `workers` processes, at most 2 parts queued per worker (bounded memory).
    Returns the time at which every worker had loaded its pipeline."""
    ctx = mp.get_context("spawn")
    with cf.ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker) as pool:
        list(pool.map(_ready, range(workers)))
        ready = time.perf_counter()
        futures: set[cf.Future] = set()
        for part, chunk in pending:
            futures.add(pool.submit(_score_part, part, chunk, opts))
            if len(futures) >= 2 * workers:
                finished, futures = cf.wait(futures, return_when=cf.FIRST_COMPLETED)
                for f in finished:
                    record(*f.result())
        for f in cf.as_completed(futures):
            record(*f.result())
    return ready
