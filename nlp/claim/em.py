"""E/M suggestion for visits and consultations: the category from the service type, the level from
the documented total time on the date of the encounter (thresholds in force on the date of service,
`em_time_thresholds.csv`). Without documented time the level is NOS with a query on time / medical
decision making: the note's decision making is not scored here, so no level is guessed.
Consultations carry the Medicare visit-code alternative (`em_medicare_crosswalk.csv`)."""

from __future__ import annotations

import datetime as dt

from nlp.claim.records import EmSuggestion, ServiceType
from nlp.claim.tables import TimeThreshold, em_codes, em_queries, medicare_crosswalk, patterns, time_thresholds

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


def _in_force(category: str, day: dt.date) -> list[TimeThreshold]:
    return sorted((t for t in time_thresholds() if t.category == category and t.in_force(day)),
                  key=lambda t: t.min_minutes)


def _level(rows: list[TimeThreshold], minutes: int | None) -> TimeThreshold | None:
    met = [t for t in rows if minutes is not None and t.min_minutes <= minutes]
    return met[-1] if met else None


def suggest_em(service: ServiceType, text: str, dos: dt.date | None) -> EmSuggestion | None:
    category = CATEGORY_OF.get((service.type, service.subtype))
    if category is None:
        return None
    day = dos or dt.date.today()
    rows = _in_force(category, day) if category != "office" else []
    em = EmSuggestion(category=category, codes=_codes(category), code=None, label="NOS",
                      thresholds={t.code: t.min_minutes for t in rows},
                      threshold_source=rows[0].source if rows else "",
                      medicare_alternative=_medicare(category, day))
    time = documented_minutes(text)
    if time:
        em.minutes, start, end = time
        em.time_evidence = {"start": start, "end": end}
        for alt in em.medicare_alternative:  # the visit code the same time supports
            level = _level(_in_force(alt["category"], day), em.minutes)
            alt["level_by_time"] = level.code if level else ""
    axes: list[str] = []
    if category == "office":
        axes.append("patient_status")
        levels = {c: _level(_in_force(c, day), em.minutes) for c in ("office_new", "office_established")}
        by_status = ", ".join(f"{t.code} if {c.removeprefix('office_')}" for c, t in levels.items() if t)
        em.rationale = "visit documented, new vs established patient not stated" + (
            f"; {em.minutes} min documented: {by_status}" if by_status else "")
        if not by_status:
            axes.append("em_level")
    elif (chosen := _level(rows, em.minutes)) is not None:
        em.code, em.label = chosen.code, "specific"
        em.description = em_codes()[chosen.code].description
        em.rationale = (f"total time {em.minutes} min documented >= "
                        f"{chosen.min_minutes} min threshold in force on {day.isoformat()} -> {chosen.code}")
    else:
        axes.append("em_level")
        if em.minutes is None:
            em.rationale = "no total time documented; level NOS (not guessed from the note)"
        elif not rows:
            em.rationale = f"no {category} time thresholds in force on {day.isoformat()}: level by decision making"
        else:
            em.rationale = (f"documented time {em.minutes} min is below the lowest {category} threshold: level by "
                            "medical decision making")
    em.query = _query(axes) if axes else None
    return em
