"""Provider queries for NOS suggestions: the missing axes, the clinical indicators found in the
note, and a compliant, non-leading multiple-choice prompt (options always end with 'other' and
'clinically undetermined'; never a word about reimbursement). Templates are data:
`nlp/resources/query_templates.csv` (axis, question, options, source)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from nlp.coding.tables import load_table, split_list
from nlp.result import Query, Suggestion

CLOSING = ("other", "clinically undetermined")
MAX_INDICATOR_CHARS = 120


@dataclass(frozen=True)
class Template:
    axis: str
    question: str
    options: tuple[str, ...]


@lru_cache(maxsize=1)
def templates() -> dict[str, Template]:
    rows = load_table("query_templates.csv", ("axis", "question", "options"))
    return {r["axis"]: Template(r["axis"], r["question"], tuple(split_list(r["options"]))) for r in rows}


def _indicators(suggestion: Suggestion) -> list[str]:
    out = []
    for e in suggestion.evidence:
        text = " ".join(e.text.split())
        if len(text) > MAX_INDICATOR_CHARS:
            text = text[: MAX_INDICATOR_CHARS - 3].rstrip() + "..."
        if text and text not in out:
            out.append(text)
    return out


def build_query(suggestion: Suggestion) -> Query | None:
    axes = list(suggestion.missing_axes)
    if not axes:
        return None
    table = templates()
    indicators = _indicators(suggestion)
    if indicators:
        lead = "The note documents " + "; ".join(f"'{t}'" for t in indicators[:3]) + "."
    else:
        lead = f"The note documents {suggestion.description or suggestion.code}."
    questions = []
    by_axis: dict[str, list[str]] = {}
    for axis in axes:
        t = table.get(axis)
        opts: tuple[str, ...]
        if t is None:
            question, opts = f"Please clarify the {axis.replace('_', ' ')}", ()
        else:
            question, opts = t.question, t.options
        choice = " / ".join([*opts, *CLOSING])
        questions.append(f"{question}: {choice}.")
        by_axis[axis] = [*opts, *CLOSING]
    # every axis' choices, each once, with the closing choices last
    options = list(dict.fromkeys(o for opts_ in by_axis.values() for o in opts_ if o not in CLOSING)) + list(CLOSING)
    prompt = (
        lead
        + " Based on your clinical judgment, "
        + " ".join(q[0].lower() + q[1:] if n == 0 else q for n, q in enumerate(questions))
    )
    return Query(code=suggestion.code, axes=axes, prompt=prompt, options=options, indicators=indicators,
                 options_by_axis=by_axis)
