"""CPT / HCPCS neurology tables: integrity, date-of-service lookup, drug billing units, AMA import."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from nlp.codesets import procedures, resources
from nlp.codesets.procedures import billing_units, get_procedure
from nlp.errors import CodeLookupError, CodeSetImportError, ResourceError

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "cms_edits"

FAMILIES = {
    "nerve_conduction": "95907 95908 95909 95910 95911 95912 95913",
    "needle_emg": "95860 95861 95863 95864 95865 95866 95867 95868 95869 95870 95872",
    "emg_addon_ncs": "95885 95886 95887",
    "eeg_routine": "95816 95819 95822",
    "eeg_extended": "95812 95813",
    "eeg_long_term": "95700 " + " ".join(str(c) for c in range(95705, 95727)),
    "evoked_potentials": "95925 95926 95927 95938 95930 95928 95929 95939",
    "chemodenervation": "64612 64615 64616 64617 64642 64643 64644 64645 64646 64647",
    "chemodenervation_guidance": "95873 95874",
    "lumbar_puncture": "62270 62272 62328 62329",
    "nerve_block": "64400 64405 64408 64415 64445 64447 64450 64455 64625 64633 64634 64635 64636 64640",
    "trigger_point": "20552 20553",
    "unlisted": "64999 95999",
    "sleep_study": "95782 95783 95808 95810 95811",
}
ALL_ROWS = [*procedures.cpt_table().values(), *procedures.hcpcs_table().values()]


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets an empty data folder: no imported edits or descriptors leak in or out."""
    home = tmp_path / "home"
    monkeypatch.setenv("NEUROCODE_HOME", str(home))
    return home


# ------------------------------------------------------------------------------------------ integrity

@pytest.mark.parametrize("family", sorted(FAMILIES), ids=sorted(FAMILIES))
def test_cpt_table_family_has_exactly_the_listed_codes(family: str) -> None:
    got = {c for c, p in procedures.cpt_table().items() if p.family == family}
    assert got == set(FAMILIES[family].split())


def test_cpt_table_has_no_codes_outside_the_listed_families() -> None:
    listed = {c for codes in FAMILIES.values() for c in codes.split()}
    assert set(procedures.cpt_table()) == listed


@pytest.mark.parametrize("proc", [p for p in ALL_ROWS if p.addon], ids=lambda p: p.code)
def test_addon_names_existing_primaries(proc: procedures.ProcedureCode) -> None:
    assert proc.primary_codes
    assert proc.code not in proc.primary_codes
    assert set(proc.primary_codes) <= set(procedures.cpt_table())


@pytest.mark.parametrize(("code", "primaries"), [
    ("95885", {"95907", "95913"}), ("95886", {"95907", "95913"}), ("95887", {"95910"}),
    ("64643", {"64642", "64644"}), ("64645", {"64644"}), ("95874", {"64615", "64642", "64616"}),
], ids=["emg_limited_addon", "emg_complete_addon", "emg_axial_addon", "extra_limb_1_4_muscles",
        "extra_limb_5plus_muscles", "emg_guidance"])
def test_addon_primaries_include_the_base_codes(code: str, primaries: set[str]) -> None:
    assert primaries <= set(procedures.cpt_table()[code].primary_codes)


@pytest.mark.parametrize("proc", ALL_ROWS, ids=lambda p: f"{p.system}-{p.code}")
def test_every_row_has_description_source_and_sane_dates(proc: procedures.ProcedureCode) -> None:
    assert proc.description.strip()
    assert proc.source.strip()
    assert proc.counting_unit.strip()
    assert proc.effective_to is None or proc.effective_to >= proc.effective_from


@pytest.mark.parametrize("proc", procedures.cpt_table().values(), ids=lambda p: p.code)
def test_cpt_rows_use_project_wording_not_ama_descriptors(proc: procedures.ProcedureCode) -> None:
    assert "not the AMA descriptor" in proc.source


@pytest.mark.parametrize("proc", procedures.hcpcs_table().values(), ids=lambda p: p.code)
def test_hcpcs_rows_cite_the_cms_file_and_have_positive_unit_sizes(proc: procedures.ProcedureCode) -> None:
    assert "HCPC2025_OCT_ANWEB.xlsx" in proc.source
    if proc.code_class == "specific":
        assert proc.billing_unit_size is not None and proc.billing_unit_size > 0
    else:
        assert proc.billing_unit_size is None


@pytest.mark.parametrize("code", ["64999", "95999", "J3490", "J3590", "C9399", "E1399"])
def test_unlisted_and_unclassified_codes_are_nec(code: str) -> None:
    assert get_procedure(code).code_class == "NEC"


