"""Bad input never crashes the pipeline and never yields a wrong offset."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nlp.pipeline.facts import doc_to_facts
from nlp.pipeline.normalizer import normalise, original_text

NEURO_TERMS = [
    "seizures",
    "intractable epilepsy",
    "no seizures",
    "RRMS",
    "migraine with aura",
    "left CTS",
    "EMG",
    "Botox 100 units",
    "L Median Motor",
    "video EEG",
    "LP",
    "MS:",
    "denies headache",
    "C5-C6 radiculopathy",
    "FAMILY HISTORY:",
    "\n",
    "<b>",
    "&nbsp;",
    "\\par ",
    "\x00",
    "\r\n",
]


def _check_offsets(pipeline, text: str) -> None:  # type: ignore[no-untyped-def]
    doc = pipeline(text)
    assert len(doc.text) == len(text)
    assert original_text(doc) == text
    for ent in doc.ents:
        assert doc.text[ent.start_char : ent.end_char] == ent.text
        if text[ent.start_char : ent.end_char] == ent.text:
            continue
        # markup inside the span was blanked: only blanked characters may differ
        assert all(a == b or b.isspace() for a, b in zip(text[ent.start_char : ent.end_char], ent.text, strict=True))
    for fact in doc_to_facts(doc):
        for ev in fact.evidence:
            assert 0 <= ev.start <= ev.end <= len(text)
            assert text[ev.start : ev.end] == ev.text


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=400))
def test_random_text_offsets_slice_original(pipeline, text: str) -> None:  # type: ignore[no-untyped-def]
    _check_offsets(pipeline, text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(st.sampled_from(NEURO_TERMS), st.text(max_size=20)), max_size=30))
def test_random_text_with_neuro_terms_offsets_slice_original(pipeline, parts: list[str]) -> None:  # type: ignore[no-untyped-def]
    _check_offsets(pipeline, " ".join(parts))


@given(st.text(max_size=300))
def test_normalise_keeps_length(text: str) -> None:
    assert len(normalise(text)) == len(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "\n\n\t  ",
        "\x00\x01\x02",
        "\ufeffSeizures.",
        "<html><body><p>No seizures</p></body></html>",
        "{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Arial;}} Intractable epilepsy.\\par }",
        "&lt;&gt;&amp;&#65;&#x42;&bogus;",
        "MS:\nMS:\n",
        "1.\n2.\n3.",
        ":" * 50,
        "\u2028seizure\u2029",
        "\ud7ff\ue000",
    ],
    ids=[
        "empty",
        "space",
        "whitespace-only",
        "control-chars",
        "bom",
        "html",
        "rtf",
        "html-entities",
        "headers-only",
        "list-numbers-only",
        "colons",
        "unicode-separators",
        "private-use",
    ],
)
def test_bad_input_never_crashes(pipeline, text: str) -> None:  # type: ignore[no-untyped-def]
    _check_offsets(pipeline, text)


def test_html_markup_is_blanked_without_shifting_offsets(pipeline) -> None:  # type: ignore[no-untyped-def]
    text = "<p>Intractable <b>epilepsy</b></p>"
    doc = pipeline(text)
    ent = doc.ents[0]
    assert text[ent.start_char : ent.end_char] == "epilepsy"


@pytest.mark.slow
def test_two_megabyte_note(pipeline) -> None:  # type: ignore[no-untyped-def]
    unit = "HISTORY OF PRESENT ILLNESS:\nIntractable complex partial seizures.  No headache.\n"
    text = unit * (2_000_000 // len(unit) + 1)
    doc = pipeline(text)
    assert len(doc.text) == len(text)
    facts = doc_to_facts(doc)
    assert facts and all(text[e.start : e.end] == e.text for f in facts for e in f.evidence[:50])
