"""`neurocode batch INPUT -o OUTDIR`: score a whole archive of notes into Parquet / CSV / JSONL tables."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from nlp.cli import app
from nlp.cli.common import handles_errors


@app.command("batch")
@handles_errors
def batch_cmd(
    input_path: Annotated[str, typer.Argument(
        help="A folder of .txt notes (recursive), a .zip / .tar.gz of them, or a .csv / .jsonl / .parquet table.")],
    outdir: Annotated[str, typer.Option("-o", "--out", help="Output folder (notes/, suggestions/, manifest.json).")],
    workers: Annotated[int, typer.Option("--workers", help="Worker processes (local engine).")] = 1,
    engine: Annotated[str, typer.Option("--engine", help="local or spark.")] = "local",
    resume: Annotated[bool, typer.Option("--resume", help="Continue a killed run in OUTDIR.")] = False,
    fmt: Annotated[str, typer.Option("--format", help="parquet, csv or jsonl.")] = "parquet",
    dos: Annotated[str | None, typer.Option(
        "--dos", help="Date of service for notes without one, YYYY-MM-DD (default: newest release).")] = None,
    setting: Annotated[str, typer.Option("--setting", help="Setting for notes without one.")] = "outpatient",
    max_bytes: Annotated[int, typer.Option("--max-bytes", help="Notes larger than this are error rows (E403).")]
    = 2_000_000,
    part_size: Annotated[int, typer.Option("--part-size", help="Notes per output part (the resume unit).")] = 100,
    id_column: Annotated[str, typer.Option("--id-column", help="Note id column of table inputs.")] = "note_id",
    text_column: Annotated[str, typer.Option("--text-column", help="Text column of table inputs.")] = "text",
    provider_column: Annotated[str, typer.Option("--provider-column")] = "provider_id",
    dos_column: Annotated[str, typer.Option("--dos-column")] = "date_of_service",
    setting_column: Annotated[str, typer.Option("--setting-column")] = "setting",
    specialty_column: Annotated[str, typer.Option("--specialty-column")] = "specialty",
    quiet: Annotated[bool, typer.Option("--quiet", help="No progress output.")] = False,
    log_every: Annotated[float, typer.Option(
        "--log-every", help="Seconds between progress lines when stderr is not a terminal.")] = 10.0,
) -> None:
    """Score every note of INPUT; exit status 1 when any note is an error row (see the notes table)."""
    from nlp.batch.inputs import Columns
    from nlp.batch.runner import run_batch
    from nlp.batch.score import ScoreOptions
    from nlp.codesets.releases import parse_date

    parse_date(dos)  # E104 before any work
    cols = Columns(id_column, text_column, provider_column, dos_column, setting_column, specialty_column)
    opts = ScoreOptions(date_of_service=dos, setting=setting, max_bytes=max_bytes)
    summary = run_batch(input_path, outdir, workers=workers, engine=engine, resume=resume, fmt=fmt,
                        part_size=part_size, columns=cols, options=opts, progress=not quiet,
                        log_every=log_every)
    typer.echo(summary.text(), err=True)
    typer.echo(f"batch: tables in {outdir} (notes/, suggestions/, manifest.json)", err=True)
    if summary.error:
        sys.exit(1)
