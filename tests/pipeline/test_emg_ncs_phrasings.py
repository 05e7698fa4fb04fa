"""Needle EMG and nerve conduction report phrasings (named synthetic clinical cases) read through the
whole pipeline: sides written once for a list, side columns of a table, recording sites and landmarks
after nerve words, stated study totals, extremity labels heading muscle lists, EMG used as injection
guidance, coordinated paraspinal levels."""

from __future__ import annotations

import pytest

from nlp.api import suggest

DOS = "2026-05-01"
_NCS_CODES = {"95907", "95908", "95909", "95910", "95911", "95912", "95913"}


def _cpt(text: str) -> dict[str, dict]:
    result = suggest(text, note_id="t", date_of_service=DOS).to_dict()
    return {s["code"]: s for s in result["suggestions"] if s["system"] == "CPT"}


def _ncs(codes: dict[str, dict]) -> list[tuple[str, str]]:
    return [(c, s["label"]) for c, s in codes.items() if c in _NCS_CODES]


def _emg(codes: dict[str, dict]) -> list[tuple[str, int]]:
    """Diagnostic needle EMG codes (95860-95872, +95885-95887); +95874 is injection guidance."""
    return sorted((c, s["units"]) for c, s in codes.items()
                  if c.startswith(("9586", "9587", "9588")) and c not in ("95873", "95874"))


# --- nerve conduction: what is one study, per nerve and side --------------------------------------
NCS_CASES = [
    # "Right and left" before one nerve: both sides (2 H-reflex studies) + 2 sural = 4
    ("side_pair_before_one_nerve_is_both_sides",
     "NERVE CONDUCTION STUDIES:\nRight and left tibial H-reflexes: absent.\nRight sural sensory: absent. "
     "Left sural sensory: absent.\nIMPRESSION:\nPolyneuropathy.", "95908", "specific"),
    ("abbreviated_side_pair",
     "NERVE CONDUCTION STUDIES:\nR/L tibial H-reflex latencies prolonged.\nIMPRESSION:\nS1 radiculopathy.",
     "95907", "specific"),
    # one side word covers a coordinated list of nerves: 2 nerves x 2 sides = 4 motor studies + 2 sural = 6
    ("bilateral_before_nerve_list_covers_each_nerve",
     "NERVE CONDUCTION STUDIES:\nBilateral peroneal and tibial motor with F-waves, bilateral sural sensory. "
     "Amplitudes reduced.\nIMPRESSION:\nAxonal polyneuropathy.", "95909", "specific"),
    ("side_covers_list_in_prose_with_tests_in_parentheses",
     "NERVE CONDUCTION STUDIES:\nStudies of the left median and ulnar nerves (motor and sensory) were "
     "normal.\nIMPRESSION:\nNormal study.", "95908", "specific"),
    # F-wave / H-reflex after a recording site and 'with': motor + F-wave = 1, H-reflex = 1
    ("recording_site_parenthetical_then_reflex",
     "NERVE CONDUCTION STUDIES:\nLeft tibial motor (AH) with F-wave and H-reflex: normal.\n"
     "IMPRESSION:\nNormal.", "95907", "specific"),
    # a table whose columns are the sides: each row is one study per side with a value
    ("side_columns_table_counts_each_side",
     "NCS:\nNerve                 Right              Left\nMedian sensory (D2)   3.9 ms, 12 uV      "
     "3.6 ms, 15 uV\nUlnar sensory (D5)    2.8 ms, 18 uV      2.7 ms, 20 uV\nMedian motor (APB)    "
     "4.8 ms, 7 mV       4.1 ms, 8 mV\n\nIMPRESSION:\nMild right median neuropathy at the wrist.",
     "95909", "specific"),
    ("side_column_not_tested_is_no_study",
     "NCS:\nNerve                 Right              Left\nSural sensory         absent             NT\n"
     "Peroneal motor (EDB)  1.2 mV             not done\n\nIMPRESSION:\nAxonal neuropathy.", "95907",
     "specific"),
    # 'across the fibular head' is a landmark, not a second (unsided) peroneal study
    ("landmark_after_nerve_word_is_not_a_study",
     "NERVE CONDUCTION STUDIES:\nLeft peroneal motor: conduction block across the fibular head. Left "
     "sural sensory: normal.\nIMPRESSION:\nLeft peroneal neuropathy at the fibular head.", "95907",
     "specific"),
    # the report's own total chooses the band; agreeing with the list it is documented
    ("stated_total_agrees_with_list",
     "NERVE CONDUCTION STUDIES (4 studies):\nRight median motor and sensory, right ulnar motor and sensory: "
     "normal.\nIMPRESSION:\nNormal.", "95908", "specific"),
    ("stated_total_differs_from_list",
     "NERVE CONDUCTION STUDIES:\nRight median motor and sensory, right ulnar sensory: normal.\nTotal: 5 "
     "studies.\nIMPRESSION:\nNormal.", "95909", "NOS"),
    ("stated_total_in_words",
     "NERVE CONDUCTION STUDIES:\nLeft ulnar motor (ADM) with stimulation at wrist, below and above elbow, plus "
     "F-wave: slowing across the elbow. Left ulnar sensory (D5): reduced. Two studies in total.\nIMPRESSION:\n"
     "Ulnar neuropathy at the elbow.", "95907", "specific"),
    ("nerves_kept_in_a_worksheet",
     "NERVE CONDUCTION STUDIES:\nStudies of the right leg showed a reduced right peroneal motor response. "
     "Individual nerves are in the attached worksheet.\nIMPRESSION:\nPeroneal neuropathy.", "95907", "NOS"),
    # tests after the next nerve word are that nerve's: median motor + ulnar sensory = 2, not 4
    ("tests_after_next_nerve_are_its_own",
     "NERVE CONDUCTION STUDIES:\nRight median motor and ulnar sensory: normal.\nIMPRESSION:\nNormal.",
     "95907", "specific"),
    # the same study named again without its side is not a second study
    ("unsided_repeat_of_a_sided_study",
     "NERVE CONDUCTION STUDIES:\nLeft peroneal motor amplitude 1.1 mV. Peroneal motor conduction velocity "
     "across the knee is slowed.\nIMPRESSION:\nPeroneal neuropathy.", "95907", "specific"),
]


