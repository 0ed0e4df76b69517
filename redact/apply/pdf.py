"""Burn approved redactions into a PDF and strip everything that can leak.

Order matters: hidden layers are switched on, boxes are placed for every
occurrence of every approved string (a name broken over two lines gives two
boxes), ``apply_redactions`` removes the text, blanks the image pixels and
drops fully covered vector graphics under them, then metadata, XMP,
outlines, annotations, form fields, attachments, JavaScript, actions and page
labels go, and the file is written in full with garbage collection (an
incremental save would keep the old content).
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pymupdf
import regex
from pymupdf import mupdf

from redact.apply import Applied, Plan, StringTarget
from redact.apply.areas import mark_areas
from redact.apply.gaps import Layout, lift, plan_layout, redraw, strips
from redact.apply.hiding import clear_alternate_texts, clear_outside_crop
from redact.apply.text_layer import add_kept_words
from redact.geometry import Box, fingerprint, intersects, merge_line_boxes, pad, runs_down, shrink_across_line
from redact.ingest.ocr import OcrEngine
from redact.ingest.pdf import PageCache, page_text
from redact.models import PageText
from redact.normalise import line_pattern, normalise

CATALOG_KEYS = ("OpenAction", "AA", "AcroForm", "StructTreeRoot", "PageLabels", "Outlines", "Metadata",
                "PieceInfo", "Threads", "SpiderInfo", "Collection", "Perms", "Legal")
PAGE_KEYS = ("AA", "PieceInfo", "Thumb", "StructParents")
MIN_LABEL_PT = 5.0
LABEL_FONT = "helv"


def redact_pdf(doc: pymupdf.Document, plan: Plan, out_path: Path, *, label: bool = True,
               cache: PageCache | None = None, ocr: OcrEngine | None = None, text_layer: bool = False) -> Applied:
    """Apply ``plan`` to ``doc`` (opened from the original, hidden layers
    already switched on) and save to ``out_path``. ``cache`` may hold page
    texts already read from this document (by the scan). ``text_layer``:
    write the OCR words left visible as invisible text (``text_layer.py``)."""
    applied = Applied()
    cache = cache or PageCache(doc, ocr=ocr)
    targets = TargetIndex(plan.strings)
    regexes = [(regex.compile(p, regex.MULTILINE), code, page) for p, code, page in plan.regexes]
    trusted: set[str] = set()  # fonts whose redrawn glyphs read back right
    margins = 0
    layered = 0
    for page in doc:
        number = page.number + 1
        margins += clear_outside_crop(page)
        boxes, pt, spans = _page_boxes(page, number, plan, targets, regexes, cache)
        if not boxes:
            if text_layer and cache.ocr is not None:
                layered += add_kept_words(page, cache.get(number), [])
            continue
        # boxes widened to a few widths, and the glyphs after them to draw again in place
        pt = pt or page_text(page, cache.ocr)  # read once: the layout and the under-box fingerprints
        layout = Layout.plain(boxes) if number in plan.whole_pages else plan_layout(page, boxes, pt)
        boxes = layout.boxes
        # each box's characters, and each redacted span's own (a box trimmed to spare the lines
        # beside it must still take the span's first and last letters)
        applied.under[number] = fingerprints_under(pt, layout.erase) + [
            fingerprints_of(pt, start, end) for start, end, _ in spans
            if pt.ocr_from is None or start < pt.ocr_from]
        images = bool(page.get_images())
        if images:
            lift(page, layout.lifted)  # a pass of its own: no pixel under a kept glyph is blanked
            mark_areas(page, layout.erase)
        else:  # no image on the page: one pass lifts and removes
            mark_areas(page, strips(layout.lifted) + layout.erase)
        try:
            page.apply_redactions(
                images=pymupdf.PDF_REDACT_IMAGE_PIXELS,
                graphics=pymupdf.PDF_REDACT_LINE_ART_REMOVE_IF_COVERED,
                text=pymupdf.PDF_REDACT_TEXT_REMOVE,
            )
        except mupdf.FzErrorBase as exc:
            # an image MuPDF cannot blank pixel by pixel (an odd colour space): every image
            # under a box goes whole instead, and the output says so
            page.apply_redactions(images=pymupdf.PDF_REDACT_IMAGE_REMOVE,
                                  graphics=pymupdf.PDF_REDACT_LINE_ART_REMOVE_IF_COVERED,
                                  text=pymupdf.PDF_REDACT_TEXT_REMOVE)
            applied.notes.append(f"page {number}: image(s) under a box removed whole, as MuPDF could not blank "
                                 f"their pixels ({str(exc).strip()[:120]})")
        if images:
            _paint_white(page, layout.erase)  # where image pixels were blanked
        redraw(page, layout.redraw, trusted)
        if text_layer and pt.ocr_from is not None:
            layered += add_kept_words(page, pt, layout.erase + [b for b, _ in boxes])
        _draw_boxes(page, boxes, label)
        applied.boxes[number] = boxes
        applied.exact_widths += layout.exact
        if number in plan.whole_pages:
            applied.whole_pages[number] = plan.whole_pages[number]
    _strip_links(doc, plan, applied)
    alternates = clear_alternate_texts(doc, [t.text for t in plan.strings])
    if margins:
        applied.notes.append(f"content outside the crop box removed on {margins} page(s)")
    if layered:
        applied.notes.append(f"invisible text layer of {layered} OCR word(s) left visible (setting ocr_text_layer)")
    if alternates:
        applied.notes.append(f"{alternates} alternate text(s) (/ActualText, /Alt, /E) holding a redacted "
                             "string emptied")
    sanitise(doc)
    for target in plan.strings:
        kept_pages = sorted(p for p, spans in target.keep.items() if spans and p is not None)
        pages = None if not kept_pages else [p for p in range(1, doc.page_count + 1) if p not in kept_pages]
        applied.strings_gone.append((target.text, target.type, pages))
    save_whole(doc, out_path)
    return applied


class TargetIndex:
    """Every approved string, found on a page in one pass.

    Trying each string's regex on each page costs strings x pages; instead the
    strings are indexed by their first three characters and only those that
    could start at a word's first character are tried there.
    """

    KEY = 3

    def __init__(self, targets: list[StringTarget]) -> None:
        self.by_key: dict[str, list[StringTarget]] = {}
        for t in targets:
            self.by_key.setdefault(self._key(t.text), []).append(t)

    @classmethod
    def _key(cls, text: str) -> str:
        return " ".join(text.replace("-\n", "").split()).casefold()[: cls.KEY]

    def spans(self, text: str, page: int) -> list[tuple[int, int, str]]:
        """(start, end, exemption) of every occurrence not kept on this page."""
        out: list[tuple[int, int, str]] = []
        if not self.by_key:
            return out
        hyphen_breaks = "-\n" in text  # else the simpler pattern finds the same
        for start in _STARTS.finditer(text):
            i = start.start()
            head = text[i : i + self.KEY]
            # the key of a start whose first characters are letters or digits is those characters
            plain = len(head) == self.KEY and head.isalnum()
            key = head.casefold()[: self.KEY] if plain else self._key(text[i : i + self.KEY * 4])
            candidates = self.by_key.get(key)
            if not candidates:
                continue
            for target in candidates:
                m = line_pattern(target.text, hyphen_breaks).match(text, i)
                if m is None:
                    continue
                kept = target.keep.get(page, [])
                if not any(s < m.end() and m.start() < e for s, e in kept):
                    out.append((m.start(), m.end(), target.exemption))
        return out


# Where an approved string may start: after a character that is not a letter
# or digit, at such a character itself, or glued on where a capital follows a
# lower-case letter or digit, or a digit follows a letter.
_STARTS = regex.compile(r"(?<![\p{L}\p{N}])\S|[^\p{L}\p{N}\s]|(?<=[\p{Ll}\p{Nd}])\p{Lu}|(?<=\p{L})\p{Nd}")


def _page_boxes(
    page: pymupdf.Page,
    number: int,
    plan: Plan,
    targets: TargetIndex,
    regexes: list[tuple[regex.Pattern[str], str, int | None]],
    cache: PageCache,
) -> tuple[list[tuple[Box, str]], PageText | None, list[tuple[int, int, str]]]:
    """The boxes of page ``number``, its text (when it was read) and the
    redacted spans of that text."""
    if number in plan.whole_pages:
        r = page.rect
        return [((r.x0, r.y0, r.x1, r.y1), plan.whole_pages[number])], None, []
    spans: list[tuple[int, int, str]] = list(plan.spans.get(number, []))
    needs_text = spans or targets.by_key or regexes
    pt: PageText | None = cache.get(number) if needs_text else None
    if pt is not None:
        spans.extend(targets.spans(pt.text, number))
        for pattern, code, only_page in regexes:
            if only_page is not None and only_page != number:
                continue
            spans.extend((m.start(), m.end(), code) for m in pattern.finditer(pt.text) if m.end() > m.start())
    boxes: list[tuple[Box, str]] = []
    if pt is not None:
        by_code: dict[str, list[Box]] = {}
        for start, end, code in spans:
            if pt.ocr_from is not None and start >= pt.ocr_from:
                # OCR boxes hug the ink and their positions are approximate: pad them
                # so no stroke of a glyph survives in the pixels
                chars = pt.span_boxes(start, end)
                down = runs_down(chars)  # a page scanned on its side: the line's thickness is its width
                boxes.extend((pad(b, 0.15, 0.6, sideways=down), code) for b in merge_line_boxes(chars, sideways=down))
            elif runs_down(chars := pt.span_boxes(start, end)):  # a line set sideways: trimmed across it
                boxes.extend((shrink_across_line(b, sideways=True), code)
                             for b in merge_line_boxes(chars, gap=0.5, sideways=True))
            else:
                by_code.setdefault(code, []).extend(merge_line_boxes(chars))
        for code, code_boxes in by_code.items():
            boxes.extend((shrink_across_line(b), code) for b in merge_line_boxes(code_boxes, gap=0.5))
    boxes.extend((rect, code) for p, rect, code in plan.areas if p == number)
    return _dedupe(boxes), pt, spans


def fingerprints_of(pt: PageText, start: int, end: int) -> set[tuple[str, float, float]]:
    """The characters of ``pt.text[start:end]``, by glyph and position."""
    return {fingerprint(pt.text[i], box) for i in range(start, end)
            if not pt.text[i].isspace() and (box := pt.boxes[i]) is not None}


def fingerprints_under(pt: PageText, boxes: list[Box]) -> list[set[tuple[str, float, float]]]:
    """The characters each box covers, by glyph and position. After redaction
    they must not remain at the same place; text that MuPDF merely shifted
    (its glyph advance for removed text is not always exact) is not a leak."""
    placed = pt.placed()
    if not len(placed.index) or not boxes:
        return [set() for _ in boxes]
    cx, cy = placed.centres
    out = []
    for x0, y0, x1, y1 in boxes:
        inside = (cx >= x0 - TOLERANCE) & (cx <= x1 + TOLERANCE) & (cy >= y0 - TOLERANCE) & (cy <= y1 + TOLERANCE)
        covered = (int(placed.index[k]) for k in np.flatnonzero(inside))
        out.append({fingerprint(pt.text[i], box) for i in covered
                    if not pt.text[i].isspace() and (box := pt.boxes[i]) is not None})
    return out


TOLERANCE = 0.01  # as geometry.centre_inside


def _dedupe(boxes: list[tuple[Box, str]]) -> list[tuple[Box, str]]:
    seen: set[tuple[float, float, float, float]] = set()
    out = []
    for box, code in boxes:
        key = tuple(round(v, 1) for v in box)
        if key in seen:
            continue
        seen.add(key)  # type: ignore[arg-type]
        out.append((box, code))
    return out


def _paint_white(page: pymupdf.Page, areas: list[Box]) -> None:
    """White rectangles over ``areas``, in one content stream."""
    shape = page.new_shape()
    for area in areas:
        shape.draw_rect(pymupdf.Rect(area))
    shape.finish(fill=(1, 1, 1), color=(1, 1, 1))
    shape.commit()


def _draw_boxes(page: pymupdf.Page, boxes: list[tuple[Box, str]], label: bool) -> None:
    """The black boxes where the layout put them (a box moves right when a box
    before it on its line was widened), each with its exemption code in white
    where it fits: one content stream for the page, labels in the base-14
    Helvetica (the annotation's own label, or a ``Shape.insert_text`` per
    box, costs a font look-up and layout each)."""
    shape = page.new_shape()
    for box, _ in boxes:
        shape.draw_rect(pymupdf.Rect(box))
    shape.finish(fill=(0, 0, 0), color=None, width=0)
    placed = []
    for box, code in boxes if label else []:
        fontsize = _label_size(box, code)
        if fontsize is not None:
            width = _text_width(code, fontsize)
            # baseline that centres the capitals vertically
            placed.append(((box[0] + box[2] - width) / 2, (box[1] + box[3]) / 2 + fontsize * 0.35, fontsize, code))
    if placed:
        page.insert_font(fontname=LABEL_FONT)
        ops = [f"q BT 1 1 1 rg 1 0 0 1 {x + shape.x:.2f} {shape.height - y - shape.y:.2f} Tm "
               f"/{LABEL_FONT} {size:.2f} Tf [<{code.encode('latin-1', 'replace').hex()}>] TJ ET Q"
               for x, y, size, code in placed]
        shape.text_cont = "\n" + "\n".join(ops) + "\n"
    shape.commit()


def _label_size(box: Box, code: str) -> float | None:
    """The font size at which ``code`` fits in ``box``, or None: no label
    smaller than ``MIN_LABEL_PT`` (unreadable, and its white glyphs and their
    grey edges would fill half of a small box)."""
    if not code:
        return None
    width, height = box[2] - box[0], box[3] - box[1]
    fontsize = round(min(11.0, height * 0.8), 1)
    if fontsize < MIN_LABEL_PT:
        return None
    if _text_width(code, fontsize) <= width - 1:
        return fontsize
    fontsize = round(min(fontsize, width / max(1, len(code)) * 1.6), 1)
    if fontsize >= MIN_LABEL_PT and _text_width(code, fontsize) <= width - 1:
        return fontsize
    return None


@functools.lru_cache(maxsize=1024)
def _text_width(code: str, fontsize: float) -> float:
    return float(pymupdf.get_text_length(code, fontname=LABEL_FONT, fontsize=fontsize))


def _strip_links(doc: pymupdf.Document, plan: Plan, applied: Applied) -> None:
    """Remove links under a box or whose target names an approved string."""
    needles = [normalise(t.text) for t in plan.strings if len(normalise(t.text)) >= 3]
    for page in doc:
        boxes = [b for b, _ in applied.boxes.get(page.number + 1, [])]
        for link in page.get_links():
            uri = normalise(str(link.get("uri") or "") + " " + str(link.get("file") or ""))
            rect = link.get("from")
            under = rect is not None and any(intersects(tuple(rect), b) for b in boxes)
            if under or any(n and n.replace(" ", "") in uri.replace(" ", "") for n in needles):
                page.delete_link(link)


def sanitise(doc: pymupdf.Document) -> None:
    """Remove metadata, XMP, outlines, annotations, form fields, attachments,
    JavaScript, document and page actions, page labels and thumbnails."""
    for page in doc:
        for annot in list(page.annots() or []):
            page.delete_annot(annot)
        for widget in list(page.widgets() or []):
            page.delete_widget(widget)
    doc.scrub(
        attached_files=True, clean_pages=False, embedded_files=True, hidden_text=False, javascript=False,
        metadata=True, redactions=False, redact_images=0, remove_links=False, reset_fields=True,
        reset_responses=True, thumbnails=True, xml_metadata=False,
    )
    _scrub_objects(doc)
    doc.set_metadata({})
    doc.del_xml_metadata()
    catalog = doc.pdf_catalog()
    for key in CATALOG_KEYS:
        if doc.xref_get_key(catalog, key)[0] != "null":
            doc.xref_set_key(catalog, key, "null")
    names = doc.xref_get_key(catalog, "Names")
    if names[0] != "null":
        for key in ("JavaScript", "EmbeddedFiles"):
            if doc.xref_get_key(catalog, f"Names/{key}")[0] != "null":
                doc.xref_set_key(catalog, f"Names/{key}", "null")
    for page in doc:
        for key in PAGE_KEYS:
            if doc.xref_get_key(page.xref, key)[0] != "null":
                doc.xref_set_key(page.xref, key, "null")


def _scrub_objects(doc: pymupdf.Document) -> None:
    """Neutralise every JavaScript action and XMP metadata stream in the file,
    wherever it hangs (an image's or a page's own /Metadata too).

    What ``Document.scrub(javascript=True, xml_metadata=True)`` does, reading
    each object's source once instead of asking for three keys of it."""
    for xref in range(1, doc.xref_length()):
        source = doc.xref_object(xref, compressed=True)
        if "/JavaScript" in source and doc.xref_get_key(xref, "S")[1] == "/JavaScript":
            doc.update_object(xref, "<</S/JavaScript/JS()>>")
        elif "/Metadata" in source:
            if doc.xref_get_key(xref, "Type")[1] == "/Metadata":
                doc.update_object(xref, "<<>>")
                doc.update_stream(xref, b"deleted", new=True)
            elif doc.xref_get_key(xref, "Metadata")[0] != "null":
                doc.xref_set_key(xref, "Metadata", "null")


def save_whole(doc: pymupdf.Document, out_path: Path) -> None:
    """Write the whole file (never incrementally) with unused objects removed."""
    tmp = out_path.with_name(out_path.name + ".part")
    doc.save(tmp, garbage=3, deflate=True, clean=False, incremental=False,
             encryption=pymupdf.PDF_ENCRYPT_NONE)
    tmp.replace(out_path)
