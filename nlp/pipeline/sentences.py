"""Fast rule-based sentence boundaries for clinical text.

Boundaries: every line break (headers, list items and table rows are lines in clinical notes), the
end of an inline `HEADER:`, and sentence-final punctuation followed by a capital or a digit —
except after abbreviations ("Dr.", "p.o.") and list numbers ("1.  Pneumonia"). Boundaries are
found with regular expressions over the text and written in one `Doc.from_array` call, so the cost
is nearly independent of the number of tokens (PyRuSH, medspaCy's default, is far slower). A run
without any boundary is cut every `MAX_SENTENCE_TOKENS` tokens, which keeps the work linear.
"""

from __future__ import annotations

import re

import numpy
from spacy.attrs import IDX, IS_SPACE, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from nlp.pipeline.normalizer import doc_text
from nlp.pipeline.resources import patterns
from nlp.pipeline.sections import SECTIONS_KEY

_ABBREV_END = re.compile(r"(?:\b(?:dr|mr|mrs|ms|st|vs|no|approx|e\.g|i\.e|etc|pt|fig|al)|\b[a-z]\.[a-z]|\b[A-Z])\.$",
                         re.IGNORECASE)
_LIST_NUMBER = re.compile(r"(?:^|\n)[ \t]*\(?[0-9]{1,2}[.)]$")


def boundary_chars(doc: Doc) -> list[int]:
    text = doc_text(doc)
    chars = [m.end() for m in re.finditer(r"\n", text)]
    chars.extend(end for _, end, _ in doc.user_data.get(SECTIONS_KEY) or [])
    for m in patterns()["sentence_end"].finditer(text):
        head = text[max(0, m.start() - 12): m.start() + 1]
        if _ABBREV_END.search(head) or _LIST_NUMBER.search(text[max(0, m.start() - 6): m.start() + 1]):
            continue
        chars.append(m.end())
    return chars


MAX_SENTENCE_TOKENS = 400  # a longer 'sentence' is a run-on export line (no punctuation, no breaks)


def _cap_length(starts: numpy.ndarray) -> None:
    """Start a new sentence every `MAX_SENTENCE_TOKENS` tokens inside a longer one: sentence and
    ConText scope work is quadratic in the sentence length, and no clinical sentence is that long."""
    idx = numpy.flatnonzero(starts)
    bounds = numpy.append(idx, len(starts))
    for a, b in zip(bounds[:-1], bounds[1:], strict=True):
        if b - a > MAX_SENTENCE_TOKENS:
            starts[a + MAX_SENTENCE_TOKENS: b: MAX_SENTENCE_TOKENS] = True


@Language.factory("neurocode_sentences_v1", assigns=["token.is_sent_start"], requires=[], default_config={})
class SentenceSplitter:
    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if n == 0:
            return doc
        arr = doc.to_array([IDX, IS_SPACE])
        idx = arr[:, 0].astype(numpy.int64)
        space = arr[:, 1].astype(bool)
        pos = numpy.searchsorted(idx, numpy.asarray(boundary_chars(doc), dtype=numpy.int64), side="left")
        nonspace = numpy.flatnonzero(~space)
        starts = numpy.zeros(n, dtype=bool)
        if len(nonspace):
            # a boundary that lands on whitespace moves to the next non-space token
            j = numpy.searchsorted(nonspace, pos[pos < n], side="left")
            starts[nonspace[j[j < len(nonspace)]]] = True
        starts[0] = True
        _cap_length(starts)
        values = numpy.where(starts, 1, -1).astype(numpy.int64).astype(numpy.uint64).reshape(n, 1)
        doc.from_array([SENT_START], values)  # type: ignore[arg-type]  # spaCy's stub wants its own Ints2d alias
        return doc
