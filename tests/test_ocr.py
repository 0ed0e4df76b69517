"""Text in images: read by OCR, removed from the pixels, verified by OCR again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pymupdf
import pytest

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


def _scan_of(tmp_path: Path, lines: list[tuple[float, float, str]], name: str = "scan.pdf") -> Path:
    """An image-only page (150 dpi grey, like a scanner's) of typed text at the given points."""
    typed = pymupdf.open()
    page = typed.new_page(width=595, height=300)
    for x, y, text in lines:
        page.insert_text((x, y), text, fontsize=12)
    pix = page.get_pixmap(dpi=150, colorspace=pymupdf.csGRAY)
    scan = pymupdf.open()
    out = scan.new_page(width=595, height=300)
    out.insert_image(out.rect, pixmap=pix)
    path = tmp_path / name
    scan.save(path)
    return path


def test_ocr_gives_words_with_spaces_and_keeps_columns_apart(tmp_path: Path) -> None:
    src = _scan_of(tmp_path, [(40, 60, "Present: Orla Penhallow"), (360, 60, "Apologies: Tamsin Oakshott"),
                              (40, 90, "Minutes taken by Peregrine Quillfeather on Monday.")])
    pt = page_text(pymupdf.open(src)[0], shared_engine())
    lines = [line.strip() for line in pt.text.splitlines() if line.strip()]
    assert "Present: Orla Penhallow" in lines and "Apologies: Tamsin Oakshott" in lines  # not one run
    assert "Minutes taken by Peregrine Quillfeather on Monday." in lines
    quill = pt.text.index("Quillfeather")
    boxes = pt.span_boxes(quill, quill + len("Quillfeather"))
    assert len(boxes) == len("Quillfeather")
    x0, x1 = min(b[0] for b in boxes), max(b[2] for b in boxes)
    # the word's box on the page: where it was typed (its width in Helvetica 12, about 70 pt)
    assert 180 < x0 < 260 and 40 < x1 - x0 < 110 and pt.ocr_confidence is not None and pt.ocr_confidence > 0.8


def test_words_on_one_row_are_read_as_one_line_whatever_blocks_the_engine_saw() -> None:
    from redact.ingest.ocr import rows_of, word_lines

    def word(text: str, x0: int, y0: int, x1: int, y1: int) -> tuple[str, float, list[tuple[int, int]]]:
        return text, 0.9, [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]

    # two blocks as an engine may report them: the title and initials apart from the surname
    words = [word("Foxworth,", 290, 101, 390, 129), word("Dr", 200, 100, 230, 124), word("Board", 405, 100, 480, 125),
             word("A", 240, 100, 252, 124), word("Next", 200, 150, 260, 174), word("line", 270, 150, 320, 174)]
    rows = rows_of(words)
    assert [[w[0] for w in row] for row in rows] == [["Dr", "A", "Foxworth,", "Board"], ["Next", "line"]]
    lines = word_lines(rows[0], 0.9, 1000, 1000)
    assert [line.text for line in lines] == ["Dr A Foxworth, Board"]
    far = word_lines([word("Left", 10, 100, 60, 124), word("Right", 400, 100, 470, 124)], 0.9, 1000, 1000)
    assert [line.text for line in far] == ["Left", "Right"]  # a column gap ends the line


def test_binarised_is_black_and_white() -> None:
    import numpy as np

    from redact.ingest.ocr import binarised

    image = np.full((20, 20, 3), 230, dtype=np.uint8)
    image[5:15, 5:15] = 40
    bw = binarised(image)
    assert set(np.unique(bw)) == {0, 255} and bw[10, 10, 0] == 0 and bw[0, 0, 0] == 255


def test_a_redacted_scan_has_its_image_blanked_and_an_optional_text_layer(tmp_path: Path, scanner, settings) -> None:
    from redact.verify.pdf import verify_pdf

    src = _scan_of(tmp_path, [(40, 60, "Statement of Orla Penhallow about the incident."),
                              (40, 90, "The witness described the vehicle in detail.")])
    result = scanner.scan_file(src)
    assert "Orla Penhallow" in " ".join(f.text for f in result.findings if f.type == "PERSON")
    layered = settings.model_copy(update={"ocr_text_layer": True})
    out = tmp_path / "out.pdf"
    outcome = redact_and_verify(src, plan_from_findings(result.findings), out, tmp_path / "work", layered)
    assert outcome.ok, [f"{c.name}: {c.detail}" for c in outcome.report.failures()]
    assert {c.name for c in outcome.report.checks} >= {"images_blanked", "boxes_filled", "text"}
    layer = pymupdf.open(out)[0].get_text()
    assert "described the vehicle" in layer and "Statement of" in layer  # searchable
    assert "Penhallow" not in layer
    assert any("text layer" in n for n in outcome.summary()["notes"])
    # the check itself: the same boxes over the original image find its ink still there
    boxes = {1: [((80.0, 45.0, 260.0, 66.0), "s40(2)")]}
    report = verify_pdf(src, [], boxes=boxes)
    failed = [c for c in report.checks if c.name == "images_blanked" and not c.ok]
    assert failed and "ink" in failed[0].detail


def test_a_missing_ocr_engine_is_a_clear_config_error(tmp_path: Path, monkeypatch) -> None:
    import sys

    import pytest

    from redact.exceptions import ConfigError, ExitCode
    from redact.ingest.ocr import ENGINES

    monkeypatch.setitem(sys.modules, "tesserocr", None)  # as on a machine where it is not installed
    monkeypatch.setitem(sys.modules, "rapidocr", None)
    for name in ("tesseract", "rapidocr"):
        with pytest.raises(ConfigError, match=f"ocr_engine '{name}'") as raised:
            ENGINES[name]().warm_up()
        assert raised.value.exit_code == ExitCode.bad_config


STATEMENT = ["Statement of Orla Penhallow, about the incident on the high street.",
             "The witness described the vehicle and its driver in some detail.",
             "She said the car stopped outside the bakery before the lights changed.",
             "Taken by PC Tamsin Oakshott at the station on Monday morning."]


def _typed(lines: list[str]) -> pymupdf.Page:
    page = pymupdf.open().new_page(width=595, height=300)
    for i, line in enumerate(lines):
        page.insert_text((40, 60 + 30 * i), line, fontsize=12)
    return page


def _scanned_as_fed(page: pymupdf.Page, turn: float, path: Path) -> Path:
    """``page`` scanned at 150 dpi in grey, fed turned ``turn`` degrees
    counter-clockwise: an image-only PDF page the size of the turned image."""
    import io

    from PIL import Image

    picture = Image.open(io.BytesIO(page.get_pixmap(dpi=150, colorspace=pymupdf.csGRAY).tobytes("png")))
    turned = picture.rotate(turn, expand=abs(turn) > 45, fillcolor=255, resample=Image.Resampling.BICUBIC)
    buffer = io.BytesIO()
    turned.save(buffer, "PNG")
    width, height = turned.width * 72 / 150, turned.height * 72 / 150
    scan = pymupdf.open()
    scan.new_page(width=width, height=height).insert_image(pymupdf.Rect(0, 0, width, height), stream=buffer.getvalue())
    scan.save(path)
    return path


def _redacted_and_read_again(src: Path, scanner, settings, tmp_path: Path) -> tuple[Any, str, list[str]]:
    """Both names found, every finding redacted and verified; the output's OCR
    text, and the scan's notes."""
    result = scanner.scan_file(src)
    people = " ".join(f.text for f in result.findings if f.type == "PERSON")
    assert "Orla Penhallow" in people and "Tamsin Oakshott" in people
    out = tmp_path / "out.pdf"
    outcome = redact_and_verify(src, plan_from_findings(result.findings), out, tmp_path / "work", settings)
    assert outcome.ok, [f"{c.name}: {c.detail}" for c in outcome.report.failures()]
    again = page_text(pymupdf.open(out)[0], shared_engine()).text
    assert "Penhallow" not in again and "Oakshott" not in again
    return outcome, again, result.notes


def test_a_scan_fed_in_askew_is_read_straight_and_redacted_where_the_words_lean(
        tmp_path: Path, scanner, settings) -> None:
    from redact.ingest.ocr import _pixmap_array, images_to_read, skew_angle

    src = _scanned_as_fed(_typed(STATEMENT), 2.0, tmp_path / "askew.pdf")  # fed in 2 degrees askew
    doc = pymupdf.open(src)
    info = images_to_read(doc[0])[0]
    assert abs(skew_angle(_pixmap_array(doc, info["xref"], 595)) - 2.0) <= 0.2
    outcome, again, notes = _redacted_and_read_again(src, scanner, settings, tmp_path)
    assert any(c.name == "images_blanked" and c.ok for c in outcome.report.checks)  # boxes cover the leaning words
    assert "vehicle" in again and not any("upside down" in n for n in notes)


@pytest.mark.parametrize("turn", [180, 90, 270, 266])
def test_a_scan_fed_upside_down_or_on_its_side_is_read_the_right_way_up(
        tmp_path: Path, scanner, settings, turn: int) -> None:
    """A page scanned upside down or on its side reads as noise the way it
    lies: it is read the way up that reads best, and every character's box is
    carried back to where it is printed on the page as scanned."""
    page = _typed(STATEMENT)
    upright = page.search_for("Penhallow")[0]  # where the name is printed, the page upright
    # 266: on its side and 4 degrees askew
    src = _scanned_as_fed(page, turn, tmp_path / f"turned-{turn}.pdf")

    pt = page_text(pymupdf.open(src)[0], shared_engine())
    assert "Statement of Orla Penhallow, about the incident" in pt.text
    start = pt.text.index("Penhallow")
    boxes = pt.span_boxes(start, start + len("Penhallow"))  # the comma after it left out
    found = pymupdf.Rect(min(b[0] for b in boxes), min(b[1] for b in boxes),
                         max(b[2] for b in boxes), max(b[3] for b in boxes))
    corners = [pymupdf.Point(upright.x0, upright.y0), pymupdf.Point(upright.x1, upright.y1)]
    if turn % 90:  # askew as well: the box is checked by the redaction and verification below
        expected = found
    elif turn == 180:
        expected = pymupdf.Rect(595 - corners[1].x, 300 - corners[1].y, 595 - corners[0].x, 300 - corners[0].y)
    elif turn == 90:  # the top of the page now on the left
        expected = pymupdf.Rect(corners[0].y, 595 - corners[1].x, corners[1].y, 595 - corners[0].x)
    else:
        expected = pymupdf.Rect(300 - corners[1].y, corners[0].x, 300 - corners[0].y, corners[1].x)
    # inside where the name is printed, and as long as it is (OCR boxes hug the ink: not as thick)
    long_side = max(expected.width, expected.height)
    assert abs(found & expected) > 0.8 * abs(found) and max(found.width, found.height) > 0.8 * long_side, (
        found, expected)
    # its first letter where reading starts: at the right end upside down, at the foot when turned left
    p_box = boxes[0]
    cx, cy = (p_box[0] + p_box[2]) / 2, (p_box[1] + p_box[3]) / 2
    if turn == 180:
        assert cx > expected.x1 - expected.width / 3
    elif turn == 90:
        assert cy > expected.y1 - expected.height / 3
    elif turn == 270:
        assert cy < expected.y0 + expected.height / 3

    _, again, notes = _redacted_and_read_again(src, scanner, settings, tmp_path)
    assert "bakery" in again
    # the reviewer is told: the page shows as it was scanned, the wrong way up
    assert "scanned upside down or on its side, read turned the right way up: pages 1" in notes


def test_characters_set_sideways_merge_down_their_column_and_are_padded_across_it() -> None:
    from redact.geometry import merge_line_boxes, pad, runs_down

    # a word on a page scanned on its side: each character wider (the line) than tall (its advance)
    sideways = [(100.0, 200.0 + 5 * i, 110.0, 205.0 + 5 * i) for i in range(6)]
    assert runs_down(sideways) and merge_line_boxes(sideways, sideways=True) == [(100.0, 200.0, 110.0, 230.0)]
    # padded by the line's thickness (its width): a little across, more along the line
    assert pad((100.0, 200.0, 110.0, 230.0), 0.15, 0.6, sideways=True) == (98.5, 194.0, 111.5, 236.0)
    # a name broken over two ordinary lines still gives one box per line, not one over both
    upright = [(100.0 + 6 * i, 300.0, 106.0 + 6 * i, 312.0) for i in range(4)]
    upright += [(100.0 + 6 * i, 313.0, 106.0 + 6 * i, 325.0) for i in range(5)]
    assert not runs_down(upright) and len(merge_line_boxes(upright)) == 2
    # and wide letters ('m', 'w') one above the other on two lines of such a name stay apart
    wide = [(100.0, 300.0, 114.0, 312.0), (100.0, 313.0, 114.0, 325.0)]
    assert len(merge_line_boxes(wide)) == 2
