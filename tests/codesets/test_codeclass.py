"""Code class (specific / NEC / NOS) derived from the code's own description, over real codes."""

from __future__ import annotations

import pytest

from nlp.codesets.codeclass import classify


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        pytest.param("G40.219", "specific", id="intractable-complex-partial-symptomatic"),
        pytest.param("G40.802", "NEC", id="other-epilepsy"),
        pytest.param("G40.909", "NOS", id="epilepsy-unspecified"),
        pytest.param("G35.D", "NOS", id="ms-unspecified"),
        pytest.param("G35.A", "specific", id="relapsing-remitting-ms"),
        pytest.param("G35.B0", "NOS", id="primary-progressive-ms-activity-unspecified"),
        pytest.param("R48.8", "NEC", id="other-symbolic-dysfunctions"),
        pytest.param("R29.898", "NEC", id="other-musculoskeletal-signs"),
        pytest.param("G43.909", "NOS", id="migraine-unspecified"),
        pytest.param("G43.709", "specific", id="chronic-migraine-without-aura"),
        pytest.param("G56.01", "specific", id="carpal-tunnel-right"),
        pytest.param("G56.00", "NOS", id="carpal-tunnel-unspecified-limb"),
        pytest.param("E11.49", "NEC", id="t2dm-other-neurological-complication"),
        pytest.param("G63", "specific", id="polyneuropathy-in-diseases-classified-elsewhere-is-not-NEC"),
        pytest.param("R51.9", "NOS", id="headache-unspecified"),
        pytest.param("R56.9", "NOS", id="unspecified-convulsions"),
        pytest.param("G93.89", "NEC", id="other-specified-disorders-of-brain"),
    ],
)
def test_icd_code_class(icd, code: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    assert icd.get(code).code_class == expected


@pytest.mark.parametrize(
    ("system", "code", "description", "expected"),
    [
        pytest.param("HCPCS", "E1399", "Durable medical equipment, miscellaneous", "NEC", id="E1399-dme-misc"),
        pytest.param("HCPCS", "J3490", "Unclassified drugs", "NEC", id="J3490-unclassified"),
        pytest.param("HCPCS", "J0585", "Injection, onabotulinumtoxina, 1 unit", "specific", id="J0585-botox"),
        pytest.param("CPT", "64999", "Unlisted procedure, nervous system", "NEC", id="cpt-unlisted"),
        pytest.param("CPT", "95907", "Nerve conduction studies, 1-2 studies", "specific", id="cpt-ncs"),
    ],
)
def test_procedure_code_class(system: str, code: str, description: str, expected: str) -> None:
    assert classify(system, code, description) == expected


def test_every_billable_g_chapter_code_gets_a_class(icd) -> None:  # type: ignore[no-untyped-def]
    """Sanity over the whole nervous-system chapter: all three classes occur, 'specific' dominates."""
    g_codes = [c for c in icd.all_codes() if c.code.startswith("G")]
    counts = {k: sum(1 for c in g_codes if c.code_class == k) for k in ("specific", "NEC", "NOS")}
    assert sum(counts.values()) == len(g_codes) > 600
    assert counts["specific"] > counts["NOS"] > 0 and counts["NEC"] > 0
