"""Batch inputs -> a stream of `NoteInput` records, in a fixed order (the note's `input_index`).

Supported: a folder of .txt files (recursive; note id = path relative to the folder), a .zip /
.tar.gz / .tgz / .tar of them (note id = member path), and CSV, JSONL or Parquet tables with a note
id column, a text column and optional provider / date-of-service / setting / specialty columns.
A row or file that cannot be read becomes a `NoteInput` carrying its numbered error, so every input
note reaches the notes table; duplicates of a note id are flagged here (E806).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import math
import sys
import tarfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nlp.errors import Errors, InputError, NeurocodeError

META_KEYS = ("provider_id", "date_of_service", "setting", "specialty")
TABLE_SUFFIXES = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet", ".pq": "parquet"}
ARCHIVE_SUFFIXES = (".zip", ".tar.gz", ".tgz", ".tar")


@dataclass(frozen=True)
class Columns:
    """Input column names of table inputs (configurable on the command line)."""

    note_id: str = "note_id"
    text: str = "text"
    provider_id: str = "provider_id"
    date_of_service: str = "date_of_service"
    setting: str = "setting"
    specialty: str = "specialty"

    def meta(self) -> dict[str, str]:
        return {key: getattr(self, key) for key in META_KEYS}


@dataclass
class NoteInput:
    """One input note: raw bytes or text (None when unreadable), metadata, and any input error."""

    input_index: int
    note_id: str | None
    source: str
    raw: bytes | str | None = None
    meta: dict[str, str | None] = field(default_factory=dict)
    error: NeurocodeError | None = None


def is_remote(path: str | Path) -> bool:
    """A Spark-only input: a URI (hdfs://, s3a://) or a glob, read by Spark, not by this process."""
    text = str(path)
    return "://" in text or any(ch in text for ch in "*?[")


def table_kind(name: str) -> str:
    """csv / jsonl / parquet from a file name or URI (a trailing glob is allowed)."""
    suffix = "." + name.rstrip("/*").rsplit(".", 1)[-1].lower() if "." in name else ""
    kind = TABLE_SUFFIXES.get(suffix)
    if kind is None:
        raise InputError(Errors.E801, path=name)
    return kind


def input_kind(path: Path) -> str:
    name = path.name.lower()
    if path.is_dir():
        return "folder"
    if not path.is_file():
        raise InputError(Errors.E402, path=str(path))
    if name.endswith(ARCHIVE_SUFFIXES):
        return "zip" if name.endswith(".zip") else "tar"
    return table_kind(path.name)


def fingerprint(path: Path) -> str:
    """Identity of an input for --resume: file size and mtime, or the folder's file list and sizes."""
    h = hashlib.sha256()
    if path.is_dir():
        for p in sorted(path.rglob("*.txt")):
            h.update(f"{p.relative_to(path).as_posix()}\0{p.stat().st_size}\n".encode())
    else:
        st = path.stat()
        h.update(f"{path.name}\0{st.st_size}\0{st.st_mtime_ns}".encode())
    return h.hexdigest()[:16]


def count_notes(path: Path) -> int | None:
    """The number of notes when it is cheap to know (for the ETA); None otherwise."""
    kind = input_kind(path)
    if kind == "folder":
        return sum(1 for _ in path.rglob("*.txt"))
    if kind == "zip":
        with zipfile.ZipFile(path) as zf:
            return sum(1 for m in zf.infolist() if _is_txt(m.filename) and not m.is_dir())
    if kind == "parquet":
        import pyarrow.parquet as pq

        return pq.ParquetFile(path).metadata.num_rows
    if kind == "jsonl":
        with open(path, "rb") as fh:
            return sum(1 for line in fh if line.strip())
    return None


def _is_txt(name: str) -> bool:
    base = name.rsplit("/", 1)[-1]
    return name.lower().endswith(".txt") and not base.startswith(".")


def _clean(value: Any) -> str | None:
    """A metadata cell -> str or None (NaN, None and '' are absent; dates become YYYY-MM-DD)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    return text or None


def _files(path: Path, kind: str) -> Iterator[tuple[str, str, bytes | None, NeurocodeError | None]]:
    """(note id, source, raw bytes, error) of each .txt file of a folder or archive, sorted by id."""
    if kind == "folder":
        for p in sorted(path.rglob("*.txt"), key=lambda q: q.relative_to(path).as_posix()):
            rel = p.relative_to(path).as_posix()
            try:
                yield rel, str(p), p.read_bytes(), None
            except OSError as exc:
                yield rel, str(p), None, InputError(Errors.E807, note_id=rel, where="the file",
                                                    detail=type(exc).__name__)
    elif kind == "zip":
        with zipfile.ZipFile(path) as zf:
            for m in sorted((m for m in zf.infolist() if _is_txt(m.filename) and not m.is_dir()),
                            key=lambda m: m.filename):
                try:
                    yield m.filename, f"{path.name}:{m.filename}", zf.read(m), None
                except (zipfile.BadZipFile, OSError, ValueError) as exc:
                    yield m.filename, f"{path.name}:{m.filename}", None, InputError(
                        Errors.E807, note_id=m.filename, where="the archive member", detail=type(exc).__name__)
    else:
        with tarfile.open(path) as tf:
            members = sorted((t for t in tf.getmembers() if t.isfile() and _is_txt(t.name)), key=lambda t: t.name)
            for member in members:
                name = member.name.removeprefix("./")
                try:
                    fh = tf.extractfile(member)
                    yield name, f"{path.name}:{name}", fh.read() if fh else b"", None
                except (tarfile.TarError, OSError) as exc:
                    yield name, f"{path.name}:{name}", None, InputError(
                        Errors.E807, note_id=name, where="the archive member", detail=type(exc).__name__)


Row = tuple[str, dict[str, Any] | None, str | None]  # (source, row, read error detail)


def _csv_rows(path: Path) -> Iterator[Row]:
    csv.field_size_limit(sys.maxsize)
    with open(path, encoding="utf-8-sig", errors="surrogateescape", newline="") as fh:
        reader = csv.reader(fh)
        try:
            header = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise InputError(Errors.E801, path=str(path)) from exc
        number = 0
        while True:
            number += 1
            where = f"{path.name}:row {number}"
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield where, None, f"CSV: {exc}"
                continue
            if not values:
                number -= 1
                continue
            if len(values) != len(header):
                yield where, dict(zip(header, values, strict=False)), \
                    f"{len(values)} fields, the header has {len(header)}"
                continue
            yield where, dict(zip(header, values, strict=True)), None


def _jsonl_rows(path: Path) -> Iterator[Row]:
    number = 0
    with open(path, "rb") as fh:
        for line in fh:
            if not line.strip():
                continue
            number += 1
            where = f"{path.name}:row {number}"
            try:
                row = json.loads(line)
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                yield where, None, "malformed row" if isinstance(exc, json.JSONDecodeError) else "not UTF-8"
                continue
            if not isinstance(row, dict):
                yield where, None, "the line is not a JSON object"
                continue
            yield where, row, None


def _parquet_rows(path: Path, cols: Columns) -> Iterator[Row]:
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except Exception as exc:  # noqa: BLE001 - an unreadable file is a fatal input error
        raise InputError(Errors.E801, path=str(path)) from exc
    wanted = [c for c in (cols.note_id, cols.text, *cols.meta().values()) if c in pf.schema_arrow.names]
    number = 0
    for group in range(pf.metadata.num_row_groups):
        try:
            rows = pf.read_row_group(group, columns=wanted).to_pylist()
        except Exception as exc:  # noqa: BLE001 - a corrupt row group: one error row per lost row
            for _ in range(pf.metadata.row_group(group).num_rows):
                number += 1
                yield f"{path.name}:row {number}", None, f"Parquet row group {group}: {type(exc).__name__}"
            continue
        for row in rows:
            number += 1
            yield f"{path.name}:row {number}", row, None


def _table_columns(path: Path, kind: str) -> list[str] | None:
    """The column names when the format declares them up front (CSV header, Parquet schema)."""
    if kind == "parquet":
        import pyarrow.parquet as pq

        try:
            return list(pq.ParquetFile(path).schema_arrow.names)
        except Exception as exc:  # noqa: BLE001
            raise InputError(Errors.E801, path=str(path)) from exc
    if kind == "csv":
        with open(path, encoding="utf-8-sig", errors="surrogateescape", newline="") as fh:
            return next(csv.reader(fh), [])
    return None


def _cell_raw(value: Any) -> bytes | str | None:
    """A text cell -> raw input for the guard (CSV cells with undecodable bytes go back to bytes)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, bytes):
        return value
    text = value if isinstance(value, str) else str(value)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", errors="surrogateescape")
    return text


