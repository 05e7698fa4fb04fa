"""The coders, in the order their suggestions are listed, and the routing of facts to them.

A fact goes to every coder that claims its concept (botulinum toxin feeds both the
chemodenervation CPT coder and the toxin HCPCS coder); facts no family coder claims go to the
fallback coder."""

from __future__ import annotations

from nlp.coding.base import Coder, CodingContext, in_assessment
from nlp.coding.chemodenervation import ChemodenervationCoder
from nlp.coding.dementia import DementiaCoder
from nlp.coding.eeg import EegCoder
from nlp.coding.emg import EmgCoder
from nlp.coding.epilepsy import EpilepsyCoder
from nlp.coding.fallback import FallbackCoder
from nlp.coding.headache import HeadacheCoder
from nlp.coding.lp import LpCoder
from nlp.coding.ms import MsCoder
from nlp.coding.ncs import NcsCoder
from nlp.coding.nerve_block import NerveBlockCoder
from nlp.coding.neuromuscular import NeuromuscularCoder
from nlp.coding.parkinson import ParkinsonCoder
from nlp.coding.sleep import SleepStudyCoder
from nlp.coding.stroke import StrokeCoder
from nlp.coding.tables import load_table, sections_with, split_list
from nlp.coding.toxin import ToxinCoder
from nlp.facts import Fact
from nlp.pipeline.resources import word_list
from nlp.result import Suggestion


def coders() -> list[Coder]:
    """Fresh coder instances (coders hold no state between notes)."""
    return [
        EpilepsyCoder(),
        MsCoder(),
        HeadacheCoder(),
        NeuromuscularCoder(),
        StrokeCoder(),
        DementiaCoder(),
        ParkinsonCoder(),
        NcsCoder(),
        EmgCoder(),
        EegCoder(),
        SleepStudyCoder(),
        ChemodenervationCoder(),
        ToxinCoder(),
        LpCoder(),
        NerveBlockCoder(),
    ]


# attributes that show how a procedure was done in this note (not only that it was named): a
# product name alone (Botox), a side alone or a video flag alone describe no performance
PROCEDURE_DETAILS: dict[str, tuple[str, ...]] = {
    "ncs": ("nerves", "study_count", "study_count_min"),
    "emg": ("muscles", "extremities"),
    "eeg": ("states", "duration_min"),
    "lp": ("intent", "guidance"),
    "toxin": ("injections", "total_units"),
    "nerve_block": ("nerve",),
}


def performed(fact: Fact) -> bool:
    """Is a procedure fact this encounter's procedure (annotation guide: CPT only for procedures
    documented as performed in this encounter)?

    - named in a procedure-report section (procedure, EEG/NCS/EMG report, findings,
      interpretation): yes;
    - named only in history, indication or plan sections: no, whatever detail is quoted (a prior
      study's result or an ordered study);
    - elsewhere (impression, exam, unsectioned text): only when the note gives procedure details
      (nerves, muscles, states, units...); a bare name is a reference to a study."""
    details = PROCEDURE_DETAILS.get(fact.family)
    if details is None:
        return True
    sections = {e.section for e in fact.evidence}
    if sections & sections_with("report"):
        return True
    if sections and sections <= sections_with("mention"):
        return False
    return any(fact.attrs.get(k) not in (None, [], "") for k in details)


