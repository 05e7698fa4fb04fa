"""NCCI PTP and MUE edits: bundled derived tables, date-of-service lookups, CMS-layout imports."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from nlp.codesets import edits, procedures
from nlp.errors import CodeLookupError, CodeSetImportError

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "cms_edits"
DOS = dt.date(2026, 3, 2)
Q1_2026 = dt.date(2026, 1, 1)


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets an empty data folder: no imported edits or descriptors leak in or out."""
    home = tmp_path / "home"
    monkeypatch.setenv("NEUROCODE_HOME", str(home))
    return home


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# ------------------------------------------------------------------------------------------ bundled tables

@pytest.mark.parametrize("edit", edits.bundled_ptp(), ids=lambda e: f"{e.column1}-{e.column2}")
def test_bundled_ptp_rows_are_honestly_sourced_and_name_known_codes(edit: edits.PtpEdit) -> None:
    assert "derived from CPT coding instruction" in edit.source
    assert "replace with the CMS quarterly file" in edit.source
    assert "(verify)" in edit.source
    assert {edit.column1, edit.column2} <= set(procedures.cpt_table())
    assert edit.rationale


@pytest.mark.parametrize("limit", edits.bundled_mue(), ids=lambda m: m.code)
def test_bundled_mue_rows_are_marked_verify_and_name_known_codes(limit: edits.Mue) -> None:
    assert "not a CMS value (verify)" in limit.source
    assert limit.code in procedures.cpt_table()
    assert limit.mue >= 1 and limit.rationale
    assert limit.effective_from == procedures.cpt_table()[limit.code].effective_from


# ------------------------------------------------------------------------------------------ lookups

@pytest.mark.parametrize(("a", "b", "column1", "modifier"), [
    ("95907", "95910", "95910", 0),
    ("95861", "95886", "95886", 0),
    ("95870", "95885", "95885", 0),
    ("95819", "95813", "95813", 0),
    ("64616", "64615", "64615", 1),
    ("95873", "95874", "95874", 0),
    ("62270", "62328", "62328", 0),
], ids=["ncs_two_bands_same_session", "two_limb_emg_with_ncs_addon", "limited_emg_with_ncs_addon",
        "prolonged_and_routine_eeg", "migraine_botox_and_cervical_dystonia", "emg_and_estim_guidance",
        "plain_lp_with_fluoro_lp"])
def test_ptp_for_finds_pair_in_either_order(a: str, b: str, column1: str, modifier: int) -> None:
    edit = edits.ptp_for(a, b, DOS)
    assert edit is not None
    assert (edit.column1, edit.modifier_indicator) == (column1, modifier)


@pytest.mark.parametrize(("a", "b", "dos"), [
    ("95908", "95886", DOS),
    ("64642", "64643", DOS),
    ("95910", "95907", dt.date(2012, 6, 1)),
], ids=["ncs_with_emg_addon_allowed", "limb_base_with_addon_allowed", "before_ncs_family_existed"])
def test_ptp_for_returns_none_when_no_edit(a: str, b: str, dos: dt.date) -> None:
    assert edits.ptp_for(a, b, dos) is None


@pytest.mark.parametrize(("code", "limit", "indicator"), [
    ("95907", 1, 2), ("95886", 4, 2), ("95885", 4, 2), ("64643", 3, 2), ("64645", 3, 2), ("64615", 1, 2),
    ("95816", 1, 2),
], ids=["ncs_once_per_session", "complete_emg_addon_4_limbs", "limited_emg_addon_4_limbs",
        "extra_limb_chemo_max_3", "extra_limb_chemo_5plus_max_3", "migraine_botox_once", "routine_eeg_once"])
def test_mue_for_bundled(code: str, limit: int, indicator: int) -> None:
    mue = edits.mue_for(code, DOS)
    assert mue is not None and (mue.mue, mue.adjudication_indicator) == (limit, indicator)


@pytest.mark.parametrize("code", ["64616", "95873", "J0585", "64450"],
                         ids=["unilateral_neck_chemo", "guidance_addon", "toxin_supply", "peripheral_block"])
def test_mue_for_codes_without_a_derivable_limit_is_none(code: str) -> None:
    assert edits.mue_for(code, DOS) is None


def test_mue_for_code_not_yet_in_force_is_none() -> None:
    assert edits.mue_for("95705", dt.date(2019, 6, 1)) is None


