"""Offset-preserving normalisation, run as the pipeline's tokenizer.

Typographic quotes and dashes become their ASCII forms (one character each). HTML/RTF markup, HTML
character references and control characters are replaced by spaces (block
tags and RTF paragraph marks by a newline followed by spaces) so that the cleaned text has exactly
the length of the original: every character offset into the Doc is an offset into the original
note. The original text is kept in `doc.user_data` when it differs; `original_text(doc)` returns it.
"""

from __future__ import annotations

import html
import re

from spacy.tokens import Doc
from spacy.util import registry

from nlp.pipeline.resources import patterns

ORIGINAL_KEY = "neurocode_original_text"
_FAST_CHECK = re.compile(r"[<&\\{}\r\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00a0\u2028\u2029\ufeff\u200b"
                         r"\u2018\u2019\u201c\u201d\u2013\u2014]")
# typographic punctuation -> ASCII, one character for one ('Bell\u2019s palsy' matches "Bell's palsy")
_TYPOGRAPHIC = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-",
                              "\u2014": "-"})


def _blank(match: re.Match[str], newline: bool = False) -> str:
    n = match.end() - match.start()
    return ("\n" + " " * (n - 1)) if newline and n else " " * n


def normalise(text: str) -> str:
    """Return `text` with markup and control characters blanked; same length as `text`."""
    if not _FAST_CHECK.search(text):
        return join_soft_wraps(text)
    pats = patterns()
    out = text
    if out.lstrip()[:6].lower() == "{\\rtf1" or out.lstrip()[:5] == "{\\rtf":
        out = pats["rtf_par"].sub(lambda m: _blank(m, newline=True), out)
        out = pats["rtf_control"].sub(_blank, out)
        out = out.replace("{", " ").replace("}", " ")
    if "<" in out:
        breaks = pats["html_break_tag"]

        def tag(m: re.Match[str]) -> str:
            return _blank(m, newline=bool(breaks.match(m.group(0))))

        out = pats["html_tag"].sub(tag, out)
    if "&" in out:

        def entity(m: re.Match[str]) -> str:
            char = html.unescape(m.group(0))
            if len(char) != 1 or char == m.group(0) or not char.isprintable():
                char = " "
            return char + " " * (m.end() - m.start() - 1)

        out = pats["html_entity"].sub(entity, out)
    out = out.translate(_TYPOGRAPHIC)
    out = out.replace("\r\n", " \n").replace("\r", "\n")
    out = pats["control_chars"].sub(_blank, out)
    out = join_soft_wraps(out)
    assert len(out) == len(text)
    return out


MAX_WRAP_WIDTH = 100  # EHR exports wrap at 60-80 columns (some at 100); longer lines are not wrapped
MIN_WRAP_WIDTH = 50
MIN_FULL_SHARE = 0.15  # share of non-blank lines at least 3/4 of the width in a hard-wrapped note
_NO_JOIN_AFTER = frozenset(".:;?!")
_LIST_START = re.compile(r"[ \t]*(?:[-*\u2022>#]|\(?[0-9]{1,2}[.)]|\(?[A-Za-z][.)][ \t])")


def join_soft_wraps(text: str) -> str:
    """A hard-wrapped note ('There is no' / 'evidence of multiple sclerosis') reads as its sentences:
    a line break where the next word would not have fitted on the line is a soft wrap and becomes a
    space (same length), so sentences and ConText scopes do not end inside a sentence.

    A note is taken as hard-wrapped when no line is longer than `MAX_WRAP_WIDTH` and most lines
    are near its longest line (the wrap width). A break stays a break after sentence or header
    punctuation (. : ; ? !), before a blank line, a list item or a 'Header:' line, and wherever the
    next word would have fitted (the line was ended on purpose)."""
    if "\n" not in text:
        return text
    lines = text.split("\n")
    lengths = [len(line.rstrip()) for line in lines]
    width = max(lengths)
    if not MIN_WRAP_WIDTH <= width <= MAX_WRAP_WIDTH:
        return text
    filled = [n for n in lengths if n]
    full = sum(1 for n in filled if n >= 0.75 * width)
    if full < 3 or full < MIN_FULL_SHARE * len(filled):
        return text
    header = patterns()["header_line"]
    out = list(text)
    pos = 0
    for i in range(len(lines) - 1):
        line, nxt = lines[i], lines[i + 1]
        pos += len(line)  # offset of the line break after `line`
        n = lengths[i]
        if n and nxt.strip() and line.rstrip()[-1] not in _NO_JOIN_AFTER \
                and n + 1 + len(nxt.split(maxsplit=1)[0]) > width \
                and not _LIST_START.match(nxt) and not header.match(nxt):
            out[pos] = " "
        pos += 1
    return "".join(out)


