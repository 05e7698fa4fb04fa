"""Score several reference sets side by side (`neurocode evaluate --suite FILE`).

A suite file (JSON) names the sets: each has a `name`, a `gold` JSONL, a `notes` folder, optionally an
`ids` file restricting the gold to a split, and a `role` saying what its figures are evidence of
(`tuned`: rules were fitted with its errors in view; `validation`: errors never read to write a rule;
`blind-then-tuned`: scored blind once, errors read after). Paths may start with `{shared}` (the
`../shared` folder beside the project, or `--shared`) or be relative to the project root.
Sets whose files are missing are listed as skipped, not failed, so the suite runs anywhere.

The suite prints figures only, never the misses or false suggestions: the validation part's error
list is not for reading (issue 9). Per-set error lists come from `neurocode evaluate GOLD --ids`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nlp.errors import Errors, InputError
from nlp.evaluation.run import evaluate, read_ids
from nlp.evaluation.scorer import EvaluationReport

PROJECT_ROOT = Path(__file__).resolve().parents[2]


@dataclass
class SuiteSet:
    name: str
    gold: Path
    notes: Path
    ids: Path | None
    role: str


def _resolve(value: str, shared: Path, base: Path) -> Path:
    if value.startswith("{shared}"):
        return shared / value[len("{shared}"):].lstrip("/")
    p = Path(value)
    return p if p.is_absolute() else base / p


def read_suite(path: str | Path, shared: str | Path | None = None) -> list[SuiteSet]:
    p = Path(path)
    if not p.is_file():
        raise InputError(Errors.E402, path=str(p))
    try:
        spec = json.loads(p.read_text(encoding="utf-8"))
        rows = spec["sets"]
    except (json.JSONDecodeError, KeyError, TypeError) as e:
        detail = f"a suite needs a 'sets' list ({type(e).__name__})"
        raise InputError(Errors.E601, path=str(p), line=1, detail=detail) from e
    shared_dir = Path(shared) if shared else PROJECT_ROOT.parent / "shared"
    out = []
    for i, row in enumerate(rows, start=1):
        missing = [k for k in ("name", "gold", "notes") if k not in row]
        if missing:
            raise InputError(Errors.E601, path=str(p), line=i, detail=f"set {i} needs {', '.join(missing)}")
        out.append(SuiteSet(
            name=row["name"],
            gold=_resolve(row["gold"], shared_dir, PROJECT_ROOT),
            notes=_resolve(row["notes"], shared_dir, PROJECT_ROOT),
            ids=_resolve(row["ids"], shared_dir, PROJECT_ROOT) if row.get("ids") else None,
            role=row.get("role", ""),
        ))
    return out


def run_suite(sets: list[SuiteSet], **kwargs: Any) -> dict[str, dict[str, Any]]:
    """name -> {"role", "notes", "figures"} or {"role", "skipped": reason}."""
    out: dict[str, dict[str, Any]] = {}
    for s in sets:
        if not s.gold.is_file() or not s.notes.is_dir() or (s.ids is not None and not s.ids.is_file()):
            out[s.name] = {"role": s.role, "skipped": "reference file or notes folder not found"}
            continue
        ids = read_ids(s.ids) if s.ids is not None else None
        report, errors = evaluate(s.gold, s.notes, ids=ids, **kwargs)
        out[s.name] = {"role": s.role, "notes": report.notes, "errors": errors, "figures": key_figures(report)}
    return out


def key_figures(rep: EvaluationReport) -> dict[str, float | int | None]:
    neuro, every = rep.micro["neuro"], rep.micro["all"]
    return {
        "icd_f1": neuro["ICD-10-CM"].f1,
        "icd_precision": neuro["ICD-10-CM"].precision,
        "icd_recall": neuro["ICD-10-CM"].recall,
        "icd_category_f1": rep.category["neuro"].f1,
        "cpt_f1": neuro["CPT"].f1,
        "cpt_precision": neuro["CPT"].precision,
        "cpt_recall": neuro["CPT"].recall,
        "hcpcs_f1": neuro["HCPCS"].f1,
        "all_icd_f1": every["ICD-10-CM"].f1,
        "all_codes_f1": every["overall"].f1,
        "label_accuracy": rep.label_accuracy.value,
        "query_recall": rep.query_recall.value,
        "units_accuracy": rep.units_accuracy.value,
        "negated_or_uncertain": rep.excluded_mention_suggestions,
    }


ROWS = (
    ("ICD-10-CM F1 (neuro)", "icd_f1"), ("  precision", "icd_precision"), ("  recall", "icd_recall"),
    ("ICD-10-CM category F1", "icd_category_f1"), ("CPT F1 (neuro)", "cpt_f1"),
    ("  precision", "cpt_precision"), ("  recall", "cpt_recall"), ("HCPCS F1", "hcpcs_f1"),
    ("ICD-10-CM F1, all codes", "all_icd_f1"), ("all codes F1", "all_codes_f1"),
    ("label accuracy", "label_accuracy"), ("query recall", "query_recall"), ("units accuracy", "units_accuracy"),
    ("negated/uncertain suggestions", "negated_or_uncertain"),
)


def render_suite(results: dict[str, dict[str, Any]]) -> str:
    names = list(results)
    width = max(11, *(len(n) + 1 for n in names))
    lines = [f"{'figure':<30}" + "".join(f"{n:>{width}}" for n in names),
             f"{'notes':<30}" + "".join(f"{results[n].get('notes', '-')!s:>{width}}" for n in names)]
    for label, key in ROWS:
        cells = []
        for n in names:
            v = results[n].get("figures", {}).get(key)
            cells.append("-" if v is None else (str(v) if isinstance(v, int) else f"{v:.3f}"))
        lines.append(f"{label:<30}" + "".join(f"{c:>{width}}" for c in cells))
    lines.append("")
    for n in names:
        r = results[n]
        lines.append(f"{n}: {r['role']}" + (f" — skipped: {r['skipped']}" if "skipped" in r else ""))
    return "\n".join(lines)
