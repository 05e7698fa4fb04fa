"""Issue 10, done-when: random bytes and text through `decode_note` and `suggest_many` give one result
per item, in order, no exception escapes, and every offset slices the note it came from."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nlp.api import suggest_many
from nlp.errors import InputError
from nlp.io import decode_note

DOS = "2026-05-14"
CLINICAL = ["IMPRESSION:\n", "There is no\n", "evidence of multiple sclerosis. ", "Seizures", " or stroke",
            "\r\n", "  ", "PD ", "HA ", "\x00", "\ufeff", "<b>", "&amp;", "EMG of the left APB. ", "Botox 100 units",
            "denies any history of\n", "1. Migraine without aura\n", "\u2019", "\t"]
ITEMS = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(CLINICAL), max_size=25).map("".join),
    st.binary(max_size=300),
    st.none(),
    st.integers(),
)


def _as_note(item: object) -> object:
    """Bytes go through decode_note as a reader would; its refusals are per-note errors too."""
    if isinstance(item, bytes):
        try:
            return decode_note(item, "fuzz")[0]
        except InputError:
            return item  # suggest_many then reports it (E423) in its place
    return item


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ITEMS, min_size=1, max_size=6))
def test_fuzz_suggest_many_one_result_per_item(items: list[object]) -> None:
    notes = [(f"n{i}", _as_note(item)) for i, item in enumerate(items)]
    results = list(suggest_many(notes, date_of_service=DOS))  # type: ignore[arg-type]
    assert [r.note_id for r in results] == [note_id for note_id, _ in notes]
    for (_, text), result in zip(notes, results, strict=True):
        if not isinstance(text, str):
            assert result.error is not None and result.error["code"] == "E423" and not result.suggestions
            continue
        assert result.error is None
        for s in result.suggestions:
            for ev in s.evidence:
                assert 0 <= ev.start <= ev.end <= len(text) and text[ev.start:ev.end] == ev.text
        for n in result.not_coded:
            assert 0 <= n.start <= n.end <= len(text)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_fuzz_decode_note_returns_text_or_a_numbered_error(data: bytes) -> None:
    try:
        text, warnings = decode_note(data, "fuzz")
    except InputError as e:
        assert e.code in ("E421", "E403")
        return
    assert isinstance(text, str) and all(w.startswith("E401") for w in warnings)
