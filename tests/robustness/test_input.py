"""Issue 10: decoding, size limit, empty notes, numbered errors, per-note error results, no note text
in any error (items 3-7 and 9)."""

from __future__ import annotations

import codecs
import logging
import random

import pytest
from typer.testing import CliRunner

from nlp.api import suggest, suggest_many
from nlp.errors import InputError, NeurocodeError
from nlp.io import decode_note, read_note_file

DOS = "2026-05-14"
MARKER = "ZQXMARKERQZX"
NOTE = "IMPRESSION:\nMigraine without aura. No seizures.\n"


def _app():  # type: ignore[no-untyped-def]
    from nlp.cli import _register, app

    _register()
    return app


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_decode_boms_and_utf16(encoding: str) -> None:
    text, warnings = decode_note(NOTE.encode(encoding), "n1")
    assert text == NOTE and warnings == []


def test_utf16_note_is_coded_like_utf8() -> None:
    text, _ = decode_note(NOTE.encode("utf-16"), "n1")
    assert suggest(text, date_of_service=DOS).codes() == suggest(NOTE, date_of_service=DOS).codes() != []


def test_latin1_fallback_warns_by_note_id_only() -> None:
    text, warnings = decode_note(f"{NOTE}Seen by Dr. Jos\xe9 {MARKER}.".encode("latin-1"), "n7")
    assert text.endswith(f"Jos\xe9 {MARKER}.")
    assert [w[:4] for w in warnings] == ["E401"] and "n7" in warnings[0] and MARKER not in warnings[0]


@pytest.mark.parametrize("data", [
    bytes(range(256)) * 8,  # every byte value
    b"%PDF-1.7\n" + random.Random(1).randbytes(4000),
    b"PK\x03\x04\x14\x00\x00\x00\x08\x00PD HA " + b"\x00\x01\x02" * 50,
], ids=["all-bytes", "pdf-like", "zip-like"])
def test_binary_input_is_refused(data: bytes) -> None:
    with pytest.raises(InputError) as err:
        decode_note(data, "bin1")
    assert err.value.code == "E421" and "bin1" in str(err.value)


