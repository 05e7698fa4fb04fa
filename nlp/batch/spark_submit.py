"""Entry file for `spark-submit`: the arguments of `neurocode batch` with the Spark engine.

    spark-submit --master yarn ... nlp/batch/spark_submit.py INPUT -o OUTDIR [--format parquet]

INPUT may be any path Spark reads (hdfs://, s3a://, a glob) for Parquet / CSV / JSONL; OUTDIR must
be a file system the driver can also write (the manifest is written there).
"""

from __future__ import annotations

import sys

from nlp.cli import main

if __name__ == "__main__":
    sys.argv = [sys.argv[0], "batch", *sys.argv[1:], "--engine", "spark"]
    main()
