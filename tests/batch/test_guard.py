"""The batch layer's per-note guard: decoding, binary / empty / oversized notes, failing batches."""

from __future__ import annotations

import codecs
import io

import pytest

from nlp.batch.guard import decode_note, score_guarded
from nlp.batch.inputs import is_remote, table_kind
from nlp.batch.progress import Progress
from nlp.errors import NeurocodeError

TEXT = "ASSESSMENT: Migraine without aura.\n"


@pytest.mark.parametrize("raw", [
    TEXT.encode("utf-8"), codecs.BOM_UTF8 + TEXT.encode("utf-8"), TEXT.encode("utf-16"),
    TEXT.encode("utf-16-le"), TEXT.encode("utf-16-be"), TEXT.encode("utf-32"), TEXT,
])
def test_decodes_utf8_boms_and_utf16(raw):
    assert decode_note(raw, "n1") == (TEXT, [])


def test_latin1_fallback_is_a_warning():
    text, warnings = decode_note("Caf\xe9 migraine".encode("latin-1"), "n1")
    assert text == "Caf\xe9 migraine" and warnings[0].startswith("E401: Note n1")


@pytest.mark.parametrize(("raw", "code"), [
    (b"", "E804"), (b" \n\t ", "E804"), (b"\x00\x01\x02\x03" * 50, "E421"), (b"MZ\x90\x00" + bytes(200), "E421"),
    (b"x" * 1001, "E403"),
])
def test_bad_notes_raise_numbered_errors_without_text(raw, code):
    with pytest.raises(NeurocodeError) as err:
        decode_note(raw, "n7", max_bytes=1000)
    assert err.value.code == code and "n7" in str(err.value)


def test_a_failing_batch_is_retried_note_by_note():
    calls = []

    def fake_suggest_many(pairs, **opts):
        pairs = list(pairs)
        calls.append([p[0] for p in pairs])
        for note_id, text in pairs:
            if "boom" in text:
                raise KeyError(text)  # the message holds note text: it must not reach the error
            yield f"result {note_id} {opts['setting']}"

    items = [(0, "a", "fine", {"setting": "outpatient"}), (1, "b", "boom text", {"setting": "outpatient"}),
             (2, "c", "fine", {"setting": "inpatient"})]
    out = score_guarded(items, fake_suggest_many)
    assert [o.result for o in out] == ["result a outpatient", None, "result c inpatient"]
    assert out[1].error.code == "E808" and "KeyError" in str(out[1].error) and "boom" not in str(out[1].error)
    assert calls == [["a", "b"], ["a"], ["b"], ["c"]]


def test_plain_progress_lines_with_rate_and_eta():
    stream = io.StringIO()
    bar = Progress(10, stream=stream, every=0)
    bar.update(4, errors=1)
    assert stream.getvalue().startswith("batch: 4/10 notes (1 error),") and "ETA" in stream.getvalue()


def test_remote_inputs_are_told_by_their_uri():
    assert is_remote("hdfs:///notes/2026/*.parquet") and not is_remote("/data/notes.parquet")
    assert table_kind("s3a://bucket/notes/*.jsonl") == "jsonl" and table_kind("x.CSV") == "csv"
    with pytest.raises(NeurocodeError, match="E801"):
        table_kind("notes.docx")
