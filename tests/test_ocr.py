"""Text in images: read by OCR, removed from the pixels, verified by OCR again."""

from __future__ import annotations

from pathlib import Path

import pymupdf

from redact.apply.plan import plan_from_findings
from redact.ingest.ocr import shared_engine
from redact.ingest.pdf import page_text
from redact.process import redact_and_verify
from tests.pdfs import PHONE, text_in_image_pdf


def test_name_in_an_image_is_found_and_burned_out(tmp_path: Path, scanner, settings) -> None:
    src = text_in_image_pdf(tmp_path / "in.pdf", f"Signed Ottoline Brackenridge {PHONE}")
    pt = page_text(pymupdf.open(src)[0], shared_engine())
    assert pt.ocr_from is not None and "Brackenridge" in pt.text[pt.ocr_from:]
    result = scanner.scan_file(src)
    people = " ".join(f.text for f in result.findings if f.type == "PERSON")
    phones = "".join(f.text for f in result.findings if f.type == "PHONE").replace(" ", "")
    assert "Ottoline" in people and "Brackenridge" in people and PHONE.replace(" ", "") in phones
    assert any("OCR" in n for n in result.notes)
    assert all(f.explanation.get("source") == "ocr" and f.explanation["ocr_confidence"] > 0 for f in result.findings)
    before = pymupdf.open(src)[0].get_pixmap(clip=pymupdf.Rect(72, 100, 372, 140)).samples
    out = tmp_path / "out.pdf"
    outcome = redact_and_verify(src, plan_from_findings(result.findings), out, tmp_path / "work", settings)
    assert outcome.ok, [f"{c.name}: {c.detail}" for c in outcome.report.failures()]
    page = pymupdf.open(out)[0]
    assert page.get_pixmap(clip=pymupdf.Rect(72, 100, 372, 140)).samples != before
    again = page_text(page, shared_engine())
    assert "Brackenridge" not in again.text and "960545" not in again.text.replace(" ", "")
    assert "Statement received from the witness" in again.text


def test_image_only_page_has_the_name_removed_from_its_pixels(tmp_path: Path, scanner, settings) -> None:
    """A scanned page (one image, no text layer at all) holding a name."""
    from tests.pdfs import text_in_image_pdf

    picture = text_in_image_pdf(tmp_path / "pic.pdf", "Witness Ottoline Brackenridge")
    pix = pymupdf.open(picture)[0].get_pixmap(dpi=150, clip=pymupdf.Rect(72, 60, 400, 150))
    scan = pymupdf.open()
    page = scan.new_page(width=328, height=90)
    page.insert_image(page.rect, pixmap=pix)
    src = tmp_path / "scan.pdf"
    scan.save(src)
    assert pymupdf.open(src)[0].get_text().strip() == ""  # no text layer at all
    result = scanner.scan_file(src)
    assert "Brackenridge" in " ".join(f.text for f in result.findings if f.type == "PERSON")
    out = tmp_path / "out.pdf"
    outcome = redact_and_verify(src, plan_from_findings(result.findings), out, tmp_path / "work", settings)
    assert outcome.ok, [f"{c.name}: {c.detail}" for c in outcome.report.failures()]
    assert {c.name for c in outcome.report.checks} >= {"boxes_filled", "text"}
    again = page_text(pymupdf.open(out)[0], shared_engine())
    assert "Brackenridge" not in again.text.replace(" ", "")


def test_pages_and_images_too_large_to_render_are_refused(tmp_path, monkeypatch) -> None:
    import pymupdf
    import pytest

    from redact.exceptions import TooLargeError
    from redact.ingest import ocr
    from redact.ingest.pdf import open_pdf

    doc = pymupdf.open()
    doc.new_page(width=10_000_000, height=500)
    doc.save(tmp_path / "wide.pdf")
    with pytest.raises(TooLargeError, match="over the PDF limit"):
        open_pdf(tmp_path / "wide.pdf")
    doc = pymupdf.open()
    page = doc.new_page()
    pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 400, 100), False)
    pix.set_rect(pix.irect, (200, 30, 30))
    page.insert_image(pymupdf.Rect(72, 72, 472, 172), pixmap=pix)
    monkeypatch.setattr(ocr, "MAX_IMAGE_PIXELS", 10_000)  # stands in for a 20,000 x 20,000 scan
    with pytest.raises(TooLargeError, match="megapixels"):
        ocr.images_to_read(page)
