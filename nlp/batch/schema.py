"""The batch output contract: column names and types of the `notes` and `suggestions` tables.

Both engines (local processes, Spark) write exactly these columns; `nlp.batch.read_tables(outdir)`
returns them as pandas DataFrames in this order, sorted by input order. Keep this stable: the
provider reports (nlp/reports) read it.

Types are pyarrow types. In CSV output, list columns are written joined by ";" (codes, modifiers and
axis names never contain ";") and nulls as empty fields; `read_tables` restores both.

Columns that vary from run to run (timing) are listed in `VOLATILE_COLUMNS`; compare tables of two
runs without them.
"""

from __future__ import annotations

import pyarrow as pa

STATUS_OK = "ok"
STATUS_ERROR = "error"

# Per-note metadata carried on both tables (null when absent in the input and on the command line).
META_FIELDS: list[pa.Field] = [
    pa.field("note_id", pa.string()),  # txt inputs: path relative to the folder / archive root
    pa.field("input_index", pa.int64()),  # 0-based position of the note in the input (unique per run)
    pa.field("provider_id", pa.string()),
    pa.field("date_of_service", pa.string()),  # YYYY-MM-DD as given (per note, else --dos); null = newest release
    pa.field("setting", pa.string()),  # outpatient | inpatient (per note, else --setting)
    pa.field("specialty", pa.string()),
]

NOTES_SCHEMA = pa.schema(
    META_FIELDS
    + [
        pa.field("source", pa.string()),  # where the note came from: file path, archive member, "file.csv:row 12"
        pa.field("status", pa.string()),  # "ok" | "error"
        pa.field("error_code", pa.string()),  # e.g. "E403", "E105", "E804"; null when ok
        pa.field("error_message", pa.string()),  # the numbered message (never note text); null when ok
        pa.field("warnings", pa.list_(pa.string())),  # numbered warnings, e.g. ["E401: Note n1: ..."]
        pa.field("n_chars", pa.int64()),  # characters of the decoded note (null when unreadable)
        pa.field("n_suggestions", pa.int64()),
        pa.field("n_specific", pa.int64()),
        pa.field("n_nec", pa.int64()),
        pa.field("n_nos", pa.int64()),
        pa.field("n_queries", pa.int64()),
        pa.field("icd10cm_release", pa.string()),  # release used for this note (null on error)
        pa.field("pipeline_version", pa.string()),
        pa.field("service_type", pa.string()),  # claim readiness: e.g. "office_visit/established" (null on error)
        pa.field("em_category", pa.string()),  # E/M category for visits and consultations (null otherwise)
        pa.field("em_code", pa.string()),  # E/M level from documented time (null: not a visit, or NOS)
        pa.field("em_label", pa.string()),  # specific | NOS
        pa.field("seconds", pa.float64()),  # wall time to guard + score this note (batch share)
    ]
)

SUGGESTIONS_SCHEMA = pa.schema(
    META_FIELDS
    + [
        pa.field("suggestion_index", pa.int64()),  # order of the suggestion within its note
        pa.field("system", pa.string()),  # ICD-10-CM | CPT | HCPCS
        pa.field("code", pa.string()),
        pa.field("description", pa.string()),
        pa.field("label", pa.string()),  # specific | NEC | NOS
        pa.field("confidence", pa.float64()),
        pa.field("units", pa.int64()),
        pa.field("modifiers", pa.list_(pa.string())),
        pa.field("family", pa.string()),  # condition family (nlp/resources/code_families.csv)
        pa.field("source", pa.string()),  # the coder that produced it
        pa.field("assertion", pa.string()),
        pa.field("query_axes", pa.list_(pa.string())),  # empty unless label is NOS with a query
        pa.field("query_prompt", pa.string()),
        pa.field("evidence_start", pa.int64()),  # character offsets of the first evidence span
        pa.field("evidence_end", pa.int64()),
        pa.field("evidence_text", pa.string()),  # NOTE TEXT (PHI): show only on request (--include-snippets)
        pa.field("icd10cm_release", pa.string()),
        pa.field("cpt_version", pa.string()),
        pa.field("hcpcs_version", pa.string()),
        pa.field("pipeline_version", pa.string()),
        pa.field("pointer_codes", pa.list_(pa.string())),  # claim: ordered diagnosis pointers of a CPT / HCPCS line
        pa.field("claim_findings", pa.list_(pa.string())),  # claim: "type:status:reason" (medical necessity, risk)
    ]
)

TABLES: dict[str, pa.Schema] = {"notes": NOTES_SCHEMA, "suggestions": SUGGESTIONS_SCHEMA}
LIST_COLUMNS = {name: [f.name for f in s if pa.types.is_list(f.type)] for name, s in TABLES.items()}
VOLATILE_COLUMNS = {"notes": ["seconds"], "suggestions": []}
SORT_KEYS = {"notes": ["input_index"], "suggestions": ["input_index", "suggestion_index"]}
FORMATS = ("parquet", "csv", "jsonl")
