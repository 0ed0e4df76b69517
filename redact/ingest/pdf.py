"""Open PDFs safely and read each page's text with a box per character.

Text comes from ``rawdict`` without clipping to the page, so text placed off
the page, in white or in render mode 3 (invisible, as OCR layers are) is read
and detected like any other text.
"""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path

import pymupdf

from redact.exceptions import BadInputError, EncryptedError, TooLargeError
from redact.geometry import Box
from redact.ingest import check_size
from redact.ingest.ocr import OcrEngine, ocr_page_text
from redact.ingest.visual import visual_lines
from redact.models import PageText, TextSpan

TEXT_FLAGS = (
    pymupdf.TEXT_PRESERVE_WHITESPACE
    | pymupdf.TEXT_PRESERVE_LIGATURES
    | pymupdf.TEXT_CID_FOR_UNKNOWN_UNICODE
)

pymupdf.TOOLS.mupdf_display_errors(False)
pymupdf.TOOLS.mupdf_display_warnings(False)


# the largest page side the PDF specification allows (ISO 32000, user space units)
MAX_PAGE_SIDE_PT = 14_400.0


def open_pdf(
    path: Path,
    *,
    password: str | None = None,
    max_pages: int = 20000,
    max_file_mb: float = 2048,
) -> pymupdf.Document:
    """Open a PDF or raise a one-line, typed error saying what is wrong."""
    check_size(path, max_file_mb)
    with path.open("rb") as fh:
        head = fh.read(1024)
    if b"%PDF-" not in head:
        raise BadInputError(f"{path.name}: not a PDF (no %PDF- header), despite its name")
    try:
        doc = pymupdf.open(path, filetype="pdf")
    except Exception as exc:  # MuPDF raises several types for damaged files
        raise BadInputError(f"{path.name}: corrupt PDF that cannot be opened ({exc})") from exc
    if doc.needs_pass:
        if password is None:
            doc.close()
            raise EncryptedError(f"{path.name}: encrypted PDF; give its password with --password")
        if not doc.authenticate(password):
            doc.close()
            raise EncryptedError(f"{path.name}: the password given does not open this PDF")
    if doc.page_count == 0:
        doc.close()
        raise BadInputError(f"{path.name}: PDF has no pages (damaged or empty)")
    if doc.page_count > max_pages:
        count = doc.page_count
        doc.close()
        raise TooLargeError(
            f"{path.name}: {count} pages is over the limit of {max_pages} (setting max_pages)"
        )
    try:
        doc.load_page(0)
        doc.load_page(doc.page_count - 1)  # a page count that the page tree does not hold fails here
    except Exception as exc:
        doc.close()
        raise BadInputError(f"{path.name}: corrupt PDF, its pages cannot be read ({exc})") from exc
    for number in range(doc.page_count):
        box = doc.page_cropbox(number)
        if max(box.width, box.height) > MAX_PAGE_SIDE_PT:
            doc.close()
            raise TooLargeError(f"{path.name}: page {number + 1} is {box.width:.0f} x {box.height:.0f} points, "
                                f"over the PDF limit of {MAX_PAGE_SIDE_PT:.0f} (200 inches) a side")
    return doc


def page_text(page: pymupdf.Page, ocr: OcrEngine | None = None) -> PageText:
    """One page's text, lines separated by newlines, blocks by a blank line;
    with ``ocr``, the text read from its images follows, with page boxes."""
    raw = page.get_text("rawdict", flags=TEXT_FLAGS)
    chars: list[str] = []
    boxes: list[Box | None] = []
    spans: list[TextSpan] = []
    span_of: list[int | None] = []
    # in visual order, letter spacing closed up (redact/ingest/visual.py); one character per glyph
    for block in visual_lines(raw, spans):
        for line in block:
            chars.append(line.text)
            boxes.extend(line.boxes)
            span_of.extend(line.span_of)
            chars.append("\n")
            boxes.append(None)
            span_of.append(None)
        chars.append("\n")
        boxes.append(None)
        span_of.append(None)
    confidence = None
    ocr_from = None
    turned = False
    if ocr is not None:
        read = ocr_page_text(ocr, page)
        confidence, turned = read.confidence, read.turned
        if read.text.strip():
            ocr_from = len(chars)
        chars.append(read.text)
        boxes.extend(read.boxes)
        span_of.extend([None] * len(read.text))
    return PageText(page=page.number + 1, text="".join(chars), boxes=boxes, ocr_confidence=confidence,
                    ocr_from=ocr_from, ocr_turned=turned, span_of=span_of, spans=spans)