def read_notes(path: str | Path, cols: Columns | None = None) -> Iterator[NoteInput]:
    """Every note of the input, in order, each with input_index; unreadable ones carry their error."""
    path = Path(path)
    cols = cols or Columns()
    kind = input_kind(path)
    seen: dict[str, int] = {}
    index = 0

    def with_duplicates(note: NoteInput) -> NoteInput:
        if note.note_id is not None and note.error is None:
            first = seen.setdefault(note.note_id, note.input_index)
            if first != note.input_index:
                note.error = InputError(Errors.E806, note_id=note.note_id, first=first)
                note.raw = None
        return note

    if kind in ("folder", "zip", "tar"):
        for note_id, source, raw, error in _files(path, kind):
            yield with_duplicates(NoteInput(index, note_id, source, raw, {k: None for k in META_KEYS}, error))
            index += 1
        return
    declared = _table_columns(path, kind)
    if declared is not None and cols.note_id not in declared:
        raise InputError(Errors.E803, path=str(path), column=cols.note_id, columns=", ".join(declared))
    rows = {"csv": _csv_rows, "jsonl": _jsonl_rows}.get(kind)
    stream = rows(path) if rows else _parquet_rows(path, cols)
    for source, row, problem in stream:
        yield with_duplicates(table_note(index, source, row, problem, cols, declared))
        index += 1


def table_note(index: int, source: str, row: dict[str, Any] | None, problem: str | None, cols: Columns,
               declared: list[str] | None) -> NoteInput:
    """One table row -> NoteInput (both engines): metadata cleaned, a missing id / text is an error."""
    note = NoteInput(index, None, source, None, {k: None for k in META_KEYS})
    if row is not None:
        note.note_id = _clean(row.get(cols.note_id))
        note.meta = {k: _clean(row.get(name)) for k, name in cols.meta().items()}
    shown = note.note_id or "(no id)"
    if problem is not None:
        note.error = InputError(Errors.E807, note_id=shown, where=source, detail=problem)
    elif note.note_id is None:
        note.error = InputError(Errors.E807, note_id=shown, where=source,
                                detail=f"no value in the note id column {cols.note_id!r}")
    elif row is not None and cols.text not in row:
        columns = ", ".join(declared if declared is not None else row)
        note.error = InputError(Errors.E802, note_id=shown, column=cols.text, columns=columns)
    else:
        raw = _cell_raw(row.get(cols.text)) if row is not None else None
        note.raw = "" if raw is None else raw
    return note
