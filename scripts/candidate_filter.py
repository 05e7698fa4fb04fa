"""Issue 9 item 7: does a learned candidate filter raise F1 on notes it never saw?

Trains a logistic regression (scikit-learn) on the candidates the rules make on the tuning part
(eval_data/splits/tuning_ids.txt of gold_train.jsonl, plus the dev notes), labelled by the scorer's
matching; picks the drop threshold that maximises grouped 5-fold cross-validated neuro-scope
micro F1 on the tuning part; then scores the validation part once, with and without the filter.
Features are `model_features()` (no note text) plus the code's chapter letter.

    python scripts/candidate_filter.py [--shared ../shared] [--write models/candidate_filter/model.json]

Prints the figures; writes the model only with --write and only when validation F1 rises.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from sklearn.feature_extraction import DictVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.model_selection import GroupKFold  # noqa: E402

from nlp.codesets.families import family_of  # noqa: E402
from nlp.evaluation.run import read_ids  # noqa: E402
from nlp.evaluation.scorer import match_note, read_gold  # noqa: E402
from nlp.review.confidence_model import model_features  # noqa: E402
from nlp.training.confidence import rules_only  # noqa: E402

THRESHOLDS = [round(0.05 * i, 2) for i in range(0, 12)]


def features(s: dict) -> dict[str, float]:
    f = model_features(s)
    f[f"chapter={s['code'][:1]}"] = 1.0
    return f


def candidates(gold: list[dict], notes: Path) -> tuple[list[dict], list[int], list[str], dict[str, int]]:
    """(suggestion dicts, labels, note ids, neuro gold count per note) for ICD-10-CM neuro-scope candidates."""
    from nlp.api import suggest_many

    texts = [(g["note_id"], (notes / f"{g['note_id']}.txt").read_text(encoding="utf-8", errors="replace"))
             for g in gold]
    by_id = {g["note_id"]: g for g in gold}
    rows, labels, groups, n_gold = [], [], [], {}
    with rules_only():
        for result in suggest_many(texts):
            g = by_id[result.note_id]
            sugg = [s.to_dict() for s in result.suggestions]
            pairs, unmatched = match_note(g["codes"], sugg)
            n_gold[g["note_id"]] = sum(1 for gc in g["codes"] if gc.get("neuro") and gc["system"] == "ICD-10-CM")
            matched = {id(sg) for gc, sg in pairs if sg is not None and gc.get("neuro")}
            for s in sugg:
                if s["system"] != "ICD-10-CM":
                    continue
                tp = id(s) in matched
                if not tp and not family_of("ICD-10-CM", s["code"])[1]:
                    continue  # outside the neuro scope: not scored there
                rows.append(s)
                labels.append(int(tp))
                groups.append(g["note_id"])
    return rows, labels, groups, n_gold


def f1(labels: np.ndarray, keep: np.ndarray, n_gold: int) -> float:
    tp = int((labels & keep).sum())
    fp = int((~labels.astype(bool) & keep).sum())
    fn = n_gold - tp
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--write", default=None)
    args = ap.parse_args()
    data = Path(args.shared) / "data" / "mtsamples_neuro"
    train_gold = read_gold(data / "gold_train.jsonl")
    tuning = set(read_ids(ROOT / "eval_data" / "splits" / "tuning_ids.txt"))
    validation = set(read_ids(ROOT / "eval_data" / "splits" / "validation_ids.txt"))
    tune_gold = [g for g in train_gold if g["note_id"] in tuning] + read_gold(data / "gold_dev.jsonl")
    val_gold = [g for g in train_gold if g["note_id"] in validation]

    rows, labels, groups, n_gold = candidates(tune_gold, data / "notes")
    vec = DictVectorizer()
    X = vec.fit_transform([features(s) for s in rows])
    y = np.array(labels)
    prob = np.zeros(len(y))
    for train, test in GroupKFold(n_splits=5).split(X, y, groups):
        model = LogisticRegression(max_iter=2000, C=1.0, class_weight="balanced")
        model.fit(X[train], y[train])
        prob[test] = model.predict_proba(X[test])[:, 1]
    total = sum(n_gold.values())
    cv = {t: f1(y, prob >= t, total) for t in THRESHOLDS}
    best = max(cv, key=lambda t: (round(cv[t], 4), -t))
    print(f"tuning candidates {len(y)} (correct {int(y.sum())}), gold neuro ICD codes {total}")
    print("cross-validated neuro ICD F1 on the tuning part by drop threshold:")
    print("  " + "  ".join(f"{t:.2f}:{v:.3f}" for t, v in cv.items()))
    print(f"best threshold {best} (0 = keep everything)")

    model = LogisticRegression(max_iter=2000, C=1.0, class_weight="balanced").fit(X, y)
    vrows, vlabels, _vgroups, vgold = candidates(val_gold, data / "notes")
    vy = np.array(vlabels)
    vp = model.predict_proba(vec.transform([features(s) for s in vrows]))[:, 1]
    vtotal = sum(vgold.values())
    before, after = f1(vy, np.ones(len(vy), bool), vtotal), f1(vy, vp >= best, vtotal)
    print(f"validation neuro ICD F1 (candidate-level): without filter {before:.3f}, with filter {after:.3f}")
    if args.write and after > before and best > 0:
        out = Path(args.write)
        out.parent.mkdir(parents=True, exist_ok=True)
        weights = dict(zip(vec.get_feature_names_out(), (float(w) for w in model.coef_[0]), strict=True))
        out.write_text(json.dumps({"threshold": best, "intercept": float(model.intercept_[0]),
                                   "weights": weights}, indent=2) + "\n")
        print(f"wrote {out}")


if __name__ == "__main__":
    main()
