"""The Spark engine of `neurocode batch` (`--engine spark`, needs `pip install '.[spark]'` and Java 17).

The same scoring as the local engine (`nlp.batch.score.score_chunk`), run by `mapInPandas` over a
DataFrame read from Parquet / CSV / JSONL (a folder or archive of .txt files is read on the driver
and parallelised). The pipeline is built once per executor Python process (`load_pipeline()` is
cached per process and Spark reuses its Python workers). Both tables come out of one scoring pass
(a tagged union, persisted) and are written in the layout of nlp/batch/README.md.

Locally this starts `local[*]` bound to 127.0.0.1 (or NEUROCODE_SPARK_MASTER); under
`spark-submit` the session of the submit (its --master) is used.
"""

from __future__ import annotations

import csv
import json
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from nlp.batch import tables
from nlp.batch.inputs import META_KEYS, Columns, NoteInput, input_kind, is_remote, read_notes, table_kind, table_note
from nlp.batch.schema import LIST_COLUMNS, TABLES
from nlp.batch.score import ScoreOptions, score_chunk
from nlp.errors import Errors, InputError

MASTER_ENV = "NEUROCODE_SPARK_MASTER"
CORRUPT = "_corrupt_record"
IN_COLUMNS = ["input_index", "note_id", "source", "text", "raw", "dup_first", "corrupt", "error_name",
              "error_kwargs", *META_KEYS]


def _spark_types() -> Any:
    from pyspark.sql import types as T

    return T


def _spark_type(arrow_type: Any) -> Any:
    import pyarrow as pa

    T = _spark_types()
    if pa.types.is_list(arrow_type):
        return T.ArrayType(T.StringType())
    if pa.types.is_int64(arrow_type):
        return T.LongType()
    if pa.types.is_float64(arrow_type):
        return T.DoubleType()
    return T.StringType()


def union_schema() -> Any:
    """One output row type for both tables: `kind` plus every column, prefixed by its table."""
    T = _spark_types()
    fields = [T.StructField("kind", T.StringType())]
    for name, schema in TABLES.items():
        fields += [T.StructField(f"{name}__{f.name}", _spark_type(f.type)) for f in schema]
    return T.StructType(fields)


def session() -> Any:
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise InputError(Errors.E811, detail="pyspark is not installed") from exc
    builder = SparkSession.builder.appName("neurocode-batch")
    if os.environ.get("PYSPARK_GATEWAY_PORT") is None:  # not under spark-submit: a local session
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        builder = (builder.master(os.environ.get(MASTER_ENV, "local[*]"))
                   .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                   .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4")
                   .config("spark.sql.session.timeZone", "UTC").config("spark.ui.showConsoleProgress", "false"))
    try:
        spark = builder.getOrCreate()
        spark.sparkContext.setLogLevel("ERROR")
        return spark
    except Exception as exc:  # noqa: BLE001 - no Java, or a JVM that does not start
        raise InputError(Errors.E811, detail=type(exc).__name__) from exc


def _csv_header(spark: Any, path: str) -> list[str]:
    if is_remote(path):
        return list(spark.read.option("header", True).csv(path).columns)
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return next(csv.reader(fh), [])


