"""Intervertebral disc disorders with level (M50.x cervical level characters, M51.x by region per the
FY2026 tabular), end to end; one named clinical case each (synthetic text)."""

from __future__ import annotations

import pytest

from nlp.api import suggest

DOS = "2026-05-01"

# (case id, note text, codes expected, codes that must not be suggested)
CASES = [
    ("cervical_hnp_with_radiculopathy_at_c5_c6",
     "ASSESSMENT:\nHerniated nucleus pulposus, C5-C6.\nLeft C6 cervical radiculopathy.", ["M50.122"],
     ["M54.12", "M50.222"]),
    ("cervical_disc_with_cord_compression_is_myelopathy",
     "IMPRESSION:\nLarge C6-C7 herniated disc with mild cord compression.", ["M50.023"], []),
    ("high_cervical_disc_with_myelopathy",
     "IMPRESSION:\nCervical myelopathy secondary to herniated nucleus pulposus, C3-4.", ["M50.01"], []),
    ("cervical_disc_without_root_or_cord_is_other_displacement",
     "IMPRESSION:\nC4-C5 disc protrusion.", ["M50.221"], []),
    ("cervicothoracic_disc",
     "IMPRESSION:\nC7-T1 disc herniation.", ["M50.23"], []),
    ("lumbar_disc_with_radiculopathy_by_region",
     "IMPRESSION:\nL4-L5 disc herniation with right L5 radiculopathy.", ["M51.16"], ["M54.16", "M51.26"]),
    ("lumbosacral_disc_displacement",
     "IMPRESSION:\nL5-S1 disc protrusion.", ["M51.27"], []),
    ("thoracic_hnp",
     "PREOPERATIVE DIAGNOSIS:\nHerniated nucleus pulposus T8-T9.", ["M51.24"], []),
    ("two_cervical_levels_two_codes",
     "IMPRESSION:\nHerniated discs at C5-6 and C6-7 compressing the spinal cord.", ["M50.022", "M50.023"], []),
    ("hyperreflexia_part_of_disc_myelopathy",
     "EXAM:\nReflexes 3+ in both legs.\nIMPRESSION:\nC6-C7 herniated disc with cord compression.", ["M50.023"],
     ["R29.2"]),
    ("unlocated_disc_not_coded",
     "IMPRESSION:\nHerniated disc.", [], ["M50.20", "M51.26"]),
    ("negated_disc_not_coded",
     "IMPRESSION:\nNo disc herniation at L4-L5.", [], ["M51.26"]),
]


@pytest.mark.parametrize(("text", "expected", "absent"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_disc_disorder(text: str, expected: list[str], absent: list[str]) -> None:
    codes = {s["code"] for s in suggest(text, note_id="t", date_of_service=DOS).to_dict()["suggestions"]}
    assert set(expected) <= codes, codes
    assert not set(absent) & codes, codes
