"""Shared helpers for the term matchers: term variants and longest-match selection."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc


def variants(term: str, case_sensitive: bool) -> Iterator[str]:
    """The term, its hyphen/space spellings and a plural of its last word (lower-case terms only)."""
    forms = {term}
    if "-" in term:
        forms.add(term.replace("-", " "))
        forms.add(term.replace("-", ""))
    elif " " in term and not case_sensitive:
        forms.add(term.replace(" ", "-"))
    if not case_sensitive:
        for f in list(forms):
            last = f.rsplit(" ", 1)[-1]
            if not last[-1:].isalpha() or last.endswith("s") or "'" in last:
                continue
            forms.add(f[:-1] + "ies" if last.endswith("y") and last[-2:-1] not in "aeiou" else f + "s")
    yield from sorted(forms)


class TermMatcher:
    """Two PhraseMatchers (LOWER for ordinary terms, ORTH for case-sensitive abbreviations) returning
    the longest non-overlapping matches as (start, end, payload)."""

    def __init__(self, nlp: Language, entries: Iterable[tuple[str, bool, object]]) -> None:
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.orth = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.payloads: dict[int, object] = {}
        by_key: dict[tuple[bool, str], object] = {}
        for term, case_sensitive, payload in entries:
            for form in variants(term, case_sensitive):
                key = (case_sensitive, form if case_sensitive else form.lower())
                by_key.setdefault(key, payload)  # first row wins; files are read in a stable order
        lower_terms = [k[1] for k in by_key if not k[0]]
        orth_terms = [k[1] for k in by_key if k[0]]
        for matcher, terms, cs in ((self.lower, lower_terms, False), (self.orth, orth_terms, True)):
            docs = list(nlp.tokenizer.pipe(terms)) if hasattr(nlp.tokenizer, "pipe") else [
                nlp.make_doc(t) for t in terms]
            for term, pattern in zip(terms, docs, strict=True):
                key_str = f"{'cs' if cs else 'ci'}:{term}"
                key_id = nlp.vocab.strings.add(key_str)
                self.payloads[key_id] = by_key[(cs, term)]
                matcher.add(key_str, [pattern])

    def __call__(self, doc: Doc) -> list[tuple[int, int, object]]:
        matches = self.lower(doc) + self.orth(doc)
        if not matches:
            return []
        # longest first, then leftmost; keep non-overlapping
        matches.sort(key=lambda m: (m[1] - m[2], m[1]))
        taken = bytearray(len(doc))
        out = []
        for key, start, end in matches:
            if any(taken[start:end]):
                continue
            taken[start:end] = b"\x01" * (end - start)
            out.append((start, end, self.payloads[key]))
        out.sort(key=lambda m: m[0])
        return out
