"""The synthetic archive of `make report-demo` (examples/archive/notes.jsonl) is well formed: the
batch input columns, unique note ids, several providers (one of them small) and months of service
inside the bundled ICD-10-CM release."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter

import pytest


@pytest.fixture(scope="module")
def archive(request: pytest.FixtureRequest) -> list[dict]:
    path = request.config.rootpath / "examples" / "archive" / "notes.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_archive_rows_have_the_batch_input_columns(archive: list[dict]) -> None:
    assert 30 <= len(archive) <= 60
    for row in archive:
        assert set(row) == {"note_id", "text", "provider_id", "date_of_service", "specialty"}
        assert row["text"].strip() and row["provider_id"].startswith("prov-")
    assert len({r["note_id"] for r in archive}) == len(archive)


def test_archive_spans_providers_and_months(archive: list[dict]) -> None:
    per_provider = Counter(r["provider_id"] for r in archive)
    assert 4 <= len(per_provider) <= 6
    assert min(per_provider.values()) < 5 <= max(per_provider.values())  # a small group for the marking
    dates = [dt.date.fromisoformat(r["date_of_service"]) for r in archive]
    assert len({(d.year, d.month) for d in dates}) >= 4
    # the bundled release (2026-04-01 .. 2026-09-30) covers every date, so batch scores every note
    assert dt.date(2026, 4, 1) <= min(dates) and max(dates) <= dt.date(2026, 9, 30)
