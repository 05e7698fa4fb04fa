"""Score suggestions against reference codes written to ../shared/docs/annotation-guide.md.

Input: gold records (one dict per note, the guide's JSONL format) and predictions (NoteResult
dicts keyed by note id, the design.md contract). Output: an `EvaluationReport` holding every figure
listed under "Scoring" in the guide, a per-family breakdown and the misses / false suggestions.

Matching, per note: a suggestion matches a gold code when its code equals the gold code or one of
its `alternatives`; each gold code and each suggestion is matched at most once (gold codes are
taken in file order, so a gold code listed first claims a shared alternative first). The neuro
scope of a matched pair is the gold's `neuro` flag; that of an unmatched suggestion comes from
`nlp.codesets.families` (the guide's scope definition).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nlp.codesets.families import family_of
from nlp.errors import Errors, InputError
from nlp.result import SYSTEMS

EXCLUDED_REASONS = ("negated", "uncertain")


# ------------------------------------------------------------------------------------------ reading

def read_gold(path: str | Path) -> list[dict[str, Any]]:
    """Gold JSONL -> list of note records. E601 names the line of a malformed record (never its text)."""
    out = []
    with open(path, encoding="utf-8") as fh:
        for i, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as e:
                raise InputError(Errors.E601, path=str(path), line=i, detail=f"invalid JSON at column {e.colno}") from e
            if not isinstance(rec, dict) or "note_id" not in rec or not isinstance(rec.get("codes"), list):
                raise InputError(Errors.E601, path=str(path), line=i, detail="needs 'note_id' and a 'codes' list")
            for j, code in enumerate(rec["codes"]):
                if not isinstance(code, dict) or code.get("system") not in SYSTEMS or not code.get("code"):
                    raise InputError(Errors.E601, path=str(path), line=i,
                                     detail=f"codes[{j}] needs 'system' (one of {', '.join(SYSTEMS)}) and 'code'")
            out.append(rec)
    return out


# ------------------------------------------------------------------------------------------ figures

@dataclass
class PRF:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, float | int]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


@dataclass
class Ratio:
    hit: int = 0
    total: int = 0

    @property
    def value(self) -> float | None:
        return self.hit / self.total if self.total else None

    def to_dict(self) -> dict[str, Any]:
        v = self.value
        return {"hit": self.hit, "total": self.total, "value": None if v is None else round(v, 4)}


@dataclass
class Item:
    note_id: str
    system: str
    code: str
    family: str
    neuro: bool
    evidence: list[dict[str, Any]] = field(default_factory=list)
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"note_id": self.note_id, "system": self.system, "code": self.code, "family": self.family,
                "neuro": self.neuro, "evidence": [{k: e.get(k) for k in ("start", "end", "section")}
                                                   for e in self.evidence], "detail": self.detail}


@dataclass
class EvaluationReport:
    notes: int = 0
    notes_missing_prediction: list[str] = field(default_factory=list)
    micro: dict[str, dict[str, PRF]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(PRF)))
    category: dict[str, PRF] = field(default_factory=lambda: defaultdict(PRF))
    family: dict[str, PRF] = field(default_factory=lambda: defaultdict(PRF))
    label_accuracy: Ratio = field(default_factory=Ratio)
    label_confusion: Counter[tuple[str, str]] = field(default_factory=Counter)
    query_recall: Ratio = field(default_factory=Ratio)
    units_accuracy: Ratio = field(default_factory=Ratio)
    excluded_mention_suggestions: int = 0
    excluded_mention_items: list[Item] = field(default_factory=list)
    misses: list[Item] = field(default_factory=list)
    false_suggestions: list[Item] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "notes": self.notes,
            "notes_missing_prediction": self.notes_missing_prediction,
            "micro": {scope: {s: prf.to_dict() for s, prf in by_sys.items()} for scope, by_sys in self.micro.items()},
            "icd10cm_category": {scope: prf.to_dict() for scope, prf in self.category.items()},
            "per_family": {f: prf.to_dict() for f, prf in sorted(self.family.items())},
            "label_accuracy": self.label_accuracy.to_dict(),
            "label_confusion": {f"{g}->{p}": n for (g, p), n in sorted(self.label_confusion.items())},
            "query_recall": self.query_recall.to_dict(),
            "units_accuracy": self.units_accuracy.to_dict(),
            "suggestions_from_negated_or_uncertain": self.excluded_mention_suggestions,
            "excluded_mention_items": [i.to_dict() for i in self.excluded_mention_items],
            "misses": [i.to_dict() for i in self.misses],
            "false_suggestions": [i.to_dict() for i in self.false_suggestions],
        }


def _category(code: str) -> str:
    return code[:3]


def _overlaps(a: str, b: str) -> bool:
    a, b = " ".join(a.lower().split()), " ".join(b.lower().split())
    return bool(a) and bool(b) and (a in b or b in a)


def _query_axes(sugg: Mapping[str, Any], note_queries: list[Mapping[str, Any]]) -> set[str]:
    axes: set[str] = set()
    q = sugg.get("query")
    if isinstance(q, Mapping):
        axes.update(q.get("axes", []))
    for nq in note_queries:
        if nq.get("code") == sugg.get("code"):
            axes.update(nq.get("axes", []))
    return axes


def match_note(
    gold_codes: Sequence[Mapping[str, Any]], suggestions: Sequence[Mapping[str, Any]]
) -> tuple[list[tuple[Mapping[str, Any], Mapping[str, Any] | None]], list[int]]:
    """Pair each gold code with at most one suggestion (same system; code or an alternative).
    Returns (gold code, suggestion or None) pairs and the indexes of unmatched suggestions."""
    unmatched = list(range(len(suggestions)))
    pairs: list[tuple[Mapping[str, Any], Mapping[str, Any] | None]] = []
    for gc in gold_codes:
        accepted = {gc["code"], *gc.get("alternatives", [])}
        hit = next((i for i in unmatched if suggestions[i]["system"] == gc["system"]
                    and suggestions[i]["code"] in accepted), None)
        if hit is not None:
            unmatched.remove(hit)
        pairs.append((gc, suggestions[hit] if hit is not None else None))
    return pairs, unmatched


def score(gold: Iterable[Mapping[str, Any]], predictions: Mapping[str, Mapping[str, Any]]) -> EvaluationReport:
    """Score NoteResult dicts (by note id) against gold records."""
    rep = EvaluationReport()
    for g in gold:
        rep.notes += 1
        note_id = g["note_id"]
        pred = predictions.get(note_id)
        if pred is None:
            rep.notes_missing_prediction.append(note_id)
            pred = {}
        suggestions = [s for s in pred.get("suggestions", []) if s.get("system") in SYSTEMS]
        note_queries = list(pred.get("queries", []))
        pairs, unmatched = match_note(g["codes"], suggestions)

        for gc, sg in pairs:
            fam, _ = family_of(gc["system"], gc["code"])
            neuro = bool(gc.get("neuro", False))
            scopes = ("all", "neuro") if neuro else ("all",)
            for scope in scopes:
                for s in (gc["system"], "overall"):
                    prf = rep.micro[scope][s]
                    if sg is not None:
                        prf.tp += 1
                    else:
                        prf.fn += 1
            if neuro:
                if sg is not None:
                    rep.family[fam].tp += 1
                else:
                    rep.family[fam].fn += 1
            if sg is None:
                rep.misses.append(Item(note_id, gc["system"], gc["code"], fam, neuro,
                                       detail=f"gold label {gc.get('label')}"))
                if gc.get("label") == "NOS" and gc.get("query_axes"):
                    rep.query_recall.total += 1
                continue
            rep.label_accuracy.total += 1
            if sg.get("label") == gc.get("label"):
                rep.label_accuracy.hit += 1
            rep.label_confusion[(str(gc.get("label")), str(sg.get("label")))] += 1
            if gc.get("label") == "NOS" and gc.get("query_axes"):
                rep.query_recall.total += 1
                if _query_axes(sg, note_queries) & set(gc["query_axes"]):
                    rep.query_recall.hit += 1
            if gc["system"] in ("CPT", "HCPCS"):
                rep.units_accuracy.total += 1
                if int(sg.get("units") or 1) == int(gc.get("units") or 1):
                    rep.units_accuracy.hit += 1

        excluded_texts = [nc.get("text", "") for nc in g.get("not_coded", []) if nc.get("reason") in EXCLUDED_REASONS]
        for i in unmatched:
            sg = suggestions[i]
            fam, neuro = family_of(sg["system"], sg["code"])
            scopes = ("all", "neuro") if neuro else ("all",)
            for scope in scopes:
                rep.micro[scope][sg["system"]].fp += 1
                rep.micro[scope]["overall"].fp += 1
            if neuro:
                rep.family[fam].fp += 1
            item = Item(note_id, sg["system"], sg["code"], fam, neuro, list(sg.get("evidence", [])),
                        detail=f"label {sg.get('label')}")
            rep.false_suggestions.append(item)
            ev_texts = [e.get("text", "") for e in sg.get("evidence", [])]
            asserted = [e.get("assertion", "present") for e in sg.get("evidence", [])]
            if any(a in EXCLUDED_REASONS for a in asserted) or any(
                _overlaps(t, x) for t in ev_texts for x in excluded_texts
            ):
                rep.excluded_mention_suggestions += 1
                rep.excluded_mention_items.append(item)

        # category level (ICD-10-CM): sets of 3-character categories per note
        for scope in ("all", "neuro"):
            gold_cats: dict[str, set[str]] = {}
            for gc in g["codes"]:
                if gc["system"] == "ICD-10-CM" and (scope == "all" or gc.get("neuro")):
                    gold_cats[_category(gc["code"])] = {_category(c) for c in (gc["code"], *gc.get("alternatives", []))}
            pred_cats = {_category(s["code"]) for s in suggestions if s["system"] == "ICD-10-CM"
                         and (scope == "all" or family_of("ICD-10-CM", s["code"])[1]
                              or any(_category(s["code"]) in alts for alts in gold_cats.values()))}
            matched = {c for c, alts in gold_cats.items() if alts & pred_cats}
            used = set().union(*(gold_cats[c] for c in matched)) if matched else set()
            prf = rep.category[scope]
            prf.tp += len(matched)
            prf.fn += len(gold_cats) - len(matched)
            prf.fp += len(pred_cats - used)
    return rep


# ------------------------------------------------------------------------------------------ output

def render_table(rep: EvaluationReport, *, max_items: int = 40) -> str:
    def pct(x: float | None) -> str:
        return "  n/a" if x is None else f"{x:5.3f}"

    lines = [f"notes scored: {rep.notes}" + (f" (no prediction for {len(rep.notes_missing_prediction)})"
                                             if rep.notes_missing_prediction else "")]
    for scope in ("neuro", "all"):
        lines.append(f"\nmicro P/R/F1 — {'neuro scope (primary)' if scope == 'neuro' else 'all codes'}")
        lines.append(f"  {'system':<10} {'P':>6} {'R':>6} {'F1':>6} {'tp':>4} {'fp':>4} {'fn':>4}")
        for s in (*SYSTEMS, "overall"):
            prf = rep.micro[scope][s]
            lines.append(f"  {s:<10} {pct(prf.precision):>6} {pct(prf.recall):>6} {pct(prf.f1):>6} "
                         f"{prf.tp:>4} {prf.fp:>4} {prf.fn:>4}")
        cat = rep.category[scope]
        lines.append(f"  ICD-10-CM category (3-char) F1 {pct(cat.f1)}  (P {pct(cat.precision)}, R {pct(cat.recall)})")
    lines.append(f"\nlabel accuracy (found gold codes): {pct(rep.label_accuracy.value)} "
                 f"({rep.label_accuracy.hit}/{rep.label_accuracy.total})")
    if rep.label_confusion:
        pairs = sorted(rep.label_confusion.items())
        lines.append("  gold->predicted: " + ", ".join(f"{g}->{p} {n}" for (g, p), n in pairs))
    lines.append(f"query recall (gold NOS codes): {pct(rep.query_recall.value)} "
                 f"({rep.query_recall.hit}/{rep.query_recall.total})")
    lines.append(f"units accuracy (found CPT/HCPCS): {pct(rep.units_accuracy.value)} "
                 f"({rep.units_accuracy.hit}/{rep.units_accuracy.total})")
    lines.append(f"suggestions from negated/uncertain mentions: {rep.excluded_mention_suggestions}")
    lines.append("\nper family (neuro scope)")
    for fam, prf in sorted(rep.family.items()):
        lines.append(f"  {fam:<17} P {pct(prf.precision)} R {pct(prf.recall)} F1 {pct(prf.f1)} "
                     f"(tp {prf.tp}, fp {prf.fp}, fn {prf.fn})")

    def block(title: str, items: list[Item]) -> None:
        lines.append(f"\n{title} ({len(items)}{', first ' + str(max_items) if len(items) > max_items else ''})")
        for it in items[:max_items]:
            ev = ", ".join(f"{e.get('start')}-{e.get('end')}" for e in it.evidence) or "-"
            lines.append(f"  {it.note_id:<11} {it.system:<9} {it.code:<9} {it.family:<16} "
                         f"{'neuro' if it.neuro else '     '} evidence {ev}  {it.detail}")

    block("suggestions from negated/uncertain mentions", rep.excluded_mention_items)
    block("misses", rep.misses)
    block("false suggestions", rep.false_suggestions)
    return "\n".join(lines)