def code_facts(facts: list[Fact], ctx: CodingContext) -> list[Suggestion]:
    """Present facts -> suggestions, de-duplicated by (system, code, modifiers) with evidence merged."""
    skipped = [f for f in facts if not performed(f)]
    if skipped:
        ctx.warnings.append(
            f"{len(skipped)} procedure mention(s) in history/indication/plan sections without "
            "procedure details were not coded (not performed in this encounter)."
        )
    facts = [f for f in facts if performed(f)]
    listed = [f for f in facts if checklist_only(f)]
    if listed:
        ctx.warnings.append(
            f"{len(listed)} finding(s) named only in the review of systems were not coded (not assessed)."
        )
    facts = [f for f in facts if not checklist_only(f)]
    family_coders = coders()
    ctx.same_day_ncs = any(f.concept == "nerve_conduction" for f in facts)
    claimed: set[int] = set()
    out: list[Suggestion] = []
    for coder in family_coders:
        mine = [f for f in facts if f.concept in coder.concepts and f.family != "symptom"]
        if coder.family == "stroke":  # deficits documented as symptoms are still stroke deficits
            mine = [f for f in facts if f.concept in coder.concepts]
        claimed.update(id(f) for f in mine)
        past = coder.family == "stroke" and any(f.family == "stroke" for f in ctx.historical)
        if mine or past:  # a past stroke alone still gives Z86.73
            out.extend(coder.code(mine, ctx))
    rest = [f for f in facts if id(f) not in claimed]
    if rest:
        out.extend(FallbackCoder().code(rest, ctx))
    out = drop_routine_presenting_signs(drop_signs_out_of_context(out, ctx), ctx)
    return drop_unrelated_drug_codes(drop_integral(dedupe(out), ctx), ctx)


def drop_signs_out_of_context(suggestions: list[Suggestion], ctx: CodingContext) -> list[Suggestion]:
    """A sign or symptom code (chapter 18) told only in sections of policy `sign_not_coded`
    (`coding_sections.csv`: a procedure narrative, a background history, an unrecognised header) is
    not a finding of this encounter."""
    excluded = sections_with("sign_not_coded")
    out = []
    for s in suggestions:
        if s.system == "ICD-10-CM" and is_symptom_code(s.code) and s.evidence and all(
                (e.section or "none") in excluded for e in s.evidence):
            ctx.warnings.append(f"{s.code} not suggested: a sign told only in a procedure narrative, background "
                                "history or unrecognised section is not a finding of this encounter.")
            continue
        out.append(s)
    return out


def drop_routine_presenting_signs(suggestions: list[Suggestion], ctx: CodingContext) -> list[Suggestion]:
    """A presenting sign (told only in the chief complaint, history, indication or review of systems)
    is not coded beside a coded diagnosis (or a sign stated in the assessment) it is routinely associated with
    (`coding_routine_signs.csv`, Guidelines I.B.4-I.B.5, IV.D); every other presenting symptom stays
    (annotation guide: 'a presenting symptom is not dropped merely because some other diagnosis was
    coded'). Deficits of an acute stroke are coded beside it whatever the table says (I.C.9)."""
    rows = load_table("coding_routine_signs.csv", ("sign", "with"))
    strokes = word_list("acute_stroke_categories")
    icd = [s for s in suggestions if s.system == "ICD-10-CM"]
    acute = any(s.code[:3].lower() in strokes for s in icd)
    diagnoses = [s.code for s in icd if not presenting_only(s)]
    out = []
    for s in suggestions:
        if presenting_only(s) and not (acute and is_stroke_deficit(s.code)):
            row = next((r for r in rows if s.code.startswith(r["sign"])
                        and any(d.startswith(tuple(split_list(r["with"]))) for d in diagnoses)), None)
            if row is not None:
                ctx.warnings.append(f"{s.code} not suggested: a presenting sign routinely part of a coded diagnosis "
                                    f"({row['source'].split(':')[0]}).")
                continue
        out.append(s)
    return out


def drop_unrelated_drug_codes(suggestions: list[Suggestion], ctx: CodingContext) -> list[Suggestion]:
    """A long-term drug code (Z79.x, `coding_long_term_drugs.csv`) only beside the condition the drug
    treats, and not for a drug named only as planned (plan / recommendation sections)."""
    rows = {r["code"]: split_list(r["with"]) for r in load_table("coding_long_term_drugs.csv", ("code", "with"))}
    icd = [s.code for s in suggestions if s.system == "ICD-10-CM"]
    planned = sections_with("planned")
    out = []
    for s in suggestions:
        needs = rows.get(s.code) if s.system == "ICD-10-CM" else None
        if needs is not None and (not any(c.startswith(tuple(needs)) for c in icd if c != s.code)
                                  or all(e.section in planned for e in s.evidence)):
            ctx.warnings.append(f"{s.code} not suggested: the drug is not documented with the condition it treats "
                                "in this note, or only as planned.")
            continue
        out.append(s)
    return out


