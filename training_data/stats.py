"""Counts for training_data/README.md: notes and codes per family, labels, query axes, not-coded reasons.

    .venv/bin/python training_data/stats.py          # prints the Markdown block pasted in the README

Self-contained (standard library only) so the README check in tests/training_data can import it.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ANNOTATIONS = HERE / "annotations.jsonl"

# (family, predicate) in priority order; the first match wins.
ICD_FAMILIES: list[tuple[str, tuple[str, ...]]] = [
    ("epilepsy / seizures", ("G40", "R56", "F44.5", "R40.4", "R55")),
    ("multiple sclerosis / demyelinating", ("G35", "G36", "G37", "H46", "N31")),
    ("headache / facial pain", ("G43", "G44", "R51", "G50", "M54.81", "G93.2")),
    ("neuromuscular / neuropathy / radiculopathy",
     ("G56", "G57", "G60", "G61", "G62", "G63", "G70", "G12", "G72", "E10.4", "E11.4", "M50", "M51", "M54.1",
      "R20", "R25.3", "M62.81", "Z79.4")),
    ("stroke / cerebrovascular", ("I6", "Z86.73", "R47", "R42", "I48")),
    ("dementia / cognition", ("F01", "F02", "F03", "G30", "G31", "R48", "R41")),
    ("movement disorders", ("G20", "G21", "G24", "G25", "G51.3", "G80", "R26")),
    ("trauma", ("S06", "R56.1")),
]
CPT_FAMILIES: list[tuple[str, range]] = [
    ("nerve conduction (95907-95913)", range(95907, 95914)),
    ("needle EMG alone (95860-95872)", range(95860, 95873)),
    ("needle EMG with NCS (95885-95887)", range(95885, 95888)),
    ("EEG routine / extended (95812-95822)", range(95812, 95823)),
    ("EEG long-term (95700-95726)", range(95700, 95727)),
    ("chemodenervation (64612-64647)", range(64612, 64648)),
    ("chemodenervation guidance (95873-95874)", range(95873, 95875)),
    ("lumbar puncture (62270-62329)", range(62270, 62330)),
    ("nerve block (64400-64530)", range(64400, 64531)),
]


def load(path: Path = ANNOTATIONS) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def family(code: dict) -> str:
    c = code["code"]
    if code["system"] == "ICD-10-CM":
        # trauma first for the injury codes, R56.1 stays with seizures
        if c.startswith("S06"):
            return "trauma"
        for fam, prefixes in ICD_FAMILIES:
            if c.startswith(prefixes):
                return fam
        return "other ICD-10-CM"
    if code["system"] == "CPT":
        n = int(c)
        for fam, rng in CPT_FAMILIES:
            if n in rng:
                return fam
        return "other CPT"
    return "botulinum toxin supply (HCPCS J0585-J0588)"


def _table(title: str, counter: Counter, head: str = "count") -> list[str]:
    rows = [f"| {title} | {head} |", "|---|---:|"]
    rows += [f"| {k} | {v} |" for k, v in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))]
    return rows


def markdown(records: list[dict] | None = None) -> str:
    records = load() if records is None else records
    codes = [c for r in records for c in r["codes"]]
    notes_per_family: Counter = Counter()
    codes_per_family: Counter = Counter()
    for r in records:
        fams = {family(c) for c in r["codes"]}
        notes_per_family.update(fams)
        codes_per_family.update(family(c) for c in r["codes"])
    by_family = ["| family | notes | codes |", "|---|---:|---:|"]
    for fam in sorted(notes_per_family, key=lambda f: (-notes_per_family[f], f)):
        by_family.append(f"| {fam} | {notes_per_family[fam]} | {codes_per_family[fam]} |")
    labels = Counter(f"{c['system']} {c['label']}" for c in codes)
    axes = Counter(a for c in codes for a in c["query_axes"])
    reasons = Counter(n["reason"] for r in records for n in r["not_coded"])
    extras = Counter()
    for c in codes:
        if c.get("alternatives"):
            extras["codes with alternatives"] += 1
        if c.get("modifiers"):
            extras["codes with modifiers (" + ",".join(c["modifiers"]) + ")"] += 1
        if c.get("units", 1) > 1:
            extras["CPT/HCPCS lines with units > 1"] += 1
        extras["neuro-scope codes" if c["neuro"] else "codes outside the neuro scope"] += 1
    out = [
        f"Notes: **{len(records)}**; codes: **{len(codes)}** "
        f"(ICD-10-CM {sum(c['system'] == 'ICD-10-CM' for c in codes)}, CPT {sum(c['system'] == 'CPT' for c in codes)}, "
        f"HCPCS {sum(c['system'] == 'HCPCS' for c in codes)}); not-coded items: "
        f"**{sum(len(r['not_coded']) for r in records)}**.",
        "",
        *by_family, "",
        *_table("system / label", labels), "",
        *_table("query axis (NOS codes)", axes), "",
        *_table("not_coded reason", reasons), "",
        *_table("other", extras),
    ]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    print(markdown(), end="")
