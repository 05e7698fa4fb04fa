"""Needle EMG and nerve conduction counting (named clinical cases, facts built directly): stated study
totals, unsided repeats of a study, extremities stated without a side, explicitly limited extremities,
EMG guidance of an injection, band edges of 95907-95913."""

from __future__ import annotations

import pytest

from nlp.coding.emg import extremity_muscles
from nlp.coding.ncs import count_studies


def _nerve(name: str, side: str | None, *tests: str) -> dict:
    return {"nerve": name, "side": side, "tests": list(tests)}


def _muscles(n: int, side: str | None = "right", region: str = "upper_extremity", prefix: str = "m") -> list[dict]:
    return [{"muscle": f"{prefix}{i}", "side": side, "region": region} for i in range(n)]


# --- nerve conduction -------------------------------------------------------------------------------
COUNT_CASES = [
    ("unsided_repeat_joins_the_sided_study",
     [_nerve("peroneal", "left", "motor"), _nerve("peroneal", None, "motor")], 1),
    ("unsided_study_of_another_kind_counts",
     [_nerve("median", "right", "motor"), _nerve("median", None, "sensory")], 2),
    ("unsided_only_counts_once",
     [_nerve("ulnar", None, "motor", "f_wave"), _nerve("ulnar", None, "sensory")], 2),
    ("f_wave_joins_motor_h_reflex_separate",
     [_nerve("tibial", "left", "motor", "f_wave", "h_reflex"), _nerve("tibial", "right", "motor", "h_reflex")], 4),
]


@pytest.mark.parametrize(("nerves", "n"), [c[1:] for c in COUNT_CASES], ids=[c[0] for c in COUNT_CASES])
def test_count_studies(nerves: list[dict], n: int) -> None:
    assert count_studies(nerves) == n


STATED_CASES = [
    # (case, stated total, nerves listed, code, label)
    ("stated_two_is_lowest_band", 2, [], "95907", "specific"),
    ("stated_three_is_second_band", 3, [], "95908", "specific"),
    ("stated_twelve", 12, [], "95912", "specific"),
    ("stated_thirteen_is_top_band", 13, [], "95913", "specific"),
    ("stated_twenty_is_top_band", 20, [], "95913", "specific"),
    ("stated_total_matches_the_list", 4,
     [_nerve("median", "right", "motor", "sensory"), _nerve("ulnar", "right", "motor", "sensory")],
     "95908", "specific"),
    # 'Total: 13 studies' with 12 listed: the performer's total chooses the band, the count is queried
    ("stated_total_above_the_list", 13, [_nerve(f"n{i}", "left", "sensory") for i in range(12)], "95913", "NOS"),
    ("stated_total_below_the_list", 4, [_nerve(f"n{i}", "left", "sensory") for i in range(5)], "95908", "NOS"),
]


@pytest.mark.parametrize(("stated", "nerves", "code", "label"), [c[1:] for c in STATED_CASES],
                         ids=[c[0] for c in STATED_CASES])
def test_stated_study_total(run, fact, stated: int, nerves: list[dict], code: str, label: str) -> None:
    attrs: dict = {"study_count": stated}
    if nerves:
        attrs["nerves"] = nerves
    s = run(fact("ncs", "nerve_conduction", **attrs)).get(code)
    assert s is not None and s.label == label
    assert (s.query is not None and "nerves_studied" in s.query.axes) == (label == "NOS")


UNCERTAIN_CASES = [
    # (case, stated total, studies listed, uncertainty from the pipeline, label)
    ("stated_total_covers_the_unnamed_remaining_nerves", 8, 3, ["nerves tested but not named"], "specific"),
    ("stated_total_settles_a_study_written_twice", 4, 4, ["right median motor reported twice"], "specific"),
    ("stated_total_below_the_list_with_unnamed_nerves", 3, 5, ["nerves tested but not named"], "NOS"),
    ("no_total_with_unnamed_nerves", 0, 3, ["nerves tested but not named"], "NOS"),
]


@pytest.mark.parametrize(("stated", "listed", "uncertain", "label"), [c[1:] for c in UNCERTAIN_CASES],
                         ids=[c[0] for c in UNCERTAIN_CASES])
def test_stated_total_and_count_uncertainty(run, fact, stated: int, listed: int, uncertain: list[str],
                                            label: str) -> None:
    attrs: dict = {"nerves": [_nerve(f"n{i}", "right", "sensory") for i in range(listed)],
                   "count_uncertain": uncertain}
    if stated:
        attrs["study_count"] = stated
    result = run(fact("ncs", "nerve_conduction", **attrs))
    [code] = [c for c in result.codes("CPT") if c.startswith("959")]
    assert result.get(code).label == label


