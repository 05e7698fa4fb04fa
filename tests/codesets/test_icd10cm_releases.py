"""ICD-10-CM releases: CMS-format import, date-of-service selection, billability, bad input."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from nlp.codesets import icd10cm, releases
from nlp.codesets.icd10cm_xml import parse_index, parse_tabular
from nlp.errors import CodeLookupError, CodeSetImportError


def _import_both(fixtures_dir: Path, home: Path) -> None:
    releases.import_release(fixtures_dir / "fy2025", home=home)
    releases.import_release(fixtures_dir / "fy2026_april", home=home)


# ------------------------------------------------------------------------------------------ parsing

def test_parse_tabular_billable_flags_and_notes(fixtures_dir: Path) -> None:
    version, records = parse_tabular(fixtures_dir / "fy2026_april" / "icd10cm-tabular-April-1-2026.xml")
    by_code = {r.code: r for r in records}
    assert version == "2026"
    assert by_code["G35"].billable is False  # FY2026: G35 became a header
    assert by_code["G35.A"].billable is True
    assert by_code["G35.B"].billable is False
    assert by_code["G40"].notes["excludes1"] == ["convulsions NOS (R56.9)"]
    assert by_code["G40.909"].parent == "G40.90"
    assert by_code["ch6"].kind == "chapter" and by_code["G35-G37"].kind == "section"


def test_parse_tabular_expands_seventh_characters_with_exceptions(fixtures_dir: Path) -> None:
    _, records = parse_tabular(fixtures_dir / "fy2026_april" / "icd10cm-tabular-April-1-2026.xml")
    codes = {r.code: r for r in records}
    assert codes["S06.0X1"].billable is False, "a code that needs a 7th character is not billable alone"
    assert {"S06.0X1A", "S06.0X1D", "S06.0X1S"} <= codes.keys()
    assert codes["S06.0X1A"].billable and codes["S06.0X1A"].description.endswith("initial encounter")
    # the tabular note: 7th characters D and S do not apply with 6th character 7 (death before consciousness)
    assert "S06.0X7A" in codes
    assert "S06.0X7D" not in codes and "S06.0X7S" not in codes


def test_parse_index_joins_levels_and_drops_nemod(fixtures_dir: Path) -> None:
    terms = list(parse_index(fixtures_dir / "fy2026_april" / "icd10cm-index-April-1-2026.xml"))
    pairs = {(t.term, t.code) for t in terms}
    assert ("Epilepsy, epileptic, epilepsia, intractable", "G40.919") in pairs
    assert ("Sclerosis, sclerotic, multiple (brain stem) (cord), relapsing-remitting", "G35.A") in pairs


# ------------------------------------------------------------------------------------- date of service

@pytest.mark.parametrize(
    ("dos", "expected_release"),
    [
        pytest.param("2024-10-01", "2024-10-01", id="first-day-of-fy2025"),
        pytest.param("2025-09-30", "2024-10-01", id="last-day-of-fy2025"),
        pytest.param("2026-04-01", "2026-04-01", id="april-update-in-force"),
        pytest.param("2026-09-30", "2026-04-01", id="last-day-of-fy2026"),
    ],
)
def test_release_for_picks_release_in_force(fixtures_dir: Path, empty_home: Path, dos: str,
                                            expected_release: str) -> None:
    _import_both(fixtures_dir, empty_home)
    # the bundled release also sits in the folder (built on first use); the imported ones win by date
    assert icd10cm.for_date(dos, empty_home).key == expected_release


def test_fy2025_release_ends_at_fiscal_year_end_when_no_successor(fixtures_dir: Path, empty_home: Path) -> None:
    rel = releases.import_release(fixtures_dir / "fy2025", home=empty_home)
    assert rel.effective_from == dt.date(2024, 10, 1)
    assert rel.effective_to == dt.date(2025, 9, 30)


def test_no_release_in_force_is_an_error(fixtures_dir: Path, empty_home: Path) -> None:
    _import_both(fixtures_dir, empty_home)
    with pytest.raises(CodeLookupError, match=r"^E105: .*2023-01-01"):
        icd10cm.for_date("2023-01-01", empty_home)
    with pytest.raises(CodeLookupError, match=r"^E105: .*2026-11-23"):
        icd10cm.for_date("2026-11-23", empty_home)
    # FY2026 October release not imported: the gap before the April update is not silently filled
    with pytest.raises(CodeLookupError, match=r"^E105: .*2026-03-31"):
        icd10cm.for_date("2026-03-31", empty_home)


def test_ms_g35_billable_before_fy2026_and_header_after(fixtures_dir: Path, empty_home: Path) -> None:
    """Clinical case: 'multiple sclerosis' coded G35 is right on 2025-06-01 and wrong on 2026-05-01."""
    _import_both(fixtures_dir, empty_home)
    assert icd10cm.for_date("2025-06-01", empty_home).require_billable("G35").code == "G35"
    with pytest.raises(CodeLookupError, match=r"^E103: .*G35 is not billable.*G35\.A"):
        icd10cm.for_date("2026-05-01", empty_home).require_billable("G35", "2026-05-01")


@pytest.mark.parametrize("bad", ["2026/05/01", "05-01-2026", "2026-02-30", "soon"])
def test_malformed_date_is_e104(bad: str, empty_home: Path) -> None:
    with pytest.raises(CodeLookupError, match=r"^E104: "):
        releases.release_for(bad, empty_home)


@pytest.mark.parametrize("bad", ["", "40.219", "G4", "G40.21999", "hello world", "9590"])
def test_malformed_icd_code_is_e101(bad: str) -> None:
    with pytest.raises(CodeLookupError, match=r"^E101: "):
        icd10cm.normalise(bad)


@pytest.mark.parametrize(("raw", "norm"), [("g40219", "G40.219"), (" G40.219 ", "G40.219"), ("r51.9", "R51.9"),
                                           ("G40", "G40")])
def test_normalise_icd_code(raw: str, norm: str) -> None:
    assert icd10cm.normalise(raw) == norm


# ------------------------------------------------------------------------------------------- import

def test_import_from_zip_with_index(fixtures_dir: Path, empty_home: Path, tmp_path: Path) -> None:
    z = tmp_path / "icd10cm-April-2026-XML.zip"
    with zipfile.ZipFile(z, "w") as zf:
        for f in (fixtures_dir / "fy2026_april").iterdir():
            zf.write(f, f"Table and Index/{f.name}")
    rel = releases.import_release(z, home=empty_home)
    assert rel.effective_from == dt.date(2026, 4, 1)
    assert rel.index_terms == 4
    assert ("Epilepsy, epileptic, epilepsia, intractable", "G40.919") in icd10cm.for_date(
        "2026-05-01", empty_home).index_terms()


def test_import_overlap_is_refused_and_leaves_existing_release_intact(fixtures_dir: Path, empty_home: Path) -> None:
    first = releases.import_release(fixtures_dir / "fy2026_april", home=empty_home)
    before = (first.path / "codes.sqlite").read_bytes()
    with pytest.raises(CodeSetImportError, match=r"^E205: .*2026-04-01.*--replace"):
        releases.import_release(fixtures_dir / "fy2026_april", home=empty_home)
    assert (first.path / "codes.sqlite").read_bytes() == before


def test_import_replace_swaps_release(fixtures_dir: Path, empty_home: Path) -> None:
    releases.import_release(fixtures_dir / "fy2026_april", home=empty_home)
    rel = releases.import_release(_as_fy2026(fixtures_dir, empty_home), effective="2026-04-01",
                                  replace=True, home=empty_home)
    assert icd10cm.Icd10cmRelease(rel).get("G35").billable is True
    assert not list((empty_home / "icd10cm").glob(".*")), "no temporary folders left behind"


def test_corrupt_tabular_is_e203_and_imports_nothing(fixtures_dir: Path, empty_home: Path) -> None:
    with pytest.raises(CodeSetImportError, match=r"^E203: .*truncated-tabular-2027.xml"):
        releases.import_release(fixtures_dir / "truncated-tabular-2027.xml", home=empty_home)
    assert releases.list_releases(empty_home) == []


def test_corrupt_tabular_over_existing_release_keeps_it(fixtures_dir: Path, empty_home: Path, tmp_path: Path) -> None:
    releases.import_release(fixtures_dir / "fy2026_april", home=empty_home)
    bad = tmp_path / "icd10cm-tabular-April-1-2026.xml"
    shutil.copy(fixtures_dir / "truncated-tabular-2027.xml", bad)
    with pytest.raises(CodeSetImportError, match=r"^E203: "):
        releases.import_release(bad, replace=True, home=empty_home)
    assert icd10cm.for_date("2026-05-01", empty_home).get("G35.A").billable


@pytest.mark.parametrize(
    ("make", "error"),
    [
        pytest.param(lambda p: p / "missing.zip", "E201", id="missing-path"),
        pytest.param(lambda p: (p / "x.zip").write_bytes(b"not a zip") and p / "x.zip", "E206", id="bad-zip"),
        pytest.param(lambda p: (p / "empty").mkdir() or p / "empty", "E202", id="folder-without-tabular"),
        pytest.param(lambda p: (p / "codes.xml").write_text("<ICD10CM.tabular/>") and p / "codes.xml", "E204",
                     id="no-effective-date"),
        pytest.param(lambda p: (p / "tabular-2027.xml").write_text("<other/>") and p / "tabular-2027.xml", "E203",
                     id="wrong-root-element"),
    ],
)
def test_import_bad_input_numbered_errors(make, error: str, tmp_path: Path, empty_home: Path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CodeSetImportError, match=rf"^{error}: "):
        releases.import_release(make(tmp_path), home=empty_home)
    assert releases.list_releases(empty_home) == []


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("icd10cm-tabular-April-1-2026.xml", dt.date(2026, 4, 1)),
        ("icd10cm_tabular_2026.xml", dt.date(2025, 10, 1)),
        ("icd10cm-table-index-2027.zip", dt.date(2026, 10, 1)),
        ("tabular.xml", None),
    ],
)
def test_infer_effective_from_cms_file_names(name: str, expected: dt.date | None) -> None:
    assert releases.infer_effective(name) == expected


def test_release_metadata_records_source(fixtures_dir: Path, empty_home: Path) -> None:
    rel = releases.import_release(fixtures_dir / "fy2025", home=empty_home)
    meta = json.loads((rel.path / "release.json").read_text())
    assert meta["source"].startswith("import: icd10cm-tabular-2025.xml (sha256 ")
    assert meta["version"] == "2025"


def test_for_date_sees_a_replaced_release_in_the_same_process(fixtures_dir: Path, empty_home: Path) -> None:
    """A long-running process (batch worker, web server) must not keep serving a replaced release."""
    releases.import_release(fixtures_dir / "fy2026_april", home=empty_home)
    assert icd10cm.for_date("2026-05-01", empty_home).get("G35").billable is False
    releases.import_release(_as_fy2026(fixtures_dir, empty_home), effective="2026-04-01",
                            replace=True, home=empty_home)
    assert icd10cm.for_date("2026-05-01", empty_home).get("G35").billable is True


def _as_fy2026(fixtures_dir: Path, home: Path) -> Path:
    """The FY2025 fixture's content under an FY2026 <version>: a different release for the same fiscal
    year (an FY2025 file imported as effective 2026-04-01 is E108)."""
    out = home.parent / "replacement" / "icd10cm-tabular-2026.xml"
    out.parent.mkdir(exist_ok=True)
    text = (fixtures_dir / "fy2025" / "icd10cm-tabular-2025.xml").read_text(encoding="utf-8")
    out.write_text(text.replace("<version>2025</version>", "<version>2026</version>", 1), encoding="utf-8")
    return out


def test_tabular_version_must_cover_the_effective_date(fixtures_dir: Path, empty_home: Path) -> None:
    with pytest.raises(CodeSetImportError, match=r"^E108: .*FY2025 .*2026-04-01"):
        releases.import_release(fixtures_dir / "fy2025" / "icd10cm-tabular-2025.xml", effective="2026-04-01",
                                home=empty_home)
    assert releases.list_releases(empty_home) == []
