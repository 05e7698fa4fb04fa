"""Section detection over header lines (`HEADER:` at a line start, or a known header alone on a line).

A regex pass over the text is an order of magnitude faster than medspaCy's Sectionizer on these
notes and needs no sentence splitter. Header vocabulary, categories and the family/historical flags
of each category are data: `nlp/resources/sections.csv`.
"""

from __future__ import annotations

from bisect import bisect_right

from spacy.language import Language
from spacy.tokens import Doc

from nlp.pipeline.normalizer import all_caps, doc_text
from nlp.pipeline.resources import normalise_header, patterns, section_flags, section_rules

SECTIONS_KEY = "neurocode_sections"  # doc.user_data: list of (start_char, header_end_char, category)
STARTS_KEY = "neurocode_section_starts"
NO_SECTION = "none"
_PARENT_KEEPS_SUBSECTIONS = ("exam", "ros")


def _lookup(candidate: str) -> tuple[str, str] | None:
    rules = section_rules()
    key = normalise_header(candidate)
    rule = rules.get(key)
    if rule is None:
        words = key.split()
        for k in range(len(words) - 1, 0, -1):
            rule = rules.get(" ".join(words[:k]).rstrip(",;-"))  # 'NEEDLE EMG, RIGHT LOWER EXTREMITY:'
            if rule is not None:
                break
        # a known header followed by other words is a header when the known part is in capitals
        # ('NERVE CONDUCTION STUDIES (6 studies):'), not a sentence starting with those words
        head = " ".join(candidate.split()[:k]) if rule is not None else ""
        if rule is None or not (candidate.isupper() or (head.isupper() and len(head) > 3)):
            return None
    return rule.category, rule.kind


def find_sections(text: str, known_only: bool = False) -> list[tuple[int, int, str]]:
    """Header lines -> (start, header end, category). `known_only`: only headers named in
    sections.csv (a note in capitals only, where any line looks like an unknown capitals header)."""
    pats = patterns()
    found: dict[int, tuple[int, int, str, str]] = {}
    for pat, need_known in ((pats["header_line"], False), (pats["caps_header_line"], True)):
        for m in pat.finditer(text):
            cand = m.group(1)
            if not cand or not any(c.isalpha() for c in cand):
                continue
            hit = _lookup(cand)
            if hit is None:
                if need_known or known_only or not cand.isupper() or len(cand) < 2:
                    continue
                hit = ("other", "subsection")
            found.setdefault(m.start(1), (m.start(1), m.end(), hit[0], hit[1]))
    out: list[tuple[int, int, str]] = []
    parent = NO_SECTION
    for start in sorted(found):
        _, end, category, kind = found[start]
        if kind == "section":
            parent = category
        elif parent in _PARENT_KEEPS_SUBSECTIONS:
            category = parent
        out.append((start, end, category))
    return out


def section_at(doc: Doc, char: int) -> str:
    """Section category of the character offset `char` ("none" before the first header)."""
    sections = doc.user_data.get(SECTIONS_KEY) or []
    i = bisect_right(doc.user_data.get(STARTS_KEY) or [], char) - 1
    return sections[i][2] if i >= 0 else NO_SECTION


def section_flag(category: str) -> str:
    return section_flags().get(category, "")


def in_header(doc: Doc, start: int, end: int) -> str | None:
    """Category of the header whose text contains [start, end), else None."""
    sections = doc.user_data.get(SECTIONS_KEY) or []
    i = bisect_right(doc.user_data.get(STARTS_KEY) or [], start) - 1
    if i >= 0 and end <= sections[i][1]:
        return sections[i][2]
    return None


@Language.factory("neurocode_sections_v1", assigns=["doc._.neurocode_sections"], requires=[], default_config={})
class Sectionizer:
    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        if not Doc.has_extension("neurocode_sections"):
            Doc.set_extension("neurocode_sections", getter=lambda d: d.user_data.get(SECTIONS_KEY, []))
        section_rules()  # validate the data file at construction, not on the first note

    def __call__(self, doc: Doc) -> Doc:
        sections = find_sections(doc_text(doc), known_only=all_caps(doc))
        doc.user_data[SECTIONS_KEY] = sections
        doc.user_data[STARTS_KEY] = [s[0] for s in sections]
        return doc
