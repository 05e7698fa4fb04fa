"""Batch scoring of note archives (`neurocode batch`): resumable, parallel, optionally on Spark.

Output contract: nlp/batch/schema.py (columns) and nlp/batch/README.md (folder layout).
"""

from nlp.batch.tables import read_table, read_tables

__all__ = ["read_table", "read_tables"]
