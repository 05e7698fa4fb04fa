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
        return text
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
    assert len(out) == len(text)
    return out


def original_text(doc: Doc) -> str:
    original = doc.user_data.get(ORIGINAL_KEY)
    return original if original is not None else doc_text(doc)


TEXT_KEY = "neurocode_text"


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
