"""`neurocode suggest FILE|-`: code suggestions for one note, as a readable table or JSON."""

from __future__ import annotations

import textwrap
from enum import StrEnum
from typing import Annotated

import typer

from nlp.cli import app
from nlp.cli.common import OutputFormat, handles_errors, read_text_input
from nlp.result import NoteResult

EVIDENCE_CHARS = 90


class Setting(StrEnum):
    outpatient = "outpatient"
    inpatient = "inpatient"



@app.command("suggest")
@handles_errors
def suggest_cmd(
    path: Annotated[str, typer.Argument(help="A note as a text file, or '-' to read stdin.")],
    dos: Annotated[
        str | None, typer.Option("--dos", help="Date of service, YYYY-MM-DD (default: latest release).")
    ] = None,
    setting: Annotated[
        Setting, typer.Option("--setting", help="outpatient (professional) or inpatient.")
    ] = Setting.outpatient,
    fmt: Annotated[OutputFormat, typer.Option("--format", help="Output format.")] = OutputFormat.table,
    max_bytes: Annotated[
        int | None, typer.Option("--max-bytes", help="Note size limit (default 2 MB, $NEUROCODE_MAX_NOTE_BYTES).")
    ] = None,
    coverage: Annotated[list[str] | None, typer.Option(
        "--coverage", help="A payer coverage CSV (columns of claim_coverage.csv); repeatable.")] = None,
) -> None:
    """Suggest ICD-10-CM / CPT / HCPCS codes for a neurology note, labelled specific / NEC / NOS."""
    from nlp.api import suggest
    from nlp.claim.coverage import using_tables

    note_id, text, warnings = read_text_input(path, max_bytes)
    with using_tables(list(coverage or [])):  # claim readiness (issue 14): the user's payer tables
        result = suggest(text, note_id=note_id, date_of_service=dos, setting=setting.value, max_bytes=max_bytes)
    result.warnings[:0] = warnings
    typer.echo(result.to_json(indent=2) if fmt is OutputFormat.json else render_table(result, text))


def _clip(text: str, width: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 3] + "..."


def evidence_line(text: str | None, start: int, end: int, fallback: str) -> str:
    """The note line that holds an evidence span (the coder reads 'Intractable focal epilepsy with ...',
    not the one word 'epilepsy'); the span itself when the note text is not at hand."""
    if text is None or not 0 <= start <= end <= len(text):
        return fallback
    a = text.rfind("\n", 0, start) + 1
    b = text.find("\n", end)
    return text[a: b if b >= 0 else len(text)].strip() or fallback


def render_table(result: NoteResult, text: str | None = None) -> str:
    """The human-readable form: suggestions, then queries, edits, not-coded items and warnings.
    With the note's text, each suggestion shows the line of its first evidence."""
    head = (
        f"note {result.note_id}  date of service {result.date_of_service or 'latest'}  "
        f"setting {result.setting}  ICD-10-CM release {result.versions.get('icd10cm', '?')}"
    )
    lines = [head, f"ICD-10-CM release chosen by: {result.versions.get('icd10cm_basis', '?')}", ""]
    if result.error:
        lines.insert(2, f"error: {result.error['message']}")
    cols = f"{'system':<9} {'code':<8} {'units':>5} {'mods':<6} {'label':<8} {'conf':>4}  description / evidence"
    lines += [cols, "-" * len(cols)]
    if not result.suggestions:
        lines.append("(no suggestions)")
    for s in result.suggestions:
        lines.append(
            f"{s.system:<9} {s.code:<8} {s.units:>5} {','.join(s.modifiers):<6} {s.label:<8} "
            f"{s.confidence:>4.2f}  {_clip(s.description or '(no description)', 70)}"
        )
        if s.evidence:
            ev = s.evidence[0]
            shown = evidence_line(text, ev.start, ev.end, ev.text)
            lines.append(f'{"":<46}evidence: "{_clip(shown, EVIDENCE_CHARS)}"')
        if s.query:
            lines.append(f"{'':<46}query: {', '.join(s.query.axes)}")
    if result.queries:
        lines += ["", "Provider queries"]
        for q in result.queries:
            lines.append(f"- {q.code} [{', '.join(q.axes)}]")
            lines += textwrap.wrap(q.prompt, 100, initial_indent="    ", subsequent_indent="    ")
    if result.edits:
        lines += ["", "Edits"]
        lines += [f"- {e.type}: {e.message}" for e in result.edits]
    if result.not_coded:
        lines += ["", "Not coded"]
        lines += [f'- {n.reason}: "{_clip(n.text, EVIDENCE_CHARS)}" ({n.start}-{n.end})' for n in result.not_coded]
    if result.claim is not None:  # claim readiness (issue 14)
        from nlp.claim.render import render_claim

        lines += render_claim(result.claim)
    if result.warnings:
        lines += ["", "Warnings"]
        lines += [f"- {w}" for w in result.warnings]
    return "\n".join(lines)
