"""Sleep study (attended polysomnography): CPT 95810 / 95811 (age 6 or older, 4 or more additional
parameters, without / with CPAP or bilevel initiation), 95782 / 95783 (the same under 6 years), 95808
(1-3 additional parameters), from the rows of `coding_sleep.csv`.

The sleep study is an `eeg`-family fact: concept `polysomnography` (the term), or the `eeg` fact of a
report that lists the recording channels without naming the study ('monitored for EEG, EOG, chin and
leg EMG, airflow, effort and oximetry', gold mts-01468). The pipeline's sleep-study details
(`nlp/pipeline/procedures.py` `_sleep_study`) give each mention's section and whether its sentence
plans the study or places it earlier; only this encounter's study is coded: mentions in history,
indication or plan sections (`coding_sections.csv` policy `mention`), in narrative sections, planned
('PSG ordered', 'suggest CPAP titration study') or prior ('reported separately') are not.

- Parameters: the additional parameters (`sleep_param_*` patterns: leg EMG, airflow, effort,
  oximetry, ECG, snoring, position, CO2) named in this study's channel lists; none named -> the row
  marked `unread_default` (a full diagnostic study, 95810), NOS, query `sleep_study_parameters`.
- Titration: a positive-airway-pressure sentence of the study stating initiation or titration
  (split-night) -> 95811 / 95783; PAP named without it -> NOS, query `titration`.
- Age: `patient_age_years` (the note's first age phrase); not stated -> the 6-or-older rows.
- Home / unattended sleep tests (95800 / 95801 / 95806, HCPCS G0398-G0400) are not coded here: the
  choice between the CPT and the Medicare G codes depends on the payer and on the device type, which
  the facts do not give; the coder warns instead.
"""

from __future__ import annotations

from typing import Any

from nlp.coding.base import CodingContext, merged_attrs
from nlp.coding.tables import Row, load_table, sections_with
from nlp.facts import Fact
from nlp.result import Suggestion

REQUIRED = ("item", "value")
OPTIONAL = ("min_age_years", "max_age_years", "min_params", "max_params", "titration", "unread_default")


def _rows(item: str) -> list[Row]:
    return [r for r in load_table("coding_sleep.csv", REQUIRED, OPTIONAL) if r["item"] == item]


def this_encounter(mention: dict[str, Any]) -> bool:
    """A sleep-study mention of this encounter's report: not in a history / indication / plan section,
    not in a narrative section, and its sentence neither plans the study nor places it earlier."""
    return not (mention.get("narrative") or mention.get("planned") or mention.get("prior")
                or mention.get("section") in sections_with("mention"))


def study_mentions(a: dict[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(this encounter's polysomnography terms, this encounter's channel lists)."""
    named = [m for m in a.get("psg_mentions") or [] if m.get("assertion") == "present" and this_encounter(m)]
    channels = [m for m in a.get("sleep_channel_mentions") or [] if this_encounter(m)]
    return named, channels


def performed(a: dict[str, Any]) -> bool:
    """Was a sleep study done in this encounter? The study named here, or a channel list here with a
    staging channel and a respiratory channel (a routine EEG's ECG and eye leads are not a sleep study)."""
    named, channels = study_mentions(a)
    if named:
        return True
    respiratory = {r["value"] for r in _rows("respiratory_parameter")}
    return any(m.get("staging") and respiratory & set(m.get("params") or []) for m in channels)


def parameters(a: dict[str, Any]) -> list[str]:
    """The additional parameters recorded in this encounter's study (channel lists), in order."""
    out: list[str] = []
    for m in study_mentions(a)[1]:
        out.extend(p for p in m.get("params") or [] if p not in out)
    return out


def titration(a: dict[str, Any]) -> bool | None:
    """True: the study initiated CPAP / bilevel (titration, split-night); False: no PAP named in the study,
    or only negated; None: PAP named in the study without initiation or titration wording."""
    pap = [m for m in a.get("pap_mentions") or [] if this_encounter(m)]
    if any(m.get("titration") and not m.get("negated") for m in pap):
        return True
    if any(not m.get("negated") for m in pap):
        return None
    return False


def _age_ok(row: Row, age: float | None) -> bool:
    if age is None:  # not stated: the 6-or-older rows (an age band with an upper limit needs the age)
        return not row["max_age_years"]
    low = float(row["min_age_years"] or 0)
    return low <= age and (not row["max_age_years"] or age < float(row["max_age_years"]))


def pick(age: float | None, count: int | None, titrated: bool) -> Row | None:
    """The first study row for the age, parameter count (None: not read -> the `unread_default` rows)
    and titration."""
    for r in _rows("study"):
        if not _age_ok(r, age) or r["titration"] != str(titrated).lower():
            continue
        if count is None:
            if r["unread_default"] == "yes":
                return r
        elif int(r["min_params"]) <= count <= int(r["max_params"]):
            return r
    return None


class SleepStudyCoder:
    family = "sleep_study"
    concepts = frozenset({"polysomnography", "eeg"})

    def code(self, facts: list[Fact], ctx: CodingContext) -> list[Suggestion]:
        if not facts:
            return []
        a = merged_attrs(facts)
        named = any(f.concept == "polysomnography" for f in facts)
        if not performed(a):
            if named:
                ctx.warnings.append("sleep_study: the polysomnography is named only as a prior, planned or "
                                    "quoted study; not coded (not performed in this encounter).")
            return []
        if any(this_encounter(m) for m in a.get("unattended_mentions") or []):
            ctx.warnings.append("sleep_study: a home / unattended sleep test (CPT 95800-95806, HCPCS "
                                "G0398-G0400) is not coded by the attended polysomnography coder; review it.")
            return []
        params = parameters(a)
        titrated = titration(a)
        age = a.get("patient_age_years")
        age = float(age) if isinstance(age, int | float) else None
        missing: list[str] = []
        if not params:
            missing.append("sleep_study_parameters")
        if titrated is None:
            missing.append("titration")
        row = pick(age, len(params) or None, bool(titrated))
        if row is None:
            ctx.warnings.append(f"sleep_study: no sleep-study code for {len(params)} additional parameter(s), "
                                f"titration={bool(titrated)}; not suggested.")
            return []
        stated = [ax for ax in ("sleep_study_parameters", "titration") if ax not in missing]
        why = (
            f"attended polysomnography, additional parameters={','.join(params) or 'not stated'} "
            f"({len(params)}), titration={'not clear' if titrated is None else titrated}, "
            f"age={'not stated' if age is None else f'{age:g}'} -> {row['value']}"
        )
        return [
            ctx.procedure_suggestion(
                "CPT",
                row["value"],
                family=self.family,
                source="sleep_study",
                facts=facts,
                missing=missing,
                stated=stated,
                rationale=why,
            )
        ]
