"""Denial-risk findings and NEC justifications."""

from __future__ import annotations

import datetime as dt

import pytest

from nlp.claim.pointers import claim_lines
from nlp.claim.risks import denial_risk_findings, nec_justification, nec_procedure_justification

DAY = dt.date(2026, 5, 1)


def _reasons(suggestions) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    _, lines = claim_lines(suggestions)
    return [(f.reason, f.code) for f in denial_risk_findings(suggestions, lines, None, DAY)]


def test_risk_nec_and_nos_codes(sugg) -> None:  # type: ignore[no-untyped-def]
    reasons = _reasons([sugg("ICD-10-CM", "G44.89", label="NEC"), sugg("ICD-10-CM", "G43.909", label="NOS"),
                        sugg("ICD-10-CM", "G40.219")])
    assert reasons == [("nec_code", "G44.89"), ("nos_code", "G43.909")]


@pytest.mark.parametrize("system, code", [("CPT", "64999"), ("HCPCS", "J3490")])
def test_risk_unlisted_procedure(sugg, system: str, code: str) -> None:  # type: ignore[no-untyped-def]
    reasons = _reasons([sugg("ICD-10-CM", "G24.3"), sugg(system, code, label="NEC", code_class="NEC")])
    assert ("unlisted_procedure", code) in reasons


def test_risk_units_above_mue(sugg) -> None:  # type: ignore[no-untyped-def]
    reasons = _reasons([sugg("ICD-10-CM", "G56.01"), sugg("CPT", "95909", units=2)])
    assert ("units_over_limit", "95909") in reasons


def test_risk_missing_wastage_modifier_and_its_absence(sugg) -> None:  # type: ignore[no-untyped-def]
    base = [sugg("ICD-10-CM", "G43.719"), sugg("CPT", "64615")]
    assert ("missing_wastage_modifier", "J0585") in _reasons([*base, sugg("HCPCS", "J0585", units=155)])
    with_jw = [*base, sugg("HCPCS", "J0585", units=155), sugg("HCPCS", "J0585", units=45, modifiers=("JW",))]
    assert not [r for r in _reasons(with_jw) if r[0] == "missing_wastage_modifier"]
    with_jz = [*base, sugg("HCPCS", "J0585", units=200, modifiers=("JZ",))]
    assert not [r for r in _reasons(with_jz) if r[0] == "missing_wastage_modifier"]


def test_risk_procedure_without_pointer(sugg) -> None:  # type: ignore[no-untyped-def]
    assert ("no_pointer", "62270") in _reasons([sugg("CPT", "62270")])


def test_risk_messages_never_quote_evidence(sugg) -> None:  # type: ignore[no-untyped-def]
    secret = "Mrs Example at 12 Elm Street"
    suggestions = [sugg("ICD-10-CM", "G44.89", label="NEC", text=secret), sugg("CPT", "64999", text=secret,
                                                                          code_class="NEC")]
    _, lines = claim_lines(suggestions)
    assert all(secret not in f.message for f in denial_risk_findings(suggestions, lines, None, DAY))


def test_nec_justification_nummular_headache(sugg, icd) -> None:  # type: ignore[no-untyped-def]
    j = nec_justification(sugg("ICD-10-CM", "G44.89", label="NEC", text="nummular headache"), icd)
    assert [p["code"] for p in j.path][-3:] == ["G44", "G44.8", "G44.89"]
    tried = {t["code"] for t in j.specific_codes_tried}
    assert {"G44.81", "G44.86", "G44.2"} <= tried and "G44.89" not in tried and "G44.1" not in tried
    assert '"nummular headache"' in j.statement and "G44.89" in j.statement and "G44.8 " in j.statement
    assert j.evidence[0]["text"] == "nummular headache"


def test_nec_justification_lists_inclusion_terms(sugg, icd) -> None:  # type: ignore[no-untyped-def]
    j = nec_justification(sugg("ICD-10-CM", "R48.8", label="NEC", text="acalculia"), icd)
    assert j.inclusion_terms == ["Acalculia", "Agraphia"]
    assert {"R48.0", "R48.1", "R48.2", "R48.3"} == {t["code"] for t in j.specific_codes_tried}
    assert "Inclusion terms" in j.statement


def test_nec_justification_named_epilepsy_syndrome_climbs_other_levels(sugg, icd) -> None:  # type: ignore[no-untyped-def]
    j = nec_justification(sugg("ICD-10-CM", "G40.804", label="NEC", text="Landau-Kleffner syndrome"), icd)
    tried = {t["code"] for t in j.specific_codes_tried}
    assert "G40.81" in tried and "G40.2" in tried  # Lennox-Gastaut under G40.8, focal epilepsy under G40
    assert "G40.801" not in tried  # 'other' siblings are not specific alternatives


def test_nec_procedure_justification(sugg) -> None:  # type: ignore[no-untyped-def]
    j = nec_procedure_justification(sugg("CPT", "64999", label="NEC", text="cryoneurolysis of the genicular nerve"))
    assert "64999" in j.statement and "comparable code" in j.statement and '"cryoneurolysis' in j.statement
