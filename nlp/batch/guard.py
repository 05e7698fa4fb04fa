"""Per-note guard of the batch layer: decode, reject bad input, and never let one note stop a run.

Decoding, binary detection and the size limit are the core's (`nlp.io`, issue 10); this module adds
the batch's own rule (an empty note is an error row) and turns any failure of one note into its row.
Every failure becomes a `NeurocodeError` with a numbered message naming the note id, never its text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from nlp import io
from nlp.errors import Errors, InputError, NeurocodeError
from nlp.result import NoteResult

DEFAULT_MAX_BYTES = io.DEFAULT_MAX_BYTES


def decode_note(raw: bytes | str, note_id: str, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[str, list[str]]:
    """Bytes (or text) of one note -> (text, warnings), through the core's `nlp.io` checks: BOM / UTF-16
    detection, UTF-8, then Latin-1 with an E401 warning; E403 over `max_bytes`, E421 for binary content.
    An empty note is an error row in a batch (E804): the table of a run must tell it from 'no codes'."""
    if isinstance(raw, str):
        warnings = io.check_note_text(raw, note_id, max_bytes=max_bytes)
        text = raw
    else:
        text, warnings = io.decode_note(raw, note_id, max_bytes=max_bytes)
    if not text.strip():
        raise InputError(Errors.E804, note_id=note_id)
    return text, [w for w in warnings if not w.startswith("E422")]


@dataclass
class Scored:
    """The outcome for one note: a result, or the numbered error that replaced it."""

    key: Any
    result: NoteResult | None = None
    error: NeurocodeError | None = None


def as_error(exc: BaseException, note_id: str | None) -> NeurocodeError:
    """Any exception from scoring one note -> a numbered error that carries no note text."""
    if isinstance(exc, NeurocodeError):
        return exc
    return NeurocodeError(Errors.E808, note_id=note_id, exc_type=type(exc).__name__)


SuggestMany = Callable[..., Iterator[NoteResult]]


def _scored(key: Any, note_id: str | None, res: NoteResult) -> Scored:
    """A per-note error result of the core (`NoteResult.error`, e.g. E424 a coder failed, E421 binary)
    is that note's error row; any other result is scored."""
    error = getattr(res, "error", None)
    if error:
        err = res.exception if res.exception is not None else NeurocodeError(
            Errors.E808, note_id=note_id, exc_type=error.get("code", "error"))
        return Scored(key, error=err)
    return Scored(key, result=res)


def score_guarded(
    items: Iterable[tuple[Any, str | None, str, dict[str, Any]]], suggest_many: SuggestMany | None = None
) -> list[Scored]:
    """(key, note_id, text, options) -> one `Scored` per item, in order.

    Notes sharing options (date of service, setting) go through `suggest_many` together; if that
    batch raises, its notes are retried one at a time so that only the failing note becomes an error.
    """
    if suggest_many is None:
        from nlp.api import suggest_many as library_suggest_many

        suggest_many = library_suggest_many
    items = list(items)
    out: dict[int, Scored] = {}
    groups: dict[tuple[tuple[str, Any], ...], list[int]] = {}
    for i, (_, _, _, opts) in enumerate(items):
        groups.setdefault(tuple(sorted(opts.items())), []).append(i)
    for key, idx in groups.items():
        opts = dict(key)
        try:
            results = list(suggest_many([(items[i][1], items[i][2]) for i in idx], **opts))
            if len(results) != len(idx):
                raise RuntimeError("suggest_many returned a different number of results")
            for i, res in zip(idx, results, strict=True):
                out[i] = _scored(items[i][0], items[i][1], res)
        except Exception:  # noqa: BLE001 - retried one note at a time below
            for i in idx:
                try:
                    res = next(iter(suggest_many([(items[i][1], items[i][2])], **opts)))
                    out[i] = _scored(items[i][0], items[i][1], res)
                except Exception as exc:  # noqa: BLE001 - any failure of one note becomes its error row
                    out[i] = Scored(items[i][0], error=as_error(exc, items[i][1]))
    return [out[i] for i in range(len(items))]