@pytest.mark.parametrize(("code", "size", "agent"), [
    ("J0585", 1, "onabotulinumtoxinA"), ("J0586", 5, "abobotulinumtoxinA"),
    ("J0587", 100, "rimabotulinumtoxinB"), ("J0588", 1, "incobotulinumtoxinA"),
    ("J0589", 1, "daxibotulinumtoxinA-lanm"),
], ids=["botox", "dysport", "myobloc", "xeomin", "daxxify"])
def test_toxin_unit_sizes_and_agents(code: str, size: float, agent: str) -> None:
    proc = get_procedure(code)
    assert (proc.billing_unit_size, proc.agent) == (size, agent)


@pytest.mark.parametrize("modifier", ["JW", "JZ"])
def test_discard_modifiers_are_described_from_the_cms_file(modifier: str) -> None:
    mod = procedures.modifiers()[modifier]
    assert "discarded" in mod.description.lower()
    assert "HCPC2025_OCT_ANWEB.xlsx" in mod.source


# ------------------------------------------------------------------------------------------ lookup

@pytest.mark.parametrize(("code", "dos", "system"), [
    ("95908", dt.date(2026, 1, 15), "CPT"),
    ("64615", dt.date(2026, 1, 15), "CPT"),
    ("95717", "2020-01-01", "CPT"),
    (" j0586 ", dt.date(2025, 11, 1), "HCPCS"),
    ("C9160", dt.date(2024, 2, 1), "HCPCS"),
    ("J0589", None, "HCPCS"),
], ids=["ncs_2026", "migraine_botox_2026", "ltm_eeg_first_day", "dysport_lowercase", "daxxify_c_code_q1_2024",
        "no_date_of_service"])
def test_get_procedure_in_force(code: str, dos: dt.date | str | None, system: str) -> None:
    proc = get_procedure(code, dos)
    assert proc.system == system
    assert proc.code == code.strip().upper()


@pytest.mark.parametrize(("code", "dos"), [
    ("95907", dt.date(2012, 6, 1)),
    ("95705", dt.date(2019, 12, 31)),
    ("C9160", dt.date(2024, 4, 1)),
    ("J0589", dt.date(2024, 3, 31)),
], ids=["ncs_before_2013_family", "ltm_eeg_before_2020", "c9160_after_termination", "j0589_before_added"])
def test_get_procedure_not_in_force_is_e106(code: str, dos: dt.date) -> None:
    with pytest.raises(CodeLookupError) as err:
        get_procedure(code, dos)
    assert err.value.code == "E106"


@pytest.mark.parametrize("code", ["99213", "J9999", "95955"],
                         ids=["office_visit", "chemo_noc", "deleted_eeg"])
def test_get_procedure_unknown_code_is_e102(code: str) -> None:
    with pytest.raises(CodeLookupError) as err:
        get_procedure(code)
    assert err.value.code == "E102"


@pytest.mark.parametrize("code", ["9590", "959071", "G40.909", "", "D1234", "JW"],
                         ids=["four_digits", "six_digits", "icd_code", "empty", "dental", "modifier"])
def test_get_procedure_malformed_is_e101(code: str) -> None:
    with pytest.raises(CodeLookupError) as err:
        get_procedure(code)
    assert err.value.code == "E101"


def test_get_procedure_bad_date_is_e104() -> None:
    with pytest.raises(CodeLookupError) as err:
        get_procedure("95907", "14/05/2026")
    assert err.value.code == "E104"


@pytest.mark.parametrize(("code", "cpt", "hcpcs"), [
    ("95907", True, False), ("0001U", True, False), ("1234F", True, False), ("J0585", False, True),
    ("e1399", False, True), ("G40.909", False, False), ("9590", False, False),
], ids=["cpt_cat1", "cpt_pla", "cpt_cat2", "hcpcs_drug", "hcpcs_lowercase", "icd", "short"])
def test_code_shape_checks(code: str, cpt: bool, hcpcs: bool) -> None:
    assert (procedures.is_cpt(code), procedures.is_hcpcs(code)) == (cpt, hcpcs)


# ------------------------------------------------------------------------------------------ billing units

@pytest.mark.parametrize(("code", "dose", "units"), [
    ("J0586", 500, 100),
    ("J0585", 155, 155),
    ("J0587", 5000, 50),
    ("J0586", 502, 101),
    ("J0587", 2550, 26),
    ("J0587", 50, 1),
    ("J0585", 45, 45),
], ids=["dysport_500u", "botox_155u_chronic_migraine", "myobloc_5000u", "dysport_non_multiple_rounds_up",
        "myobloc_non_multiple_rounds_up", "below_one_billing_unit_is_one", "botox_jw_discard_45u"])
