"""The report in headless Chromium (Debian's /usr/bin/chromium through Playwright): with every
request other than the file itself blocked, the charts draw, the tables show, no injected markup
exists, and each provider's summary prints on one page. Screenshots go to build/test-screenshots/."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from nlp.reports import ReportOptions, build_report

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
INJECT = '<x-inj id="pwned"></x-inj><img src=x onerror="alert(1)">'

DESCRIPTIONS = {  # as the ICD-10-CM tables and the project's own CPT wording read
    "G40.909": "Epilepsy, unspecified, not intractable, without status epilepticus",
    "G43.909": "Migraine, unspecified, not intractable, without status migrainosus",
    "95816": "EEG, awake and drowsy",
    "G40.219": "Localization-related symptomatic epilepsy with complex partial seizures, intractable, without status "
               "epilepticus",
    "G44.89": "Other headache syndrome",
    "64615": "Chemodenervation for chronic migraine",
}
PROVIDERS = {"prov-a17": 0.1, "prov-b42": 0.9, f"prov-c08{INJECT}": 0.5}


def _tables() -> tuple[list[tuple[Any, ...]], dict[str, list[tuple[Any, ...]]]]:
    """Three providers over four months; prov-b42 leaves most axes out, prov-a17 few."""
    notes, sugg = [], {}
    for p, (provider, share) in enumerate(PROVIDERS.items()):
        for i in range(12):
            note_id = f"{p}-{i}"
            notes.append((note_id, provider, f"2026-{4 + i % 4:02d}-{10 + i:02d}", "neurology", "ok"))
            nos = (i * 7 % 10) / 10 < share
            sugg[note_id] = [
                ("G40.909", "NOS", "epilepsy", ["seizure_type", "intractability"]) if nos and i % 3 == 0 else
                ("G43.909", "NOS", "headache", ["migraine_type", "status_migrainosus"]) if nos and i % 3 == 1 else
                ("95816", "NOS", "eeg", ["eeg_duration"]) if nos else
                ("G40.219", "specific", "epilepsy", []),
                ("G44.89", "NEC", "headache", []) if i == 5 else ("64615", "specific", "chemodenervation", []),
            ]
    return notes, sugg


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed "
                                   "(pip install -e '.[dev]')")
    if not CHROMIUM.is_file():
        pytest.skip("Debian chromium is not installed at /usr/bin/chromium (run 'make browser' as root)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture(scope="module")
def screenshots(request: pytest.FixtureRequest) -> Path:
    folder = request.config.rootpath / "build" / "test-screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def opened(browser: Any, make_rows, to_frames, tmp_path: Path) -> Iterator[tuple[Any, list[str], list[str]]]:
    """The rendered report open in a page: (page, requests that were not the file, dialogs)."""
    notes, sugg = _tables()
    rows = make_rows(notes, sugg, description=DESCRIPTIONS)
    report = build_report(*to_frames(*rows), ReportOptions(title="Neurology documentation report"))
    path = tmp_path / "report.html"
    path.write_text(report.html, encoding="utf-8")
    page = browser.new_page(viewport={"width": 900, "height": 1200})
    outside: list[str] = []
    dialogs: list[str] = []

    def route(r: Any) -> None:
        if r.request.url.startswith("file://"):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-charts-rendered]", timeout=30_000)
    yield page, outside, dialogs
    page.close()


def test_browser_charts_and_tables_render_offline(opened, screenshots: Path) -> None:
    page, outside, dialogs = opened
    figures = page.locator("figure[data-chart]")
    n = figures.count()
    assert n >= 3 + 2 * len(PROVIDERS)  # overview charts, and rates + trend per provider
    assert page.get_attribute("body", "data-charts-failed") == "0"
    assert page.get_attribute("body", "data-charts-rendered") == str(n)
    for i in range(n):
        fig = figures.nth(i)
        box = fig.locator("svg").first.bounding_box()
        assert box and box["width"] > 150 and box["height"] > 60, fig.get_attribute("id")
        marks = fig.locator("g.mark-rect path, g.mark-line path, g.mark-symbol path").count()
        assert marks > 0, f"{fig.get_attribute('id')} drew no marks"
    rows = page.locator("#group-table tbody tr")
    assert rows.count() == len(PROVIDERS)
    assert rows.first.is_visible()
    assert page.locator("#family-table tbody tr").count() == 4  # epilepsy, headache, EEG, botulinum toxin
    assert outside == []  # nothing but the file itself was requested
    assert dialogs == [] and page.locator("x-inj").count() == 0 and page.locator("#pwned").count() == 0
    assert INJECT in page.locator("#group-table").inner_text()  # the provider id is shown as text
    page.screenshot(path=str(screenshots / "report-full.png"), full_page=True)
    page.locator("#overview").screenshot(path=str(screenshots / "report-overview.png"))
    page.locator("section.group-summary").nth(1).screenshot(path=str(screenshots / "report-provider.png"))


def test_browser_provider_summary_prints_on_one_page(opened, tmp_path: Path, screenshots: Path) -> None:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (Debian poppler-utils) is not installed: the printed page count is not checked")
    page, _, _ = opened
    pdf = tmp_path / "report.pdf"
    page.pdf(path=str(pdf), format="Letter", print_background=True)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = text.split("\f")
    for name in ("prov-a17", "prov-b42"):
        start = next(i for i, pg in enumerate(pages) if pg.lstrip().startswith(name) and "Documentation summary" in pg)
        details = next(i for i, pg in enumerate(pages) if f"{name}: details" in pg)
        assert details == start + 1, f"the summary of {name} runs over {details - start} pages"
        assert "What to document" in pages[start] and "Example queries" in pages[start]
    (screenshots / "report.pdf").write_bytes(pdf.read_bytes())
