"""Numbered error catalogue. The library raises these; only the CLI prints them.

Messages cite codes, dates, paths, note ids and offsets — never note text (notes are PHI).
Every message says how to fix the problem.
"""

from __future__ import annotations

from enum import Enum


class Errors(str, Enum):
    # environment / install
    E001 = "No Python >= 3.12 found. Install one (e.g. 'pyenv install 3.12') or set NEUROCODE_PYTHON."
    # code lookups
    E101 = "Malformed code {code!r}: expected an ICD-10-CM code like G40.219, a CPT code like 95907 or a HCPCS code like J0585."
    E102 = "Unknown {system} code {code!r} in release {release}. Check the code, or the release in force on the date of service."
    E103 = "{system} code {code} is not billable on {dos} (release {release}): {reason}. Use one of its billable children: {children}."
    E104 = "Date {value!r} is not a valid date; use YYYY-MM-DD, e.g. 2026-05-14."
    E105 = "No {system} release is in force on {dos}. Releases available: {available}. Import the release in force with 'neurocode codeset import PATH': the CMS ICD-10-CM code tables zip of that fiscal year (e.g. 'icd10cm-table-index-2027.zip', Oct 1 release; 'icd10cm-Table-and-Index-April-2027.zip' for an April update) or its tabular XML ('icd10cm-tabular-2027.xml')."
    E106 = "{system} code {code} is not in force on {dos} (effective {start} to {end})."
    # code-set import
    E201 = "Code-set file {path} does not exist. Give the path of a CMS ICD-10-CM release folder, zip file or tabular XML."
    E202 = "No ICD-10-CM tabular XML found in {path}. A CMS release has a file named like 'icd10cm-tabular-2026.xml' or 'icd10cm_tabular_2026.xml'."
    E203 = "{path} is not a valid ICD-10-CM tabular XML ({detail}). Re-download the CMS release; the file may be truncated or of another kind."
    E204 = "Cannot tell the effective date of {path}. Pass it explicitly: --effective YYYY-MM-DD (Oct 1 or Apr 1 releases)."
    E205 = "A release in force from {effective} already exists ({existing}). Pass --replace to replace it; nothing was changed."
    E206 = "{path} is not a valid zip file ({detail}). Re-download the CMS release."
    E207 = "The alphabetic index XML {path} could not be read ({detail}); the release was not imported. Remove it or re-download it."
    E208 = "Edit file {path} has no recognisable {kind} columns (found: {columns}). Use the CMS quarterly {kind} file in its official layout."
    E209 = "Unknown release {release!r}. Run 'neurocode codeset list' to see the imported releases."
    E210 = "Import file {path} does not exist. Give the path of the {what}."
    E211 = "{path} has no recognisable {what} columns (found: {columns}). {hint}"
    E212 = "{path} row {row}: {detail}. Use the file unmodified as published; nothing was changed."
    E213 = "Reading {path} needs the openpyxl package ({detail}). Install it (pip install openpyxl) or save the sheet as CSV / tab-delimited text."
    # resource data files
    E301 = "Resource {resource} row {row}: {detail}. Fix the data file; every row needs the listed columns and a source."
    E302 = "Resource {resource} has unknown columns {unknown}; allowed: {allowed}."
    E303 = "Resource {resource} is missing from the installed package. Reinstall neurocode (pip install -e .) so the data files are present."
    E304 = "{system} code {code} has no billing unit size in {resource} (unclassified code); billing units cannot be computed. Report the dose as the payer instructs."
    E305 = "Dose {amount!r} for {code} is not a positive number of product units; give the amount administered (or discarded) in {unit}."
    # notes and input
    E401 = "Note {note_id}: could not be decoded as UTF-8; decoded as {fallback} (accented characters may be wrong). Save the note as UTF-8."
    E402 = "Input {path} does not exist or is not readable."
    E403 = "Note {note_id}: input is {size} bytes, over the limit of {limit}. Split the note or raise --max-bytes."
    E420 = "Setting {setting!r} is not known; use one of: {allowed} (outpatient = professional-fee coding)."
    # models
    E501 = "Confidence model {path} could not be loaded ({detail}); falling back to rule confidence. Retrain with 'neurocode train'."
    # evaluation / feedback
    E601 = "Gold file {path} line {line}: {detail}. Each line must be a JSON object in the annotation-guide format."
    E602 = "Feedback: {detail}."
    # web page and JSON API (nlp/web)
    E701 = "Request body is over the limit of {limit} bytes. Split the note, or start the server with a larger --max-bytes."
    E702 = "Invalid request: {detail}. See the API schema at /api/openapi.json."
    E703 = "Missing or wrong access token. Open the address the server printed (it ends in ?token=...), or send the header 'Authorization: Bearer TOKEN'."
    E704 = "Internal error ({kind}) while handling {path}; nothing was stored. Retry; if it persists, report the error name and the server log line."
    E705 = "Refusing to listen on {host} without a token: notes are PHI. Use --host 127.0.0.1, or pass --token (or set NEUROCODE_TOKEN)."
    E706 = "No route {path}. The page is at /, the API under /api/ (schema at /api/openapi.json)."
    # code-set currency (issue 10)
    E107 = "No date of service given: ICD-10-CM release {release} ({start} to {end}) was used, the newest stored, and it is not in force today ({today}). Pass --dos / date_of_service, or import the release in force today (see E105)."
    E108 = "{path}: the tabular's own version {version} is for FY{fy} ({start} to {end}), which does not cover the effective date {effective}. Import the release of that fiscal year, or pass the --effective date that matches this file; nothing was changed."
    E109 = "{path}: zip member {member} is {size} bytes, over the limit of {limit} bytes for a code-set file; nothing was imported. Re-download the CMS release."
    # notes and input (issue 10)
    E421 = "Note {note_id}: the input is binary ({detail}), not a text note; nothing was coded. Give the note as plain text (UTF-8, UTF-16 with a byte-order mark, or Latin-1)."
    E422 = "Note {note_id}: the note is empty or whitespace only; nothing was coded."
    E423 = "Note {note_id}: expected the note as text (str), got {kind}; nothing was coded. Decode files with nlp.io.decode_note first."
    E424 = "Note {note_id}: coding failed inside the pipeline ({kind}); nothing was coded for this note. Report the note id and error kind."
    E425 = "Standard input is a terminal: 'neurocode suggest -' reads a note piped or redirected to it ('neurocode suggest - < NOTE.txt'). Give the note's path instead, or pipe it."
    E426 = "Input {path} could not be read ({reason}). Check that it is a readable file."
    # claim readiness (nlp/claim: service type, E/M, pointers, coverage, denial risk) E900-E949
    E901 = "Coverage table {path} does not exist or is not a readable file. Give the path of a CSV in the columns of nlp/resources/claim_coverage.csv."
    E902 = "Coverage table {path}: {detail}. Required columns: {required}; see nlp/resources/README.md (claim_coverage.csv)."
    E903 = "Coverage table {path} row {row}, column {column}: {detail}. Fix that cell; nothing was loaded from this file."
    E904 = "Service-type model {path} could not be loaded ({detail}); the service type falls back to rules only. Rebuild it with 'make train-service-type'."
    E905 = "Service-type training needs {what} at {path}, which is missing. Pass --manifest / --notes, or run from a checkout with ../shared beside it."
    # batch scoring (nlp/batch, `neurocode batch`)
    E801 = "Input {path} is not a supported batch input: give a folder of .txt files, a .zip / .tar.gz of them, or a .csv / .jsonl / .parquet table."
    E802 = "Note {note_id}: the input has no text column {column!r} (columns found: {columns}); nothing was coded. Pass --text-column NAME."
    E803 = "Input {path} has no note id column {column!r} (columns found: {columns}). Pass --id-column NAME."
    E804 = "Note {note_id}: the note is empty (no text after decoding); nothing was coded. Check the export."
    E806 = "Note {note_id}: duplicate note id (first seen at input_index {first}); this copy was not coded. Give every note a unique id."
    E807 = "Note {note_id}: {where} could not be read ({detail}); nothing was coded. Fix or re-export that row."
    E808 = "Note {note_id}: scoring raised {exc_type}; the note was not coded. Report it with the note id (the note text is not logged)."
    E809 = "Output folder {path} already holds batch results. Pass --resume to continue that run, or choose an empty folder."
    E810 = "Cannot resume in {path}: {detail}. Rerun with the same input and options, or use a new output folder."
    E811 = "The Spark engine needs PySpark and Java ({detail}). Install them with: pip install '.[spark]' (and Java 17)."
    E812 = "{path} is not a batch output folder (no readable manifest.json). Run 'neurocode batch INPUT -o OUTDIR' first."
    E813 = "Batch option {option}={value!r} is not valid: {detail}."
    # provider documentation reports (nlp/reports, `neurocode report`)
    E850 = "Report period --from {date_from} is after --to {date_to}. Give the earlier date first."
    E851 = "--min-notes {value!r} is not valid: give a whole number of notes of at least 1."
    E852 = "Report output folder {path} does not exist. Create it first or write the report elsewhere; nothing was written."
    E853 = "--only {groups} not among the report's {count} {by} group(s) in the period. Check the spelling (the CSV lists the groups) or the dates."

    def format(self, **kwargs: object) -> str:  # type: ignore[override]
        return f"{self.name}: {self.value.format(**kwargs)}"


class NeurocodeError(Exception):
    """An error from the catalogue; `str(err)` is the numbered, actionable message."""

    def __init__(self, error: Errors, **kwargs: object) -> None:
        self.error = error
        self.code = error.name
        self.kwargs = kwargs
        super().__init__(error.format(**kwargs))


class CodeLookupError(NeurocodeError):
    """A code is malformed, unknown, not billable or not in force on the date of service."""


class CodeSetImportError(NeurocodeError):
    """A code-set release could not be imported; nothing already imported was changed."""


class ResourceError(NeurocodeError):
    """A packaged data file is malformed."""


class InputError(NeurocodeError):
    """A note or an input file could not be read."""
