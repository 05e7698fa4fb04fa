"""`neurocode extract FILE|-`: the pipeline's entities (and facts) for one note."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from nlp.cli import app
from nlp.cli.common import OutputFormat, handles_errors, read_text_input
from nlp.io import check_note_text


def extract_note(text: str) -> dict[str, Any]:
    """Entities and facts of one note as plain data (offsets index the original text)."""
    from nlp.pipeline import load_pipeline
    from nlp.pipeline.context import FLAGS
    from nlp.pipeline.facts import doc_to_facts
    from nlp.pipeline.normalizer import original_text
    from nlp.pipeline.sections import section_at

    doc = load_pipeline()(text)
    original = original_text(doc)
    entities = [
        {
            "text": original[e.start_char:e.end_char],
            "label": e.label_,
            "concept": e.kb_id_,
            "section": section_at(doc, e.start_char),
            "assertion": e._.neurocode_assertion,
            "flags": [name for attr, name in FLAGS if getattr(e._, attr)],
            "attrs": e._.neurocode_attrs or {},
            "start": e.start_char,
            "end": e.end_char,
        }
        for e in doc.ents
    ]
    return {"entities": entities, "facts": [f.to_dict() for f in doc_to_facts(doc)]}


def _table(result: dict[str, Any]) -> str:
    header = ("start", "end", "label", "concept", "section", "assertion", "text", "attrs")
    rows = [header]
    for e in result["entities"]:
        text = " ".join(e["text"].split())
        attrs = json.dumps(e["attrs"], sort_keys=True) if e["attrs"] else ""
        rows.append((str(e["start"]), str(e["end"]), e["label"], e["concept"], e["section"],
                     ",".join(e["flags"]) or "present", text[:40], attrs))
    widths = [max(len(r[i]) for r in rows) for i in range(len(header) - 1)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r[:-1], widths, strict=True)) + "  " + r[-1] for r in rows]
    lines.append("")
    lines.append(f"{len(result['entities'])} entities, {len(result['facts'])} facts:")
    for f in result["facts"]:
        attrs = json.dumps(f["attrs"], sort_keys=True) if f["attrs"] else ""
        lines.append(f"  {f['family']}/{f['concept']} [{f['assertion']}] {attrs}")
    return "\n".join(lines)


@app.command("extract")
@handles_errors
def extract_cmd(
    file: Annotated[str, typer.Argument(help="A note file, or '-' to read the note from stdin.")],
    fmt: Annotated[OutputFormat, typer.Option("--format", help="Output format.")] = OutputFormat.table,
) -> None:
    """Show the neurology entities the pipeline finds in a note: text, label, concept, section,
    assertion, attributes and character offsets, then the facts built from them."""
    note_id, text, warnings = read_text_input(file)
    for warning in warnings:
        typer.echo(warning, err=True)
    check_note_text(text, note_id)
    result = extract_note(text)
    if fmt is OutputFormat.json:
        typer.echo(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        typer.echo(_table(result))
