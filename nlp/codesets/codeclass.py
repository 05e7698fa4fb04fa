"""Code class of a code: `specific`, `NEC` ("other"/"other specified"/unlisted) or `NOS` ("unspecified").

Derived from the code's own description with the ordered rules in
`nlp/resources/code_class_rules.csv` (first match wins; no match = specific). This is the class
of the *code*; the label of a *suggestion* also depends on which axes the note stated
(see nlp/review/labels.py).
"""

from __future__ import annotations

import csv
import importlib.resources
import re
from functools import lru_cache

from nlp.errors import Errors, ResourceError

CLASSES = ("specific", "NEC", "NOS")
RULES_FILE = "code_class_rules.csv"


@lru_cache(maxsize=1)
def _rules() -> tuple[tuple[str, re.Pattern[str], str], ...]:
    text = (importlib.resources.files("nlp.resources") / RULES_FILE).read_text(encoding="utf-8")
    out = []
    for i, row in enumerate(csv.DictReader(text.splitlines()), start=2):
        if row.get("code_class") not in CLASSES or not row.get("source") or not row.get("pattern"):
            raise ResourceError(Errors.E301, resource=RULES_FILE, row=i,
                                detail="needs system, pattern, code_class (specific|NEC|NOS) and source")
        out.append((row["system"], re.compile(row["pattern"], re.IGNORECASE), row["code_class"]))
    return tuple(out)


def classify(system: str, code: str, description: str) -> str:
    for rule_system, pattern, code_class in _rules():
        if rule_system == system and pattern.search(description):
            return code_class
    return "specific"
