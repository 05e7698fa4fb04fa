"""Small vocabularies kept as data (word_lists.csv, family_history_concepts.csv, age_limited_conditions.csv)."""

from __future__ import annotations

import pytest

from nlp.errors import ResourceError
from nlp.facts import FAMILIES
from nlp.pipeline.resources import age_limited_terms, family_history_concepts, word_list


def test_reflex_words_are_lower_case_words() -> None:
    words = word_list("reflex_words")
    assert "reflexes" in words and all(w == w.lower() and " " not in w for w in words)


def test_unknown_word_list_is_a_numbered_error() -> None:
    with pytest.raises(ResourceError, match="E301"):
        word_list("no_such_list")


def test_family_history_concepts_cover_known_families() -> None:
    table = family_history_concepts()
    assert table["stroke"] == "family_history_stroke"
    assert table["epilepsy"] == "family_history_nervous_disease"
    assert set(table) <= set(FAMILIES)


def test_age_limits_are_positive_years() -> None:
    limits = age_limited_terms()
    assert limits["infantile spasms"] == 5 and all(v > 0 for v in limits.values())


def test_term_texts_are_unique() -> None:
    """The term matchers keep the first row of a repeated term and drop the rest silently, so a
    second row for the same words (e.g. 'acute' for two families) must be merged into the first."""
    import csv
    from collections import Counter
    from importlib import resources

    folder = resources.files("nlp.resources") / "terms"
    entity: Counter[str] = Counter()
    for path in folder.iterdir():
        if not path.name.endswith(".csv") or path.name in ("nerves.csv", "muscles.csv", "ncs_vocab.csv"):
            continue
        rows = list(csv.DictReader(path.read_text(encoding="utf-8").splitlines()))
        keys = Counter(r["term"] if r["case_sensitive"] == "yes" else r["term"].lower() for r in rows)
        if path.name == "modifiers.csv":
            assert [k for k, n in keys.items() if n > 1] == [], path.name
        else:
            entity.update(keys)
    assert [k for k, n in entity.items() if n > 1] == []


def test_section_headers_are_unique() -> None:
    """One row per header in sections.csv: a second row for the same header would be dead data."""
    import csv
    from collections import Counter
    from importlib import resources

    text = (resources.files("nlp.resources") / "sections.csv").read_text(encoding="utf-8")
    counts = Counter(" ".join(r["header"].lower().split()) for r in csv.DictReader(text.splitlines()))
    assert [h for h, n in counts.items() if n > 1] == []
