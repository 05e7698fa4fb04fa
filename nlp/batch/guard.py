"""Per-note guard of the batch layer: decode, reject bad input, and never let one note stop a run.

Kept in one small module so that it can be replaced by the core's own guards (issue 10) later.
Every failure becomes a `NeurocodeError` with a numbered message naming the note id, never its text.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from nlp.errors import Errors, InputError, NeurocodeError
from nlp.result import NoteResult

DEFAULT_MAX_BYTES = 2_000_000
BINARY_NUL_SHARE = 0.01  # more NUL bytes than this share (outside UTF-16) = not a text note
BINARY_CONTROL_SHARE = 0.10  # or this share of other control characters
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def _looks_utf16(raw: bytes) -> str | None:
    """UTF-16 without a BOM: ASCII text leaves every other byte NUL."""
    sample = raw[:4000]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def decode_note(raw: bytes | str, note_id: str, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[str, list[str]]:
    """Bytes (or text) of one note -> (text, warnings). BOM / UTF-16 detection, UTF-8, then latin-1
    with an E401 warning; E403 over `max_bytes`, E805 for binary content, E804 for an empty note."""
    warnings: list[str] = []
    size = len(raw.encode("utf-8", errors="replace")) if isinstance(raw, str) else len(raw)
    if size > max_bytes:
        raise InputError(Errors.E403, note_id=note_id, size=size, limit=max_bytes)
    if isinstance(raw, str):
        text = raw
    else:
        encoding = next((enc for bom, enc in _BOMS if raw.startswith(bom)), None) or _looks_utf16(raw)
        try:
            text = raw.decode(encoding or "utf-8")
        except UnicodeDecodeError:
            text = raw.decode("latin-1")
            warnings.append(Errors.E401.format(note_id=note_id, fallback="latin-1"))
    if text:
        nul = text.count("\x00")
        control = sum(1 for ch in text if ch < " " and ch not in "\t\n\r\f\v")
        if nul > BINARY_NUL_SHARE * len(text) or control > BINARY_CONTROL_SHARE * len(text):
            raise InputError(Errors.E805, note_id=note_id, detail=f"{control} control characters in {len(text)}")
    if not text.strip():
        raise InputError(Errors.E804, note_id=note_id)
    return text, warnings


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
