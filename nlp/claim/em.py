"""E/M suggestion for visits and consultations: the category from the service type, the level from
the documented total time on the date of the encounter (thresholds in force on the date of service,
`em_time_thresholds.csv`). Without documented time the level is NOS with a query on time / medical
decision making: the note's decision making is not scored here, so no level is guessed.
Consultations carry the Medicare visit-code alternative (`em_medicare_crosswalk.csv`)."""

from __future__ import annotations

import datetime as dt

from nlp.claim.records import EmSuggestion, ServiceType
from nlp.claim.tables import em_codes, em_queries, medicare_crosswalk, patterns, time_thresholds

TIME_PATTERNS = ("em_total_time", "em_time_spent", "em_minute_visit")
MAX_MINUTES = 600

CATEGORY_OF = {
    ("office_visit", "new"): "office_new",
    ("office_visit", "established"): "office_established",
    ("office_visit", ""): "office",
    ("consultation", "outpatient"): "consult_outpatient",
    ("consultation", "inpatient"): "consult_inpatient",
    ("hospital_care", "discharge"): "discharge",
}


def documented_minutes(text: str) -> tuple[int, int, int] | None:
    """(minutes, start, end) of the first statement of the practitioner's time, if any."""
    found = []
    for name in TIME_PATTERNS:
        for m in patterns()[name].finditer(text):
            minutes = int(m.group(1))
            if 0 < minutes <= MAX_MINUTES:
                found.append((m.start(), minutes, m.end()))
                break
    if not found:
        return None
    start, minutes, end = min(found)
    return minutes, start, end


def _query(axes: list[str]) -> dict:
    rows = [em_queries()[a] for a in axes]
    return {"axes": axes, "prompt": " ".join(r["prompt"] for r in rows),
            "options": [o.strip() for r in rows for o in r["options"].split(";") if o.strip()]}


def _codes(category: str) -> list[str]:
    cats = ("office_new", "office_established") if category == "office" else (category,)
    return [c for c, row in em_codes().items() if row.category in cats]


def _medicare(category: str, day: dt.date) -> list[dict[str, str]]:
    return [{"category": r["alternative_category"], "codes": r["alternative_codes"], "when": r["when"],
             "source": r["source"]}
            for r in medicare_crosswalk()
            if r["category"] == category and r["payer"] == "medicare"
            and dt.date.fromisoformat(r["effective_from"]) <= day]


def suggest_em(service: ServiceType, text: str, dos: dt.date | None) -> EmSuggestion | None:
    category = CATEGORY_OF.get((service.type, service.subtype))
    if category is None:
        return None
    day = dos or dt.date.today()
    codes = _codes(category)
    rows = sorted((t for t in time_thresholds() if t.category == category and t.in_force(day)),
                  key=lambda t: t.min_minutes)
    time = documented_minutes(text)
    em = EmSuggestion(category=category, codes=codes, code=None, label="NOS",
                      thresholds={t.code: t.min_minutes for t in rows},
                      threshold_source=rows[0].source if rows else "",
                      medicare_alternative=_medicare(category, day))
    axes: list[str] = []
    if category == "office":
        axes.append("patient_status")
        em.rationale = "visit documented, new vs established patient not stated"
    if time:
        em.minutes, start, end = time
        em.time_evidence = {"start": start, "end": end}
    met = [t for t in rows if em.minutes is not None and t.min_minutes <= em.minutes]
    if category != "office" and met:
        chosen = met[-1]
        em.code, em.label = chosen.code, "specific"
        em.rationale = (f"{service.type} ({category}), total time {em.minutes} min documented >= "
                        f"{chosen.min_minutes} min threshold in force on {day.isoformat()} -> {chosen.code}")
    elif em.minutes is not None and not rows:
        em.rationale = f"no {category} time thresholds in force on {day.isoformat()}: level by decision making"
        axes.append("em_level")
    elif em.minutes is not None and not met:
        em.rationale = (f"documented time {em.minutes} min is below the lowest {category} threshold: level by "
                        "medical decision making")
        axes.append("em_level")
    elif em.minutes is None:
        em.rationale = (em.rationale + "; " if em.rationale else "") + (
            f"{category}: no total time documented; level NOS (not guessed from the note)")
        axes.append("em_level")
    if em.code:
        em.description = em_codes()[em.code].description
    em.query = _query(axes) if axes else None
    return em
