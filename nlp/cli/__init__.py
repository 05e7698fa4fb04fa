"""`neurocode` command: a thin layer over importable library functions.

Each command group lives in its own module and registers itself on `app`. The library raises
numbered `NeurocodeError`s; only this layer prints them (one line, exit status 2). Tracebacks never
show local variables (they could hold note text).
"""

from __future__ import annotations

import typer

app = typer.Typer(
    name="neurocode",
    help="Neurology notes to ICD-10-CM / CPT / HCPCS suggestions, labelled specific / NEC / NOS.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    add_completion=False,
)


def _register() -> None:
    from nlp.cli import (
        batch,  # noqa: F401  (registers `batch`)
        codes,  # noqa: F401  (registers `code` and `codeset`)
        evaluate,  # noqa: F401
        extract,  # noqa: F401
        report,  # noqa: F401  (registers `report`)
        serve,  # noqa: F401  (the web page: nlp/web)
        suggest,  # noqa: F401
        train,  # noqa: F401  (registers `train` and `feedback`)
    )


def main() -> None:
    _register()
    app()
