"""E/M: category from the service type, level from documented total time, NOS + query without time."""

from __future__ import annotations

import datetime as dt

import pytest

from nlp.claim.em import documented_minutes, suggest_em
from nlp.claim.records import ServiceType

DOS = dt.date(2026, 5, 1)

TIMED = {
    # id: (type, subtype, time sentence, date, expected code)
    "established_32min_2026": ("office_visit", "established", "Total time on the date of the encounter: 32 minutes.",
                               DOS, "99214"),
    "established_25min_2022_ranges": ("office_visit", "established", "I spent 25 minutes with the patient today.",
                                      dt.date(2022, 6, 1), "99213"),
    "new_60min": ("office_visit", "new", "Total time spent today was 60 minutes.", DOS, "99205"),
    "consult_outpatient_45min": ("consultation", "outpatient", "Total time 45 minutes on the date of service.",
                                 DOS, "99244"),
    "consult_inpatient_62min": ("consultation", "inpatient", "Total time on the unit today was 62 minutes.",
                                DOS, "99254"),
    "discharge_35min": ("hospital_care", "discharge", "I spent 35 minutes on discharge planning.", DOS, "99239"),
}


@pytest.mark.parametrize("case", list(TIMED), ids=list(TIMED))
def test_em_level_by_documented_time(case: str) -> None:
    kind, sub, sentence, day, expected = TIMED[case]
    text = f"HISTORY: Headaches.\nASSESSMENT: Migraine.\n{sentence}"
    em = suggest_em(ServiceType(kind, sub), text, day)
    assert em is not None and em.code == expected and em.label == "specific"
    assert em.query is None and em.minutes is not None
    assert em.time_evidence and text[em.time_evidence["start"]:em.time_evidence["end"]].count(str(em.minutes))
    assert em.description and em.threshold_source


def test_em_without_time_is_nos_with_query() -> None:
    em = suggest_em(ServiceType("office_visit", "established"), "ASSESSMENT: Migraine. PLAN: Continue.", DOS)
    assert em is not None and em.code is None and em.label == "NOS"
    assert em.query and em.query["axes"] == ["em_level"]
    assert "Clinically undetermined" in em.query["options"] and "Other" in em.query["options"]
    assert em.codes == ["99211", "99212", "99213", "99214", "99215"]


def test_em_time_below_lowest_threshold_is_nos() -> None:
    em = suggest_em(ServiceType("consultation", "outpatient"), "Total time 12 minutes.", DOS)
    assert em is not None and em.code is None and em.minutes == 12 and em.query


def test_em_unknown_patient_status_queries_new_vs_established() -> None:
    em = suggest_em(ServiceType("office_visit", ""), "Total time 40 minutes.", DOS)
    assert em is not None and em.category == "office" and em.code is None
    assert em.query and em.query["axes"] == ["patient_status"]


@pytest.mark.parametrize("kind", ["diagnostic_test", "therapeutic_procedure", "other"])
def test_em_not_suggested_for_tests_and_procedures(kind: str) -> None:
    assert suggest_em(ServiceType(kind, ""), "Total time 40 minutes.", DOS) is None


@pytest.mark.parametrize("category", ["outpatient", "inpatient"])
def test_em_consultation_carries_medicare_alternative(category: str) -> None:
    em = suggest_em(ServiceType("consultation", category), "Total time 50 minutes.", DOS)
    assert em is not None and em.medicare_alternative
    expected = "99202-99205" if category == "outpatient" else "99221-99223"
    assert expected in {a["codes"] for a in em.medicare_alternative}
    assert all("30.6.10" in a["source"] for a in em.medicare_alternative)
    by_time = {a["category"]: a["level_by_time"] for a in em.medicare_alternative}
    assert by_time == ({"office_new": "99204", "office_established": "99215"} if category == "outpatient"
                       else {"hospital_initial": "99221", "hospital_subsequent": "99233"})


def test_em_consult_threshold_not_in_force_before_2023() -> None:
    em = suggest_em(ServiceType("consultation", "outpatient"), "Total time 50 minutes.", dt.date(2022, 6, 1))
    assert em is not None and em.code is None and em.query


@pytest.mark.parametrize("text, minutes", [
    ("Total face-to-face time was 41 minutes.", 41),
    ("This was a 25-minute visit, mostly counselling.", 25),
    ("No time statement at all; seen 3 times in 2024.", None),
])
def test_em_documented_minutes(text: str, minutes: int | None) -> None:
    found = documented_minutes(text)
    assert (found[0] if found else None) == minutes
