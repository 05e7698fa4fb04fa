"""Type of service of a note: certain rules first, the trained classifier otherwise.

Order: the first `certain` row of `claim_service_type_rules.csv` that matches the note's opening
lines (`head`) or whole text (`text`) decides the type (source `rule:<row>`); otherwise the
TF-IDF classifier (`models/service_type/model.json`) picks the most probable type (source `model`);
with no model, `other` (source `default`). The subtype (new / established, outpatient / inpatient,
EEG / EMG-NCS...) comes from the rule, then from `subtype` rows, then from the setting.
"""

from __future__ import annotations

from nlp.claim.model import active_model
from nlp.claim.records import ServiceType
from nlp.claim.tables import ServiceRule, service_rules

HEAD_LINES = 4
HEAD_CHARS = 400


def head_of(text: str) -> str:
    """The opening of a note: its first non-blank lines (titles and first headers live there)."""
    lines = [ln for ln in text.splitlines() if ln.strip()][:HEAD_LINES]
    return "\n".join(lines)[:HEAD_CHARS]


def _rule_hits(rule: ServiceRule, head: str, text: str) -> bool:
    return bool(rule.pattern.search(head if rule.target == "head" else text))


def certain_rule(text: str) -> ServiceRule | None:
    """The first `certain` rule the note matches (it decides the type), if any."""
    head = head_of(text)
    return next((r for r in service_rules() if r.use == "certain" and _rule_hits(r, head, text)), None)


def _subtype(service: str, head: str, text: str, setting: str) -> str:
    if service == "consultation" and setting == "inpatient":
        return "inpatient"
    for rule in service_rules():
        if rule.use == "subtype" and rule.service_type == service and _rule_hits(rule, head, text):
            return rule.subtype
    return "outpatient" if service == "consultation" else ""


def classify(text: str, setting: str = "outpatient", warnings: list[str] | None = None) -> ServiceType:
    """A certain rule's type (no probability: the rule is certain), else the model's most probable type
    with its probability and the top three alternatives."""
    head = head_of(text)
    rule = certain_rule(text)
    if rule is not None:
        sub = rule.subtype or _subtype(rule.service_type, head, text, setting)
        return ServiceType(rule.service_type, sub, f"rule:{rule.row}", None, rule.source, {})
    model, warning = active_model()
    if warning and warnings is not None:
        warnings.append(warning)
    probs = model.predict_proba(text) if model else {}
    ranked = dict(sorted(probs.items(), key=lambda kv: -kv[1])[:3])
    if not probs:
        return ServiceType("other", "", "default", None, "no rule matched and no model is loaded", {})
    best = max(probs, key=lambda k: probs[k])
    return ServiceType(best, _subtype(best, head, text, setting), "model", probs[best], "", ranked)