def test_billing_units(code: str, dose: float, units: int) -> None:
    assert billing_units(code, dose) == units


@pytest.mark.parametrize(("code", "dose", "error"), [
    ("J3490", 100, "E304"), ("64615", 155, "E304"), ("J0585", 0, "E305"), ("J0585", -5, "E305"),
    ("J0585", float("nan"), "E305"),
], ids=["unclassified_drug", "cpt_procedure", "zero_dose", "negative_dose", "nan_dose"])
def test_billing_units_errors(code: str, dose: float, error: str) -> None:
    with pytest.raises(CodeLookupError) as err:
        billing_units(code, dose)
    assert err.value.code == error


# ------------------------------------------------------------------------------------------ AMA descriptors

def test_import_cpt_descriptors_overrides_description_and_says_so(home: Path) -> None:
    assert procedures.import_cpt_descriptors(FIXTURES / "cpt_descriptors_synthetic.csv") == 2
    assert (home / "cpt" / "descriptors.csv").is_file()
    proc = get_procedure("95907", dt.date(2026, 1, 15))
    assert proc.description == "SYNTHETIC TEST DESCRIPTOR for 95907 (not AMA text)"
    assert "official AMA CPT descriptor" in proc.source
    assert "cpt_descriptors_synthetic.csv" in proc.source
    assert "not the AMA descriptor" in get_procedure("95908").source  # not in the file: own wording


def test_descriptors_absent_keeps_project_wording(home: Path) -> None:
    assert get_procedure("95907").description.startswith("Nerve conduction studies")


def test_import_cpt_descriptors_tab_delimited(home: Path, tmp_path: Path) -> None:
    src = tmp_path / "LONGULT.txt"
    src.write_text("CPT Code\tLong Descriptor\n95819\tSYNTHETIC awake and asleep\n", encoding="utf-8")
    assert procedures.import_cpt_descriptors(src) == 1
    assert get_procedure("95819").description == "SYNTHETIC awake and asleep"


@pytest.mark.parametrize(("name", "error"), [
    ("does_not_exist.csv", "E210"), ("cpt_descriptors_bad_columns.csv", "E211"),
], ids=["missing_file", "bad_columns"])
def test_import_cpt_descriptors_errors_leave_existing_file(home: Path, name: str, error: str) -> None:
    procedures.import_cpt_descriptors(FIXTURES / "cpt_descriptors_synthetic.csv")
    before = (home / "cpt" / "descriptors.csv").read_bytes()
    with pytest.raises(CodeSetImportError) as err:
        procedures.import_cpt_descriptors(FIXTURES / name)
    assert err.value.code == error
    assert (home / "cpt" / "descriptors.csv").read_bytes() == before


def test_import_cpt_descriptors_rejects_non_cpt_code(home: Path, tmp_path: Path) -> None:
    src = tmp_path / "d.csv"
    src.write_text("Code,Long Descriptor\n95907,ok\nG40.909,not a CPT code\n", encoding="utf-8")
    with pytest.raises(CodeSetImportError) as err:
        procedures.import_cpt_descriptors(src)
    assert err.value.code == "E212" and "row 3" in str(err.value)
    assert not (home / "cpt" / "descriptors.csv").exists()


# ------------------------------------------------------------------------------------------ CSV loader

@pytest.mark.parametrize(("text", "error", "fragment"), [
    ("code,source,extra\nA,b,c\n", "E302", "extra"),
    ("code\nA\n", "E301", "row 1"),
    ("code,source\nA,s\nB,\n", "E301", "row 3"),
    ("code,source\nA,s,overflow\n", "E301", "row 2"),
    ("", "E301", "row 1"),
], ids=["unknown_column", "missing_required_column", "empty_required_value", "too_many_cells", "empty_file"])
def test_load_csv_validation(monkeypatch: pytest.MonkeyPatch, text: str, error: str, fragment: str) -> None:
    monkeypatch.setattr(resources, "read_text", lambda name: text)
    with pytest.raises(ResourceError) as err:
        resources.load_csv("fake.csv", required={"code", "source"}, optional={"note"})
    assert err.value.code == error
    assert fragment in str(err.value) and "fake.csv" in str(err.value)


def test_load_csv_fills_optional_columns_and_row_numbers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(resources, "read_text", lambda name: "code,source\n A ,s\n\nB,t\n")
    rows = resources.load_csv("fake.csv", required={"code", "source"}, optional={"note"})
    assert [(r["code"], r["note"], resources.row_number(r)) for r in rows] == [("A", "", 2), ("B", "", 4)]


def test_load_csv_missing_resource_is_e303() -> None:
    with pytest.raises(ResourceError) as err:
        resources.load_csv("no_such_table.csv", required={"code"})
    assert err.value.code == "E303"
