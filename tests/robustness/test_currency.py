"""Issue 10 item 8: which ICD-10-CM release was used, and why, is stated; imports are checked."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest

import nlp.api
from nlp.api import suggest
from nlp.codesets import releases
from nlp.errors import CodeLookupError, CodeSetImportError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "cms_icd10cm"
NOTE = "IMPRESSION:\nMigraine without aura.\n"


class _Today(dt.date):
    day_value = dt.date(2026, 12, 8)

    @classmethod
    def today(cls):  # type: ignore[no-untyped-def,override]
        return cls.day_value


@pytest.mark.parametrize(("today", "stale"), [(dt.date(2026, 12, 8), True), (dt.date(2026, 6, 1), False)])
def test_release_basis_and_stale_warning(monkeypatch: pytest.MonkeyPatch, today: dt.date, stale: bool) -> None:
    _Today.day_value = today
    monkeypatch.setattr(nlp.api.dt, "date", _Today)
    result = suggest(NOTE)
    assert result.date_of_service is None and result.versions["icd10cm"] == "2026-04-01"
    assert result.versions["icd10cm_basis"].startswith("no date of service: newest stored release")
    assert ("not in force today" in result.versions["icd10cm_basis"]) is stale
    assert [w[:4] for w in result.warnings if w.startswith("E107")] == (["E107"] if stale else [])
    dated = suggest(NOTE, date_of_service="2026-05-14")
    assert dated.versions["icd10cm_basis"] == "date of service 2026-05-14"
    assert not any(w.startswith("E107") for w in dated.warnings)


def test_e105_says_how_to_import() -> None:
    with pytest.raises(CodeLookupError) as err:
        suggest(NOTE, date_of_service="2026-12-08")
    assert err.value.code == "E105" and "neurocode codeset import" in str(err.value)
    assert "icd10cm-table-index-2027.zip" in str(err.value)


def test_zip_member_over_the_cap_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = FIXTURES / "fy2026_april" / "icd10cm-tabular-April-1-2026.xml"
    archive = tmp_path / "icd10cm-table-index-April-2026.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(src, "icd10cm-tabular-April-1-2026.xml")
    monkeypatch.setattr(releases, "MAX_ZIP_MEMBER_BYTES", src.stat().st_size - 1)
    home = tmp_path / "home"
    with pytest.raises(CodeSetImportError, match=r"^E109: .*icd10cm-tabular-April-1-2026.xml"):
        releases.import_release(archive, home=home)
    assert not (home / "icd10cm" / "2026-04-01").exists()
    monkeypatch.setattr(releases, "MAX_ZIP_MEMBER_BYTES", src.stat().st_size)
    assert releases.import_release(archive, home=home).key == "2026-04-01"


def test_version_check_accepts_the_fiscal_year() -> None:
    releases.check_version_covers("2027", dt.date(2026, 10, 1), "x.xml")
    releases.check_version_covers("2027", dt.date(2027, 4, 1), "x.xml")
    releases.check_version_covers("", dt.date(2030, 1, 1), "x.xml")  # no year: nothing to check
    with pytest.raises(CodeSetImportError, match=r"^E108: "):
        releases.check_version_covers("2026", dt.date(2026, 11, 15), "x.xml")
