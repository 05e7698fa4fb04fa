"""Golden cases (tests/fixtures/pipeline/golden_cases.jsonl): short notes with the facts they must
yield (`facts`, attributes compared as subsets) and must not yield (`absent`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from nlp.pipeline.facts import doc_to_facts

CASES = [
    json.loads(line)
    for line in (Path(__file__).parents[1] / "fixtures" / "pipeline" / "golden_cases.jsonl").read_text().splitlines()
    if line.strip()
]


def _matches(expected: Any, actual: Any) -> bool:
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(k in actual and _matches(v, actual[k]) for k, v in expected.items())
    if isinstance(expected, list):
        return isinstance(actual, list) and all(any(_matches(e, a) for a in actual) for e in expected)
    return bool(expected == actual)


def _fact_matches(expected: dict[str, Any], fact: dict[str, Any]) -> bool:
    return (
        fact["family"] == expected["family"]
        and fact["concept"] == expected["concept"]
        and fact["assertion"] == expected.get("assertion", fact["assertion"])
        and _matches(expected.get("attrs", {}), fact["attrs"])
    )


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_golden_case(pipeline, case: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    facts = [f.to_dict() for f in doc_to_facts(pipeline(case["text"]))]
    for expected in case["facts"]:
        assert any(_fact_matches(expected, f) for f in facts), (expected, facts)
    for unexpected in case["absent"]:
        assert not any(_fact_matches(unexpected, f) for f in facts), (unexpected, facts)
    for f in facts:
        for ev in f["evidence"]:
            assert case["text"][ev["start"] : ev["end"]] == ev["text"]


def test_golden_case_ids_are_unique() -> None:
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids))
