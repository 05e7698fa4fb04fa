"""Payer coverage tables: which diagnosis codes a policy accepts for which procedures.

The bundled table is `nlp/resources/claim_coverage.csv` (example policies, each row with its source
policy and date). A user's own tables in the same columns are added, and replace a bundled policy
with the same `policy_id`:
- `neurocode suggest --coverage FILE` (library: `with using_tables([path]): ...`),
- `$NEUROCODE_COVERAGE` (paths separated by the OS path separator),
- every `*.csv` in the data folder's `coverage/` (`$NEUROCODE_HOME/coverage/`).
A user table is validated on load; errors E901-E903 name the file, row number and column, never a
cell's content.
"""

from __future__ import annotations

import contextlib
import contextvars
import csv
import datetime as dt
import io
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from nlp.claim.records import ClaimLine, Finding
from nlp.claim.tables import dx_matches, expand_codes
from nlp.coding.tables import load_table, split_list
from nlp.errors import Errors, InputError

BUNDLED = "claim_coverage.csv"
REQUIRED = ("policy_id", "payer", "policy_name", "procedure_codes", "accepted_diagnoses", "effective_from", "source")
OPTIONAL = ("effective_to",)
PROCEDURE = re.compile(r"^[0-9A-Z][0-9]{3}[0-9A-Z](-[0-9A-Z][0-9]{3}[0-9A-Z])?$")
DX_PREFIX = re.compile(r"^[A-Z][0-9][0-9A-Z](\.?[0-9A-Z]{0,4})?$")

_extra: contextvars.ContextVar[tuple[Path, ...]] = contextvars.ContextVar("neurocode_coverage", default=())


@dataclass(frozen=True)
class Policy:
    policy_id: str
    payer: str
    name: str
    codes: frozenset[str]
    prefixes: tuple[str, ...]
    effective_from: dt.date
    effective_to: dt.date | None
    source: str
    table: str

    def applies(self, code: str, day: dt.date) -> bool:
        return (code in self.codes and self.effective_from <= day
                and (self.effective_to is None or day <= self.effective_to))


def _policy(row: dict[str, str], table: str, strict: bool = False, line: int = 0) -> Policy:
    """A row -> Policy; for a user table (`strict`) each bad cell raises E903 (row and column only)."""
    def fail(column: str, detail: str) -> InputError:
        return InputError(Errors.E903, path=table, row=line, column=column, detail=detail)

    codes = split_list(row["procedure_codes"])
    if strict and not all(PROCEDURE.match(c.upper()) for c in codes):
        raise fail("procedure_codes", "each entry must be a 5-character CPT/HCPCS code or a range like 95907-95913, "
                                      "separated by ';'")
    prefixes = split_list(row["accepted_diagnoses"])
    if strict and not all(DX_PREFIX.match(p.upper()) for p in prefixes):
        raise fail("accepted_diagnoses", "each entry must be an ICD-10-CM code or prefix like G43.7, separated by ';'")
    dates: dict[str, dt.date | None] = {}
    for column in ("effective_from", "effective_to"):
        value = row.get(column, "")
        try:
            dates[column] = dt.date.fromisoformat(value) if value else None
        except ValueError as e:
            raise fail(column, "not a date in YYYY-MM-DD form") from e
    start = dates["effective_from"]
    assert start is not None  # required
    return Policy(row["policy_id"], row["payer"], row["policy_name"], frozenset(expand_codes(row["procedure_codes"])),
                  tuple(p.upper() for p in prefixes), start, dates["effective_to"], row["source"], table)


@lru_cache(maxsize=1)
def bundled() -> tuple[Policy, ...]:
    return tuple(_policy(r, BUNDLED) for r in load_table(BUNDLED, REQUIRED[:-1], OPTIONAL))


def load_user_table(path: str | Path) -> tuple[Policy, ...]:
    """A user's coverage CSV -> policies; E901 missing file, E902 columns, E903 a bad cell."""
    p = Path(path)
    if not p.is_file():
        raise InputError(Errors.E901, path=str(p))
    return _read_user(p, p.stat().st_mtime_ns)


