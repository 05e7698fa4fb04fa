"""NCCI procedure-to-procedure (PTP) edits and medically unlikely edits (MUE) as dated data.

Bundled tables (``nlp/resources/ncci_ptp.csv``, ``nlp/resources/mue.csv``) cover the neurology
codes only and are **derived from CPT coding instructions and code definitions, not copied from
CMS** (CMS files are not shipped; see ``nlp/resources/README.md``). Every row says so in
``source``. The official CMS quarterly files are imported with ``import_edits`` into the data
folder (``$NEUROCODE_HOME``, see ``nlp.codesets.releases.data_home``)::

    edits/ptp/2026-01-01/edits.csv   normalised rows (columns of the bundled table, minus source)
    edits/ptp/2026-01-01/meta.json   kind, effective date, source file and sha256, row count
    edits/mue/2026-01-01/...

An imported set is in force from its effective date until the day before the next imported set of
the same kind. When an imported set is in force on the date of service it **replaces** the bundled
table entirely; before the first imported set the bundled table applies. PTP rows also carry their
own effective and deletion dates, which are honoured within a set. Imports are written to a
temporary folder and renamed into place, so a failed import never damages what is there.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import zip_longest
from pathlib import Path
from typing import Literal

from nlp.codesets.releases import data_home, parse_date
from nlp.codesets.resources import load_csv, row_number
from nlp.codesets.storage import staged_folder
from nlp.errors import CodeSetImportError, Errors, ResourceError
from nlp.io import column_summary

PTP_FILE = "ncci_ptp.csv"
MUE_FILE = "mue.csv"
EDITS_DIR = "edits"
SET_FILE = "edits.csv"
META_FILE = "meta.json"

Kind = Literal["ptp", "mue"]
KINDS: tuple[Kind, ...] = ("ptp", "mue")
CODE = re.compile(r"^[A-Z0-9]{4}[A-Z0-9]$")  # CPT, CPT II/III, PLA and HCPCS Level II shapes
HEADER_SCAN_ROWS = 50


@dataclass(frozen=True)
class PtpEdit:
    """Column 2 is not paid with column 1 for the same patient and day, unless a modifier is allowed.

    modifier_indicator: 0 never with a modifier, 1 allowed with an NCCI-associated modifier,
    9 not applicable (the edit was deleted as of its effective date).
    """

    column1: str
    column2: str
    modifier_indicator: int
    effective_from: dt.date
    effective_to: dt.date | None
    rationale: str
    source: str

    def in_force(self, dos: dt.date) -> bool:
        return self.effective_from <= dos and (self.effective_to is None or dos <= self.effective_to)


@dataclass(frozen=True)
class Mue:
    """At most ``mue`` units of ``code``: per claim line (indicator 1) or per date of service
    (2 policy, 3 clinical)."""

    code: str
    mue: int
    adjudication_indicator: int
    effective_from: dt.date
    rationale: str
    source: str
    effective_to: dt.date | None = None

    def in_force(self, dos: dt.date) -> bool:
        return self.effective_from <= dos and (self.effective_to is None or dos <= self.effective_to)


@dataclass(frozen=True)
class EditSet:
    kind: Kind
    effective_from: dt.date
    effective_to: dt.date | None
    source: str
    rows: int
    path: Path


# --------------------------------------------------------------------------------------------- row parsing
# Shared by the bundled tables and the normalised imported sets. They raise ValueError with a detail;
# callers turn it into the catalogue error for their context (resource file vs imported file).

def _iso(value: str, column: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as e:
        raise ValueError(f"{column} {value!r} is not a YYYY-MM-DD date") from e


def _int_in(value: str, column: str, allowed: tuple[int, ...] | None = None) -> int:
    if not re.fullmatch(r"\d+", value):
        raise ValueError(f"{column} {value!r} is not a whole number")
    n = int(value)
    if allowed is not None and n not in allowed:
        raise ValueError(f"{column} {n} is not one of {list(allowed)}")
    return n


def _code(value: str, column: str) -> str:
    code = value.strip().upper()
    if not CODE.match(code):
        raise ValueError(f"{column} {value!r} is not a CPT/HCPCS code")
    return code


def _ptp_from(row: dict[str, str], source: str) -> PtpEdit:
    start = _iso(row["effective_from"], "effective_from")
    end = _iso(row["effective_to"], "effective_to") if row.get("effective_to") else None
    if end is not None and end < start:
        raise ValueError(f"effective_to {end} is before effective_from {start}")
    c1, c2 = _code(row["column1"], "column1"), _code(row["column2"], "column2")
    if c1 == c2:
        raise ValueError(f"column1 and column2 are the same code {c1}")
    return PtpEdit(c1, c2, _int_in(row["modifier_indicator"], "modifier_indicator", (0, 1, 9)),
                   start, end, row.get("rationale", ""), source)


def _mue_from(row: dict[str, str], source: str, effective_to: dt.date | None = None) -> Mue:
    return Mue(_code(row["code"], "code"), _int_in(row["mue"], "mue"),
               _int_in(row["adjudication_indicator"], "adjudication_indicator", (1, 2, 3)),
               _iso(row["effective_from"], "effective_from"), row.get("rationale", ""), source, effective_to)


# --------------------------------------------------------------------------------------------- bundled

def _bundled(resource: str, required: set[str], optional: set[str],
             build: Callable[[dict[str, str]], PtpEdit | Mue]) -> list[PtpEdit | Mue]:
    out = []
    for row in load_csv(resource, required=required, optional=optional):
        try:
            out.append(build(row))
        except ValueError as e:
            raise ResourceError(Errors.E301, resource=resource, row=row_number(row), detail=str(e)) from e
    return out


@lru_cache(maxsize=1)
def bundled_ptp() -> tuple[PtpEdit, ...]:
    required = {"column1", "column2", "modifier_indicator", "effective_from", "rationale", "source"}
    rows = _bundled(PTP_FILE, required, {"effective_to"}, lambda r: _ptp_from(r, r["source"]))
    edits = tuple(r for r in rows if isinstance(r, PtpEdit))
    _no_duplicates(PTP_FILE, [(e.column1, e.column2, e.effective_from) for e in edits])
    return edits


@lru_cache(maxsize=1)
def bundled_mue() -> tuple[Mue, ...]:
    required = {"code", "mue", "adjudication_indicator", "effective_from", "rationale", "source"}
    rows = _bundled(MUE_FILE, required, set(), lambda r: _mue_from(r, r["source"]))
    limits = tuple(r for r in rows if isinstance(r, Mue))
    _no_duplicates(MUE_FILE, [(m.code, m.effective_from) for m in limits])
    return limits


def _no_duplicates(resource: str, keys: list[tuple[object, ...]]) -> None:
    seen: set[tuple[object, ...]] = set()
    for i, key in enumerate(keys):
        if key in seen:
            raise ResourceError(Errors.E301, resource=resource, row=i + 2, detail=f"duplicate edit {key}")
        seen.add(key)


# --------------------------------------------------------------------------------------------- imported sets

def _kind_root(kind: Kind, home: Path | None) -> Path:
    return (home or data_home()) / EDITS_DIR / kind


def list_edit_sets(kind: Kind, home: Path | None = None) -> list[EditSet]:
    """Imported sets of one kind, oldest first, each in force until the next one starts."""
    root = _kind_root(kind, home)
    if not root.is_dir():
        return []
    dirs = sorted(p for p in root.iterdir()
                  if p.is_dir() and re.fullmatch(r"\d{4}-\d\d-\d\d", p.name) and (p / META_FILE).is_file())
    metas = [(dt.date.fromisoformat(d.name), json.loads((d / META_FILE).read_text()), d) for d in dirs]
    out = []
    for i, (start, meta, d) in enumerate(metas):
        end = metas[i + 1][0] - dt.timedelta(days=1) if i + 1 < len(metas) else None
        out.append(EditSet(kind, start, end, meta.get("source", ""), meta.get("rows", 0), d))
    return out


def _set_for(kind: Kind, dos: dt.date, home: Path | None) -> EditSet | None:
    in_force = [s for s in list_edit_sets(kind, home) if s.effective_from <= dos]
    return in_force[-1] if in_force else None


@lru_cache(maxsize=8)
def _read_set(path: Path, mtime_ns: int, kind: Kind, source: str,
              effective_to: dt.date | None) -> tuple[PtpEdit | Mue, ...]:
    out: list[PtpEdit | Mue] = []
    with (path / SET_FILE).open(encoding="utf-8", newline="") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            try:
                out.append(_ptp_from(row, source) if kind == "ptp" else _mue_from(row, source, effective_to))
            except ValueError as e:
                raise ResourceError(Errors.E301, resource=str(path / SET_FILE), row=line,
                                    detail=str(e)) from e
    return tuple(out)


def _imported(kind: Kind, edit_set: EditSet) -> tuple[PtpEdit | Mue, ...]:
    mtime = (edit_set.path / SET_FILE).stat().st_mtime_ns
    return _read_set(edit_set.path, mtime, kind, edit_set.source, edit_set.effective_to)


# --------------------------------------------------------------------------------------------- queries

def ptp_edits(dos: dt.date | str | None = None, home: Path | None = None) -> list[PtpEdit]:
    """PTP edits in force on the date of service (today when none is given)."""
    day = parse_date(dos) or dt.date.today()
    edit_set = _set_for("ptp", day, home)
    rows = _imported("ptp", edit_set) if edit_set else bundled_ptp()
    return [r for r in rows if isinstance(r, PtpEdit) and r.in_force(day)]


def mue_limits(dos: dt.date | str | None = None, home: Path | None = None) -> list[Mue]:
    """MUE limits in force on the date of service (today when none is given)."""
    day = parse_date(dos) or dt.date.today()
    edit_set = _set_for("mue", day, home)
    rows = _imported("mue", edit_set) if edit_set else bundled_mue()
    return [r for r in rows if isinstance(r, Mue) and r.in_force(day)]


def ptp_for(code_a: str, code_b: str, dos: dt.date | str | None = None,
            home: Path | None = None) -> PtpEdit | None:
    """The edit pairing two codes (either order) in force on the date of service, if any."""
    a, b = code_a.strip().upper(), code_b.strip().upper()
    return next((e for e in ptp_edits(dos, home) if {e.column1, e.column2} == {a, b}), None)


def mue_for(code: str, dos: dt.date | str | None = None, home: Path | None = None) -> Mue | None:
    """The MUE for a code in force on the date of service; None when the table has none."""
    c = code.strip().upper()
    return next((m for m in mue_limits(dos, home) if m.code == c), None)


# --------------------------------------------------------------------------------------------- CMS import

def _norm(cell: str) -> str:
    return " ".join(cell.lower().split())


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%Y%m%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_rows(src: Path) -> list[list[str]]:
    """All rows of a CMS edit file: .xlsx (first sheet), or tab-/comma-delimited text."""
    if src.suffix.lower() in (".xlsx", ".xlsm"):
        try:
            import openpyxl
        except ImportError as e:
            raise CodeSetImportError(Errors.E213, path=str(src), detail=str(e)) from e
        book = openpyxl.load_workbook(src, read_only=True, data_only=True)
        try:
            sheet = book.worksheets[0]
            return [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        finally:
            book.close()
    raw = src.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")  # CMS text files are often Windows-1252
    head = text.splitlines()[:HEADER_SCAN_ROWS]
    delimiter = "\t" if any("\t" in line for line in head) else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return [[c.strip() for c in row] for row in reader]


def _find_header(rows: list[list[str]], is_header: Callable[[list[str]], bool]) -> int | None:
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        if is_header([_norm(c) for c in row]):
            return i
    return None


def _found(rows: list[list[str]]) -> list[str]:
    """What a reader would call the columns: the widest of the first rows."""
    return max((r for r in rows[:HEADER_SCAN_ROWS]), key=lambda r: sum(1 for c in r if c), default=[])


_PTP_COLUMNS: dict[str, Callable[[str], bool]] = {
    "column1": lambda h: h.startswith("column 1") or h.startswith("column1"),
    "column2": lambda h: h.startswith("column 2") or h.startswith("column2"),
    "effective": lambda h: h.startswith("effective"),
    "deletion": lambda h: h.startswith("deletion"),
    "modifier": lambda h: h.startswith("modifier"),
    "rationale": lambda h: "rationale" in h,
}
_MUE_COLUMNS: dict[str, Callable[[str], bool]] = {
    "code": lambda h: "hcpcs" in h and "code" in h,
    "mue": lambda h: "mue value" in h,
    "indicator": lambda h: "adjudication indicator" in h,
    "rationale": lambda h: "rationale" in h,
}


def _map_columns(header: list[str], wanted: dict[str, Callable[[str], bool]]) -> dict[str, int]:
    found: dict[str, int] = {}
    for i, cell in enumerate(header):
        for key, test in wanted.items():
            if key not in found and test(cell):
                found[key] = i
                break
    return found


def _cms_date(value: str, column: str) -> dt.date:
    v = value.strip()
    if not re.fullmatch(r"\d{8}", v):
        raise ValueError(f"{column} {value!r} is not a YYYYMMDD date")
    try:
        return dt.date(int(v[:4]), int(v[4:6]), int(v[6:]))
    except ValueError as e:
        raise ValueError(f"{column} {value!r} is not a valid date") from e


def _get(row: list[str], i: int | None) -> str:
    return row[i].strip() if i is not None and i < len(row) else ""


def _parse_ptp(src: Path, rows: list[list[str]], skipped: list[int]) -> Iterator[PtpEdit]:
    """PTP rows; rows whose deletion date precedes their effective date (never in force) are left
    out and their row numbers appended to ``skipped``."""
    h = _find_header(rows, lambda r: any(_PTP_COLUMNS["column1"](c) for c in r)
                     and any(_PTP_COLUMNS["column2"](c) for c in r))
    if h is None:
        raise CodeSetImportError(Errors.E208, path=str(src), kind="NCCI PTP", columns=column_summary(_found(rows)))
    header = [_norm(c) for c in rows[h]]
    start = h + 1
    # Some CMS text files wrap the header over two lines ("Effective" / "Date"): merge until data starts.
    while start < len(rows) and rows[start] and not CODE.match(_get(rows[start], 0).upper()) \
            and any(c.strip() for c in rows[start]):
        extra = [_norm(c) for c in rows[start]]
        header = [" ".join(p for p in (a, b) if p) for a, b in zip_longest(header, extra, fillvalue="")]
        start += 1
    cols = _map_columns(header, _PTP_COLUMNS)
    missing = [k for k in ("column1", "column2", "effective", "deletion", "modifier") if k not in cols]
    if missing:
        raise CodeSetImportError(Errors.E208, path=str(src), kind="NCCI PTP", columns=column_summary(rows[h]))
    source = f"CMS NCCI PTP file {src.name}"
    for n, row in enumerate(rows[start:], start=start + 1):
        if not any(c.strip() for c in row):
            continue
        try:
            deletion = _get(row, cols["deletion"])
            end = None if deletion in ("", "*") else _cms_date(deletion, "Deletion Date")
            begin = _cms_date(_get(row, cols["effective"]), "Effective Date")
            c1 = _code(_get(row, cols["column1"]), "Column 1")
            c2 = _code(_get(row, cols["column2"]), "Column 2")
            modifier = _int_in(_get(row, cols["modifier"]), "Modifier", (0, 1, 9))
        except ValueError as e:
            raise CodeSetImportError(Errors.E212, path=str(src), row=n, detail=str(e)) from e
        if end is not None and end < begin:
            skipped.append(n)
            continue
        yield PtpEdit(c1, c2, modifier, begin, end, _get(row, cols.get("rationale")), source)


def _parse_mue(src: Path, rows: list[list[str]], effective: dt.date) -> Iterator[Mue]:
    h = _find_header(rows, lambda r: any(_MUE_COLUMNS["code"](c) for c in r)
                     and any(_MUE_COLUMNS["mue"](c) for c in r))
    if h is None:
        raise CodeSetImportError(Errors.E208, path=str(src), kind="MUE", columns=column_summary(_found(rows)))
    header = [_norm(c) for c in rows[h]]
    cols = _map_columns(header, _MUE_COLUMNS)
    if "indicator" not in cols:
        raise CodeSetImportError(Errors.E208, path=str(src), kind="MUE", columns=column_summary(rows[h]))
    values_column = rows[h][cols["mue"]].strip()
    source = f"CMS MUE file {src.name} ({values_column})"
    seen: set[str] = set()
    for n, row in enumerate(rows[h + 1:], start=h + 2):
        if not any(c.strip() for c in row):
            continue
        try:
            code = _code(_get(row, cols["code"]), "HCPCS/CPT Code")
            limit = _int_in(_get(row, cols["mue"]), values_column)
            # "2 Date of Service Edit: Policy" -> 2
            indicator = _int_in(_get(row, cols["indicator"])[:1], "MUE Adjudication Indicator", (1, 2, 3))
        except ValueError as e:
            raise CodeSetImportError(Errors.E212, path=str(src), row=n, detail=str(e)) from e
        if code in seen:
            raise CodeSetImportError(Errors.E212, path=str(src), row=n, detail=f"code {code} appears twice")
        seen.add(code)
        yield Mue(code, limit, indicator, effective, _get(row, cols.get("rationale")), source)


def _write_set(tmp: Path, kind: Kind, edits: list[PtpEdit] | list[Mue]) -> None:
    with (tmp / SET_FILE).open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        if kind == "ptp":
            writer.writerow(["column1", "column2", "modifier_indicator", "effective_from", "effective_to",
                             "rationale"])
            writer.writerows([e.column1, e.column2, e.modifier_indicator, e.effective_from.isoformat(),
                              e.effective_to.isoformat() if e.effective_to else "", e.rationale]
                             for e in edits if isinstance(e, PtpEdit))
        else:
            writer.writerow(["code", "mue", "adjudication_indicator", "effective_from", "rationale"])
            writer.writerows([m.code, m.mue, m.adjudication_indicator, m.effective_from.isoformat(),
                              m.rationale] for m in edits if isinstance(m, Mue))


def import_edits(
    path: str | Path,
    kind: Kind,
    effective: dt.date | str,
    replace: bool = False,
    home: Path | None = None,
) -> EditSet:
    """Import an official CMS quarterly NCCI PTP or MUE file, in force from ``effective``.

    PTP: tab-delimited .txt, .csv or .xlsx with the columns "Column 1", "Column 2",
    "*=in existence prior to 1996", "Effective Date" (YYYYMMDD), "Deletion Date *=no data",
    "Modifier 0=not allowed 1=allowed 9=not applicable", "PTP Edit Rationale", after any title lines.
    MUE: .csv or .xlsx with "HCPCS/CPT Code", "<Practitioner|Outpatient Hospital|DME Supplier> Services
    MUE Values", "MUE Adjudication Indicator", "MUE Rationale", after any title lines.

    Errors: E210 missing file, E208 unrecognised columns, E212 bad row, E205 a set already in force
    from that date (pass ``replace=True``), E104 bad date. Nothing already imported is changed.
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    src = Path(path)
    if not src.is_file():
        what = f"CMS {'NCCI PTP' if kind == 'ptp' else 'MUE'} file (.txt, .csv or .xlsx)"
        raise CodeSetImportError(Errors.E210, path=str(src), what=what)
    eff = parse_date(effective)
    if eff is None:
        raise CodeSetImportError(Errors.E104, value=effective)
    root = _kind_root(kind, home)
    target = root / eff.isoformat()
    if target.exists() and not replace:
        existing = json.loads((target / META_FILE).read_text()).get("source", "?") \
            if (target / META_FILE).is_file() else "incomplete folder"
        raise CodeSetImportError(Errors.E205, effective=eff.isoformat(), existing=existing)
    rows = _read_rows(src)
    skipped: list[int] = []
    edits: list[PtpEdit] | list[Mue] = (list(_parse_ptp(src, rows, skipped)) if kind == "ptp"
                                        else list(_parse_mue(src, rows, eff)))
    digest = hashlib.sha256(src.read_bytes()).hexdigest()[:12]
    source = edits[0].source if edits else f"CMS file {src.name}"
    source += f", sha256 {digest}, in force from {eff}"
    with staged_folder(root, eff.isoformat()) as tmp:
        _write_set(tmp, kind, edits)
        meta = {"kind": kind, "effective_from": eff.isoformat(), "source": source, "rows": len(edits),
                "skipped_never_in_force_rows": skipped,
                "imported": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
        (tmp / META_FILE).write_text(json.dumps(meta, indent=2) + "\n")
    return next(s for s in list_edit_sets(kind, home) if s.effective_from == eff)