def test_size_limit_raises_e403_and_is_configurable(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(InputError, match=r"^E403: .*over the limit of 100\b"):
        decode_note(b"x" * 101, "big", max_bytes=100)
    with pytest.raises(InputError, match=r"^E403: "):
        suggest("seizure " * 20, max_bytes=100)
    monkeypatch.setenv("NEUROCODE_MAX_NOTE_BYTES", "100")
    with pytest.raises(InputError, match=r"^E403: "):
        suggest("seizure " * 20)
    assert decode_note(b"x" * 100, "ok")[0] == "x" * 100


@pytest.mark.parametrize("text", ["", "   ", "\n\n\t \r\n"])
def test_empty_note_warns(text: str) -> None:
    result = suggest(text, note_id="e1", date_of_service=DOS)
    assert result.error is None and result.suggestions == []
    assert [w[:4] for w in result.warnings] == ["E422"]


@pytest.mark.parametrize("bad", [None, 5, b"IMPRESSION: epilepsy", ["a list"]], ids=["none", "int", "bytes", "list"])
def test_suggest_rejects_non_text_with_numbered_error(bad: object) -> None:
    with pytest.raises(InputError) as err:
        suggest(bad, note_id="n1")  # type: ignore[arg-type]
    assert err.value.code == "E423"


def test_suggest_many_yields_one_result_per_item_in_order() -> None:
    items = [("a", NOTE), ("b", None), ("c", b"bytes"), ("d", 5), None, ("e", ""), ("f", "x" * 300), ("g", NOTE)]
    results = list(suggest_many(items, date_of_service=DOS, max_bytes=200))  # type: ignore[list-item]
    assert [r.note_id for r in results] == ["a", "b", "c", "d", None, "e", "f", "g"]
    assert [r.error["code"] if r.error else None for r in results] == [
        None, "E423", "E423", "E423", "E423", None, "E403", None]
    assert results[0].codes() == results[-1].codes() != []
    failed = results[1]
    assert failed.suggestions == [] and failed.warnings == [failed.error["message"]]
    assert failed.to_dict()["error"]["code"] == "E423" and results[0].to_dict()["error"] is None
    assert [row["error"] for row in failed.to_rows()] == ["E423"] and results[0].to_rows()[0]["error"] is None


def test_pipeline_failure_is_a_per_note_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import nlp.pipeline.facts

    real = nlp.pipeline.facts.doc_to_facts

    def flaky(doc):  # type: ignore[no-untyped-def]
        if "boom" in doc.text:
            raise ValueError(f"cannot parse {doc.text}")
        return real(doc)

    monkeypatch.setattr(nlp.pipeline.facts, "doc_to_facts", flaky)
    results = list(suggest_many([("a", NOTE), ("b", f"boom {MARKER}"), ("c", NOTE)], date_of_service=DOS))
    assert [r.error["code"] if r.error else None for r in results] == [None, "E424", None]
    assert "ValueError" in results[1].error["message"] and MARKER not in results[1].to_json()


def test_cli_unreadable_and_binary_files(tmp_path) -> None:  # type: ignore[no-untyped-def]
    runner = CliRunner()
    locked = tmp_path / "locked.txt"
    locked.write_text(NOTE)
    locked.chmod(0)
    binary = tmp_path / "scan.txt"
    binary.write_bytes(b"\x00\x01PD HA\x00" * 100)
    big = tmp_path / "big.txt"
    big.write_text("seizure " * 100)
    cases = [(binary, [], "E421"), (big, ["--max-bytes", "100"], "E403")]
    try:
        with open(locked):
            pass
    except PermissionError:  # root reads any file: the permission case only runs as a normal user
        cases.append((locked, [], "E426"))
    for path, extra, code in cases:
        res = runner.invoke(_app(), ["suggest", str(path), *extra])
        assert res.exit_code == 2 and res.stderr.startswith(f"{code}: "), (path.name, res.output)
        assert "Traceback" not in res.output


def test_permission_denied_is_numbered(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from pathlib import Path

    note = tmp_path / "n1.txt"
    note.write_text(NOTE)

    def denied(self):  # type: ignore[no-untyped-def]
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", denied)
    with pytest.raises(InputError, match=r"^E426: .*Permission denied"):
        read_note_file(str(note))


def test_cli_stdin_terminal_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import sys

    class Tty(io.BytesIO):
        def isatty(self) -> bool:
            return True

    from nlp.cli.common import read_text_input

    fake = io.TextIOWrapper(Tty(b""))
    monkeypatch.setattr(sys, "stdin", fake)
    with pytest.raises(InputError) as err:
        read_text_input("-")
    assert err.value.code == "E425"


def test_cli_stdin_utf16(tmp_path) -> None:  # type: ignore[no-untyped-def]
    res = CliRunner().invoke(_app(), ["suggest", "-", "--dos", DOS, "--format", "json"],
                             input=NOTE.encode("utf-16"))
    assert res.exit_code == 0, res.output
    assert '"G43.009"' in res.stdout


# ------------------------------------------------------------------ no note text in any error (item 6)

def _bad_inputs(tmp_path):  # type: ignore[no-untyped-def]
    """(description, callable) pairs: each plants MARKER in an input the library must refuse."""
    from nlp.codesets.edits import import_edits
    from nlp.codesets.procedures import import_cpt_descriptors

    ptp = tmp_path / "ptp.csv"
    ptp.write_text(f"{MARKER} patient note,{MARKER} more\nfoo,bar\n")
    cpt = tmp_path / "cpt.csv"
    cpt.write_text(f"{MARKER},{MARKER} text\n95907,x\n")
    binary = (MARKER.encode() + b"\x00\x01\x02") * 50
    return [
        ("suggest bytes", lambda: suggest(MARKER.encode())),  # type: ignore[arg-type]
        ("suggest list", lambda: suggest([MARKER])),  # type: ignore[arg-type]
        ("suggest over limit", lambda: suggest(MARKER * 20, max_bytes=50)),
        ("decode binary", lambda: decode_note(binary, "n1")),
        ("decode over limit", lambda: decode_note(MARKER.encode() * 20, "n1", max_bytes=50)),
        ("import-edits ptp", lambda: import_edits(ptp, kind="ptp", effective="2026-01-01", home=tmp_path / "h")),
        ("import-edits mue", lambda: import_edits(ptp, kind="mue", effective="2026-01-01", home=tmp_path / "h")),
        ("import-cpt-descriptors", lambda: import_cpt_descriptors(cpt, home=tmp_path / "h")),
    ]


def test_no_note_text_in_any_error(tmp_path, caplog: pytest.LogCaptureFixture) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.DEBUG)
    for name, call in _bad_inputs(tmp_path):
        with pytest.raises(NeurocodeError) as err:
            call()
        e = err.value
        for shown in (str(e), repr(e), repr(e.args), repr(e.kwargs), repr(e.__cause__), repr(e.__context__)):
            assert MARKER not in shown, name
    items = [("a", MARKER.encode()), ("b", MARKER * 20), ("c", [MARKER]), ("d", f"{MARKER} seizure")]
    results = list(suggest_many(items, max_bytes=100, date_of_service=DOS))
    for r in results[:3]:
        assert r.error is not None and MARKER not in r.to_json() and MARKER not in repr(r.exception)
    assert all(MARKER not in w for r in results for w in r.warnings)
    assert MARKER not in caplog.text


def test_cli_errors_carry_no_note_text(tmp_path) -> None:  # type: ignore[no-untyped-def]
    runner = CliRunner()
    ptp = tmp_path / "ptp.csv"
    ptp.write_text(f"{MARKER} patient note,{MARKER}\nfoo,bar\n")
    binary = tmp_path / "b.txt"
    binary.write_bytes((MARKER.encode() + b"\x00\x01") * 40)
    for args in (["codeset", "import-edits", str(ptp), "--kind", "ptp", "--effective", "2026-01-01"],
                 ["suggest", str(binary)], ["extract", str(binary)]):
        res = runner.invoke(_app(), args)
        assert res.exit_code == 2 and res.stderr[:1] == "E", args
        assert MARKER not in res.output, args


def test_decode_note_rejects_non_bytes() -> None:
    with pytest.raises(InputError) as err:
        decode_note(MARKER, "n1")  # type: ignore[arg-type]
    assert err.value.code == "E423" and MARKER not in repr(err.value)
    assert codecs.BOM_UTF8 + b"ok" != b"ok" and decode_note(codecs.BOM_UTF8 + b"ok")[0] == "ok"