@lru_cache(maxsize=16)
def _read_user(p: Path, _mtime: int) -> tuple[Policy, ...]:
    required = ", ".join(REQUIRED)
    try:
        text = p.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(Errors.E902, path=str(p), detail="the file is not UTF-8 text", required=required) from e
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in header]
    unknown = [h for h in header if h not in (*REQUIRED, *OPTIONAL)]
    if missing or unknown:
        detail = "; ".join(filter(None, [f"missing column(s) {missing}" if missing else "",
                                         f"unknown column(s) {unknown}" if unknown else ""]))
        raise InputError(Errors.E902, path=str(p), detail=detail, required=required)
    reader.fieldnames = header
    out = []
    for raw in reader:
        line = reader.line_num
        if None in raw:
            raise InputError(Errors.E903, path=str(p), row=line, column="(row)", detail="more cells than columns")
        row = {k: (v or "").strip() for k, v in raw.items()}
        if not any(row.values()):
            continue
        empty = next((c for c in REQUIRED if not row.get(c)), None)
        if empty:
            raise InputError(Errors.E903, path=str(p), row=line, column=empty, detail="empty required cell")
        out.append(_policy(row, str(p), strict=True, line=line))
    if not out:
        raise InputError(Errors.E902, path=str(p), detail="no policy rows", required=required)
    return tuple(out)


def user_paths() -> list[Path]:
    from nlp.codesets.releases import data_home

    paths = list(_extra.get())
    env = os.environ.get("NEUROCODE_COVERAGE", "")
    paths += [Path(x) for x in env.split(os.pathsep) if x.strip()]
    folder = data_home() / "coverage"
    if folder.is_dir():  # no coverage folder: bundled and explicitly given tables only
        paths += _folder_tables(folder, folder.stat().st_mtime_ns)
    return paths


@lru_cache(maxsize=4)
def _folder_tables(folder: Path, _mtime: int) -> tuple[Path, ...]:
    return tuple(sorted(folder.glob("*.csv")))


@contextlib.contextmanager
def using_tables(paths: list[str | Path]) -> Iterator[None]:
    """Add user coverage tables for the calls made inside the block (validated on entry)."""
    checked = [Path(p) for p in paths]
    for p in checked:
        load_user_table(p)
    token = _extra.set((*_extra.get(), *checked))
    try:
        yield
    finally:
        _extra.reset(token)


def active_policies(warnings: list[str] | None = None) -> tuple[list[Policy], list[str]]:
    """(policies, table names): user tables replace bundled policies with the same id.

    A bad table named by `$NEUROCODE_COVERAGE` or found in the data folder is skipped with its
    numbered message in `warnings` (every note still gets its result); with no `warnings` list, or for a
    table given explicitly (`using_tables`, validated on entry), the error is raised."""
    by_id = {p.policy_id: p for p in bundled()}
    tables = [BUNDLED]
    explicit = set(_extra.get())
    for path in user_paths():
        try:
            policies = load_user_table(path)
        except InputError as e:
            if warnings is None or path in explicit:
                raise
            warnings.append(f"{e} (table skipped)")
            continue
        for p in policies:
            by_id[p.policy_id] = p
        tables.append(str(path))
    return list(by_id.values()), tables


def check_line(line: ClaimLine, policies: list[Policy], day: dt.date) -> list[Finding]:
    """medical_necessity findings for one claim line: pass when a pointer is on the policy's list."""
    out = []
    for pol in policies:
        if not pol.applies(line.code, day):
            continue
        hit = next(((c, m) for c in line.pointer_codes if (m := dx_matches(c, list(pol.prefixes)))), None)
        where = f"{pol.payer} policy '{pol.name}' ({pol.policy_id})"
        if hit:
            out.append(Finding("medical_necessity", line.code, pol.policy_id,
                               f"{line.code}: pointer {hit[0]} is covered by {where} (listed {hit[1]})",
                               pol.source, "pass"))
        else:
            shown = ", ".join(pol.prefixes[:10]) + (", ..." if len(pol.prefixes) > 10 else "")
            pointed = ", ".join(line.pointer_codes) or "none"
            out.append(Finding("medical_necessity", line.code, pol.policy_id,
                               f"{line.code}: pointed diagnoses ({pointed}) are not on the covered list of {where}: "
                               f"{shown}. Check the indication or the payer's policy before billing",
                               pol.source, "fail"))
    return out
