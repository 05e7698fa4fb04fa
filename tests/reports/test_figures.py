"""Report figures on a hand-made table (conftest.HAND_NOTES / HAND_SUGGESTIONS), computed by hand:

notes n1-n4 (P1, epilepsy, Apr-Jun), n5 (P2, May), n6 (P2, no date), n7 (P2, May, scoring error).
Codes: 9 from 6 scored notes; specific 3 (95816, G40.219, G43.009), NEC 1 (G44.89), NOS 5
(G40.909 twice, G43.909, G35.D, R51.9). P1: 6 codes (2 specific, 1 NEC, 3 NOS); P2: 3 codes
(1 specific, 2 NOS).
"""

from __future__ import annotations

import datetime as dt

import pytest

from nlp.reports import figures


def test_figures_overview_counts(hand_frames) -> None:
    sel = figures.select(*hand_frames)
    ov = figures.overview(sel)
    assert (ov["notes"], ov["notes_error"], ov["codes"]) == (6, 1, 9)
    assert (ov["specific"], ov["NEC"], ov["NOS"]) == (3, 1, 5)
    assert ov["NOS_rate"] == pytest.approx(5 / 9)
    assert ov["NEC_rate"] == pytest.approx(1 / 9)
    assert (ov["first_date"], ov["last_date"], ov["months"]) == ("2026-04-10", "2026-06-01", 3)


def test_figures_group_table_per_provider(hand_frames) -> None:
    table = figures.group_table(figures.select(*hand_frames, min_notes=3)).set_index("group")
    assert list(table.index) == ["P1", "P2"]  # most notes first
    p1, p2 = table.loc["P1"], table.loc["P2"]
    assert (p1["notes"], p1["codes"], p1["specific"], p1["NEC"], p1["NOS"]) == (4, 6, 2, 1, 3)
    assert p1["NOS_rate"] == pytest.approx(0.5)
    assert p1["NEC_rate"] == pytest.approx(1 / 6)
    assert (p2["notes"], p2["codes"], p2["NOS"]) == (2, 3, 2)  # the error note n7 is not counted
    assert p2["NOS_rate"] == pytest.approx(2 / 3)
    assert not p1["small_group"]
    assert p2["small_group"]  # 2 notes < 3
    # ties (one code each) in axis-name order: migraine_type, ms_activity, ms_course, seizure_type
    assert p1["top_missing_axes"] == "Intractability (2); Migraine type (1); MS activity (1)"


def test_figures_missing_axes_most_frequent_first(hand_frames) -> None:
    axes = figures.missing_axes(figures.select(*hand_frames).suggestions)
    assert list(axes["axis"]) == ["intractability", "seizure_type", "headache_type", "migraine_type",
                                  "ms_activity", "ms_course"]
    assert list(axes["codes"]) == [2, 2, 1, 1, 1, 1]
    assert axes.iloc[0]["label"] == "Intractability"


def test_figures_by_family_in_fixed_order(hand_frames) -> None:
    fam = figures.by_family(figures.select(*hand_frames).suggestions).set_index("family")
    assert list(fam.index) == ["Epilepsy and seizures", "Multiple sclerosis", "Headache and migraine", "EEG"]
    assert (fam.loc["Epilepsy and seizures", "codes"], fam.loc["Epilepsy and seizures", "NOS"]) == (3, 2)
    head = fam.loc["Headache and migraine"]
    assert (head["codes"], head["specific"], head["NEC"], head["NOS"]) == (4, 1, 1, 2)
    assert head["NOS_rate"] == pytest.approx(0.5)


def test_figures_monthly_trend(hand_frames) -> None:
    sel = figures.select(*hand_frames)
    p1 = figures.monthly(sel.suggestions[sel.suggestions["group"] == "P1"]).set_index("month")
    assert list(p1.index) == ["2026-04", "2026-05", "2026-06"]
    assert list(p1["codes"]) == [3, 1, 2]
    assert list(p1["NOS_rate"]) == pytest.approx([2 / 3, 0.0, 0.5])


def test_figures_date_filter_inclusive_and_counts_undated(hand_frames) -> None:
    sel = figures.select(*hand_frames, date_from=dt.date(2026, 5, 5), date_to=dt.date(2026, 5, 20))
    assert sorted(sel.notes["note_id"]) == ["n3", "n5"]  # both bounds inclusive (n3 on the 5th)
    assert sel.n_undated_excluded == 1  # n6
    assert sel.n_error == 1  # n7, 2026-05-20, inside the period
    ov = figures.overview(sel)
    assert (ov["codes"], ov["specific"], ov["NOS"]) == (2, 1, 1)


def test_figures_no_filter_keeps_undated_notes(hand_frames) -> None:
    sel = figures.select(*hand_frames)
    assert "n6" in set(sel.notes["note_id"])
    assert sel.n_undated_excluded == 0


@pytest.mark.parametrize(("by", "expected"), [
    ("specialty", {"epilepsy": 4, "(no specialty)": 2}),
    ("family", {"Epilepsy and seizures": 3, "Multiple sclerosis": 1, "Headache and migraine": 3, "EEG": 1}),
], ids=["specialty", "family"])
def test_figures_grouping_notes(hand_frames, by: str, expected: dict[str, int]) -> None:
    table = figures.group_table(figures.select(*hand_frames, by=by))
    assert dict(zip(table["group"], table["notes"], strict=True)) == expected


def test_figures_examples_one_per_code_and_axes_without_text(hand_frames) -> None:
    sel = figures.select(*hand_frames)
    p1 = sel.suggestions[sel.suggestions["group"] == "P1"]
    examples = figures.examples(p1)
    assert [(e.code, e.axes) for e in examples] == [
        ("G40.909", ["seizure_type", "intractability"]),  # intractability ranks first, n1 before n2
        ("G43.909", ["migraine_type", "intractability"]),
        ("G35.D", ["ms_course", "ms_activity"]),
    ]
    assert all(e.snippet is None and e.prompt is None for e in examples)
    with_text = figures.examples(p1, include_snippets=True)
    assert with_text[0].snippet == "Seizure text from the note"


def test_figures_examples_limit(make_rows, to_frames) -> None:
    notes = [(f"m{i}", "P", "2026-05-01", None, "ok") for i in range(8)]
    sugg = {f"m{i}": [(f"G40.90{i}", "NOS", "epilepsy", ["seizure_type"])] for i in range(8)}
    sel = figures.select(*to_frames(*make_rows(notes, sugg)))
    assert len(figures.examples(sel.suggestions)) == figures.MAX_EXAMPLES


def test_figures_empty_tables(to_frames) -> None:
    sel = figures.select(*to_frames([], []))
    ov = figures.overview(sel)
    assert (ov["notes"], ov["codes"], ov["NOS_rate"], ov["groups"]) == (0, 0, None, 0)
    assert figures.group_table(sel).empty
    assert figures.missing_axes(sel.suggestions).empty