class PageCache:
    """The last ``capacity`` pages' text and boxes, so scanning, box placement
    and redaction share one extraction per page while memory stays bounded
    whatever the document's length."""

    def __init__(self, doc: pymupdf.Document, capacity: int = 256, ocr: OcrEngine | None = None) -> None:
        self.doc = doc
        self.ocr = ocr
        self.capacity = capacity
        self.pages: OrderedDict[int, PageText] = OrderedDict()

    def get(self, number: int) -> PageText:
        """The text of page ``number`` (1-based)."""
        pt = self.pages.get(number)
        if pt is None:
            try:
                page = self.doc[number - 1]
            except (RuntimeError, IndexError, ValueError) as exc:  # a damaged page tree
                raise BadInputError(f"page {number} of this PDF cannot be read ({exc})") from exc
            pt = page_text(page, self.ocr)
            self.pages[number] = pt
            if len(self.pages) > self.capacity:
                self.pages.popitem(last=False)
        else:
            self.pages.move_to_end(number)
        return pt


def reveal_hidden_layers(doc: pymupdf.Document) -> tuple[pymupdf.Document, int]:
    """Switch every optional-content layer on; return the document to use and
    how many layers were off.

    Content in a layer that is switched off is invisible but still in the
    file; making it visible lets detection read it and redaction remove it,
    and the released file has no hidden layer left. MuPDF reads the new
    state only after a reload, so a changed document is reopened from memory.
    """
    ocgs = doc.get_ocgs()
    off = [xref for xref, info in ocgs.items() if not info.get("on", True)]
    if not off:
        return doc, 0
    doc.set_layer(-1, on=list(ocgs), off=[])
    repaired = was_repaired(doc)
    reopened = pymupdf.open("pdf", doc.tobytes())
    doc.close()
    if repaired:
        reopened.redact_repaired = True
    return reopened, len(off)


def open_for_reading(path: Path, *, password: str | None, max_pages: int,
                     max_file_mb: float) -> tuple[pymupdf.Document, list[str]]:
    """Open a PDF the way detection and redaction both read it: hidden
    layers switched on (``reveal_hidden_layers``) and annotations and form
    fields drawn into the page (``bake_annotations``); the notes say what
    was changed."""
    doc, hidden = reveal_hidden_layers(open_pdf(path, password=password, max_pages=max_pages,
                                                max_file_mb=max_file_mb))
    notes = [f"{hidden} hidden optional-content layer(s) switched on"] if hidden else []
    baked, drawn = bake_annotations(doc)
    if baked and drawn:
        notes.append(f"{baked} annotation(s) and form field(s) drawn into the page and read as its text")
    elif baked:
        notes.append(f"{baked} annotation(s) and form field(s) could not be drawn into the page: not read, "
                     "and removed whole from the release (any public text in them goes too)")
    return doc, notes


def bake_annotations(doc: pymupdf.Document) -> tuple[int, bool]:
    """Draw every annotation and form field into its page's content; return
    how many there were and whether MuPDF drew them.

    A comment box or a form field shows text a reader sees; as page text it
    is detected and decided like the rest, so a public number in a field is
    kept where the body keeps it and a name is redacted. What has no
    appearance (a pop-up note's text) is gone with the annotation. If MuPDF
    cannot draw them, they stay annotations, and the release removes them
    whole (``redact.apply.pdf.sanitise``)."""
    # the /Annots key first: loading every page's annotations costs more than the rest of opening
    if all(doc.xref_get_key(doc.page_xref(n), "Annots")[0] == "null" for n in range(doc.page_count)):
        return 0, True
    count = sum(len(list(page.annots())) + len(list(page.widgets())) for page in doc)
    if count:
        try:
            doc.bake(annots=True, widgets=True)
        except Exception:  # noqa: BLE001 - a damaged annotation: removed whole at release instead, and said
            return count, False
    return count, True


REPAIRED = ("damaged PDF: MuPDF had to repair its structure on opening, so pages or objects may be missing "
            "or blank; compare with the original before release")


def was_repaired(doc: pymupdf.Document) -> bool:
    """MuPDF rebuilt the file's cross-reference table to open it (a truncated
    or damaged file): what it shows may not be all the file held."""
    return bool(getattr(doc, "redact_repaired", False) or doc.is_repaired)
