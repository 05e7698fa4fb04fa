"""The Spark engine in local mode gives the same tables as the local engine."""

from __future__ import annotations

import importlib.util
import shutil

import pandas as pd
import pytest

from nlp.batch import read_tables
from nlp.batch.runner import run_batch

from .conftest import note_rows, write_folder, write_table

pytestmark = [
    pytest.mark.spark,
    pytest.mark.skipif(shutil.which("java") is None, reason="the Spark engine needs Java (17); none on PATH"),
    pytest.mark.skipif(importlib.util.find_spec("pyspark") is None,
                       reason="PySpark not installed (pip install '.[spark]'; `make install` does it)"),
]


@pytest.fixture(scope="module")
def spark_local(neurocode_home):  # noqa: ARG001 - executors inherit NEUROCODE_HOME from this process
    import os

    os.environ.setdefault("NEUROCODE_SPARK_MASTER", "local[2]")
    from nlp.batch.spark import session

    spark = session()
    yield spark
    spark.stop()


def inputs() -> list[dict]:
    rows = note_rows(6)
    rows += [{"note_id": "blank", "text": "", "provider_id": "prov9"},
             {"note_id": "n001", "text": "a duplicate id"},
             {"note_id": "old", "text": rows[0]["text"], "date_of_service": "2015-01-01"}]
    return rows


def assert_same(local_dir, spark_dir) -> None:
    s1, n1 = read_tables(local_dir)
    s2, n2 = read_tables(spark_dir)
    pd.testing.assert_frame_equal(n1.drop(columns="seconds"), n2.drop(columns="seconds"))
    pd.testing.assert_frame_equal(s1, s2)
    assert len(s1) > 0


@pytest.mark.parametrize(("suffix", "fmt"), [("jsonl", "parquet"), ("parquet", "csv"), ("csv", "jsonl")])
def test_spark_and_local_engines_give_identical_tables(tmp_path, spark_local, suffix, fmt):
    rows = inputs()
    inp = write_table(rows, tmp_path / f"in.{suffix}")
    if suffix == "jsonl":  # and a corrupt line
        inp.write_text(inp.read_text() + '{"note_id": "broken", \n', encoding="utf-8")
    run_batch(inp, tmp_path / "local", fmt=fmt, progress=False)
    summary = run_batch(inp, tmp_path / "spark", engine="spark", fmt=fmt, progress=False)
    assert summary.notes == len(rows) + (suffix == "jsonl")
    assert set(summary.errors_by_code) >= {"E804", "E806", "E105"}
    assert_same(tmp_path / "local", tmp_path / "spark")


def test_spark_engine_reads_a_folder_of_text_notes(tmp_path, spark_local):
    folder = write_folder(note_rows(3), tmp_path / "notes")
    (folder / "empty.txt").write_bytes(b"")
    run_batch(folder, tmp_path / "local", progress=False)
    run_batch(folder, tmp_path / "spark", engine="spark", progress=False)
    assert_same(tmp_path / "local", tmp_path / "spark")
