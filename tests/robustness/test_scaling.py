"""Issue 10 item 1: work grows about linearly with the note length.

Work is counted, not timed: the number of Python function calls (and calls into C functions) made
while one note is coded, for a note and the same material four times over. A quadratic step
(a scan of every earlier match for each match, a search over the whole text per entity) makes the
count grow about 16-fold; linear or n log n steps about 4-fold.
"""

from __future__ import annotations

import sys
from pathlib import Path

from nlp.api import suggest
from nlp.pipeline import load_pipeline
from nlp.pipeline.normalizer import doc_text

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
DOS = "2026-05-14"


def _note(repeats: int) -> str:
    parts = [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.txt"))]
    return "\n\n".join(parts * repeats)


def _calls(text: str) -> int:
    count = 0

    def tracer(frame, event, arg):  # type: ignore[no-untyped-def]
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    sys.setprofile(tracer)
    try:
        suggest(text, date_of_service=DOS)
    finally:
        sys.setprofile(None)
    return count


def test_work_grows_near_linearly() -> None:
    suggest(_note(1) + "\nIMPRESSION:\nCongenital deformity of foot.\n", date_of_service=DOS)  # caches warm
    small, large = _calls(_note(4)), _calls(_note(16))
    assert small > 1000
    assert large / small < 4 * 1.35, (small, large)


def test_run_on_line_grows_near_linearly() -> None:
    """One line with no punctuation and no line break (an export that lost its layout): one
    'sentence' of the whole note made sentence and ConText work quadratic."""
    def run_on(repeats: int) -> str:
        return " ".join(_note(repeats).split()).replace(".", " ").replace(":", " ")

    suggest(run_on(1), date_of_service=DOS)
    small, large = _calls(run_on(4)), _calls(run_on(16))
    assert large / small < 4 * 1.35, (small, large)


def test_doc_text_is_built_once_per_doc() -> None:
    doc = load_pipeline()("IMPRESSION:\nMigraine.\n")
    assert doc_text(doc) is doc_text(doc) and doc_text(doc) == doc.text
