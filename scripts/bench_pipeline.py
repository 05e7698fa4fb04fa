"""Pipeline throughput: spaCy tokenizer alone vs the neurocode pipeline vs medspaCy's default pipeline.

    .venv/bin/python scripts/bench_pipeline.py --notes ../shared/data/mtsamples_neuro/notes [--repeat 3]

`measure(notes)` returns notes/second for (a) `spacy.blank("en")` tokenisation, (b) our pipeline via
`nlp.pipe` (entities, assertion, attributes and `doc_to_facts`), (c) `medspacy.load()` (PyRuSH
sentences + target matcher + ConText), plus the ratios and the process RSS after loading ours.
Prints numbers only; never note text.
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path


def _rate(n: int, seconds: float) -> float:
    return n / seconds if seconds > 0 else float("inf")


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def measure(notes: list[str], repeat: int = 1, include_medspacy: bool = True) -> dict[str, float]:
    """Notes per second for the tokenizer, our pipeline and medspaCy's default pipeline."""
    import spacy

    from nlp.pipeline import load_pipeline
    from nlp.pipeline.context import silence_loguru
    from nlp.pipeline.facts import doc_to_facts

    silence_loguru()
    tokenizer = spacy.blank("en")
    ours = load_pipeline()
    rss_ours = _rss_mb()
    ours(notes[0] if notes else "")  # warm-up

    best_tok = best_ours = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        for _doc in tokenizer.pipe(notes):
            pass
        best_tok = min(best_tok, time.perf_counter() - t)
        t = time.perf_counter()
        for doc in ours.pipe(notes):
            doc_to_facts(doc)
        best_ours = min(best_ours, time.perf_counter() - t)
    out = {
        "notes": float(len(notes)),
        "tokenizer_notes_per_s": _rate(len(notes), best_tok),
        "pipeline_notes_per_s": _rate(len(notes), best_ours),
        "pipeline_vs_tokenizer": best_tok / best_ours if best_ours else float("inf"),
        "rss_mb_after_loading_pipeline": rss_ours,
    }
    if include_medspacy:
        import medspacy

        silence_loguru()
        med = medspacy.load()
        silence_loguru()
        t = time.perf_counter()
        for _doc in med.pipe(notes):
            pass
        med_s = time.perf_counter() - t
        out["medspacy_default_notes_per_s"] = _rate(len(notes), med_s)
        out["pipeline_vs_medspacy"] = med_s / best_ours if best_ours else float("inf")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=Path, required=True, help="folder of .txt notes")
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs for tokenizer and pipeline")
    parser.add_argument("--no-medspacy", action="store_true", help="skip the (slow) medspaCy default run")
    args = parser.parse_args()
    notes = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(args.notes.glob("*.txt"))]
    result = measure(notes, repeat=args.repeat, include_medspacy=not args.no_medspacy)
    for key, value in result.items():
        print(f"{key:32s} {value:10.2f}")


if __name__ == "__main__":
    main()