def test_lookups_reject_bad_dates() -> None:
    with pytest.raises(CodeLookupError) as err:
        edits.ptp_edits("2026-13-01")
    assert err.value.code == "E104"


# ------------------------------------------------------------------------------------------ CMS import

def test_import_ptp_tab_delimited_with_title_lines(home: Path) -> None:
    edit_set = edits.import_edits(FIXTURES / "ptp_practitioner_2026q1.txt", "ptp", Q1_2026)
    assert (edit_set.kind, edit_set.effective_from, edit_set.rows) == ("ptp", Q1_2026, 6)
    assert edit_set.path == home / "edits" / "ptp" / "2026-01-01"
    assert "ptp_practitioner_2026q1.txt" in edit_set.source and "sha256" in edit_set.source
    in_force = {(e.column1, e.column2): e for e in edits.ptp_edits(DOS)}
    assert set(in_force) == {("95886", "95860"), ("95908", "95907"), ("64615", "64616"), ("62328", "62270"),
                             ("95874", "95873")}  # 95819/95816 deleted 2025-12-31
    assert in_force[("64615", "64616")].modifier_indicator == 1
    assert in_force[("64615", "64616")].rationale == "Standards of medical / surgical practice"
    assert in_force[("95886", "95860")].effective_from == dt.date(2012, 1, 1)
    assert in_force[("95886", "95860")].source.startswith("CMS NCCI PTP file ptp_practitioner_2026q1.txt")


def test_imported_ptp_replaces_bundled_from_its_effective_date(home: Path) -> None:
    edits.import_edits(FIXTURES / "ptp_practitioner_2026q1.txt", "ptp", "2026-01-01")
    assert edits.ptp_for("95910", "95907", DOS) is None  # bundled-only pair: the CMS set replaces it
    bundled = edits.ptp_for("95910", "95907", dt.date(2025, 12, 31))
    assert bundled is not None and "derived from CPT coding instruction" in bundled.source


def test_imported_ptp_row_deletion_date_is_honoured(home: Path) -> None:
    edits.import_edits(FIXTURES / "ptp_practitioner_2026q1.txt", "ptp", Q1_2026)
    assert edits.ptp_for("95874", "95873", dt.date(2026, 3, 31)) is not None
    assert edits.ptp_for("95874", "95873", dt.date(2026, 4, 1)) is None


def test_import_ptp_header_wrapped_over_two_lines(home: Path) -> None:
    edit_set = edits.import_edits(FIXTURES / "ptp_two_line_header.txt", "ptp", Q1_2026)
    assert edit_set.rows == 3
    assert edits.ptp_for("64615", "64616", DOS).modifier_indicator == 1  # type: ignore[union-attr]


def test_import_mue_csv_with_title_lines(home: Path) -> None:
    edit_set = edits.import_edits(FIXTURES / "mue_practitioner_2026q1.csv", "mue", Q1_2026)
    assert edit_set.rows == 6
    limits = {m.code: m for m in edits.mue_limits(DOS)}
    assert set(limits) == {"95907", "95886", "64643", "64616", "J0585", "J0586"}
    assert (limits["J0586"].mue, limits["J0586"].adjudication_indicator) == (300, 3)
    assert (limits["64616"].mue, limits["64616"].adjudication_indicator) == (2, 1)
    assert limits["95886"].rationale == "Anatomic Consideration"
    assert "Practitioner Services MUE Values" in limits["95907"].source
    assert edits.mue_for("64615", DOS) is None  # imported set replaces bundled
    assert edits.mue_for("64615", dt.date(2025, 12, 31)) is not None