def input_frame(spark: Any, path: str, cols: Columns) -> tuple[Any, list[str] | None, bool]:
    """The input as a DataFrame of IN_COLUMNS (one row per note, input_index as the local engine),
    the input's column names, and whether it has the text column."""
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    kind = table_kind(path) if is_remote(path) else input_kind(Path(path))
    if kind in ("folder", "zip", "tar"):  # files are read on the driver, scored on the executors
        rows = [(n.input_index, n.note_id, n.source, n.raw if isinstance(n.raw, str) else None,
                 bytearray(n.raw) if isinstance(n.raw, bytes) else None, None, None,
                 n.error.code if n.error else None, json.dumps(n.error.kwargs, default=str) if n.error else None,
                 *(n.meta.get(k) for k in META_KEYS)) for n in read_notes(path, cols)]
        schema = T.StructType([T.StructField(c, T.BinaryType() if c == "raw" else T.LongType()
                                             if c in ("input_index", "dup_first") else T.StringType())
                               for c in IN_COLUMNS])
        return spark.createDataFrame(rows, schema, verifySchema=False), None, True
    if kind == "csv":
        header = _csv_header(spark, path)
        schema = T.StructType([T.StructField(c, T.StringType()) for c in header]
                              + [T.StructField(CORRUPT, T.StringType())])
        df = (spark.read.option("header", True).option("multiLine", True).option("escape", '"')
              .option("mode", "PERMISSIVE").option("columnNameOfCorruptRecord", CORRUPT)
              .schema(schema).csv(path))
        declared: list[str] | None = header
    elif kind == "jsonl":
        df = spark.read.option("mode", "PERMISSIVE").option("columnNameOfCorruptRecord", CORRUPT).json(path)
        declared = None
    else:
        df = spark.read.parquet(path)
        declared = df.columns
    names = [c for c in df.columns if c != CORRUPT]
    if cols.note_id not in df.columns:
        raise InputError(Errors.E803, path=str(path), column=cols.note_id, columns=", ".join(names))
    indexed = df.rdd.zipWithIndex().map(lambda pair: (*pair[0], pair[1]))
    df = spark.createDataFrame(indexed, T.StructType([*df.schema.fields, T.StructField("input_index", T.LongType())]))

    def as_text(name: str) -> Any:
        if name not in df.columns:
            return F.lit(None).cast("string")
        dtype = df.schema[name].dataType
        if isinstance(dtype, T.DateType | T.TimestampType):
            return F.date_format(F.col(name), "yyyy-MM-dd")
        return F.col(name).cast("string")

    corrupt = F.col(CORRUPT).isNotNull() if CORRUPT in df.columns else F.lit(False)
    base = f"{path.rstrip('/').rsplit('/', 1)[-1]}:row "
    out = df.select(
        F.col("input_index"), as_text(cols.note_id).alias("note_id"),
        F.concat(F.lit(base), (F.col("input_index") + 1).cast("string")).alias("source"),
        (as_text(cols.text) if cols.text in names else F.lit(None).cast("string")).alias("text"),
        F.lit(None).cast("binary").alias("raw"), corrupt.alias("corrupt"),
        *(as_text(getattr(cols, k)).alias(k) for k in META_KEYS))
    from pyspark.sql.window import Window

    key = F.when(~F.col("corrupt") & (F.trim(F.col("note_id")) != ""), F.trim(F.col("note_id")))
    out = out.withColumn("dup_key", key).withColumn(
        "dup_first", F.when(F.col("dup_key").isNotNull(), F.min("input_index").over(Window.partitionBy("dup_key"))))
    none = F.lit(None).cast("string")
    out = out.withColumn("error_name", none).withColumn("error_kwargs", none)
    return out.select(*IN_COLUMNS), declared or names, cols.text in names


def _is_null(value: Any) -> bool:
    import pandas as pd

    return value is None or (not isinstance(value, bytes | bytearray | list) and bool(pd.isna(value)))


def _notes_of(pdf: Any, cols: Columns, declared: list[str] | None, has_text: bool) -> list[NoteInput]:
    notes = []
    for raw_rec in pdf.to_dict("records"):
        rec: dict[str, Any] = {k: None if _is_null(v) else v for k, v in raw_rec.items()}  # NaN / NA -> None
        index = int(rec["input_index"])
        meta = {k: rec.get(k) for k in META_KEYS}
        if rec.get("corrupt") is None:  # a file note prepared on the driver by read_notes
            err = InputError(Errors[rec["error_name"]], **json.loads(rec["error_kwargs"])) \
                if rec.get("error_name") else None
            raw = bytes(rec["raw"]) if rec.get("raw") is not None else rec.get("text")
            notes.append(NoteInput(index, rec["note_id"], rec["source"], raw, meta, err))
            continue
        row = {cols.note_id: rec["note_id"], **{getattr(cols, k): rec.get(k) for k in META_KEYS}}
        if has_text:
            row[cols.text] = rec.get("text")
        note = table_note(index, rec["source"], None if rec["corrupt"] else row,
                          "malformed row" if rec["corrupt"] else None, cols, declared)
        first = rec.get("dup_first")
        if note.error is None and first is not None and int(first) != index:
            note.error = InputError(Errors.E806, note_id=note.note_id, first=int(first))
            note.raw = None
        notes.append(note)
    return notes


