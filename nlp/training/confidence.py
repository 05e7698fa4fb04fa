"""Train the confidence model from annotated notes and coder feedback; write the model and its card.

Samples: every suggestion the rules make on an annotated note, labelled 1 when it matches a
reference code (same matching as the scorer) and 0 otherwise; plus feedback records (accepted = 1,
rejected = 0). Features: `model_features()` of the suggestion's dict form (no note text).

Figures are cross-validated with folds grouped by note, so no note is scored by a model that saw it.
The threshold for dropping weak fallback candidates is the largest one that drops no
cross-validated true positive: precision can only rise, recall stays equal. If no threshold drops
anything, the card says the model does not beat the rules.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nlp import __version__
from nlp.evaluation.scorer import match_note, read_gold
from nlp.review.confidence_model import FALLBACK_SOURCES, MODEL_FORMAT, ConfidenceModel, model_features

THRESHOLD_GRID = [round(0.05 * i, 2) for i in range(1, 19)]


@dataclass
class Sample:
    group: str  # note id (or feedback record's note id)
    origin: str  # "annotation" | "feedback"
    features: dict[str, float]
    label: int
    source: str


@dataclass
class TrainingReport:
    samples: int = 0
    positives: int = 0
    notes: int = 0
    feedback_records: int = 0
    by_source: dict[str, list[int]] = field(default_factory=dict)  # source -> [n, positives]
    cv: dict[str, Any] = field(default_factory=dict)
    threshold: float = 0.0
    improves: bool = False
    dev: dict[str, Any] = field(default_factory=dict)


@contextmanager
def rules_only() -> Iterator[None]:
    old = os.environ.get("NEUROCODE_CONFIDENCE")
    os.environ["NEUROCODE_CONFIDENCE"] = "rules"
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("NEUROCODE_CONFIDENCE", None)
        else:
            os.environ["NEUROCODE_CONFIDENCE"] = old


def annotation_samples(gold_path: Path, notes_dir: Path) -> list[Sample]:
    from nlp.api import suggest_many

    gold = read_gold(gold_path)
    texts = []
    for rec in gold:
        p = notes_dir / f"{rec['note_id']}.txt"
        if p.is_file():
            texts.append((rec["note_id"], p.read_text(encoding="utf-8", errors="replace")))
    by_id = {rec["note_id"]: rec for rec in gold}
    out: list[Sample] = []
    with rules_only():
        for result in suggest_many(texts):
            rec = by_id[str(result.note_id)]
            sugg = [s.to_dict() for s in result.suggestions]
            pairs, unmatched = match_note(rec["codes"], sugg)
            matched_ids = {id(s) for _, s in pairs if s is not None}
            for s in sugg:
                out.append(Sample(str(result.note_id), "annotation", model_features(s), int(id(s) in matched_ids),
                                  str(s.get("source", ""))))
    return out


def feedback_samples(paths: list[Path]) -> list[Sample]:
    out = []
    for path in paths:
        if not path.is_file():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            rec = json.loads(line)
            if rec.get("decision") not in ("accept", "reject") or not rec.get("features"):
                continue  # "add" records tell recall, not the confidence of a suggestion
            out.append(Sample(str(rec.get("note_id")), "feedback", {k: float(v) for k, v in rec["features"].items()},
                              int(rec["decision"] == "accept"), str(rec.get("source", ""))))
    return out


def _fit(samples: list[Sample]) -> tuple[Any, Any]:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer(sparse=False)
    x = vec.fit_transform([s.features for s in samples])
    clf = LogisticRegression(C=1.0, max_iter=2000)
    clf.fit(x, [s.label for s in samples])
    return vec, clf


def _as_model(vec: Any, clf: Any, threshold: float, meta: dict[str, Any]) -> ConfidenceModel:
    weights = {name: float(w) for name, w in zip(vec.get_feature_names_out(), clf.coef_[0], strict=True) if w}
    return ConfidenceModel(weights, float(clf.intercept_[0]), threshold, meta)


def cross_validate(samples: list[Sample], folds: int = 5) -> tuple[list[float], dict[str, Any]]:
    """Out-of-fold probabilities (grouped by note) and the CV figures."""
    from sklearn.metrics import brier_score_loss, roc_auc_score
    from sklearn.model_selection import GroupKFold

    labels = [s.label for s in samples]
    groups = [s.group for s in samples]
    n_groups = len(set(groups))
    k = max(2, min(folds, n_groups))
    oof = [0.0] * len(samples)
    for train_idx, test_idx in GroupKFold(n_splits=k).split(samples, labels, groups):
        train = [samples[i] for i in train_idx]
        if len({s.label for s in train}) < 2:
            for i in test_idx:
                oof[i] = float(train[0].label)
            continue
        vec, clf = _fit(train)
        probs = clf.predict_proba(vec.transform([samples[i].features for i in test_idx]))[:, 1]
        for i, p in zip(test_idx, probs, strict=True):
            oof[i] = float(p)
    rule = [s.features.get("rule_confidence", 0.0) for s in samples]
    figures: dict[str, Any] = {"folds": k, "grouped_by": "note"}
    if len(set(labels)) == 2:
        figures["auc_model"] = round(float(roc_auc_score(labels, oof)), 4)
        figures["auc_rules"] = round(float(roc_auc_score(labels, rule)), 4)
    figures["brier_model"] = round(float(brier_score_loss(labels, oof)), 4)
    figures["brier_rules"] = round(float(brier_score_loss(labels, rule)), 4)
    return oof, figures


def keep_figures(samples: list[Sample], probs: list[float], threshold: float) -> dict[str, Any]:
    """Precision / recall of the kept candidates (recall relative to all correct candidates)."""
    kept = [(s, p) for s, p in zip(samples, probs, strict=True)
            if s.source not in FALLBACK_SOURCES or p >= threshold]
    tp = sum(s.label for s, _ in kept)
    pos = sum(s.label for s in samples)
    return {"threshold": threshold, "kept": len(kept), "dropped": len(samples) - len(kept),
            "precision": round(tp / len(kept), 4) if kept else 0.0,
            "recall": round(tp / pos, 4) if pos else 0.0, "true_positives_dropped": pos - tp}


def choose_threshold(samples: list[Sample], probs: list[float]) -> float:
    best = 0.0
    for t in THRESHOLD_GRID:
        fig = keep_figures(samples, probs, t)
        if fig["true_positives_dropped"] == 0 and fig["dropped"] > 0:
            best = t
    return best


def train(
    gold_path: Path,
    notes_dir: Path,
    out_dir: Path,
    *,
    feedback_paths: list[Path] | None = None,
    dev: tuple[Path, Path] | None = None,
) -> TrainingReport:
    import sklearn

    samples = annotation_samples(gold_path, notes_dir)
    fb = feedback_samples(feedback_paths or [])
    samples += fb
    rep = TrainingReport(samples=len(samples), positives=sum(s.label for s in samples),
                         notes=len({s.group for s in samples if s.origin == "annotation"}), feedback_records=len(fb))
    counts: Counter[str] = Counter()
    pos: Counter[str] = Counter()
    for s in samples:
        counts[s.source] += 1
        pos[s.source] += s.label
    rep.by_source = {src: [counts[src], pos[src]] for src in sorted(counts)}
    oof, figures = cross_validate(samples)
    rep.threshold = choose_threshold(samples, oof)
    figures["rules_alone"] = keep_figures(samples, oof, 0.0)
    figures["model"] = keep_figures(samples, oof, rep.threshold)
    rep.cv = figures
    rep.improves = rep.threshold > 0 and figures["model"]["precision"] > figures["rules_alone"]["precision"]
    vec, clf = _fit(samples)
    meta: dict[str, Any] = {
        "trained": dt.date.today().isoformat(),
        "neurocode": __version__,
        "scikit_learn": sklearn.__version__,
        "python": platform.python_version(),
        "training_data": _display_path(gold_path),
        "samples": rep.samples,
        "positives": rep.positives,
        "notes": rep.notes,
        "feedback_records": rep.feedback_records,
        "cv": figures,
        "improves_on_rules": rep.improves,
    }
    model = _as_model(vec, clf, rep.threshold if rep.improves else 0.0, meta)
    if dev is not None:
        rep.dev = compare_on_dev(model, *dev)
        meta["dev"] = rep.dev
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = out_dir / "model.json.tmp"
    tmp.write_text(model.to_json(), encoding="utf-8")
    tmp.replace(out_dir / "model.json")
    (out_dir / "MODEL_CARD.md").write_text(model_card(rep, model), encoding="utf-8")
    return rep


def _display_path(path: Path) -> str:
    """Path relative to the working directory when inside it (no machine-specific prefixes in the card)."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return path.name