def test_import_mue_xlsx(home: Path, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Outpatient Hospital Services MUE Table (synthetic test file, not CMS data)"])
    sheet.append([])
    sheet.append(["HCPCS/CPT Code", "Outpatient Hospital Services MUE Values", "MUE Adjudication Indicator",
                  "MUE Rationale"])
    sheet.append(["95907", 1, "2 Date of Service Edit: Policy", "Code Descriptor / CPT Instruction"])
    sheet.append(["J0585", 600.0, "3 Date of Service Edit: Clinical", "Clinical: Data"])
    path = tmp_path / "mue_oph.xlsx"
    book.save(path)
    edits.import_edits(path, "mue", Q1_2026)
    limits = {m.code: m for m in edits.mue_limits(DOS)}
    assert (limits["J0585"].mue, limits["J0585"].adjudication_indicator) == (600, 3)
    assert "Outpatient Hospital Services MUE Values" in limits["95907"].source


def test_later_imported_set_supersedes_earlier(home: Path, tmp_path: Path) -> None:
    edits.import_edits(FIXTURES / "mue_practitioner_2026q1.csv", "mue", Q1_2026)
    q2 = tmp_path / "mue_q2.csv"
    q2.write_text("HCPCS/CPT Code,Practitioner Services MUE Values,MUE Adjudication Indicator,MUE Rationale\n"
                  "95886,3,2 Date of Service Edit: Policy,Anatomic Consideration\n", encoding="utf-8")
    edits.import_edits(q2, "mue", "2026-04-01")
    sets = edits.list_edit_sets("mue")
    assert [(s.effective_from, s.effective_to) for s in sets] == [
        (Q1_2026, dt.date(2026, 3, 31)), (dt.date(2026, 4, 1), None)]
    assert edits.mue_for("95886", dt.date(2026, 3, 31)).mue == 4  # type: ignore[union-attr]
    assert edits.mue_for("95886", dt.date(2026, 4, 1)).mue == 3  # type: ignore[union-attr]


# ------------------------------------------------------------------------------------------ import errors

@pytest.mark.parametrize(("name", "kind", "error"), [
    ("no_such_file.txt", "ptp", "E210"),
    ("ptp_unrecognised_columns.txt", "ptp", "E208"),
    ("mue_unrecognised_columns.csv", "mue", "E208"),
    ("mue_practitioner_2026q1.csv", "ptp", "E208"),
    ("ptp_bad_row.txt", "ptp", "E212"),
    ("mue_bad_indicator.csv", "mue", "E212"),
], ids=["missing_file", "ptp_bad_columns", "mue_bad_columns", "mue_file_given_as_ptp", "ptp_iso_date",
        "mue_indicator_7"])
def test_import_errors_write_nothing(home: Path, name: str, kind: edits.Kind, error: str) -> None:
    with pytest.raises(CodeSetImportError) as err:
        edits.import_edits(FIXTURES / name, kind, Q1_2026)
    assert err.value.code == error
    assert edits.list_edit_sets(kind) == []
    assert not (home / "edits" / kind / "2026-01-01").exists()


def test_import_bad_row_error_names_file_and_row(home: Path) -> None:
    with pytest.raises(CodeSetImportError) as err:
        edits.import_edits(FIXTURES / "ptp_bad_row.txt", "ptp", Q1_2026)
    assert "ptp_bad_row.txt row 5" in str(err.value)


def test_import_overlap_without_replace_is_e205_and_keeps_data(home: Path) -> None:
    edits.import_edits(FIXTURES / "ptp_practitioner_2026q1.txt", "ptp", Q1_2026)
    before = _snapshot(home / "edits")
    with pytest.raises(CodeSetImportError) as err:
        edits.import_edits(FIXTURES / "ptp_two_line_header.txt", "ptp", Q1_2026)
    assert err.value.code == "E205"
    assert _snapshot(home / "edits") == before


def test_import_failure_with_replace_keeps_data(home: Path) -> None:
    edits.import_edits(FIXTURES / "ptp_practitioner_2026q1.txt", "ptp", Q1_2026)
    before = _snapshot(home / "edits")
    with pytest.raises(CodeSetImportError):
        edits.import_edits(FIXTURES / "ptp_bad_row.txt", "ptp", Q1_2026, replace=True)
    assert _snapshot(home / "edits") == before
    assert [p.name for p in (home / "edits" / "ptp").iterdir()] == ["2026-01-01"]  # no temp folders left


def test_import_replace_swaps_the_set(home: Path) -> None:
    edits.import_edits(FIXTURES / "ptp_practitioner_2026q1.txt", "ptp", Q1_2026)
    edit_set = edits.import_edits(FIXTURES / "ptp_two_line_header.txt", "ptp", Q1_2026, replace=True)
    assert edit_set.rows == 3 and "ptp_two_line_header.txt" in edit_set.source
    assert edits.ptp_for("62328", "62270", DOS) is None
    assert [p.name for p in (home / "edits" / "ptp").iterdir()] == ["2026-01-01"]