def is_stroke_deficit(code: str) -> bool:
    """A neurological sign that is a deficit of an acute stroke, coded beside it wherever it is told."""
    return any(code.upper().startswith(p.upper()) for p in word_list("stroke_deficit_prefixes"))


def drop_integral(suggestions: list[Suggestion], ctx: CodingContext) -> list[Suggestion]:
    """A sign or condition that is part of another suggested condition is not coded beside it
    (Guidelines I.B.5, Excludes1 notes): rows of `coding_integral.csv` (code prefix, beside prefix).
    A row marked `assessment_wins` is an either-or pair: when only `code` is stated in the assessment
    (the provider's diagnostic statement), `beside` is dropped instead."""
    rows = load_table("coding_integral.csv", ("code", "beside"), ("assessment_wins",))
    icd = [s for s in suggestions if s.system == "ICD-10-CM"]
    dropped: dict[int, str] = {}
    for s in icd:
        for r in rows:
            if not s.code.startswith(r["code"]):
                continue
            others = [o for o in icd if o.code != s.code and o.code.startswith(r["beside"])]
            if not others:
                continue
            if r["assessment_wins"] == "yes" and in_assessment(s) and not any(in_assessment(o) for o in others):
                for o in others:
                    why = f"the assessment states {s.code}"
                    dropped.setdefault(id(o), f"{o.code} not suggested: {why} ({r['source']}).")
            else:
                why = f"part of the {r['beside']} condition"
                dropped.setdefault(id(s), f"{s.code} not suggested: {why} ({r['source']}).")
            break
    for s in suggestions:
        if id(s) in dropped:
            ctx.warnings.append(dropped[id(s)])
    return [s for s in suggestions if id(s) not in dropped]


def is_symptom_code(code: str) -> bool:
    """ICD-10-CM chapter 18 (R00-R99): symptoms, signs and abnormal findings, not diagnoses."""
    return code.upper().startswith("R")


def checklist_only(fact: Fact) -> bool:
    """A diagnosis or symptom named only in a checklist section (review of systems): not coded
    (the guide codes what the note documents as addressed; a positive ROS item is not assessed)."""
    if fact.family in PROCEDURE_DETAILS or not fact.evidence:
        return False
    checklist = sections_with("checklist")
    return all(e.section in checklist for e in fact.evidence)


def presenting_only(suggestion: Suggestion) -> bool:
    """A symptom code documented only as a presenting complaint (HPI, chief complaint, indication):
    not coded beside a definitive diagnosis (Guidelines I.B.5, IV.D). Neurological deficits of a
    stroke are not presenting symptoms: they are coded beside it (Guidelines I.C.9.d)."""
    context = sections_with("symptom_context")
    sign = is_symptom_code(suggestion.code) or (
        suggestion.source == "symptom_table" and not is_table_diagnosis(suggestion.code)
    )
    return (
        suggestion.system == "ICD-10-CM"
        and suggestion.source != "stroke"
        and sign
        and all(e.section in context for e in suggestion.evidence)
    )


def table_diagnoses() -> frozenset[str]:
    """Codes of `coding_symptoms.csv` rows of kind 'diagnosis' (e.g. I67.5): not presenting signs."""
    rows = load_table("coding_symptoms.csv", ("concept", "code"), ("match", "missing_axes", "kind"))
    return frozenset(r["code"] for r in rows if r["kind"] == "diagnosis")


def is_table_diagnosis(code: str) -> bool:
    """A diagnosis row of the symptom table; a row may name a header ('S06.0X') whose leaf the axes pick."""
    return any(code.startswith(c) for c in table_diagnoses())


def dedupe(suggestions: list[Suggestion]) -> list[Suggestion]:
    kept: dict[tuple[str, str, tuple[str, ...]], Suggestion] = {}
    for s in suggestions:
        if s.key in kept:
            first = kept[s.key]
            spans = {(e.start, e.end) for e in first.evidence}
            first.evidence.extend(e for e in s.evidence if (e.start, e.end) not in spans)
        else:
            kept[s.key] = s
    return list(kept.values())
