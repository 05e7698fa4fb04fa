"""Unit tests per component: sections, sentences, entities, resources, pipeline factory, CLI."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from nlp.pipeline import COMPONENTS, load_pipeline
from nlp.pipeline.sections import find_sections


def test_load_pipeline_is_cached_and_ordered() -> None:
    nlp = load_pipeline()
    assert load_pipeline() is nlp
    assert tuple(nlp.pipe_names) == COMPONENTS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("CHIEF COMPLAINT:\nSeizures.\nFAMILY HISTORY:\nNone.", ["chief_complaint", "family_history"]),
        ("PAST MEDICAL HISTORY / SURGERY / HOSPITALIZATIONS:\nNone.", ["pmh"]),
        ("PHYSICAL EXAMINATION:\nHEENT:  Normal.\nMS: Alert.", ["exam", "exam", "exam"]),
        ("REVIEW OF SYSTEMS:\nHEENT:  Normal.", ["ros", "ros"]),
        ("VITAL SIGNS:  BP 120/80.", ["exam"]),
        ("Impression: Psychomotor seizures.", ["impression"]),
        ("VIDEO EEG DIAGNOSES\n1.  AWAKE:  Normal.", ["eeg"]),
        ("She states: fine.", []),
    ],
    ids=[
        "cc-and-family",
        "pmh-prefix",
        "exam-subsections",
        "ros-subsections",
        "inline-vitals",
        "mixed-case-known",
        "caps-without-colon",
        "prose-colon-ignored",
    ],
)
def test_sections_found(text: str, expected: list[str]) -> None:
    assert [c for _s, _e, c in find_sections(text)] == expected


@pytest.mark.parametrize(
    ("text", "n_sents"),
    [
        ("HISTORY:\nShe has seizures.  She denies headache.", 3),
        ("1.  Pneumonia.  He has had pneumonia.\n2.  Catheter.", 3),
        ("Seen by Dr. Smith today.  Stable.", 2),
        ("Levetiracetam 500 mg p.o. daily.  Follow up.", 2),
        ("L Median Motor 4.2\nR Sural Sensory 3.1", 2),
    ],
    ids=["header-line", "numbered-list", "abbreviation-dr", "abbreviation-po", "table-rows"],
)
def test_sentence_boundaries(pipeline, text: str, n_sents: int) -> None:  # type: ignore[no-untyped-def]
    assert len(list(pipeline(text).sents)) == n_sents


@pytest.mark.parametrize(
    ("text", "label", "concept"),
    [
        ("sz", "epilepsy", "seizure"),
        ("GTC", "epilepsy", "seizure"),
        ("CPS", "epilepsy", "seizure"),
        ("RRMS", "ms", "multiple_sclerosis"),
        ("SPMS", "ms", "multiple_sclerosis"),
        ("CTS", "neuromuscular", "carpal_tunnel"),
        ("botox", "toxin", "botulinum_toxin"),
        ("LP", "lp", "lumbar_puncture"),
        ("tonic clonic seizures", "epilepsy", "seizure"),
        ("radiculopathies", "neuromuscular", "radiculopathy"),
        ("migraines", "headache", "migraine"),
    ],
    ids=["sz", "GTC", "CPS", "RRMS", "SPMS", "CTS", "botox", "LP", "hyphen-variant", "plural-ies", "plural-s"],
)
def test_abbreviations_and_variants(pipeline, text: str, label: str, concept: str) -> None:  # type: ignore[no-untyped-def]
    ents = pipeline(f"Patient with {text}.").ents
    assert [(e.label_, e.kb_id_) for e in ents] == [(label, concept)]


@pytest.mark.parametrize(
    "text", ["5 ms latency", "lp", "Ms. Smith", "MS: alert"], ids=["ms-unit", "lp-lower", "ms-title", "ms-header"]
)
def test_case_sensitive_abbreviations_do_not_overmatch(pipeline, text: str) -> None:  # type: ignore[no-untyped-def]
    assert not pipeline(f"EXAM:\n{text}").ents


def test_every_resource_row_has_a_source() -> None:
    from nlp.pipeline import resources

    assert resources.entity_terms() and all(t.source for t in resources.entity_terms())
    assert all(m.source for m in resources.modifier_terms())
    assert all(r.source for r in resources.section_rules().values())
    assert all(r["metadata"]["source"] for r in resources.context_rule_dicts())
    families = {t.family for t in resources.entity_terms()}
    from nlp.facts import FAMILIES

    assert set(FAMILIES) <= families


def test_bad_resource_row_raises_numbered_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from nlp.errors import ResourceError
    from nlp.pipeline import resources

    monkeypatch.setattr(
        resources, "_read_text", lambda *parts: "term,attrs,families,case_sensitive,source\nx,bad,epilepsy,no,s\n"
    )
    resources.modifier_terms.cache_clear()
    try:
        with pytest.raises(ResourceError, match="E301"):
            resources.modifier_terms()
    finally:
        monkeypatch.undo()
        resources.modifier_terms.cache_clear()


def _app():  # type: ignore[no-untyped-def]
    from nlp.cli import _register, app

    _register()
    return app


def test_cli_extract_json_from_stdin() -> None:
    result = CliRunner().invoke(
        _app(), ["extract", "-", "--format", "json"], input="No seizures. Intractable epilepsy.\n"
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [(e["concept"], e["assertion"]) for e in data["entities"]] == [
        ("seizure", "negated"),
        ("epilepsy", "present"),
    ]
    assert data["entities"][1]["attrs"] == {"intractable": True}


def test_cli_extract_table(tmp_path) -> None:  # type: ignore[no-untyped-def]
    note = tmp_path / "n1.txt"
    note.write_bytes(b"IMPRESSION:\nRRMS. Seen by Dr. Jos\xe9.\n")  # Latin-1 fallback (E401)
    result = CliRunner().invoke(_app(), ["extract", str(note)])
    assert result.exit_code == 0, result.output
    assert "multiple_sclerosis" in result.stdout and "impression" in result.stdout
    assert "E401" in result.stderr and "n1" in result.stderr and "RRMS" not in result.stderr


def test_cli_extract_missing_file() -> None:
    result = CliRunner().invoke(_app(), ["extract", "/nonexistent/note.txt"])
    assert result.exit_code == 2
    assert "E402" in result.output
