"""`neurocode evaluate GOLD.jsonl --notes DIR`: every figure of the annotation guide's "Scoring"."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from nlp.cli import app
from nlp.cli.common import OutputFormat, handles_errors


@app.command("evaluate")
@handles_errors
def evaluate_cmd(
    gold: Annotated[str | None, typer.Argument(help="Reference codes, JSONL in the annotation-guide format.")] = None,
    notes: Annotated[str | None, typer.Option("--notes", help="Folder holding <note_id>.txt for every gold note.")
                     ] = None,
    ids: Annotated[str | None, typer.Option("--ids", help="Score only the note ids listed in this file (a split).")
                   ] = None,
    suite: Annotated[str | None, typer.Option(
        "--suite", help="Score every set of a suite file side by side (figures only), e.g. eval_data/splits/suite.json."
    )] = None,
    shared: Annotated[str | None, typer.Option("--shared", help="The shared data folder for {shared} paths.")] = None,
    fmt: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.table,
    setting: Annotated[str, typer.Option(help="outpatient (professional fee) or inpatient")] = "outpatient",
    dos: Annotated[str | None, typer.Option("--dos", help="Date of service for every note (YYYY-MM-DD).")] = None,
    max_items: Annotated[int, typer.Option(help="Misses / false suggestions listed in the table.")] = 60,
    compare_confidence: Annotated[
        bool, typer.Option(help="Also score rules alone vs rules + confidence model.")
    ] = True,
) -> None:
    """Score suggestions against reference codes: P/R/F1 per system (neuro scope and all codes),
    category F1, label accuracy, query recall, units accuracy, suggestions from negated/uncertain
    mentions, per-family figures, misses and false suggestions (note id, code, offsets)."""
    from nlp.evaluation.run import evaluate, read_ids
    from nlp.evaluation.scorer import render_table

    if suite is not None:
        _run_suite(suite, shared, fmt, setting=setting, date_of_service=dos)
        return
    if gold is None or notes is None:
        raise typer.BadParameter("give GOLD and --notes, or --suite FILE")
    report, errors = evaluate(gold, notes, setting=setting, date_of_service=dos,
                              ids=read_ids(ids) if ids else None)
    for err in errors:
        typer.echo(err, err=True)
    comparison = _compare_confidence(gold, notes) if compare_confidence else None
    if fmt is OutputFormat.json:
        out = report.to_dict()
        out["errors"] = errors
        out["confidence_model"] = comparison
        typer.echo(json.dumps(out, indent=2))
    else:
        typer.echo(render_table(report, max_items=max_items))
        typer.echo(_render_comparison(comparison))


def _run_suite(suite: str, shared: str | None, fmt: OutputFormat, **kwargs: Any) -> None:
    from nlp.evaluation.suite import read_suite, render_suite, run_suite

    results = run_suite(read_suite(suite, shared), **kwargs)
    for name, r in results.items():
        for err in r.get("errors", []):
            typer.echo(f"{name}: {err}", err=True)
    if fmt is OutputFormat.json:
        typer.echo(json.dumps(results, indent=2))
    else:
        typer.echo(render_suite(results))


def _compare_confidence(gold: str, notes: str) -> dict[str, Any] | None:
    from pathlib import Path

    from nlp.review.confidence_model import active_model
    from nlp.training.confidence import compare_on_dev

    model, _warning = active_model()
    if model is None:
        return None
    return {"threshold": model.threshold, "trained": model.meta.get("trained"),
            **compare_on_dev(model, Path(gold), Path(notes))}


def _render_comparison(comparison: dict[str, Any] | None) -> str:
    if comparison is None:
        return "\nconfidence model: none active (rule confidence only)"
    lines = [f"\nconfidence model (trained {comparison['trained']}, fallback threshold {comparison['threshold']}), "
             "micro P/R/F1:"]
    for label, key in (("rules alone", "rules_alone"), ("with model", "with_model")):
        n, a = comparison[key], comparison[key + "_all_codes"]
        lines.append(f"  {label:<12} neuro P {n['precision']:.3f} R {n['recall']:.3f} F1 {n['f1']:.3f}   "
                     f"all codes P {a['precision']:.3f} R {a['recall']:.3f} F1 {a['f1']:.3f}")
    return "\n".join(lines)
