"""Reading a note: bytes -> text, with the size limit, byte-order marks and binary detection.

    from nlp.io import decode_note
    text, warnings = decode_note(data, note_id="n1")      # raises InputError (E403, E421, E423)

Every interface (CLI, batch, web) reads notes through `decode_note`, and `nlp.api` checks text it is
given with `check_note_text`, so all of them share one size limit and one decoding policy:

- size: at most `max_bytes` bytes (default `DEFAULT_MAX_BYTES` = 2 MB, or the environment variable
  `NEUROCODE_MAX_NOTE_BYTES`); over it, E403. Processing is linear in the note, but a note past a
  few hundred kilobytes is almost always a whole archive or a wrong file.
- a byte-order mark decides the encoding (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE); UTF-16 without a mark
  is recognised by its NUL bytes in every other position.
- binary input (NUL bytes, or many control bytes: a PDF, an image, a zip) is refused with E421.
- undecodable UTF-8 falls back to Latin-1, with the warning E401 (note id only).

Errors and warnings name the note id, sizes and counts only, never note text.
"""

from __future__ import annotations

import codecs
import os

from nlp.errors import Errors, InputError

DEFAULT_MAX_BYTES = 2_000_000
MAX_BYTES_ENV = "NEUROCODE_MAX_NOTE_BYTES"
# share of control characters (other than tab, newline, carriage return, form feed) above which the
# input is binary: text exports have none; random bytes have about 11 %
MAX_CONTROL_SHARE = 0.01
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF8, "utf-8"),
         (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13)) + b"\x7f"
_CONTROL_CHARS = str.maketrans("", "", "".join(chr(b) for b in range(32) if b not in (9, 10, 12, 13)) + "\x7f")


def max_note_bytes(max_bytes: int | None = None) -> int:
    """The size limit in force: the argument, else $NEUROCODE_MAX_NOTE_BYTES, else 2 MB."""
    if max_bytes is not None:
        return int(max_bytes)
    env = os.environ.get(MAX_BYTES_ENV, "").strip()
    return int(env) if env.isdigit() else DEFAULT_MAX_BYTES


def _label(note_id: object) -> str:
    return "?" if note_id is None else str(note_id)


def _check_size(size: int, note_id: object, max_bytes: int | None) -> None:
    limit = max_note_bytes(max_bytes)
    if size > limit:
        raise InputError(Errors.E403, note_id=_label(note_id), size=size, limit=limit)


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' when NULs sit in every other byte (ASCII text in UTF-16)."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def _control_share(text: str) -> float:
    return (len(text) - len(text.translate(_CONTROL_CHARS))) / max(len(text), 1)


def decode_note(data: bytes, note_id: object = None, *, max_bytes: int | None = None) -> tuple[str, list[str]]:
    """Bytes of one note -> (text, warnings). Raises InputError E423 (not bytes), E403 (over the size
    limit), E421 (binary). Warnings are numbered messages (E401: decoded as Latin-1)."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise InputError(Errors.E423, note_id=_label(note_id), kind=type(data).__name__)
    data = bytes(data)
    _check_size(len(data), note_id, max_bytes)
    encoding = next((enc for bom, enc in _BOMS if data.startswith(bom)), None)
    bom = encoding is not None
    encoding = encoding or _utf16_without_bom(data)
    warnings: list[str] = []
    if encoding is not None:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as e:
            raise InputError(Errors.E421, note_id=_label(note_id),
                             detail=f"invalid {encoding} at byte {e.start}") from None
        if bom:
            text = text.removeprefix("\ufeff")
    elif b"\x00" in data:
        raise InputError(Errors.E421, note_id=_label(note_id), detail=f"{data.count(0)} NUL bytes")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            controls = sum(data.count(bytes([b])) for b in _CONTROL_BYTES)
            if controls > MAX_CONTROL_SHARE * len(data):
                raise InputError(Errors.E421, note_id=_label(note_id),
                                 detail=f"{controls} control bytes, not valid UTF-8") from None
            text = data.decode("latin-1")
            warnings.append(Errors.E401.format(note_id=_label(note_id), fallback="Latin-1"))
    share = _control_share(text)
    if share > MAX_CONTROL_SHARE:
        raise InputError(Errors.E421, note_id=_label(note_id), detail=f"{share:.0%} control characters")
    return text, warnings


def check_note_text(text: object, note_id: object = None, *, max_bytes: int | None = None) -> list[str]:
    """Check a note given as text: E423 when it is not a str, E403 over the size limit (counted in
    UTF-8 bytes). Returns warnings: E422 for an empty or whitespace-only note."""
    if not isinstance(text, str):
        raise InputError(Errors.E423, note_id=_label(note_id), kind=type(text).__name__)
    limit = max_note_bytes(max_bytes)
    if len(text) * 4 > limit:  # only a long note needs its exact UTF-8 size
        _check_size(len(text.encode("utf-8", "surrogatepass")), note_id, limit)
    if not text.strip():
        return [Errors.E422.format(note_id=_label(note_id))]
    return []


def read_note_file(path: str, *, max_bytes: int | None = None) -> tuple[str, list[str]]:
    """A note file -> (text, warnings); its note id is the file stem. E426 when it cannot be read,
    E402 when it does not exist; the size is checked before the file is read."""
    from pathlib import Path

    p = Path(path)
    note_id = p.stem
    try:
        if not p.is_file():
            raise InputError(Errors.E402, path=path)
        _check_size(p.stat().st_size, note_id, max_bytes)
        data = p.read_bytes()
    except OSError as e:
        raise InputError(Errors.E426, path=path, reason=e.strerror or type(e).__name__) from None
    return decode_note(data, note_id, max_bytes=max_bytes)


def column_summary(cells: list[str]) -> str:
    """What an import error says of a row it could not read as a header: how many columns it has,
    never their contents (the row may be data or note text)."""
    filled = sum(1 for c in cells if str(c).strip())
    return f"a first row of {len(cells)} columns, {filled} filled; contents not shown"