_SPACE_RUN = re.compile(r" +")
_SINGLE_SPACE = re.compile(r"(?<! ) (?! )")


def undouble_spaces(text: str) -> tuple[str, list[int] | None]:
    """A double-spaced export (every run of spaces has an even length: each space of the note was
    written twice) -> (the note with each run halved, the original offset of each of its characters);
    (text, None) for any other note. The pipeline reads the halved note; `remap_evidence` puts the
    offsets back on the original."""
    if _SINGLE_SPACE.search(text):  # most notes: an odd run found at once
        return text, None
    runs = [m.end() - m.start() for m in _SPACE_RUN.finditer(text)]
    if not runs or any(n % 2 for n in runs):
        return text, None
    parts: list[str] = []
    positions: list[int] = []
    last = 0
    for m in _SPACE_RUN.finditer(text):
        parts.append(text[last:m.start()])
        positions.extend(range(last, m.start()))
        half = (m.end() - m.start()) // 2
        parts.append(" " * half)
        positions.extend(range(m.start(), m.start() + half))
        last = m.end()
    parts.append(text[last:])
    positions.extend(range(last, len(text)))
    return "".join(parts), positions


def remap_evidence(facts: list, original: str, positions: list[int]) -> None:
    """Evidence offsets of a note read through `undouble_spaces` -> offsets and text of the original."""
    from dataclasses import replace

    def start(i: int) -> int:
        return positions[i] if i < len(positions) else len(original)

    def end(i: int) -> int:
        return positions[i - 1] + 1 if i > 0 else 0

    for fact in facts:
        fact.evidence = [replace(e, start=start(e.start), end=max(start(e.start), end(e.end)),
                                 text=original[start(e.start):max(start(e.start), end(e.end))])
                         for e in fact.evidence]


def original_text(doc: Doc) -> str:
    original = doc.user_data.get(ORIGINAL_KEY)
    return original if original is not None else doc_text(doc)


TEXT_KEY = "neurocode_text"
_LOWER = re.compile(r"[a-z]")


def all_caps(doc: Doc) -> bool:
    """Is the note written in capitals only (some exports)? Then letter case tells nothing: an
    upper-case line is not a header and 'MS.' may be the title 'Ms.'."""
    key = "neurocode_all_caps"
    if key not in doc.user_data:
        doc.user_data[key] = _LOWER.search(doc_text(doc)) is None
    return doc.user_data[key]


def doc_text(doc: Doc) -> str:
    """`doc.text`, built once per Doc: spaCy rebuilds `doc.text` from every token on each read, so a
    read inside a loop made the pipeline quadratic in the note length. Components never change the
    text, so the first read is cached in `doc.user_data`."""
    text = doc.user_data.get(TEXT_KEY)
    if text is None:
        text = doc.user_data[TEXT_KEY] = doc.text
    return text


class NormalisingTokenizer:
    """Wraps spaCy's tokenizer: normalise (same length), then tokenise."""

    def __init__(self, tokenizer):
        self.tokenizer = tokenizer
        self.vocab = tokenizer.vocab

    def __call__(self, text: str) -> Doc:
        clean = normalise(text)
        doc = self.tokenizer(clean)
        if clean is not text and clean != text:
            doc.user_data[ORIGINAL_KEY] = text
        return doc

    def pipe(self, texts, batch_size: int = 1000):
        for text in texts:
            yield self(text)

    def to_bytes(self, **kwargs):
        return self.tokenizer.to_bytes(**kwargs)

    def from_bytes(self, data, **kwargs):
        self.tokenizer.from_bytes(data, **kwargs)
        return self


@registry.tokenizers("neurocode_normalising_tokenizer_v1")
def create_normalising_tokenizer():
    from spacy.tokenizer import Tokenizer  # noqa: F401  (documents the wrapped type)

    def make(nlp):
        from spacy.lang.en import English

        return NormalisingTokenizer(English.Defaults.create_tokenizer()(nlp))

    return make
