"""CPT and HCPCS Level II neurology procedure tables, one typed record per code.

Data lives in ``nlp/resources`` (see its README for columns, sources and versions):

* ``cpt_neurology.csv``: CPT code numbers with neurocode's own plain-language descriptions. CPT
  descriptors are copyrighted by the AMA and are not shipped. A licensed user can import the
  official descriptor file with ``import_cpt_descriptors``; it is stored under the data folder
  (``data_home()/cpt/descriptors.csv``) and from then on ``get_procedure`` returns the official
  descriptor and says so in ``source``.
* ``hcpcs_neurology.csv``: HCPCS Level II codes with descriptions and dates from the CMS HCPCS file
  (public domain).

Drug units (``billing_units``): CMS bills drugs in multiples of the amount in the HCPCS long
descriptor and, when the dose is not a multiple, rounds **up** to the next whole billing unit; a dose
below one billing unit is one unit (Medicare Claims Processing Manual, Pub. 100-04, ch. 17, as cited
by CMS RAC issue 0074 "Excessive or Insufficient Drugs and Biologicals Units Billed").
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import math
import os
import re
import tempfile
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Literal

from nlp.codesets.releases import data_home, parse_date
from nlp.codesets.resources import load_csv, row_number
from nlp.errors import CodeLookupError, CodeSetImportError, Errors, ResourceError
from nlp.io import column_summary

CPT_FILE = "cpt_neurology.csv"
HCPCS_FILE = "hcpcs_neurology.csv"
MODIFIERS_FILE = "modifiers.csv"
DESCRIPTOR_DIR = "cpt"
DESCRIPTOR_FILE = "descriptors.csv"

# Category I (5 digits), Category II (4 digits + F), Category III (+ T), PLA (+ U).
CPT_PATTERN = re.compile(r"^\d{4}[0-9FTU]$")
# HCPCS Level II: a letter and four digits. D (dental, ADA content) and letters CMS does not use are
# excluded.
HCPCS_PATTERN = re.compile(r"^[ABCEGHJKLMPQRSTUV]\d{4}$")
CODE_CLASSES = ("specific", "NEC")

System = Literal["CPT", "HCPCS"]


@dataclass(frozen=True)
class ProcedureCode:
    system: System
    code: str
    description: str
    family: str
    counting_unit: str
    addon: bool
    primary_codes: tuple[str, ...]
    code_class: str
    billing_unit_size: float | None
    agent: str | None
    effective_from: dt.date
    effective_to: dt.date | None
    source: str

    def in_force(self, dos: dt.date) -> bool:
        return self.effective_from <= dos and (self.effective_to is None or dos <= self.effective_to)


@dataclass(frozen=True)
class Modifier:
    code: str
    description: str
    source: str


def normalise(code: str) -> str:
    return code.strip().upper()


def is_cpt(code: str) -> bool:
    """Shape check only: 95907, 1234F, 0001T, 0001U."""
    return bool(CPT_PATTERN.match(normalise(code)))


def is_hcpcs(code: str) -> bool:
    """Shape check only: a HCPCS Level II code such as J0585 or E1399."""
    return bool(HCPCS_PATTERN.match(normalise(code)))


# --------------------------------------------------------------------------------------------- loading

def _date(resource: str, row: dict[str, str], column: str) -> dt.date | None:
    value = row[column]
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as e:
        raise ResourceError(Errors.E301, resource=resource, row=row_number(row),
                            detail=f"{column} {value!r} is not a YYYY-MM-DD date") from e


def _check_common(resource: str, row: dict[str, str], shape: re.Pattern[str]) -> None:
    if not shape.match(row["code"]):
        raise ResourceError(Errors.E301, resource=resource, row=row_number(row),
                            detail=f"code {row['code']!r} is not a well-formed code for this table")
    if row["code_class"] not in CODE_CLASSES:
        raise ResourceError(Errors.E301, resource=resource, row=row_number(row),
                            detail=f"code_class {row['code_class']!r} is not one of {list(CODE_CLASSES)}")


def _dates(resource: str, row: dict[str, str]) -> tuple[dt.date, dt.date | None]:
    start = _date(resource, row, "effective_from")
    end = _date(resource, row, "effective_to")
    assert start is not None  # required column, checked by load_csv
    if end is not None and end < start:
        raise ResourceError(Errors.E301, resource=resource, row=row_number(row),
                            detail=f"effective_to {end} is before effective_from {start}")
    return start, end


def _index(resource: str, rows: list[tuple[dict[str, str], ProcedureCode]]) -> dict[str, ProcedureCode]:
    out: dict[str, ProcedureCode] = {}
    for row, proc in rows:
        if proc.code in out:
            raise ResourceError(Errors.E301, resource=resource, row=row_number(row),
                                detail=f"duplicate code {proc.code}")
        out[proc.code] = proc
    return out


@lru_cache(maxsize=1)
def cpt_table() -> dict[str, ProcedureCode]:
    """The bundled CPT neurology table (project wording), keyed by code."""
    rows = load_csv(
        CPT_FILE,
        required={"code", "family", "description", "counting_unit", "addon", "code_class",
                  "effective_from", "source"},
        optional={"primary_codes", "effective_to"},
    )
    parsed = []
    for row in rows:
        _check_common(CPT_FILE, row, CPT_PATTERN)
        if row["addon"] not in ("0", "1"):
            raise ResourceError(Errors.E301, resource=CPT_FILE, row=row_number(row),
                                detail=f"addon {row['addon']!r} must be 0 or 1")
        addon = row["addon"] == "1"
        primaries = tuple(row["primary_codes"].split())
        if addon and not primaries:
            raise ResourceError(Errors.E301, resource=CPT_FILE, row=row_number(row),
                                detail=f"add-on code {row['code']} names no primary_codes")
        start, end = _dates(CPT_FILE, row)
        parsed.append((row, ProcedureCode(
            system="CPT", code=row["code"], description=row["description"], family=row["family"],
            counting_unit=row["counting_unit"], addon=addon, primary_codes=primaries,
            code_class=row["code_class"], billing_unit_size=None, agent=None,
            effective_from=start, effective_to=end, source=row["source"],
        )))
    table = _index(CPT_FILE, parsed)
    for row, proc in parsed:
        unknown = [p for p in proc.primary_codes if p not in table]
        if unknown:
            raise ResourceError(Errors.E301, resource=CPT_FILE, row=row_number(row),
                                detail=f"primary_codes {unknown} of {proc.code} are not in the table")
    return table


@lru_cache(maxsize=1)
def hcpcs_table() -> dict[str, ProcedureCode]:
    """The bundled HCPCS Level II neurology table (CMS descriptions), keyed by code."""
    rows = load_csv(
        HCPCS_FILE,
        required={"code", "description", "code_class", "effective_from", "source"},
        optional={"billing_unit_size", "product_unit", "agent", "effective_to"},
    )
    parsed = []
    for row in rows:
        _check_common(HCPCS_FILE, row, HCPCS_PATTERN)
        size: float | None = None
        if row["billing_unit_size"]:
            try:
                size = float(row["billing_unit_size"])
            except ValueError as e:
                detail = f"billing_unit_size {row['billing_unit_size']!r} is not a number"
                raise ResourceError(Errors.E301, resource=HCPCS_FILE, row=row_number(row),
                                    detail=detail) from e
            if not size > 0:
                raise ResourceError(Errors.E301, resource=HCPCS_FILE, row=row_number(row),
                                    detail=f"billing_unit_size {size} must be positive")
        elif row["code_class"] != "NEC":
            raise ResourceError(Errors.E301, resource=HCPCS_FILE, row=row_number(row),
                                detail="a specific code needs billing_unit_size (only NEC codes may omit it)")
        start, end = _dates(HCPCS_FILE, row)
        unit = f"per {row['billing_unit_size']} {row['product_unit']}".strip() if size else "per line (NOC)"
        parsed.append((row, ProcedureCode(
            system="HCPCS", code=row["code"], description=row["description"], family="HCPCS Level II",
            counting_unit=unit,
            addon=False, primary_codes=(), code_class=row["code_class"], billing_unit_size=size,
            agent=row["agent"] or None, effective_from=start, effective_to=end, source=row["source"],
        )))
    return _index(HCPCS_FILE, parsed)


@lru_cache(maxsize=1)
def modifiers() -> dict[str, Modifier]:
    """HCPCS modifiers used by the drug lines (JW, JZ), keyed by modifier."""
    rows = load_csv(MODIFIERS_FILE, required={"code", "description", "source"})
    out: dict[str, Modifier] = {}
    for row in rows:
        if row["code"] in out:
            raise ResourceError(Errors.E301, resource=MODIFIERS_FILE, row=row_number(row),
                                detail=f"duplicate modifier {row['code']}")
        out[row["code"]] = Modifier(row["code"], row["description"], row["source"])
    return out


# --------------------------------------------------------------------------------------------- lookup

def get_procedure(code: str, dos: dt.date | str | None = None) -> ProcedureCode:
    """The CPT/HCPCS record for a code, checked against the date of service when one is given.

    E101 malformed, E102 not in the neurology tables, E104 bad date, E106 not in force on ``dos``.
    """
    dos = parse_date(dos)
    c = normalise(code)
    if is_cpt(c):
        system, table, resource = "CPT", cpt_table(), CPT_FILE
    elif is_hcpcs(c):
        system, table, resource = "HCPCS", hcpcs_table(), HCPCS_FILE
    else:
        raise CodeLookupError(Errors.E101, code=code)
    proc = table.get(c)
    if proc is None:
        raise CodeLookupError(Errors.E102, system=system, code=c, release=f"neurocode {resource}")
    if dos is not None and not proc.in_force(dos):
        raise CodeLookupError(Errors.E106, system=system, code=c, dos=dos.isoformat(),
                              start=proc.effective_from.isoformat(),
                              end=proc.effective_to.isoformat() if proc.effective_to else "open")
    if system == "CPT":
        official = _descriptors()
        if c in official:
            text, origin = official[c]
            proc = replace(proc, description=text,
                           source=f"{proc.source}; description: official AMA CPT descriptor imported by a "
                                  f"licensed user from {origin}")
    return proc


def billing_units(code: str, product_units: float) -> int:
    """HCPCS billing units for an amount of product (e.g. 500 U of Dysport -> 100 units of J0586).

    Rounds a partial billing unit up (CMS: bill the next highest unit when the dose is not a
    multiple of the descriptor amount). E304 for codes without a unit size, E305 for a dose <= 0.
    """
    proc = get_procedure(code)
    unit = "product units"
    if proc.billing_unit_size is None:
        raise CodeLookupError(Errors.E304, system=proc.system, code=proc.code, resource=HCPCS_FILE)
    try:
        amount = Decimal(str(product_units))
    except InvalidOperation as e:
        raise CodeLookupError(Errors.E305, amount=product_units, code=proc.code, unit=unit) from e
    if not amount.is_finite() or amount <= 0:
        raise CodeLookupError(Errors.E305, amount=product_units, code=proc.code, unit=unit)
    return math.ceil(amount / Decimal(str(proc.billing_unit_size)))


# --------------------------------------------------------------------------------------------- AMA file

_CODE_HEADERS = ("code", "cpt code", "cpt_code", "cptcode", "hcpcs", "procedure code")
_DESCRIPTOR_HEADERS = ("long descriptor", "long_descriptor", "longdescriptor", "long description",
                       "long_description", "descriptor", "description")


def descriptor_path(home: Path | None = None) -> Path:
    return (home or data_home()) / DESCRIPTOR_DIR / DESCRIPTOR_FILE


def _descriptors() -> dict[str, tuple[str, str]]:
    path = descriptor_path()
    if not path.is_file():
        return {}
    return _read_descriptors(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=4)
def _read_descriptors(path: Path, mtime_ns: int) -> dict[str, tuple[str, str]]:
    meta_path = path.with_suffix(".json")
    origin = json.loads(meta_path.read_text()).get("source", path.name) if meta_path.is_file() else path.name
    with path.open(encoding="utf-8", newline="") as fh:
        return {row["code"]: (row["long_descriptor"], origin) for row in csv.DictReader(fh)}


def _decode(raw: bytes) -> str:
    """UTF-8 (with or without BOM); AMA and CMS text files are often Windows-1252."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def import_cpt_descriptors(path: str | Path, home: Path | None = None) -> int:
    """Store a licensed user's official AMA CPT descriptor file in the data folder.

    Accepts CSV or tab-delimited text with a code column and a long-descriptor column (header names
    such as "Code"/"CPT Code" and "Long Descriptor"/"Description"). Writes
    ``data_home()/cpt/descriptors.csv`` through a temporary file, so a failed import leaves any
    earlier file intact. Returns the number of descriptors stored.
    """
    src = Path(path)
    if not src.is_file():
        raise CodeSetImportError(Errors.E210, path=str(src), what="AMA CPT descriptor file (CSV)")
    raw = src.read_bytes()
    text = _decode(raw)
    first = text.splitlines()[0] if text else ""
    delimiter = "\t" if "\t" in first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [h.strip().lower() for h in next(reader, [])]
    code_col = next((i for i, h in enumerate(header) if h in _CODE_HEADERS), None)
    desc_col = next((i for h_name in _DESCRIPTOR_HEADERS for i, h in enumerate(header) if h == h_name), None)
    if code_col is None or desc_col is None:
        raise CodeSetImportError(
            Errors.E211, path=str(src), what="CPT code / long descriptor", columns=column_summary(header),
            hint="Export the AMA file with a header row naming a 'Code' and a 'Long Descriptor' column.")
    out: dict[str, str] = {}
    for line_no, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if max(code_col, desc_col) >= len(cells):
            raise CodeSetImportError(Errors.E212, path=str(src), row=line_no, detail="row has too few cells")
        code, text_value = normalise(cells[code_col]), cells[desc_col].strip()
        problem = f"{code!r} is not a CPT code" if not is_cpt(code) else \
            f"{code} has no descriptor" if not text_value else None
        if problem:
            raise CodeSetImportError(Errors.E212, path=str(src), row=line_no, detail=problem)
        out[code] = text_value
    target = descriptor_path(home)
    target.parent.mkdir(parents=True, exist_ok=True)
    meta = {
        "source": f"{src.name} (sha256 {hashlib.sha256(raw).hexdigest()[:12]})",
        "descriptors": len(out),
        "imported": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    _atomic_write(target, _csv_text(["code", "long_descriptor"], sorted(out.items())))
    _atomic_write(target.with_suffix(".json"), json.dumps(meta, indent=2) + "\n")
    return len(out)


def _csv_text(header: list[str], rows: list[tuple[str, str]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def _atomic_write(target: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
