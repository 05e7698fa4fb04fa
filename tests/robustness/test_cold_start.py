"""Issue 10 item 10: a cold process does not import what the pipeline never uses, and the fuzzy
index is built once per code-set release and loaded after."""

from __future__ import annotations

import subprocess
import sys

from nlp.codesets import icd10cm
from nlp.coding import fallback


def test_pipeline_does_not_import_the_unused_umls_chain() -> None:
    code = ("import sys\nfrom nlp.pipeline import load_pipeline\nload_pipeline()('IMPRESSION: Migraine.')\n"
            "print(','.join(m for m in ('scipy', 'sklearn', 'pandas') if m in sys.modules))\n"
            "print(type(sys.modules.get('nltk')).__name__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split("\n")
    assert out[0] == "" and out[1] in ("_DeferredModule", "NoneType"), out


def test_deferred_module_loads_when_touched() -> None:
    code = ("from nlp.pipeline import defer_unused_imports\ndefer_unused_imports()\nimport nltk, sys\n"
            "assert type(sys.modules['nltk']).__name__ == '_DeferredModule'\nprint(bool(nltk.__version__))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.strip() == "True", out.stderr[-500:]


def _as_sets(index: fallback.FuzzyIndex) -> tuple:
    return (index.terms, index.codes, index.by_key, index.words,
            {n: frozenset(ws) for n, ws in index.vocab_by_len.items()})


def test_fuzzy_index_is_stored_once_per_release_and_loaded(icd) -> None:  # type: ignore[no-untyped-def]
    release = icd10cm.for_date("2026-05-14")
    path = fallback._cache_path(release)
    assert path is not None
    path.unlink(missing_ok=True)
    fallback.fuzzy_index.cache_clear()
    built = fallback.fuzzy_index(release)
    assert path.is_file()
    fallback.fuzzy_index.cache_clear()
    loaded = fallback.fuzzy_index(release)
    assert loaded is not built and _as_sets(loaded) == _as_sets(built)
    path.write_bytes(b"not marshal data")  # a damaged file is rebuilt, not trusted
    fallback.fuzzy_index.cache_clear()
    assert _as_sets(fallback.fuzzy_index(release)) == _as_sets(built)