def _scorer(cols: Columns, declared: list[str] | None, has_text: bool, opts: ScoreOptions, chunk: int) -> Any:
    def score(batches: Iterator[Any]) -> Iterator[Any]:
        import pandas as pd

        names = [f.name for f in union_schema()]
        empty = dict.fromkeys(names)  # every column present: None, never NaN, in the other table's columns
        for pdf in batches:
            notes = sorted(_notes_of(pdf, cols, declared, has_text), key=lambda n: n.input_index)
            out: list[dict[str, Any]] = []
            for i in range(0, len(notes), chunk):
                note_rows, sugg_rows = score_chunk(notes[i:i + chunk], opts)
                for kind, rows in (("notes", note_rows), ("suggestions", sugg_rows)):
                    out += [{**empty, "kind": kind, **{f"{kind}__{k}": v for k, v in r.items()}} for r in rows]
            yield pd.DataFrame.from_records(out, columns=names)

    return score


def run_spark(path: str, outdir: Path, *, identity: dict[str, Any], resume: bool, cols: Columns,
              opts: ScoreOptions) -> Any:
    """Score `path` with Spark into `outdir`; --resume of a complete run only re-reads the summary;
    an incomplete one is scored again (Spark retries failed tasks itself)."""
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    from nlp.batch.runner import summarize

    manifest_path = outdir / tables.MANIFEST
    if manifest_path.exists():
        if not resume:
            raise InputError(Errors.E809, path=str(outdir))
        old = tables.read_manifest(outdir)
        if old.get("complete") and all(old.get(k) == identity[k] for k in ("engine", "format", "input_fingerprint",
                                                                          "options")):
            return summarize(outdir, 0.0, 0)
    elif outdir.exists() and any(outdir.iterdir()) and not resume:
        raise InputError(Errors.E809, path=str(outdir))
    start = time.perf_counter()
    spark = session()
    frame, declared, has_text = input_frame(spark, path, cols)
    part_size = int(identity["options"]["part_size"])
    scored = frame.mapInPandas(_scorer(cols, declared, has_text, opts, part_size), schema=union_schema())
    scored = scored.persist(StorageLevel.MEMORY_AND_DISK)
    outdir.mkdir(parents=True, exist_ok=True)
    fmt = identity["format"]
    for name, schema in TABLES.items():
        columns = []
        for f in schema:
            col = F.col(f"{name}__{f.name}")
            if fmt == "csv" and f.name in LIST_COLUMNS[name]:
                col = F.array_join(col, tables.LIST_SEP)
            columns.append(col.alias(f.name))
        table = scored.filter(F.col("kind") == name).select(*columns)
        writer = table.write.mode("overwrite")
        target = (outdir / name).resolve().as_uri()  # file://: the driver writes the manifest beside it
        if fmt == "parquet":
            writer.parquet(target)
        elif fmt == "csv":
            writer.option("header", True).option("escape", '"').csv(target)
        else:
            writer.option("ignoreNullFields", False).json(target)
    n_notes = scored.filter(F.col("kind") == "notes").count()
    scored.unpersist()
    manifest = {**identity, "parts": [], "complete": False}
    tables.write_json_atomic(manifest_path, manifest)
    summary = summarize(outdir, time.perf_counter() - start, n_notes)
    manifest.update(complete=True, summary=summary.to_dict())
    tables.write_json_atomic(manifest_path, manifest)
    return summary
