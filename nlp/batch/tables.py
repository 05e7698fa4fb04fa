"""Reading and writing the batch output tables (layout in nlp/batch/README.md).

Parts are written to a hidden temporary name and renamed into place (atomic on one file system);
a part counts as finished only once the manifest lists it, so a part file left by a crash is never
read as a finished one.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from nlp.batch.schema import FORMATS, LIST_COLUMNS, SORT_KEYS, TABLES
from nlp.errors import Errors, InputError

MANIFEST = "manifest.json"
EXTENSIONS = {"parquet": ".parquet", "csv": ".csv", "jsonl": ".jsonl"}
LIST_SEP = ";"


def to_arrow(table: str, rows: list[dict[str, Any]]) -> pa.Table:
    schema = TABLES[table]
    return pa.Table.from_pylist([{f.name: r.get(f.name) for f in schema} for r in rows], schema=schema)


def _flatten_lists(table: str, data: pa.Table) -> pa.Table:
    """CSV cannot hold lists: join them with ';' (empty list -> empty string)."""
    for col in LIST_COLUMNS[table]:
        joined = pa.array([LIST_SEP.join(v or []) for v in data.column(col).to_pylist()], pa.string())
        data = data.set_column(data.schema.get_field_index(col), col, joined)
    return data


def write_part(outdir: Path, table: str, part: int, rows: list[dict[str, Any]], fmt: str) -> str:
    """Write one part atomically; returns its path relative to outdir."""
    folder = outdir / table
    folder.mkdir(parents=True, exist_ok=True)
    name = f"part-{part:05d}{EXTENSIONS[fmt]}"
    tmp = folder / f".tmp-{name}"
    data = to_arrow(table, rows)
    if fmt == "parquet":
        pq.write_table(data, tmp)
    elif fmt == "csv":
        pacsv.write_csv(_flatten_lists(table, data), tmp)
    else:
        with open(tmp, "w", encoding="utf-8") as fh:
            for row in data.to_pylist():
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, folder / name)
    return f"{table}/{name}"


def write_json_atomic(path: Path, payload: dict[str, Any]) -> None:
    tmp = path.with_name(f".tmp-{path.name}")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(payload, fh, indent=1)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def read_manifest(outdir: str | Path) -> dict[str, Any]:
    path = Path(outdir) / MANIFEST
    if not path.is_file():
        raise InputError(Errors.E812, path=str(outdir))
    return json.loads(path.read_text(encoding="utf-8"))


def _part_files(outdir: Path, table: str, manifest: dict[str, Any]) -> list[Path]:
    if manifest.get("engine") == "local":  # only the parts the manifest lists are finished
        return [outdir / p[table] for p in manifest.get("parts", [])]
    folder = outdir / table  # Spark: the folder is complete once the manifest exists
    return sorted(p for p in folder.glob("part-*") if not p.name.endswith(".crc"))


def _read_one(path: Path, table: str, fmt: str) -> pd.DataFrame:
    schema = TABLES[table]
    if fmt == "parquet":
        return pq.read_table(path).select(schema.names).cast(schema).to_pandas()
    if fmt == "csv":
        lists = set(LIST_COLUMNS[table])
        types = {f.name: (pa.string() if f.name in lists else f.type) for f in schema}
        data = pacsv.read_csv(path, parse_options=pacsv.ParseOptions(newlines_in_values=True),
                              convert_options=pacsv.ConvertOptions(
            column_types=types, strings_can_be_null=True, quoted_strings_can_be_null=False))
        df = data.select(schema.names).to_pandas()
        for col in lists:
            df[col] = [v.split(LIST_SEP) if isinstance(v, str) and v else [] for v in df[col]]
        return df
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return pa.Table.from_pylist([{n: r.get(n) for n in schema.names} for r in rows], schema=schema).to_pandas()


def read_table(outdir: str | Path, table: str) -> pd.DataFrame:
    """One output table of a finished (or partly finished) run, in input order."""
    outdir = Path(outdir)
    manifest = read_manifest(outdir)
    fmt = manifest.get("format", "parquet")
    if fmt not in FORMATS:
        raise InputError(Errors.E812, path=str(outdir))
    frames = [_read_one(p, table, fmt) for p in _part_files(outdir, table, manifest)]
    frames = [f for f in frames if len(f)]
    if not frames:
        return TABLES[table].empty_table().to_pandas()
    df = pd.concat(frames, ignore_index=True)
    for col in LIST_COLUMNS[table]:  # one representation whatever the format: list of str
        df[col] = [list(v) if v is not None else [] for v in df[col]]
    return df.sort_values(SORT_KEYS[table], kind="stable").reset_index(drop=True)


def read_tables(outdir: str | Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(suggestions, notes) DataFrames of a batch output folder (columns of nlp/batch/schema.py)."""
    return read_table(outdir, "suggestions"), read_table(outdir, "notes")
