"""An invisible text layer for redacted scans (setting ``ocr_text_layer``):
the words OCR read that no box covers, written after redaction at their
places in render mode 3 (drawn invisibly, as OCRmyPDF does), so the
released PDF can be searched and its text copied. Verification then reads
the layer like any text: a redacted string written back would fail it."""

from __future__ import annotations

import re

import pymupdf

from redact.geometry import Box, union
from redact.models import PageText

FONT = "helv"


def add_kept_words(page: pymupdf.Page, pt: PageText, erased: list[Box]) -> int:
    """Write the OCR words of ``pt`` that no erased area touches, each run of
    kept words on a line as one string (so the layer reads as lines); return
    how many words were written."""
    if pt.ocr_from is None:
        return 0
    writer = pymupdf.TextWriter(page.rect)
    font = pymupdf.Font(FONT)
    written = 0
    run: list[tuple[str, list[Box]]] = []

    def flush() -> None:
        if not run:
            return
        text = " ".join(word for word, _ in run)
        x0, y0, x1, y1 = union(b for _, word_boxes in run for b in word_boxes)
        width = font.text_length(text, fontsize=1)
        size = min((y1 - y0) * 0.9, (x1 - x0) / width) if width else 0.0
        if size > 0.5:
            writer.append((x0, y1 - 0.2 * (y1 - y0)), text, font=font, fontsize=size)
        run.clear()

    for line in re.finditer(r"[^\n]+", pt.text[pt.ocr_from:]):
        for match in re.finditer(r"\S+", line.group()):
            start = pt.ocr_from + line.start() + match.start()
            boxes = pt.span_boxes(start, start + len(match.group()))
            if not boxes or any(_inside(b, area) for b in boxes for area in erased):
                flush()
                continue
            run.append((match.group(), boxes))
            written += 1
        flush()
    if written:
        writer.write_text(page, render_mode=3)
    return written


def _inside(char: Box, area: Box) -> bool:
    """The character's middle lies in the area (a padded box may graze a neighbouring word)."""
    x, y = (char[0] + char[2]) / 2, (char[1] + char[3]) / 2
    return area[0] <= x <= area[2] and area[1] <= y <= area[3]
