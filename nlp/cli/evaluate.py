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
    gold: Annotated[str, typer.Argument(help="Reference codes, JSONL in the annotation-guide format.")],
    notes: Annotated[str, typer.Option("--notes", help="Folder holding <note_id>.txt for every gold note.")],
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
    from nlp.evaluation.run import evaluate
    from nlp.evaluation.scorer import render_table

    report, errors = evaluate(gold, notes, setting=setting, date_of_service=dos)
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