def compare_on_dev(model: ConfidenceModel, gold_path: Path, notes_dir: Path) -> dict[str, Any]:
    """Neuro-scope micro P/R/F1 on held-out reference notes: rules alone vs rules + model threshold."""
    from nlp.api import suggest_many
    from nlp.evaluation.scorer import score

    gold = read_gold(gold_path)
    texts = [(r["note_id"], (notes_dir / f"{r['note_id']}.txt").read_text(encoding="utf-8", errors="replace"))
             for r in gold if (notes_dir / f"{r['note_id']}.txt").is_file()]
    with rules_only():
        rules = {str(r.note_id): r.to_dict() for r in suggest_many(texts)}
    filtered: dict[str, Mapping[str, Any]] = {}
    for note_id, res in rules.items():
        kept = [s for s in res["suggestions"] if model.keeps(s, model.predict(s))]
        filtered[note_id] = {**res, "suggestions": kept}
    out: dict[str, Any] = {}
    for name, preds in (("rules_alone", rules), ("with_model", filtered)):
        rep = score(gold, preds)
        for scope, suffix in (("neuro", ""), ("all", "_all_codes")):
            prf = rep.micro[scope]["overall"]
            out[name + suffix] = {"precision": round(prf.precision, 4), "recall": round(prf.recall, 4),
                                  "f1": round(prf.f1, 4), "tp": prf.tp, "fp": prf.fp, "fn": prf.fn}
        out[name]["query_recall"] = rep.query_recall.value
    out["notes"] = len(texts)
    return out