# --- needle EMG -----------------------------------------------------------------------------------
EXTREMITY_CASES = [
    ("unsided_muscles_join_the_one_sided_stated_extremity",
     _muscles(5, None), [("right", "upper")], {("right", "upper"): 5}),
    ("unsided_stated_limb_joins_the_sided_muscles",
     _muscles(3, "left", "lower_extremity"), [(None, "lower")], {("left", "lower"): 3}),
    # 'fibrillations in the biceps' after a bilateral list: no third extremity
    ("unsided_finding_with_both_sides_tested_adds_no_extremity",
     _muscles(2, "left") + _muscles(2, "right") + _muscles(1, None, prefix="x"), [],
     {("left", "upper"): 2, ("right", "upper"): 2}),
    ("unsided_muscles_alone_are_one_extremity", _muscles(4, None, "lower_extremity"), [], {(None, "lower"): 4}),
]


@pytest.mark.parametrize(("muscles", "stated", "expected"), [c[1:] for c in EXTREMITY_CASES],
                         ids=[c[0] for c in EXTREMITY_CASES])
def test_extremity_muscles(muscles: list[dict], stated: list, expected: dict) -> None:
    assert {k: len(v) for k, v in extremity_muscles(muscles, stated).items()} == expected


EMG_CASES = [
    # (case, attrs, same-day NCS, [(code, units, label)])
    ("stated_both_upper_extremities_unsided_list",
     {"muscles": _muscles(6, None), "extremities": ["right upper", "left upper"]}, False,
     [("95861", 1, "specific")]),
    ("complete_and_explicitly_limited_extremity",
     {"muscles": _muscles(6) + _muscles(4, "right", "lower_extremity"), "extremities": ["right upper", "right lower"],
      "limited_extremities": ["right lower"]}, True,
     [("95886", 1, "specific"), ("95885", 1, "specific")]),
    ("four_muscles_not_called_limited_is_limited_by_default",
     {"muscles": _muscles(4)}, True, [("95885", 1, "NOS")]),
    # paraspinals at the level of the limb belong to the limb study and do not make it complete
    ("four_limb_muscles_plus_related_paraspinals",
     {"muscles": _muscles(4) + [{"muscle": "cervical_paraspinal", "side": "right", "region": "paraspinal"}]},
     True, [("95885", 1, "NOS")]),
    ("stated_count_of_six_with_three_named_is_complete",
     {"muscles": _muscles(3, "left", "lower_extremity"), "extremities": ["left lower"],
      "muscle_counts": {"left lower": 6}}, True, [("95886", 1, "specific")]),
    ("stated_count_of_four_is_documented_limited",
     {"muscles": _muscles(4, "left"), "extremities": ["left upper"], "muscle_counts": {"left upper": 4}}, True,
     [("95885", 1, "specific")]),
    ("stated_count_without_side_goes_to_the_sided_extremity",
     {"muscles": _muscles(2, "right", "lower_extremity"), "muscle_counts": {"lower": 5}}, True,
     [("95886", 1, "specific")]),
    ("four_extremities_stated_without_muscles",
     {"extremities": ["left upper", "right upper", "left lower", "right lower"]}, False, [("95864", 1, "specific")]),
]


@pytest.mark.parametrize(("attrs", "ncs", "expected"), [c[1:] for c in EMG_CASES], ids=[c[0] for c in EMG_CASES])
def test_emg_extremities(run, fact, attrs: dict, ncs: bool, expected: list[tuple[str, int, str]]) -> None:
    facts = [fact("emg", "needle_emg", **attrs)]
    if ncs:
        facts.append(fact("ncs", "nerve_conduction", nerves=[_nerve("median", "right", "motor")]))
    result = run(*facts)
    got = [(c, result.get(c).units, result.get(c).label) for c in result.codes("CPT")
           if c.startswith(("9586", "9587", "9588"))]
    assert sorted(got) == sorted(expected)


def test_emg_guidance_only_is_not_a_needle_emg_study(run, fact) -> None:
    """'Under needle EMG guidance, Botox was injected': +95874 belongs to the chemodenervation code."""
    result = run(fact("emg", "needle_emg", guidance_only=True))
    assert [c for c in result.codes("CPT") if c.startswith("958")] == []
