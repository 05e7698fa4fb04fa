"""ICD-10-CM releases keyed by effective date, stored as one SQLite file per release.

Layout under the data folder (``$NEUROCODE_HOME``, else ``$XDG_DATA_HOME/neurocode``, else
``~/.local/share/neurocode``)::

    icd10cm/2026-04-01/release.json   effective date, source, version, counts
    icd10cm/2026-04-01/codes.sqlite   codes (+ index terms when the index XML was imported)

A release is in force from its effective date until the day before the next release's effective
date, and at most until the end of its fiscal year (Sept 30): ICD-10-CM changes every Oct 1 and
can change again on Apr 1. Imports are written to a temporary folder and renamed into place, so a
failed import never damages what is already there.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import io
import json
import os
import re
import sqlite3
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import IO

from nlp.codesets.icd10cm_xml import CodeRecord, IndexTerm, parse_index, parse_tabular
from nlp.codesets.storage import staged_folder
from nlp.errors import CodeLookupError, CodeSetImportError, Errors

SYSTEM_DIR = "icd10cm"
BUNDLED_PACKAGE = "simple_icd_10_cm"
BUNDLED_FILE = "icd10c-tabular-April-1-2026.xml"
BUNDLED_EFFECTIVE = dt.date(2026, 4, 1)
SCHEMA_VERSION = 1

_MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], start=1)}


def data_home() -> Path:
    """$NEUROCODE_HOME, else $XDG_DATA_HOME/neurocode, else ~/.local/share/neurocode."""
    return _data_home(os.environ.get("NEUROCODE_HOME"), os.environ.get("XDG_DATA_HOME"), os.environ.get("HOME"))


@lru_cache(maxsize=8)
def _data_home(env: str | None, xdg: str | None, _home: str | None) -> Path:  # called per note: cached
    if env:
        return Path(env)
    base = Path(xdg) if xdg else Path.home() / ".local" / "share"
    return base / "neurocode"


def parse_date(value: str | dt.date | None) -> dt.date | None:
    """YYYY-MM-DD string (or date) to date; E104 on anything else."""
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value.strip())
    except (ValueError, AttributeError) as e:
        raise CodeLookupError(Errors.E104, value=value) from e


def fiscal_year_end(start: dt.date) -> dt.date:
    return dt.date(start.year + 1 if start.month >= 10 else start.year, 9, 30)


@dataclass(frozen=True)
class Release:
    effective_from: dt.date
    effective_to: dt.date
    version: str
    source: str
    path: Path
    codes: int
    index_terms: int

    @property
    def key(self) -> str:
        return self.effective_from.isoformat()

    def in_force(self, dos: dt.date) -> bool:
        return self.effective_from <= dos <= self.effective_to


def _release_dirs(home: Path) -> list[Path]:
    root = home / SYSTEM_DIR
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.is_dir() and (p / "release.json").is_file()
                  and re.fullmatch(r"\d{4}-\d\d-\d\d", p.name))


def list_releases(home: Path | None = None) -> list[Release]:
    """All stored releases, oldest first, with effective ranges computed from their neighbours.

    Cached per folder state: an import renames a release into place, which changes the folder's
    modification time, so a new or replaced release is seen at once."""
    home = home or data_home()
    root = home / SYSTEM_DIR
    stamp = root.stat().st_mtime_ns if root.is_dir() else 0
    return list(_list_releases(home, stamp))


@lru_cache(maxsize=16)
def _list_releases(home: Path, _stamp: int) -> tuple[Release, ...]:
    metas = []
    for d in _release_dirs(home):
        meta = json.loads((d / "release.json").read_text())
        metas.append((dt.date.fromisoformat(meta["effective_from"]), meta, d))
    out = []
    for i, (start, meta, d) in enumerate(metas):
        end = fiscal_year_end(start)
        if i + 1 < len(metas):
            end = min(end, metas[i + 1][0] - dt.timedelta(days=1))
        out.append(Release(start, end, meta.get("version", ""), meta.get("source", ""), d,
                           meta.get("codes", 0), meta.get("index_terms", 0)))
    return tuple(out)


def release_for(dos: dt.date | str | None, home: Path | None = None) -> Release:
    """The release in force on the date of service; the latest release when no date is given."""
    home = home or data_home()
    day = parse_date(dos)
    releases = list_releases(home)
    if not any(r.effective_from == BUNDLED_EFFECTIVE for r in releases):
        ensure_default(home)
        releases = list_releases(home)
    if day is None:
        return releases[-1]
    for rel in releases:
        if rel.in_force(day):
            return rel
    available = ", ".join(f"{r.effective_from}..{r.effective_to}" for r in releases) or "none"
    raise CodeLookupError(Errors.E105, system="ICD-10-CM", dos=day.isoformat(), available=available)


# --------------------------------------------------------------------------------------------- writing

def _write_sqlite(db: Path, records: list[CodeRecord], index: Iterable[IndexTerm]) -> tuple[int, int]:
    con = sqlite3.connect(db)
    try:
        con.executescript(
            """
            CREATE TABLE codes (code TEXT PRIMARY KEY, description TEXT NOT NULL, kind TEXT NOT NULL,
                                parent TEXT, billable INTEGER NOT NULL, notes TEXT, seventh TEXT);
            CREATE INDEX codes_parent ON codes(parent);
            CREATE TABLE index_terms (term TEXT NOT NULL, code TEXT NOT NULL);
            CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
            """
        )
        con.executemany(
            "INSERT OR REPLACE INTO codes VALUES (?,?,?,?,?,?,?)",
            (
                (r.code, r.description, r.kind, r.parent, int(r.billable),
                 json.dumps(r.notes) if r.notes else None, json.dumps(r.seventh) if r.seventh else None)
                for r in records
            ),
        )
        n_index = 0
        for batch in _batches(index, 5000):
            con.executemany("INSERT INTO index_terms VALUES (?,?)", [(t.term, t.code) for t in batch])
            n_index += len(batch)
        con.execute("CREATE INDEX index_terms_code ON index_terms(code)")
        con.execute("INSERT INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
        con.commit()
        n_codes = con.execute("SELECT count(*) FROM codes WHERE kind='code'").fetchone()[0]
    finally:
        con.close()
    return n_codes, n_index


def _batches(items: Iterable[IndexTerm], size: int) -> Iterable[list[IndexTerm]]:
    batch: list[IndexTerm] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _install(
    home: Path,
    effective: dt.date,
    tabular: IO[bytes] | Path,
    index: IO[bytes] | Path | None,
    source: str,
    replace: bool,
) -> Release:
    root = home / SYSTEM_DIR
    root.mkdir(parents=True, exist_ok=True)
    target = root / effective.isoformat()
    if target.exists() and not replace:
        existing = json.loads((target / "release.json").read_text()).get("source", "?") \
            if (target / "release.json").exists() else "incomplete folder"
        raise CodeSetImportError(Errors.E205, effective=effective.isoformat(), existing=existing)
    version, records = parse_tabular(tabular)
    check_version_covers(version, effective, getattr(tabular, "name", str(tabular)))
    index_terms = list(parse_index(index)) if index is not None else []
    with staged_folder(root, effective.isoformat()) as tmp:
        n_codes, n_index = _write_sqlite(tmp / "codes.sqlite", records, index_terms)
        meta = {
            "system": "ICD-10-CM",
            "effective_from": effective.isoformat(),
            "version": version,
            "source": source,
            "codes": n_codes,
            "index_terms": n_index,
            "schema": SCHEMA_VERSION,
            "imported": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }
        (tmp / "release.json").write_text(json.dumps(meta, indent=2) + "\n")
    return next(r for r in list_releases(home) if r.effective_from == effective)


def check_version_covers(version: str, effective: dt.date, path: str) -> None:
    """E108 when the tabular's own <version> (its fiscal year: Oct 1 of the year before to Sep 30)
    does not cover the effective date it is imported for. A version without a year is not checked."""
    m = re.fullmatch(r"\s*(?:FY\s*)?(20\d\d)\s*", version or "")
    if m is None:
        return
    fy = int(m.group(1))
    start, end = dt.date(fy - 1, 10, 1), dt.date(fy, 9, 30)
    if not start <= effective <= end:
        raise CodeSetImportError(Errors.E108, path=path, version=version.strip(), fy=fy, start=start.isoformat(),
                                 end=end.isoformat(), effective=effective.isoformat())


def newest_not_in_force_today(today: dt.date | None = None, home: Path | None = None) -> Release | None:
    """The newest stored release when it is not in force today (E107: results without a date of
    service use it), else None."""
    newest = release_for(None, home)
    return None if newest.in_force(today or dt.date.today()) else newest


def ensure_default(home: Path | None = None) -> Release:
    """Build the bundled April 1, 2026 release from simple-icd-10-cm's tabular once; reuse it after."""
    home = home or data_home()
    target = home / SYSTEM_DIR / BUNDLED_EFFECTIVE.isoformat()
    if (target / "release.json").exists():
        return next(r for r in list_releases(home) if r.effective_from == BUNDLED_EFFECTIVE)
    return _install(home, BUNDLED_EFFECTIVE, bundled_tabular_path(), None,
                    f"bundled: {BUNDLED_PACKAGE} {BUNDLED_FILE}", replace=False)


