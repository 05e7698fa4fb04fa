"""The page in a real headless Chromium (Debian `chromium`, driven by Playwright) against a live
loopback server: paste, submit, highlights, evidence on click, keyboard accept, add a code, export,
and a note holding markup renders as text. Screenshots go to build/screenshots/.

Skipped, with the reason, where Playwright or /usr/bin/chromium is missing (`make browser` installs
them); never passed without running.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("NEUROCODE_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Playwright for Python is not installed (make install installs the dev extra)")
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        pytest.skip(f"no Chromium at {CHROMIUM}: run 'make browser' as root (apt-get install chromium)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"], headless=True)
        yield b
        b.close()


@pytest.fixture(scope="module")
def screenshots(pytestconfig: pytest.Config) -> Path:
    out = Path(os.environ.get("NEUROCODE_SCREENSHOTS", pytestconfig.rootpath / "build" / "screenshots"))
    out.mkdir(parents=True, exist_ok=True)
    return out


@pytest.fixture()
def page(browser, live_server):  # type: ignore[no-untyped-def]
    """A fresh page that entered through the printed address (token in the URL, then a cookie)."""
    context = browser.new_context(viewport={"width": 1440, "height": 900}, accept_downloads=True)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    foreign: list[str] = []
    pg.on("request", lambda r: foreign.append(r.url) if not r.url.startswith((live_server["url"], "blob:", "data:"))
          else None)
    pg.goto(f"{live_server['url']}/?token={live_server['token']}")
    assert pg.url == live_server["url"] + "/"  # the token left the address bar
    yield pg
    assert errors == [], errors
    assert foreign == [], foreign  # nothing loaded from anywhere else: works with the network unplugged
    context.close()


def _submit(pg, text: str) -> None:  # type: ignore[no-untyped-def]
    pg.fill("#note-text", text)
    pg.keyboard.press("Control+Enter")
    pg.wait_for_selector("#suggestions tbody tr.row")


def _codes(pg) -> list[str]:  # type: ignore[no-untyped-def]
    return pg.eval_on_selector_all("#suggestions tbody tr.row", "rows => rows.map(r => r.dataset.code)")


def test_page_paste_submit_highlights_and_evidence(page, live_server, clinic_note: str, screenshots: Path) -> None:  # type: ignore[no-untyped-def]
    pg = page
    pg.fill("#note-id", "visit-1")
    pg.fill("#note-text", clinic_note)
    pg.screenshot(path=str(screenshots / "page-before.png"))
    pg.keyboard.press("Control+Enter")
    pg.wait_for_selector("#suggestions tbody tr.row")
    codes = _codes(pg)
    assert "G40.219" in codes and "G43.909" in codes
    # entity highlights by family; negated mentions struck with the reason on hover
    assert pg.locator("#note-view span.hl.fam-epilepsy").count() >= 3
    negated = pg.locator("#note-view span.a-negated", has_text="status epilepticus").first
    assert "negated" in negated.get_attribute("title")
    family = pg.locator("#note-view span.a-family", has_text="Parkinson disease").first
    assert "family" in family.get_attribute("title")
    # the NOS migraine carries a query with a copy button; the not-coded list gives reasons
    assert pg.locator("#queries .query[data-code='G43.909'] button", has_text="Copy").count() == 1
    assert pg.locator("#not-coded tbody tr", has_text="negated").count() >= 2
    assert pg.locator("#suggestions tbody tr[data-code='G43.909'] .badge.NOS").count() == 1
    # clicking a suggestion highlights its evidence in the note
    pg.click("#suggestions tbody tr[data-code='G43.909'] td.desc")
    active = pg.eval_on_selector_all("#note-view span.ev-active", "s => s.map(x => x.textContent)")
    assert "migraine headaches" in " ".join(active)
    assert not any("seizure" in a for a in active)
    # the claim section (issue 14): a follow-up visit without documented time -> E/M level not suggested
    claim = pg.inner_text("#claim-section")
    assert "type of service" in claim and "office visit" in claim and "level not suggested" in claim
    assert "claim" not in pg.inner_text("#extra-section").lower()
    pg.locator("#claim-section").screenshot(path=str(screenshots / "page-claim.png"))
    pg.screenshot(path=str(screenshots / "page-after.png"))


def test_page_keyboard_accept_reject_add_and_export(page, live_server, clinic_note: str, screenshots: Path) -> None:  # type: ignore[no-untyped-def]
    pg = page
    pg.fill("#note-id", "visit-2")
    _submit(pg, clinic_note)
    codes = _codes(pg)
    first, second = codes[0], codes[1]
    pg.keyboard.press("a")  # the first suggestion is selected after submitting
    pg.wait_for_selector(f"#suggestions tr.accepted[data-code='{first}']")
    pg.keyboard.press("ArrowDown")
    pg.keyboard.press("r")
    pg.wait_for_selector(f"#suggestions tr.rejected[data-code='{second}']")
    pg.fill("#add-code", "g47.33")
    pg.press("#add-code", "Enter")
    pg.wait_for_selector("#suggestions tr[data-code='G47.33'] .badge.added")
    records = [json.loads(line) for line in Path(live_server["feedback"]).read_text().splitlines()]
    mine = [(r["decision"], r["code"]) for r in records if r["note_id"] == "visit-2"]
    assert mine == [("accept", first), ("reject", second), ("add", "G47.33")]
    assert "migraine headaches" not in Path(live_server["feedback"]).read_text()

    with pg.expect_download() as dl:
        pg.click("#export-csv")
    rows = list(csv.DictReader(io.StringIO(Path(dl.value.path()).read_text())))
    assert [(r["code"], r["origin"]) for r in rows] == [(first, "suggested"), ("G47.33", "added")]
    assert rows[0]["note_id"] == "visit-2"
    with pg.expect_download() as dl:
        pg.click("#export-json")
    exported = json.loads(Path(dl.value.path()).read_text())
    assert [c["code"] for c in exported["codes"]] == [first, "G47.33"]
    assert dl.value.suggested_filename == "visit-2-codes.json"
    pg.screenshot(path=str(screenshots / "page-reviewed.png"))


def test_page_renders_markup_in_a_note_as_text(page) -> None:  # type: ignore[no-untyped-def]
    pg = page
    note = ("ASSESSMENT: Migraine without aura. <script>window.__pwned = 1</script>\n"
            "<img src=x onerror=\"window.__pwned = 2\"> <b>bold</b> &amp; focal epilepsy.\n")
    _submit(pg, note)
    assert pg.evaluate("window.__pwned") is None
    assert pg.locator("#note-view script, #note-view img, #note-view b").count() == 0
    shown = pg.inner_text("#note-view")
    assert "<script>window.__pwned = 1</script>" in shown
    assert '<img src=x onerror="window.__pwned = 2">' in shown and "&amp;" in shown
    assert pg.input_value("#note-text") == note  # the editor still holds the exact note


def test_page_shows_a_numbered_error_and_keeps_the_note(page) -> None:  # type: ignore[no-untyped-def]
    pg = page
    pg.fill("#dos", "1999-01-01")  # no release in force
    pg.fill("#note-text", "ASSESSMENT: Migraine.")
    pg.click("#submit")
    pg.wait_for_selector("#status.error")
    assert pg.inner_text("#status").startswith("E105:")
    assert pg.input_value("#note-text") == "ASSESSMENT: Migraine."


def test_page_shows_warnings_edits_and_fields_it_does_not_know(page, clinic_note: str) -> None:  # type: ignore[no-untyped-def]
    """Fields other parts of the project add to the result (warnings, edits, new suggestion and result
    fields) appear without a page change: the API answer is replaced by a crafted one."""
    pg = page
    crafted = {
        "note_id": "crafted", "date_of_service": "2026-05-14", "setting": "outpatient",
        "versions": {"icd10cm": "2026-04-01"},
        "suggestions": [{"system": "CPT", "code": "95910", "description": "Nerve conduction studies, 7-8",
                         "label": "specific", "confidence": 0.9, "units": 1, "modifiers": ["26"],
                         "rationale": "8 studies",
                         "evidence": [{"start": 0, "end": 9, "section": "x", "text": "NEUROLOGY"}],
                         "query": None, "family": "ncs", "source": "ncs", "assertion": "present", "missing_axes": [],
                         "denial_risk": "high: frequency limit"}],
        "queries": [], "not_coded": [],
        "edits": [{"type": "ncci_ptp", "codes": ["95910", "95886"], "message": "bundled pair", "source": "NCCI"}],
        "entities": [],
        "warnings": ["W-TEST: release 2026-04-01 is not current"],
        "evaluation_and_management": {"level": "99214"},
    }
    pg.route("**/api/suggest", lambda route: route.fulfill(status=200, content_type="application/json",
                                                          body=json.dumps(crafted)))
    _submit(pg, clinic_note)
    assert pg.inner_text("#warnings").strip() == "W-TEST: release 2026-04-01 is not current"
    assert "bundled pair" in pg.inner_text("#edits") and "95910 + 95886" in pg.inner_text("#edits")
    assert "26" in pg.inner_text("#suggestions tr[data-code='95910'] td.units")
    assert "high: frequency limit" in pg.inner_text("#suggestions tr.details")  # unknown suggestion field
    assert "99214" in pg.inner_text("#extra")  # unknown result field
    assert pg.locator("#note-view span.ev-active", has_text="NEUROLOGY").count() == 1


def test_page_file_input_copy_query_and_new_note(page, browser, live_server, clinic_note: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pg = page
    pg.context.grant_permissions(["clipboard-read", "clipboard-write"])
    note_file = tmp_path / "visit-77.txt"
    note_file.write_text(clinic_note, encoding="utf-8")
    pg.set_input_files("#file-input", str(note_file))
    pg.wait_for_function("document.querySelector('#note-text').value.length > 0")  # file.text() is async
    assert pg.input_value("#note-text") == clinic_note
    assert pg.input_value("#note-id") == "visit-77"
    pg.keyboard.press("Control+Enter")
    pg.wait_for_selector("#suggestions tbody tr.row")
    pg.click("#queries .query[data-code='G43.909'] button")
    copied = pg.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("The note documents") and "[ ] clinically undetermined" in copied
    pg.keyboard.press("n")
    assert pg.input_value("#note-text") == "" and pg.is_visible("#note-text")
    assert pg.is_hidden("#suggestions-section")
