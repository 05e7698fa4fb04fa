"""Shared loader for the packaged CSV tables in ``nlp/resources``.

``load_csv(name, required, optional)`` reads one file through ``importlib.resources`` and checks it
before anyone uses it:

* every column is either required or optional (unknown columns -> E302, listing the allowed ones);
* every required column is present in the header and has a value on every row (-> E301);
* a file missing from the package -> E303.

Rows are returned as plain ``dict[str, str]`` with surrounding whitespace stripped and every
allowed column present (an absent optional column reads as ``""``), in file order. Row numbers in
errors are file line numbers (the header is row 1), so a reviewer can jump to the line. What a
value means (dates, flags, codes) is checked by the table's own loader, which can use
``row_number(row)`` to cite the same line.
"""

from __future__ import annotations

import csv
import importlib.resources
import io
from collections.abc import Iterable

from nlp.errors import Errors, ResourceError

PACKAGE = "nlp.resources"
ROW_KEY = "__row__"


def read_text(name: str) -> str:
    """The text of a packaged resource file; E303 when it is not installed."""
    ref = importlib.resources.files(PACKAGE) / name
    if not ref.is_file():
        raise ResourceError(Errors.E303, resource=name)
    return ref.read_text(encoding="utf-8")


def load_csv(name: str, required: set[str], optional: Iterable[str] = frozenset()) -> list[dict[str, str]]:
    """Rows of ``nlp/resources/<name>`` as dicts, validated against the allowed columns.

    Each dict also carries its file line number under ``ROW_KEY`` (read it with ``row_number``).
    """
    allowed = set(required) | set(optional)
    reader = csv.DictReader(io.StringIO(read_text(name), newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    if not header:
        raise ResourceError(Errors.E301, resource=name, row=1, detail="the file has no header row")
    unknown = sorted(set(header) - allowed)
    if unknown:
        raise ResourceError(Errors.E302, resource=name, unknown=unknown, allowed=sorted(allowed))
    missing = sorted(set(required) - set(header))
    if missing:
        raise ResourceError(Errors.E301, resource=name, row=1,
                            detail=f"header lacks required column(s) {missing}")
    if len(set(header)) != len(header):
        dupes = sorted({h for h in header if header.count(h) > 1})
        raise ResourceError(Errors.E301, resource=name, row=1, detail=f"duplicate column(s) {dupes}")
    reader.fieldnames = header
    rows: list[dict[str, str]] = []
    for raw in reader:
        line = reader.line_num
        if None in raw:  # more cells than header columns
            raise ResourceError(Errors.E301, resource=name, row=line,
                                detail=f"{len(header) + len(raw[None])} cells for {len(header)} columns")
        if all(v is None or not v.strip() for v in raw.values()):
            continue  # blank line
        row = {col: (raw.get(col) or "").strip() for col in sorted(allowed)}
        empty = sorted(col for col in required if not row[col])
        if empty:
            raise ResourceError(Errors.E301, resource=name, row=line,
                                detail=f"empty required column(s) {empty}")
        row[ROW_KEY] = str(line)
        rows.append(row)
    return rows


def row_number(row: dict[str, str]) -> int:
    """The file line number of a row returned by ``load_csv`` (header = 1)."""
    return int(row[ROW_KEY])