def bundled_tabular_path() -> Path:
    """The tabular XML inside the installed simple-icd-10-cm package, found without importing it
    (its import parses the whole XML: about 3 s and 190 MB)."""
    spec = importlib.util.find_spec(BUNDLED_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise CodeSetImportError(Errors.E201, path=f"{BUNDLED_PACKAGE} (package not installed; run 'make install')")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / BUNDLED_FILE


# --------------------------------------------------------------------------------------------- import

def infer_effective(filename: str, version: str | None = None) -> dt.date | None:
    """'icd10cm-tabular-April-1-2026.xml' -> 2026-04-01; 'icd10cm_tabular_2026.xml' -> 2025-10-01."""
    name = filename.lower()
    m = re.search(r"(january|february|march|april|may|june|july|august|september|october|november|december)"
                  r"[-_ ]?(\d{1,2})?[-_, ]*(20\d\d)", name)
    if m:
        return dt.date(int(m.group(3)), _MONTHS[m.group(1)], int(m.group(2) or 1))
    m = re.search(r"(20\d\d)", Path(name).name) or (re.search(r"(20\d\d)", version) if version else None)
    if m:  # an October release is named for the fiscal year it starts
        return dt.date(int(m.group(1)) - 1, 10, 1)
    return None


def _is_tabular(name: str) -> bool:
    n = Path(name).name.lower()
    return n.endswith(".xml") and "tabular" in n


def _is_index(name: str) -> bool:
    n = Path(name).name.lower()
    return n.endswith(".xml") and "index" in n and not any(k in n for k in ("eindex", "drug", "neoplasm"))


MAX_ZIP_MEMBER_BYTES = 300_000_000  # a CMS tabular XML is about 10 MB, the index about 30 MB


def _read_member(zf: zipfile.ZipFile, name: str, src: Path) -> bytes:
    """A zip member, read only up to `MAX_ZIP_MEMBER_BYTES` (E109 over it: the declared size is
    checked first, and the read is bounded in case the declared size is wrong)."""
    declared = zf.getinfo(name).file_size
    if declared > MAX_ZIP_MEMBER_BYTES:
        raise CodeSetImportError(Errors.E109, path=str(src), member=name, size=declared, limit=MAX_ZIP_MEMBER_BYTES)
    with zf.open(name) as fh:
        data = fh.read(MAX_ZIP_MEMBER_BYTES + 1)
    if len(data) > MAX_ZIP_MEMBER_BYTES:
        raise CodeSetImportError(Errors.E109, path=str(src), member=name, size=f"more than {len(data) - 1}",
                                 limit=MAX_ZIP_MEMBER_BYTES)
    return data


def import_release(
    path: str | Path,
    *,
    effective: str | dt.date | None = None,
    replace: bool = False,
    home: Path | None = None,
) -> Release:
    """Import an official CMS ICD-10-CM release: a folder, a CMS zip, or a tabular XML file."""
    home = home or data_home()
    src = Path(path)
    if not src.exists():
        raise CodeSetImportError(Errors.E201, path=str(src))
    eff = parse_date(effective)
    if src.is_file() and src.suffix.lower() == ".zip":
        try:
            zf = zipfile.ZipFile(src)
        except zipfile.BadZipFile as e:
            raise CodeSetImportError(Errors.E206, path=str(src), detail=str(e)) from e
        with zf:
            names = zf.namelist()
            tab = next((n for n in names if _is_tabular(n)), None)
            if tab is None:
                raise CodeSetImportError(Errors.E202, path=str(src))
            idx = next((n for n in names if _is_index(n)), None)
            try:
                tab_bytes = _read_member(zf, tab, src)
                idx_bytes = _read_member(zf, idx, src) if idx else None
            except (zipfile.BadZipFile, OSError) as e:
                raise CodeSetImportError(Errors.E206, path=str(src), detail=str(e)) from e
        eff = eff or infer_effective(Path(tab).name) or infer_effective(src.name)
        if eff is None:
            raise CodeSetImportError(Errors.E204, path=str(src))
        digest = hashlib.sha256(tab_bytes).hexdigest()[:12]
        tab_fh = io.BytesIO(tab_bytes)
        tab_fh.name = f"{src.name}:{tab}"
        idx_fh = None
        if idx_bytes is not None:
            idx_fh = io.BytesIO(idx_bytes)
            idx_fh.name = f"{src.name}:{idx}"
        return _install(home, eff, tab_fh, idx_fh, f"import: {src.name} ({tab}, sha256 {digest})", replace)
    if src.is_dir():
        files = sorted(p for p in src.rglob("*.xml"))
        tab_path = next((p for p in files if _is_tabular(p.name)), None)
        if tab_path is None:
            raise CodeSetImportError(Errors.E202, path=str(src))
        idx_path = next((p for p in files if _is_index(p.name)), None)
    else:
        tab_path, idx_path = src, None
    eff = eff or infer_effective(tab_path.name) or infer_effective(src.name)
    if eff is None:
        raise CodeSetImportError(Errors.E204, path=str(tab_path))
    digest = hashlib.sha256(tab_path.read_bytes()).hexdigest()[:12]
    return _install(home, eff, tab_path, idx_path, f"import: {tab_path.name} (sha256 {digest})", replace)
