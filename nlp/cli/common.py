"""Helpers shared by the CLI modules: error printing and input reading."""

from __future__ import annotations

import sys
from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import Any, TypeVar

import click
import typer

from nlp.errors import Errors, NeurocodeError

F = TypeVar("F", bound=Callable[..., Any])


class OutputFormat(StrEnum):
    """`--format` of every command: a readable table for people, JSON for programs."""

    table = "table"
    json = "json"


def fail(message: str, status: int = 2) -> None:
    typer.echo(message, err=True)
    raise typer.Exit(status)


def handles_errors(func: F) -> F:
    """Turn a library NeurocodeError into its one-line numbered message and exit status 2."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except NeurocodeError as e:
            fail(str(e))
        except (typer.Exit, typer.Abort, click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except Exception as e:  # noqa: BLE001  numbered, one line, no traceback (locals could hold note text)
            fail(Errors.E424.format(note_id="-", kind=type(e).__name__))

    return wrapper  # type: ignore[return-value]


def read_text_input(path: str, max_bytes: int | None = None) -> tuple[str, str, list[str]]:
    """Read a note from a file path or '-' (stdin) through `nlp.io.decode_note`. Returns (note_id,
    text, warnings); a terminal on stdin is refused (E425) rather than waited on."""
    from nlp.errors import Errors, InputError
    from nlp.io import decode_note, max_note_bytes, read_note_file

    if path == "-":
        if sys.stdin.isatty():
            raise InputError(Errors.E425)
        limit = max_note_bytes(max_bytes)
        raw = sys.stdin.buffer.read(limit + 1)  # one byte over the limit is enough to refuse it
        text, warnings = decode_note(raw, "stdin", max_bytes=limit)
        return "stdin", text, warnings
    from pathlib import Path

    text, warnings = read_note_file(path, max_bytes=max_bytes)
    return Path(path).stem, text, warnings