@pytest.mark.parametrize(("text", "code", "label"), [c[1:] for c in NCS_CASES], ids=[c[0] for c in NCS_CASES])
def test_ncs_phrasing(text: str, code: str, label: str) -> None:
    assert _ncs(_cpt(text)) == [(code, label)]


# --- needle EMG: extremities, muscles, same-day add-ons -------------------------------------------
NCS_LINE = "NERVE CONDUCTION STUDIES:\nRight median motor and sensory: normal.\n"
EMG_CASES = [
    # an extremity label heads its muscle list; each list ends at the sentence end
    ("extremity_label_heads_each_list_with_ncs",
     NCS_LINE + "NEEDLE EMG:\nRight lower extremity: tibialis anterior, medial gastrocnemius, vastus lateralis, "
     "gluteus medius, peroneus longus. Left lower extremity: tibialis anterior, medial gastrocnemius, vastus "
     "lateralis, tensor fasciae latae, extensor hallucis longus.\nIMPRESSION:\nPolyneuropathy.",
     [("95886", 2)]),
    ("lists_split_by_semicolon_complete_and_limited",
     NCS_LINE + "NEEDLE EMG:\nRight upper extremity complete (deltoid, biceps, triceps, EDC, FDI, APB); right "
     "lower extremity limited (tibialis anterior, medial gastrocnemius, vastus lateralis, gluteus medius).\n"
     "IMPRESSION:\nDemyelinating neuropathy.", [("95885", 1), ("95886", 1)]),
    ("both_sides_label_with_muscles_each",
     NCS_LINE + "NEEDLE EMG:\nRight and left upper extremities, 5 muscles each (APB, FDI, EDC, biceps, "
     "deltoid). Normal.\nIMPRESSION:\nCarpal tunnel syndrome.", [("95886", 2)]),
    # without same-day NCS: extremities counted for 95860-95864
    ("side_pair_before_first_muscle_covers_the_list",
     "NEEDLE EMG\nFINDINGS: Needle EMG: right and left deltoid, biceps; right and left vastus medialis, "
     "tibialis anterior. Fibrillations in the biceps.\nIMPRESSION:\nMyopathy.", [("95864", 1)]),
    ("all_four_extremities_stated",
     "NEEDLE EMG\nFINDINGS: Needle EMG of all four extremities showed small polyphasic units.\n"
     "IMPRESSION:\nMyopathy.", [("95864", 1)]),
    ("title_side_and_unsided_list_one_extremity",
     "NEEDLE EMG, LEFT ARM\nNEEDLE EXAMINATION: Left upper extremity (deltoid, biceps, triceps, pronator teres, "
     "first dorsal interosseous) and C5-C8 cervical paraspinals. Fibrillations in triceps.\n"
     "IMPRESSION:\nC7 radiculopathy.", [("95860", 1)]),
    ("handedness_and_upper_trapezius_are_not_extremities",
     "EMG:\nNeedle EMG in this right-handed man of the left leg (tibialis anterior, peroneus longus) and "
     "upper trapezius.\nIMPRESSION:\nNormal.", [("95860", 1)]),
    ("emg_that_localizes_a_lesion_is_diagnostic",
     "EMG:\nNeedle EMG localizes the lesion to the right C7 root: right triceps and pronator teres show "
     "fibrillations.\nIMPRESSION:\nC7 radiculopathy.", [("95860", 1)]),
    ("abbreviated_extremities",
     "EMG:\nNeedle EMG of the RUE and RLE was normal.\nIMPRESSION:\nNormal.", [("95861", 1)]),
    # coordinated paraspinal levels: lumbosacral (no leg tested) is non-extremity, cervical joins the arm
    ("coordinated_paraspinal_levels",
     NCS_LINE + "NEEDLE EMG:\nNeedle EMG of the left arm (deltoid, biceps, triceps, EDC, FDI) and lumbosacral "
     "and cervical paraspinal muscles.\nIMPRESSION:\nRadiculopathy.", [("95886", 1), ("95887", 1)]),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in EMG_CASES], ids=[c[0] for c in EMG_CASES])
