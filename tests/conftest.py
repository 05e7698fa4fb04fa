"""Root fixtures shared by every test package.

The whole session uses a temporary data folder (NEUROCODE_HOME), so tests never read or write the
user's real code-set cache; the bundled ICD-10-CM release is built into it once, on first use.
The confidence model path points at a missing file, so results use rule confidence unless a test
installs a model of its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(scope="session", autouse=True)
def neurocode_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    home = tmp_path_factory.mktemp("neurocode-home")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NEUROCODE_HOME", str(home))
        # rule confidence unless a test installs a model: results must not depend on models/ contents
        mp.setenv("NEUROCODE_CONFIDENCE_MODEL", str(home / "no-model.json"))
        yield home


@pytest.fixture(scope="session")
def icd(neurocode_home: Path):  # type: ignore[no-untyped-def]
    """The bundled April 1, 2026 ICD-10-CM release."""
    from nlp.codesets import icd10cm

    return icd10cm.for_date("2026-05-01")


@pytest.fixture(scope="session")
def pipeline():  # type: ignore[no-untyped-def]
    """The neurology spaCy pipeline (nlp.pipeline.load_pipeline), built once per session."""
    from nlp.pipeline import load_pipeline

    return load_pipeline()