def model_card(rep: TrainingReport, model: ConfidenceModel) -> str:
    cv = rep.cv
    lines = [
        "# Model card: suggestion confidence (logistic regression)",
        "",
        f"- Trained: {model.meta['trained']} with neurocode {model.meta['neurocode']}, scikit-learn "
        f"{model.meta['scikit_learn']}, Python {model.meta['python']} (`neurocode train`).",
        f"- Stored as JSON weights (`{MODEL_FORMAT}`): loading needs no pickle and no matching scikit-learn.",
        f"- Data: {rep.notes} annotated notes from `{model.meta['training_data']}` (synthetic, written for the "
        f"project; independent of the dev reference set) and {rep.feedback_records} coder-feedback decisions; "
        f"{rep.samples} candidate suggestions, {rep.positives} correct.",
        "- Candidates per source coder (n, correct): "
        + ", ".join(f"{k} {v[0]}/{v[1]}" for k, v in rep.by_source.items()) + ".",
        "- Features (no note text): source coder, family, system, label, evidence assertion, sections of the "
        "evidence, evidence count, number of defaulted axes, whether a query was raised, rule confidence.",
        "",
        f"## Cross-validated figures ({cv.get('folds')} folds grouped by note)",
        f"- AUC: model {cv.get('auc_model', 'n/a')} vs rule confidence {cv.get('auc_rules', 'n/a')}.",
        f"- Brier score (lower is better): model {cv['brier_model']} vs rule confidence {cv['brier_rules']}.",
        f"- Rules alone keep every candidate: precision {cv['rules_alone']['precision']}, "
        f"recall {cv['rules_alone']['recall']} (of correct candidates).",
        "- With the model, fallback fuzzy-match candidates below "
        f"{rep.threshold} are dropped: "
        f"precision {cv['model']['precision']}, recall {cv['model']['recall']}, "
        f"{cv['model']['dropped']} dropped, {cv['model']['true_positives_dropped']} correct ones among them.",
        "",
        "## Effect",
    ]
    if rep.improves:
        gain = cv["model"]["precision"] - cv["rules_alone"]["precision"]
        lines.append(f"- The model improves precision at equal recall in cross-validation by {gain:+.4f} "
                     f"({cv['model']['dropped']} of {rep.samples} candidates dropped, none of them correct); "
                     f"`suggest` uses it for `confidence` and drops fallback candidates below {model.threshold}. "
                     f"The gain is {'small' if gain < 0.02 else 'material'}; "
                     "its main use is calibration (Brier above).")
    else:
        lines.append("- The model does NOT improve precision at equal recall in cross-validation: its threshold is "
                     "0 (nothing is dropped); `suggest` uses its probability only as `confidence`.")
    if rep.dev:
        r, m = rep.dev["rules_alone"], rep.dev["with_model"]
        ra, ma = rep.dev["rules_alone_all_codes"], rep.dev["with_model_all_codes"]
        same = (ra["tp"], ra["fp"], ra["fn"]) == (ma["tp"], ma["fp"], ma["fn"])
        lines.append(f"- Held-out dev reference set ({rep.dev['notes']} notes, micro), neuro scope: rules alone "
                     f"P {r['precision']} R {r['recall']} F1 {r['f1']}; with the model P {m['precision']} "
                     f"R {m['recall']} F1 {m['f1']}. All codes: rules alone P {ra['precision']} R {ra['recall']}; "
                     f"with the model P {ma['precision']} R {ma['recall']}"
                     + (" (no suggestion changes)." if same else "."))
    lines += [
        "",
        "## Failure policy",
        "- No model file: rule confidence, silently (a fresh install may run without one).",
        "- Corrupt file, wrong format or bad weights: warning E501 in the result, rule confidence; `suggest` "
        "never fails because of the model. `NEUROCODE_CONFIDENCE=rules` turns the model off.",
        "",
    ]
    return "\n".join(lines)