def test_emg_phrasing(text: str, expected: list[tuple[str, int]]) -> None:
    assert _emg(_cpt(text)) == expected


COUNT_CASES = [
    # (case, text, code, units, label): a muscle count stated for the extremity decides 95885 vs 95886
    ("limited_extremity_named_with_its_muscles", EMG_CASES[1][1], "95885", 1, "specific"),
    ("stated_four_muscles_is_limited",
     NCS_LINE + "NEEDLE EMG, left arm, 4 muscles: first dorsal interosseous, abductor digiti minimi, flexor carpi "
     "ulnaris, abductor pollicis brevis. Fibrillations in FDI.\nIMPRESSION:\nUlnar neuropathy.", "95885", 1,
     "specific"),
    ("stated_six_muscles_with_fewer_named_is_complete",
     NCS_LINE + "NEEDLE EMG:\nNeedle EMG of the right leg (6 muscles) showed fibrillations in the tibialis "
     "anterior.\nIMPRESSION:\nL5 radiculopathy.", "95886", 1, "specific"),
    ("four_named_without_a_count_is_limited_by_default",
     NCS_LINE + "NEEDLE EMG:\nNeedle EMG of the right arm showed fibrillations in the deltoid, biceps, "
     "triceps and brachioradialis.\nIMPRESSION:\nC5 radiculopathy.", "95885", 1, "NOS"),
]


@pytest.mark.parametrize(("text", "code", "units", "label"), [c[1:] for c in COUNT_CASES],
                         ids=[c[0] for c in COUNT_CASES])
def test_emg_muscle_count_decides_limited_or_complete(text: str, code: str, units: int, label: str) -> None:
    s = _cpt(text)[code]
    assert (s["units"], s["label"]) == (units, label)


GUIDANCE_CASES = [
    ("under_needle_emg_guidance",
     "PROCEDURE: Under needle EMG guidance, onabotulinumtoxinA was injected: left sternocleidomastoid 40 units, "
     "left trapezius 30 units. Total 70 units."),
    ("needle_emg_guidance_used_to_localize",
     "PROCEDURE: incobotulinumtoxinA 100 units. Needle EMG guidance used to localize: left biceps 50 units, "
     "left flexor carpi ulnaris 50 units."),
    ("emg_was_used_to_localize",
     "PROCEDURE: Botox 100 units. EMG was used to localize the right splenius capitis 50 units and right "
     "levator scapulae 50 units."),
]


@pytest.mark.parametrize("text", [c[1] for c in GUIDANCE_CASES], ids=[c[0] for c in GUIDANCE_CASES])
def test_emg_guidance_is_not_a_diagnostic_emg(text: str) -> None:
    assert _emg(_cpt(text)) == []


# NCS table blocks under 'Motor' / 'Sensory' sub-headers, EMG lines labelled 'Right:' / 'Left:', and
# an EMG section header that names the extremity ('NEEDLE EMG, LEFT UPPER EXTREMITY:')
BLOCK_TABLE = (
    "NERVE CONDUCTION STUDIES (skin temperature > 32 C):\nMotor\nNerve / site   Latency   Amplitude\n"
    "R median - APB   6.1   5.8\nL median - APB   4.6   8.1\nSensory (antidromic)\nR median - digit 2   4.4   9\n"
    "L median - digit 2   3.9   18\n\nNEEDLE EMG:\nRight: APB fibrillations; FDI, pronator teres, biceps, triceps "
    "and C6-C7 paraspinals normal.\nLeft: APB, FDI, pronator teres, biceps, triceps normal.\n\nIMPRESSION:\n"
    "Bilateral carpal tunnel syndrome.\n")
EXTREMITY_HEADER = (
    "NERVE CONDUCTIONS:\nL ulnar motor (ADM): DL 3.1 ms, amp 8.2 mV.\nL ulnar sensory (digit 5): 3.5 ms.\n\n"
    "NEEDLE EMG, LEFT UPPER EXTREMITY:\nFirst dorsal interosseous: 2+ fibrillations.\nAbductor digiti minimi: "
    "1+ fibrillations.\nFlexor carpi ulnaris: normal.\nAbductor pollicis brevis: normal.\nTriceps: normal.\n"
    "C8 paraspinal: normal.\n\nIMPRESSION:\nLeft ulnar neuropathy at the elbow.\n")


@pytest.mark.parametrize(("text", "expected"), [
    (BLOCK_TABLE, {("95908", 1), ("95886", 2)}),
    (EXTREMITY_HEADER, {("95907", 1), ("95886", 1)}),
], ids=["table_blocks_and_side_labelled_muscle_lines", "emg_header_naming_the_extremity"])
def test_report_layouts(text: str, expected: set[tuple[str, int]]) -> None:
    from nlp.api import suggest

    got = {(s["code"], s["units"]) for s in suggest(text, note_id="t", date_of_service="2026-05-01").to_dict()[
        "suggestions"] if s["system"] == "CPT"}
    assert got == expected
