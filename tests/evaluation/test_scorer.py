"""The scorer itself, on hand-made gold/prediction pairs whose figures are worked out by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlp.errors import InputError
from nlp.evaluation.scorer import family_of, read_gold, render_table, score


def g(system: str, code: str, label: str = "specific", neuro: bool = True, **kw: object) -> dict:
    return {"system": system, "code": code, "label": label, "neuro": neuro, **kw}


def s(system: str, code: str, label: str = "specific", **kw: object) -> dict:
    return {"system": system, "code": code, "label": label, **kw}


GOLD = [
    {"note_id": "n1", "codes": [
        g("ICD-10-CM", "G40.219"),
        g("ICD-10-CM", "G43.909", "NOS", query_axes=["migraine_type", "intractability"]),
        g("ICD-10-CM", "I10", neuro=False),
        g("CPT", "95886", units=2),
        g("HCPCS", "J0585", units=155),
    ], "not_coded": [{"text": "no seizures", "reason": "negated"}]},
    {"note_id": "n2", "codes": [
        g("ICD-10-CM", "G35.D", "NOS", query_axes=["ms_course"], alternatives=["G35.A"]),
        g("CPT", "95908"),
    ], "not_coded": [{"text": "rule out multiple sclerosis", "reason": "uncertain"}]},
]

PRED = {
    "n1": {"suggestions": [
        s("ICD-10-CM", "G40.219"),                                               # tp
        s("ICD-10-CM", "G43.909", "NOS", query={"axes": ["intractability"]}),   # tp, query hit
        s("CPT", "95886", units=2),                                             # tp, units right
        s("HCPCS", "J0585", units=100),                                         # tp, units wrong
        s("ICD-10-CM", "R56.9", evidence=[{"start": 5, "end": 16, "section": "hpi", "text": "No seizures"}]),  # fp
        s("ICD-10-CM", "E78.5"),                                                # fp, not neuro
    ]},
    "n2": {"suggestions": [
        s("ICD-10-CM", "G35.A", "specific"),                                    # tp via alternative, label wrong
    ], "queries": []},
}


@pytest.fixture(scope="module")
def report():  # type: ignore[no-untyped-def]
    return score(GOLD, PRED)


def test_micro_neuro_overall(report) -> None:  # type: ignore[no-untyped-def]
    prf = report.micro["neuro"]["overall"]
    # neuro gold: n1 G40.219 G43.909 95886 J0585 (4), n2 G35.D 95908 (2) -> 6; found 5 -> fn 1
    # neuro false: R56.9 (E78.5 is outside the neuro scope)
    assert (prf.tp, prf.fp, prf.fn) == (5, 1, 1)
    assert prf.precision == pytest.approx(5 / 6)
    assert prf.recall == pytest.approx(5 / 6)
    assert prf.f1 == pytest.approx(5 / 6)


def test_micro_all_codes_and_per_system(report) -> None:  # type: ignore[no-untyped-def]
    allc = report.micro["all"]["overall"]
    assert (allc.tp, allc.fp, allc.fn) == (5, 2, 2)  # I10 missed, E78.5 false
    icd = report.micro["all"]["ICD-10-CM"]
    assert (icd.tp, icd.fp, icd.fn) == (3, 2, 1)
    cpt = report.micro["neuro"]["CPT"]
    assert (cpt.tp, cpt.fp, cpt.fn) == (1, 0, 1)
    assert cpt.f1 == pytest.approx(2 / 3)


def test_label_accuracy_counts_found_gold_only(report) -> None:  # type: ignore[no-untyped-def]
    # found: G40.219 ok, G43.909 ok, 95886 ok, J0585 ok, G35.D->G35.A specific vs NOS wrong
    assert (report.label_accuracy.hit, report.label_accuracy.total) == (4, 5)
    assert report.label_confusion[("NOS", "specific")] == 1


def test_query_recall_over_all_gold_nos(report) -> None:  # type: ignore[no-untyped-def]
    # gold NOS with axes: G43.909 (query on intractability: hit), G35.D (no query: miss)
    assert (report.query_recall.hit, report.query_recall.total) == (1, 2)


def test_units_accuracy(report) -> None:  # type: ignore[no-untyped-def]
    assert (report.units_accuracy.hit, report.units_accuracy.total) == (1, 2)


def test_suggestion_from_negated_mention_is_counted(report) -> None:  # type: ignore[no-untyped-def]
    assert report.excluded_mention_suggestions == 1
    assert report.excluded_mention_items[0].code == "R56.9"


def test_misses_and_false_suggestions_listed_with_offsets(report) -> None:  # type: ignore[no-untyped-def]
    assert {(m.note_id, m.code) for m in report.misses} == {("n1", "I10"), ("n2", "95908")}
    fs = {(f.note_id, f.code): f for f in report.false_suggestions}
    assert set(fs) == {("n1", "R56.9"), ("n1", "E78.5")}
    assert fs[("n1", "R56.9")].to_dict()["evidence"] == [{"start": 5, "end": 16, "section": "hpi"}]
    assert "No seizures" not in json.dumps(report.to_dict()["false_suggestions"]), "no note text in the lists"


def test_category_level_f1(report) -> None:  # type: ignore[no-untyped-def]
    cat = report.category["all"]
    # gold categories: n1 {G40, G43, I10}, n2 {G35}; predicted n1 {G40, G43, R56, E78}, n2 {G35}
    assert (cat.tp, cat.fp, cat.fn) == (3, 2, 1)


def test_per_family_breakdown(report) -> None:  # type: ignore[no-untyped-def]
    assert report.family["epilepsy"].tp == 1 and report.family["epilepsy"].fp == 1
    assert report.family["ms"].tp == 1
    assert report.family["ncs"].fn == 1


def test_perfect_prediction_scores_one() -> None:
    gold = [{"note_id": "a", "codes": [g("ICD-10-CM", "G35.A"), g("CPT", "95816")]}]
    pred = {"a": {"suggestions": [s("ICD-10-CM", "G35.A"), s("CPT", "95816")]}}
    rep = score(gold, pred)
    assert rep.micro["neuro"]["overall"].f1 == 1.0
    assert rep.label_accuracy.value == 1.0


def test_empty_prediction_scores_zero_and_is_reported() -> None:
    rep = score([{"note_id": "a", "codes": [g("ICD-10-CM", "G35.A")]}], {})
    assert rep.micro["neuro"]["overall"].f1 == 0.0
    assert rep.notes_missing_prediction == ["a"]


def test_a_suggestion_matches_at_most_one_gold_code() -> None:
    gold = [{"note_id": "a", "codes": [g("ICD-10-CM", "G43.909"), g("ICD-10-CM", "G43.009", alternatives=["G43.909"])]}]
    rep = score(gold, {"a": {"suggestions": [s("ICD-10-CM", "G43.909")]}})
    assert (rep.micro["all"]["overall"].tp, rep.micro["all"]["overall"].fn) == (1, 1)


@pytest.mark.parametrize(
    ("system", "code", "family", "neuro"),
    [
        ("ICD-10-CM", "G40.909", "epilepsy", True),
        ("ICD-10-CM", "R56.9", "epilepsy", True),
        ("ICD-10-CM", "E11.42", "neuromuscular", True),
        ("ICD-10-CM", "E11.9", "other", False),
        ("ICD-10-CM", "Z86.73", "other", False),
        ("ICD-10-CM", "Z86.69", "history", True),
        ("ICD-10-CM", "G93.89", "other_neuro", True),
        ("CPT", "95913", "ncs", True),
        ("CPT", "64615", "chemodenervation", True),
        ("CPT", "99213", "other", False),
        ("HCPCS", "J0586", "toxin", True),
    ],
)
def test_family_and_neuro_scope(system: str, code: str, family: str, neuro: bool) -> None:
    assert family_of(system, code) == (family, neuro)


def test_render_table_shows_every_figure(report) -> None:  # type: ignore[no-untyped-def]
    text = render_table(report)
    for needle in ("neuro scope (primary)", "all codes", "category (3-char) F1", "label accuracy", "query recall",
                   "units accuracy", "suggestions from negated/uncertain mentions: 1", "per family", "misses (2)",
                   "false suggestions (2)"):
        assert needle in text


@pytest.mark.parametrize(
    ("content", "line"),
    [
        ('{"note_id": "a", "codes": []}\n{not json\n', 2),
        ('{"codes": []}\n', 1),
        ('{"note_id": "a", "codes": [{"system": "LOINC", "code": "1"}]}\n', 1),
    ],
)
def test_read_gold_malformed_lines_are_e601(tmp_path: Path, content: str, line: int) -> None:
    p = tmp_path / "gold.jsonl"
    p.write_text(content)
    with pytest.raises(InputError, match=rf"^E601: .* line {line}: "):
        read_gold(p)
