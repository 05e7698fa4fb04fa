"""`neurocode code CODE` and `neurocode codeset import|list|build-default`."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated, Any, Literal

import typer

from nlp.cli import app
from nlp.cli.common import OutputFormat, handles_errors

codeset_app = typer.Typer(help="Manage code-set releases (ICD-10-CM by effective date).", no_args_is_help=True)
app.add_typer(codeset_app, name="codeset")




DosOption = Annotated[str | None, typer.Option("--dos", help="Date of service, YYYY-MM-DD (default: latest release).")]


@app.command("code")
@handles_errors
def code_cmd(
    code: Annotated[str, typer.Argument(help="An ICD-10-CM, CPT or HCPCS Level II code, e.g. G40.219, 95907, J0585.")],
    dos: DosOption = None,
    fmt: Annotated[OutputFormat, typer.Option("--format", help="Output format.")] = OutputFormat.table,
) -> None:
    """Describe a code on a date of service: billable, class, hierarchy, notes, units and add-on rules.

    Exit status: 0 billable, 1 valid but not billable on that date (a header code), 2 error.
    """
    from nlp.codesets.lookup import describe

    info = describe(code, dos)
    typer.echo(json.dumps(info, indent=2) if fmt is OutputFormat.json else _render(info))
    if not info["billable"]:
        from nlp.errors import Errors

        leaves = [c["code"] for c in info.get("children", [])]
        typer.echo(
            Errors.E103.format(system=info["system"], code=info["code"], dos=info["date_of_service"] or "latest",
                               release=info.get("release", "?"), reason=f"it is a {info.get('kind')} header",
                               children=", ".join(leaves[:6]) or "none"),
            err=True,
        )
        raise typer.Exit(1)


def _render(info: dict[str, Any]) -> str:
    lines = [
        f"{info['system']} {info['code']}  {info['description']}",
        f"  billable on {info['date_of_service'] or 'latest release'}: {'yes' if info['billable'] else 'no'}",
        f"  code class: {info['code_class']}",
    ]
    if info["system"] == "ICD-10-CM":
        lines.append(f"  release: {info['release']} (in force {info['release_range'][0]} to "
                     f"{info['release_range'][1]})")
        if info["parents"]:
            lines.append("  parents: " + " < ".join(f"{p['code']} {p['description']}" for p in info["parents"][:3]))
        if info["children"]:
            lines.append("  children:")
            lines += [f"    {c['code']}{'' if c['billable'] else ' (header)'}  {c['description']}"
                      for c in info["children"]]
        if info["inclusion_terms"]:
            lines.append("  inclusion terms: " + "; ".join(info["inclusion_terms"]))
        labels = {"excludes1": "Excludes1", "excludes2": "Excludes2", "codeFirst": "Code first",
                  "useAdditionalCode": "Use additional code", "codeAlso": "Code also"}
        for kind, notes in info["notes"].items():
            lines.append(f"  {labels[kind]}:")
            lines += [f"    [{n['on']}] {n['note']}" for n in notes]
        if info["seventh_characters"]:
            lines.append("  7th characters: " + ", ".join(f"{k}={v}" for k, v in info["seventh_characters"].items()))
    else:
        lines.append(f"  family: {info['family']}; counting unit: {info['counting_unit']}")
        if info["addon"]:
            lines.append("  add-on code; report with: " + " ".join(info["primary_codes"]))
        if "billing_unit_size" in info:
            lines.append(f"  one billing unit = {info['billing_unit_size']:g} product units"
                         + (f" of {info['agent']}" if info.get("agent") else ""))
        eff = info["effective"]
        lines.append(f"  effective {eff[0]} to {eff[1] or 'open'}")
        if "mue" in info:
            lines.append(f"  MUE: {info['mue']['limit']} per day (MAI {info['mue']['adjudication_indicator']})")
        if "ncci_pairs" in info:
            lines.append("  NCCI pairs: " + ", ".join(f"{p['column1']}/{p['column2']} (mod {p['modifier_indicator']})"
                                                       for p in info["ncci_pairs"]))
        lines.append(f"  source: {info['source']}")
    return "\n".join(lines)


@codeset_app.command("import")
@handles_errors
def import_cmd(
    path: Annotated[str, typer.Argument(help="CMS ICD-10-CM release: folder, zip, or tabular XML.")],
    effective: Annotated[
        str | None, typer.Option(help="Effective date YYYY-MM-DD if the file name does not say.")
    ] = None,
    replace: Annotated[bool, typer.Option(help="Replace a release with the same effective date.")] = False,
) -> None:
    """Import an official CMS ICD-10-CM release (tabular XML, and the index XML when present)."""
    from nlp.codesets.releases import import_release

    rel = import_release(path, effective=effective, replace=replace)
    typer.echo(f"imported ICD-10-CM release in force from {rel.effective_from} ({rel.codes} codes, "
               f"{rel.index_terms} index terms) into {rel.path}")


@codeset_app.command("list")
@handles_errors
def list_cmd() -> None:
    """Show the stored releases and the dates they are in force."""
    from nlp.codesets.edits import list_edit_sets
    from nlp.codesets.releases import ensure_default, list_releases

    ensure_default()
    for rel in list_releases():
        typer.echo(f"ICD-10-CM  {rel.effective_from} .. {rel.effective_to}  version {rel.version:<6} "
                   f"{rel.codes:>6} codes  {rel.index_terms:>6} index terms  {rel.source}")
    kinds: tuple[Literal["ptp"], Literal["mue"]] = ("ptp", "mue")
    for kind in kinds:
        sets = list_edit_sets(kind)
        if not sets:
            bundled = "ncci_ptp.csv" if kind == "ptp" else "mue.csv"
            typer.echo(f"{kind.upper():<10} bundled data rows (nlp/resources/{bundled})")
        for es in sets:
            typer.echo(f"{kind.upper():<10} {es.effective_from} .. {es.effective_to or 'open'}  {es.rows:>6} rows  "
                       f"{es.source}")


@codeset_app.command("build-default")
@handles_errors
def build_default_cmd() -> None:
    """Build the bundled April 1, 2026 ICD-10-CM cache (done once by `make install`)."""
    from nlp.codesets.releases import ensure_default

    rel = ensure_default()
    typer.echo(f"ICD-10-CM {rel.effective_from} ready ({rel.codes} codes) at {rel.path}")


class EditKind(StrEnum):
    ptp = "ptp"
    mue = "mue"


@codeset_app.command("import-edits")
@handles_errors
def import_edits_cmd(
    path: Annotated[str, typer.Argument(help="CMS quarterly NCCI PTP (.txt/.csv/.xlsx) or MUE (.csv/.xlsx) file.")],
    kind: Annotated[EditKind, typer.Option(help="ptp (procedure-to-procedure pairs) or mue (unit limits).")],
    effective: Annotated[str, typer.Option(help="First day the file is in force, YYYY-MM-DD (quarter start).")],
    replace: Annotated[bool, typer.Option(help="Replace a set with the same effective date.")] = False,
) -> None:
    """Import an official CMS NCCI PTP or MUE file; it replaces the bundled edits from its date on."""
    from nlp.codesets.edits import import_edits

    edit_set = import_edits(path, "ptp" if kind is EditKind.ptp else "mue", effective, replace=replace)
    typer.echo(f"imported {edit_set.rows} {kind.value.upper()} rows in force from {edit_set.effective_from} "
               f"into {edit_set.path}")


@codeset_app.command("import-cpt-descriptors")
@handles_errors
def import_cpt_descriptors_cmd(
    path: Annotated[str, typer.Argument(help="A licensed AMA CPT descriptor file (CSV or tab-delimited).")],
) -> None:
    """Use the official CPT descriptors (for licensed users) instead of the project's own wording."""
    from nlp.codesets.procedures import import_cpt_descriptors

    n = import_cpt_descriptors(path)
    typer.echo(f"stored {n} CPT descriptors; `neurocode code` and suggestions now show them")
