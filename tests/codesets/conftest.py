from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "cms_icd10cm"


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture
def empty_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data folder holding only what the test imports (no bundled release)."""
    home = tmp_path / "home"
    monkeypatch.setenv("NEUROCODE_HOME", str(home))
    return home
