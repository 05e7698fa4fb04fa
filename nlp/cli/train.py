"""`neurocode train` and `neurocode feedback add`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from nlp.cli import app
from nlp.cli.common import handles_errors

feedback_app = typer.Typer(help="Record coders' reviewed outcomes (codes and offsets, never note text).",
                           no_args_is_help=True)
app.add_typer(feedback_app, name="feedback")

ROOT = Path(__file__).resolve().parent.parent.parent


@app.command("train")
@handles_errors
def train_cmd(
    annotations: Annotated[Path, typer.Option(help="Annotated notes, JSONL in the annotation-guide format.")] = ROOT
    / "training_data" / "annotations.jsonl",
    notes: Annotated[Path, typer.Option(help="Folder with <note_id>.txt for the annotations.")] = ROOT
    / "training_data" / "notes",
    out: Annotated[Path | None, typer.Option(help="Model folder (default: models/confidence).")] = None,
    feedback: Annotated[list[Path] | None, typer.Option(help="Feedback JSONL files (repeatable); default: the "
                                                             "data folder's feedback file.")] = None,
    dev_gold: Annotated[Path | None, typer.Option(help="Held-out reference codes to compare rules vs model.")] = None,
    dev_notes: Annotated[Path | None, typer.Option(help="Notes folder for --dev-gold.")] = None,
) -> None:
    """Train the confidence model (scikit-learn logistic regression) and write its model card."""
    from nlp.feedback import default_feedback_path
    from nlp.review.confidence_model import models_dir
    from nlp.training.confidence import train

    out_dir = out or models_dir() / "confidence"
    fb = feedback if feedback else [default_feedback_path()]
    dev = (dev_gold, dev_notes) if dev_gold and dev_notes else None
    rep = train(annotations, notes, out_dir, feedback_paths=fb, dev=dev)
    cv = rep.cv
    typer.echo(f"trained on {rep.samples} candidates from {rep.notes} notes + {rep.feedback_records} feedback "
               f"decisions; CV AUC model {cv.get('auc_model')} vs rules {cv.get('auc_rules')}, Brier "
               f"{cv['brier_model']} vs {cv['brier_rules']}; threshold {rep.threshold} "
               f"({'improves precision at equal recall' if rep.improves else 'no improvement over the rules'})")
    if rep.dev:
        r, m = rep.dev["rules_alone"], rep.dev["with_model"]
        typer.echo(f"dev neuro micro: rules P {r['precision']} R {r['recall']} F1 {r['f1']} | "
                   f"with model P {m['precision']} R {m['recall']} F1 {m['f1']}")
    typer.echo(f"wrote {out_dir / 'model.json'} and {out_dir / 'MODEL_CARD.md'}")


@feedback_app.command("add")
@handles_errors
def feedback_add_cmd(
    result: Annotated[Path, typer.Argument(help="A NoteResult JSON file (neurocode suggest --format json).")],
    accept: Annotated[list[str] | None, typer.Option("--accept", help="Suggested code the coder accepted.")] = None,
    reject: Annotated[list[str] | None, typer.Option("--reject", help="Suggested code the coder rejected.")] = None,
    add: Annotated[list[str] | None, typer.Option("--add", help="Code the coder added (a miss).")] = None,
    file: Annotated[Path | None, typer.Option("--file", help="Feedback JSONL (default: data folder).")] = None,
    reviewer: Annotated[str | None, typer.Option(help="Reviewer id (no names needed).")] = None,
) -> None:
    """Append reviewed outcomes for one result to the feedback file."""
    from nlp.feedback import add_feedback

    path, records = add_feedback(result, accept=accept or [], reject=reject or [], add=add or [],
                                 feedback_path=file, reviewer=reviewer)
    typer.echo(f"recorded {len(records)} decision(s) in {path}")
