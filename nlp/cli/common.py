"""Helpers shared by the CLI modules: error printing and input reading."""

from __future__ import annotations

import sys
from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import Any, TypeVar

import typer

from nlp.errors import NeurocodeError

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

    return wrapper  # type: ignore[return-value]


def read_text_input(path: str) -> tuple[str, str]:
    """Read a note from a file path or '-' (stdin). Returns (note_id, text); undecodable bytes are
    replaced and reported by note id only."""
    from pathlib import Path

    from nlp.errors import Errors, InputError

    if path == "-":
        raw = sys.stdin.buffer.read()
        note_id = "stdin"
    else:
        p = Path(path)
        if not p.is_file():
            raise InputError(Errors.E402, path=path)
        raw = p.read_bytes()
        note_id = p.stem
    try:
        return note_id, raw.decode("utf-8")
    except UnicodeDecodeError:
        typer.echo(Errors.E401.format(note_id=note_id, fallback="utf-8"), err=True)
        return note_id, raw.decode("utf-8", errors="replace")
