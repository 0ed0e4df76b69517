"""One redaction annotation with a quad per area removes exactly what one
annotation per area removes: under each area, and nothing between them."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pymupdf
import pytest

from redact.apply.areas import mark_areas
from redact.verify import Expectation
from redact.verify.pdf import verify_pdf
from tests.pdfs import text_pdf

WORDS = ["Orla", "Penhallow", "met", "Tamsin", "Oakshott", "and", "Peregrine", "Quillfeather", "at", "Kingsmere"]


def _page(path: Path, rotation: int) -> Path:
    doc = pymupdf.open()
    page = doc.new_page(width=420, height=300)
    page.insert_text((20, 60), " ".join(WORDS), fontsize=11)
    pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 200, 20), False)
    pix.set_rect(pix.irect, (0, 0, 0))
    page.insert_image(pymupdf.Rect(0, 100, 420, 140), pixmap=pix)
    for x in (20, 200, 360):
        page.draw_line((x, 180), (x + 30, 180), width=2)
    page.set_rotation(rotation)
    doc.save(path)
    return path


def _words(page: pymupdf.Page) -> Counter[str]:
    return Counter(w[4] for w in page.get_text("words"))


def _areas(page: pymupdf.Page) -> list[tuple[float, float, float, float]]:
    """Two names, the line art at the left and right, and a corner of the image."""
    gone = [w for w in page.get_text("words") if w[4] in ("Penhallow", "Quillfeather")]
    lines = sorted((d["rect"] for d in page.get_drawings() if d["rect"].height < 5), key=lambda r: r.x0 + r.y0)
    image = page.get_image_rects(page.get_images()[0][0])[0]
    corner = pymupdf.Rect(image.x0, image.y0, image.x0 + 20, image.y0 + 20)
    return [tuple(w[:4]) for w in gone] + [tuple(lines[0] + (-2, -2, 2, 2)), tuple(lines[-1] + (-2, -2, 2, 2)),
                                          tuple(corner)]


def _apply(path: Path, one: bool) -> tuple[pymupdf.Page, np.ndarray]:
    page = pymupdf.open(path)[0]
    areas = _areas(page)
    if one:
        mark_areas(page, areas)
        assert len(list(page.annots())) == 1
    else:
        for area in areas:
            page.add_redact_annot(pymupdf.Rect(area), fill=False, cross_out=False)
    page.apply_redactions(images=pymupdf.PDF_REDACT_IMAGE_PIXELS,
                          graphics=pymupdf.PDF_REDACT_LINE_ART_REMOVE_IF_COVERED,
                          text=pymupdf.PDF_REDACT_TEXT_REMOVE)
    pix = page.get_pixmap(colorspace=pymupdf.csGRAY, annots=False)
    return page, np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.stride)[:, : pix.width]


@pytest.mark.parametrize("rotation", [0, 90, 270])
def test_one_annotation_removes_what_one_per_area_removes(tmp_path: Path, rotation: int) -> None:
    path = _page(tmp_path / "p.pdf", rotation)
    one, one_pixels = _apply(path, one=True)
    many, many_pixels = _apply(path, one=False)
    assert _words(one) == _words(many) == Counter(WORDS) - Counter(["Penhallow", "Quillfeather"])
    assert [d["rect"] for d in one.get_drawings()] == [d["rect"] for d in many.get_drawings()]
    assert np.array_equal(one_pixels, many_pixels)
    assert one.rotation == rotation


def test_nothing_between_the_areas_is_removed(tmp_path: Path) -> None:
    path = _page(tmp_path / "p.pdf", 0)
    before = pymupdf.open(path)[0]
    image = before.get_image_rects(before.get_images()[0][0])[0]
    page, pixels = _apply(path, one=True)
    assert len([d for d in page.get_drawings() if d["rect"].height < 5]) == 1, "the middle line is kept"
    corner = pymupdf.Rect(image.x0 + 4, image.y0 + 4, image.x0 + 16, image.y0 + 16)
    assert pixels[int(corner.y0):int(corner.y1), int(corner.x0):int(corner.x1)].min() > 200, "blanked under the area"
    middle = image.tl + (image.br - image.tl) * 0.5
    assert pixels[int(middle.y), int(middle.x)] < 50, "the image's pixels between the areas are kept"


def test_mark_areas_with_no_area_adds_nothing(tmp_path: Path) -> None:
    page = pymupdf.open(_page(tmp_path / "p.pdf", 0))[0]
    mark_areas(page, [])
    assert not list(page.annots())


@pytest.mark.parametrize("written", ["01632 960 545", "(01632) 960-545", "0 1 6 3 2 9 6 0 5 4 5"])
def test_verification_finds_a_phone_number_however_its_digits_are_split(tmp_path: Path, written: str) -> None:
    pdf = text_pdf(tmp_path / "v.pdf", ["Call the office", f"ring {written} today"])
    report = verify_pdf(pdf, [Expectation("01632960545", "PHONE")])
    assert not report.ok


def test_verification_passes_a_page_without_the_strings(tmp_path: Path) -> None:
    pdf = text_pdf(tmp_path / "v.pdf", ["Call the office on 01632 960 000", "Orla wrote"])
    report = verify_pdf(pdf, [Expectation("01632960545", "PHONE"), Expectation("Orla Penhallow")])
    assert report.ok, report.failures()
