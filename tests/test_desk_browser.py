"""The review desk as a reviewer uses it: real headless Chromium (Debian's
package, driven by Playwright's Python package; Playwright never downloads
a browser) against a real `redact serve` on the case `make demo` leaves for review (the
sample documents added and scanned, nothing decided)."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pymupdf
import pytest

from redact.case import open_case
from redact.store.db import FindingFilter
from tests.desk_server import Served, serve

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright's Python package is not installed")
if CHROMIUM is None:
    pytest.skip("no chromium on this machine (apt-get install chromium); browser tests skipped",
                allow_module_level=True)

REVIEWER = "Tamsin Oakshott"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


@pytest.fixture
def served(case: Path) -> Iterator[Served]:
    with serve(case, REVIEWER) as desk:
        yield desk


@pytest.fixture
def page(served: Served) -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        tab = browser.new_page(viewport={"width": 1400, "height": 1000})
        tab.set_default_timeout(30_000)
        errors: list[str] = []
        tab.on("pageerror", lambda exc: errors.append(str(exc)))
        tab.on("dialog", lambda dialog: dialog.accept())  # every scope statement confirmed
        tab.goto(served.url)
        yield tab
        browser.close()
        assert not errors, errors


def _procedure(case: Path) -> dict[str, Any]:
    with open_case(case) as c:
        return next(dict(d) for d in c.store.documents() if d["name"] == "information-sharing-procedure.pdf")


def _findings(case: Path, **where: Any) -> list[Any]:
    with open_case(case) as c:
        return c.store.findings(FindingFilter(**where))


def test_pressing_a_approves_the_selected_finding_and_a_reload_shows_it(case: Path, served: Served, page: Any) -> None:
    doc = _procedure(case)
    on_page = _findings(case, document_id=doc["id"], page=1)
    page.goto(f"{served.base}/documents/{doc['id']}/pages/1")
    assert page.locator("[data-finding-id]").count() == len(on_page)
    pending = next(f for f in on_page if f.status == "pending")
    box = page.locator(f'.fbox[data-finding-id="{pending.id}"]')
    box.click()
    page.keyboard.press("a")
    sync_api.expect(box).to_have_attribute("data-status", "approved")
    stored = _findings(case, ids=[pending.id])[0]
    assert stored.status == "approved" and stored.reviewer == REVIEWER
    page.reload()
    sync_api.expect(page.locator(f'.fbox[data-finding-id="{pending.id}"]')).to_have_attribute("data-status", "approved")
    # the page as it will be released: the pipeline's own redaction, rendered
    page.locator("#preview").check()
    image = page.locator("#page-image")
    sync_api.expect(image).to_have_attribute("src", re.compile(r"released=1"))
    page.wait_for_function("document.querySelector('#page-image').complete "
                           "&& document.querySelector('#page-image').naturalWidth > 0")
    # zoom: a larger image, the boxes scaled with it
    before = page.locator(f'.fbox[data-finding-id="{pending.id}"]').bounding_box()
    with page.expect_navigation():
        page.keyboard.press("+")
    after = page.locator(f'.fbox[data-finding-id="{pending.id}"]').bounding_box()
    assert after["width"] > before["width"] * 1.2


def test_a_reviewer_clears_the_case_marks_a_word_and_an_area_then_applies_and_packs(
        case: Path, served: Served, page: Any) -> None:
    # every pending finding decided with the keyboard: keep what the policy calls public, redact the rest
    page.goto(f"{served.base}/case")
    with page.expect_navigation():
        page.locator("#first-pending").click()
    for _ in range(200):
        page.wait_for_selector("li.finding.selected", state="attached")  # the page's script has run
        selected = page.locator("li.finding.selected")
        if selected.count() and selected.get_attribute("data-state") == "pending":
            fid = selected.get_attribute("data-finding")
            public = "public" in (page.locator(f'[data-finding-id="{fid}"]').get_attribute("class") or "")
            page.keyboard.press("r" if public else "a")
            sync_api.expect(page.locator(f'li.finding[data-finding="{fid}"]')).not_to_have_attribute(
                "data-state", "pending")
        elif page.locator('li.finding[data-state="pending"]').count():
            page.keyboard.press("j")
        elif page.locator("#next-pending").count():
            with page.expect_navigation():
                page.keyboard.press("n")
        else:
            break
    assert _findings(case, status="pending") == []

    # a word the detector missed, selected on the page and redacted just there
    doc = _procedure(case)
    page.goto(f"{served.base}/documents/{doc['id']}/pages/1")
    page.locator(".word", has_text="volunteers.").dblclick()
    page.select_option("#mark-scope", "here")
    with page.expect_navigation():
        page.keyboard.press("x")
    sync_api.expect(page.locator('.mbox[data-status="manual"]')).to_have_count(1)

    # an area dragged on page 2
    page.goto(f"{served.base}/documents/{doc['id']}/pages/2")
    page.keyboard.press("d")
    sheet = page.locator("#sheet").bounding_box()
    page.mouse.move(sheet["x"] + 60, sheet["y"] + 300)
    page.mouse.down()
    page.mouse.move(sheet["x"] + 300, sheet["y"] + 340, steps=5)
    with page.expect_navigation():
        page.mouse.up()
    sync_api.expect(page.locator('.mbox[data-status="manual"]')).to_have_count(1)

    page.reload()
    with open_case(case) as c:
        marks = c.store.manual_redactions(doc["id"])
        assert sorted((m.kind, m.page) for m in marks) == [("area", 1), ("area", 2)]
        assert all(m.reviewer == REVIEWER for m in marks)
        assert all(d["reviewer"] == REVIEWER for d in c.store.decisions())

    # apply (verified) and pack from the overview
    page.goto(f"{served.base}/case")
    page.locator("#release").click()
    sync_api.expect(page.locator("#messages")).to_contain_text("pack:", timeout=120_000)
    with open_case(case) as c:
        out = next(o for o in c.store.outputs() if o["document_id"] == doc["id"])
        assert out["verified"]
        text = pymupdf.open(c.root / out["path"])[0].get_text()
    assert "volunteers" not in text and "Purpose" in text
    message = page.locator("#messages").inner_text()
    folder = Path(message.rsplit("pack: ", 1)[1].strip())
    assert folder.is_dir() and (case / "out" / f"pack-{folder.name.removeprefix('pack-')}.zip").is_file()
