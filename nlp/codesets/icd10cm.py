"""Read-only access to one ICD-10-CM release (a SQLite file written by `releases`).

    rel = icd10cm.for_date("2026-05-14")       # the release in force on the date of service
    rel.get("G40.219").description
    rel.children("G40.21")
    rel.require_billable("G40.21", dos)         # E103: not billable -> error, never a silent pass

Opening a release reads nothing but the row asked for, so a cold `neurocode code G40.219` stays
fast; `all_codes()` loads every row for bulk users (the fallback fuzzy matcher).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from nlp.codesets import releases
from nlp.codesets.codeclass import classify
from nlp.errors import CodeLookupError, Errors

ICD_PATTERN = re.compile(r"^[A-Z][0-9][0-9A-Z](?:\.?[0-9A-Z]{1,4})?$")


def normalise(code: str) -> str:
    """'g40219' / 'G40.219 ' -> 'G40.219'; E101 when it cannot be an ICD-10-CM code."""
    c = code.strip().upper()
    if not ICD_PATTERN.match(c):
        raise CodeLookupError(Errors.E101, code=code)
    bare = c.replace(".", "")
    return bare if len(bare) <= 3 else f"{bare[:3]}.{bare[3:]}"


@dataclass(frozen=True)
class IcdCode:
    code: str
    description: str
    kind: str
    parent: str | None
    billable: bool
    notes: dict[str, list[str]] = field(default_factory=dict)
    seventh: dict[str, str] = field(default_factory=dict)
    release: str = ""

    @property
    def code_class(self) -> str:
        return classify("ICD-10-CM", self.code, self.description)

    @property
    def excludes1(self) -> list[str]:
        return self.notes.get("excludes1", [])


class Icd10cmRelease:
    def __init__(self, release: releases.Release) -> None:
        self.release = release
        self._con = sqlite3.connect(f"file:{release.path / 'codes.sqlite'}?mode=ro", uri=True,
                                    check_same_thread=False)
        self._rows: dict[str, IcdCode | None] = {}

    @property
    def key(self) -> str:
        return self.release.key

    def _row(self, code: str) -> IcdCode | None:
        # a release file never changes in place (imports write a new folder), so rows can be cached
        if code not in self._rows:
            row = self._con.execute(
                "SELECT code, description, kind, parent, billable, notes, seventh FROM codes WHERE code=?", (code,)
            ).fetchone()
            self._rows[code] = self._make(row) if row else None
        return self._rows[code]

    def _make(self, row: tuple) -> IcdCode:
        code, desc, kind, parent, billable, notes, seventh = row
        return IcdCode(code, desc, kind, parent, bool(billable), json.loads(notes) if notes else {},
                       json.loads(seventh) if seventh else {}, self.key)

    def get(self, code: str) -> IcdCode:
        norm = normalise(code)
        found = self._row(norm)
        if found is None:
            raise CodeLookupError(Errors.E102, system="ICD-10-CM", code=norm, release=self.key)
        return found

    def find(self, code: str) -> IcdCode | None:
        return self._row(normalise(code))

    def children(self, code: str) -> list[IcdCode]:
        rows = self._con.execute(
            "SELECT code, description, kind, parent, billable, notes, seventh FROM codes WHERE parent=? "
            "ORDER BY code", (normalise(code) if not code.startswith("ch") else code,)
        ).fetchall()
        return [self._make(r) for r in rows]

    def ancestors(self, code: str) -> list[IcdCode]:
        """Parents up to the chapter, nearest first."""
        out = []
        current = self.get(code)
        while current.parent:
            parent = self._row(current.parent)
            if parent is None:
                break
            out.append(parent)
            current = parent
        return out

    def inherited_notes(self, code: str, kind: str) -> list[tuple[str, str]]:
        """(code it is written on, note) for a note kind on the code and every ancestor."""
        item = self.get(code)
        out = [(item.code, n) for n in item.notes.get(kind, [])]
        for anc in self.ancestors(code):
            out.extend((anc.code, n) for n in anc.notes.get(kind, []))
        return out

    def billable_leaves(self, code: str) -> list[IcdCode]:
        out: list[IcdCode] = []
        for kid in self.children(code):
            if kid.billable:
                out.append(kid)
            else:
                out.extend(self.billable_leaves(kid.code))
        return out

    def require_billable(self, code: str, dos: dt.date | str | None = None) -> IcdCode:
        item = self.get(code)
        if not item.billable:
            leaves = [c.code for c in self.billable_leaves(item.code)]
            shown = ", ".join(leaves[:6]) + (", ..." if len(leaves) > 6 else "")
            raise CodeLookupError(
                Errors.E103, system="ICD-10-CM", code=item.code,
                dos=str(releases.parse_date(dos) or "the latest release"), release=self.key,
                reason=f"it is a {item.kind} header", children=shown or "none",
            )
        return item

    def all_codes(self, billable_only: bool = True) -> list[IcdCode]:
        sql = "SELECT code, description, kind, parent, billable, notes, seventh FROM codes"
        if billable_only:
            sql += " WHERE billable=1"
        return [self._make(r) for r in self._con.execute(sql)]

    def index_terms(self) -> list[tuple[str, str]]:
        return list(self._con.execute("SELECT term, code FROM index_terms"))


@lru_cache(maxsize=8)
def _open(path: Path, _stamp: int) -> Icd10cmRelease:
    rel = next(r for r in releases.list_releases(path.parent.parent) if r.path == path)
    return Icd10cmRelease(rel)


def for_date(dos: dt.date | str | None = None, home: Path | None = None) -> Icd10cmRelease:
    """The release in force on `dos` (the latest one when None); a replaced release is reopened."""
    path = releases.release_for(dos, home).path
    return _open(path, (path / "release.json").stat().st_mtime_ns)
