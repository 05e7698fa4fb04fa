"""Split the real notes with reference codes into a tuning part and a validation part (issue 9).

The split depends only on the note id: a note is in the validation part when the SHA-256 of its id,
read as an integer, is below 30 modulo 100 (about 30 %). The 40 dev notes (gold_dev.jsonl) were
already used for tuning, so they always join the tuning part. Run once; the lists are committed.

    python scripts/make_splits.py [--shared ../shared]
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "eval_data" / "splits"


def is_validation(note_id: str) -> bool:
    return int(hashlib.sha256(note_id.encode("utf-8")).hexdigest(), 16) % 100 < 30


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(Path(__file__).resolve().parent.parent.parent / "shared"))
    args = ap.parse_args()
    gold = Path(args.shared) / "data" / "mtsamples_neuro"
    train_ids = [json.loads(line)["note_id"] for line in (gold / "gold_train.jsonl").read_text().splitlines()
                 if line.strip()]
    dev_ids = [json.loads(line)["note_id"] for line in (gold / "gold_dev.jsonl").read_text().splitlines()
               if line.strip()]
    validation = sorted(i for i in train_ids if is_validation(i))
    tuning = sorted(set(train_ids) - set(validation))
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "validation_ids.txt").write_text("\n".join(validation) + "\n")
    (OUT / "tuning_ids.txt").write_text("\n".join(tuning) + "\n")
    (OUT / "dev_ids.txt").write_text("\n".join(sorted(dev_ids)) + "\n")
    print(f"gold_train: {len(train_ids)} notes -> tuning {len(tuning)}, validation {len(validation)}; "
          f"dev {len(dev_ids)} notes join tuning")


if __name__ == "__main__":
    main()
