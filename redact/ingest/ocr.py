"""Text in images: OCR with RapidOCR (PP-OCRv4 models shipped in the wheel;
nothing is downloaded), one result per distinct image.

Each image drawn on a page (a scanned page, a photo of a letter, a pasted
screenshot) is read in its own pixel space and mapped to the page through
the image's placement matrix, so every character gets a box on the page and
redaction boxes blank the pixels under them. The recogniser returns lines
without spaces; spaces are put back where the gap between two characters is
at least 0.3 of the line's height, where a lower-case letter meets a capital
("OrlaPenhallow"), and after a comma, semicolon or colon. The recogniser's
character positions are approximate, so the case change is what separates
names most reliably.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pymupdf

from redact.exceptions import ConfigError, TooLargeError
from redact.geometry import Box

if TYPE_CHECKING:
    from redact.config import Settings

for _name in ("RapidOCR", "rapidocr", "onnxruntime"):
    logging.getLogger(_name).setLevel(logging.ERROR)

DET_MODEL = "PP-OCRv6_det_small.onnx"
REC_MODEL = "PP-OCRv6_rec_small.onnx"
PAD_PX = 32
COLUMN_GAP = 1.8  # a gap between words this many line heights wide separates columns or cells
MIN_SIDE_PT = 24.0  # images smaller than this on the page hold no readable line
MIN_PIXELS = 32
MAX_SIDE_PX = 3000
TARGET_DPI = 220  # the detector misses lines in 150 dpi scans; upscaling to ~220 dpi finds them
LOW_CONFIDENCE = 0.8


@dataclass
class OcrLine:
    """One recognised line: characters with boxes in the image's unit square."""

    text: str
    boxes: list[Box | None]
    confidence: float


class OcrEngine:
    """One RapidOCR instance per process, with results cached per image."""

    def __init__(self, cache_size: int = 512) -> None:
        self._ocr: Any = None
        self._cache: OrderedDict[str, list[OcrLine]] = OrderedDict()
        self.cache_size = cache_size

    def _engine(self) -> Any:
        if self._ocr is None:
            try:
                import rapidocr
                from rapidocr import RapidOCR
            except ImportError as exc:  # pragma: no cover - a declared dependency
                raise ConfigError("OCR needs the rapidocr package") from exc
            models = Path(rapidocr.__file__).parent / "models"
            self._ocr = RapidOCR(params={
                # the models in the wheel, named: nothing is ever downloaded
                "Det.model_path": str(models / DET_MODEL), "Rec.model_path": str(models / REC_MODEL),
                # pages are upright (a PDF's rotation is in its matrix); the angle classifier
                # turned whole lines of good scans upside down and read them as noise
                "Global.use_cls": False,
                "Global.max_side_len": MAX_SIDE_PX,
                "Global.log_level": "error",
            })
        return self._ocr

    def read_image(self, doc: pymupdf.Document, xref: int, digest: bytes | None = None,
                   width_pt: float = 0.0) -> list[OcrLine]:
        """OCR lines of image ``xref``, in its unit square, cached by the
        decoded image's digest (the same logo on every page is read once).
        ``width_pt`` is its drawn width on the page, to judge its resolution."""
        key = (digest or hashlib.md5(doc.xref_stream_raw(xref) or b"").digest()).hex() + f"/{width_pt:.0f}"
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        lines = self._recognise(_pixmap_array(doc, xref, width_pt))
        self._cache[key] = lines
        if len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)
        return lines

    def _recognise(self, image: Any) -> list[OcrLine]:
        if image is None:
            return []
        import cv2

        h, w = image.shape[:2]
        # a white margin: the detector misses text that touches the image's edge (a cropped line)
        pad = max(PAD_PX, h // 20)
        framed = cv2.copyMakeBorder(image, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=(255, 255, 255))
        result = self._engine()(framed, return_word_box=True)
        lines: list[OcrLine] = []
        quads, texts, scores = result.boxes, result.txts, result.scores
        if quads is None or texts is None or scores is None:
            return lines
        words = result.word_results or [() for _ in texts]
        for quad, text, score, line_words in zip(quads, texts, scores, words, strict=False):
            unframed = [(t, c, [(x - pad, y - pad) for x, y in q]) for t, c, q in line_words]
            found = word_lines(unframed, float(score), w, h)
            lines.extend(found or [_even_line(text, [(x - pad, y - pad) for x, y in quad], float(score), w, h)])
        return lines


def _pixmap_array(doc: pymupdf.Document, xref: int, width_pt: float = 0.0) -> Any:
    import cv2
    import numpy as np

    try:
        pix = pymupdf.Pixmap(doc, xref)
    except Exception:
        return None
    if pix.width < MIN_PIXELS or pix.height < MIN_PIXELS:
        return None
    if pix.alpha or (pix.colorspace and pix.colorspace.n not in (1, 3)):
        pix = pymupdf.Pixmap(pymupdf.csRGB, pix)
    if pix.n == 1:
        pix = pymupdf.Pixmap(pymupdf.csRGB, pix)
    factor = 0
    while max(pix.width, pix.height) >> factor > MAX_SIDE_PX:
        factor += 1
    if factor:
        pix.shrink(factor)
    arr: Any = np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.width, pix.n)[:, :, :3]
    dpi = pix.width / (width_pt / 72) if width_pt > 0 else TARGET_DPI
    scale = min(TARGET_DPI / dpi, MAX_SIDE_PX / max(pix.width, pix.height))
    if scale > 1.1:
        arr = cv2.resize(arr, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
    return arr.copy()


def word_lines(words: list[Any], confidence: float, w: int, h: int) -> list[OcrLine]:
    """A recognised line as its words, each character boxed inside its
    word's box, one space between words; a gap wider than ``COLUMN_GAP``
    line heights ends the line there, so two columns or table cells side by
    side become separate lines instead of one run of text."""
    placed = []
    for text, _, quad in words:
        xs = [p[0] for p in quad]
        ys = [p[1] for p in quad]
        if str(text).strip():
            placed.append((str(text).strip(), (min(xs) / w, min(ys) / h, max(xs) / w, max(ys) / h)))
    if not placed:
        return []
    heights = sorted(r[3] - r[1] for _, r in placed)
    line_height = heights[len(heights) // 2]
    segments: list[list[tuple[str, Box]]] = [[placed[0]]]
    for word in placed[1:]:
        gap = word[1][0] - segments[-1][-1][1][2]
        if gap * w > COLUMN_GAP * line_height * h:
            segments.append([word])
        else:
            segments[-1].append(word)
    lines = []
    for segment in segments:
        text_out: list[str] = []
        boxes: list[Box | None] = []
        for i, (text, (x0, y0, x1, y1)) in enumerate(segment):
            if i:
                text_out.append(" ")
                boxes.append(None)
            step = (x1 - x0) / len(text)
            for j, c in enumerate(text):
                text_out.append(c)
                boxes.append((x0 + j * step, y0, x0 + (j + 1) * step, y1))
        lines.append(OcrLine("".join(text_out), boxes, confidence))
    return lines


@functools.lru_cache(maxsize=1)
def shared_engine() -> OcrEngine:
    """The process's OCR engine, made on first use (a cache: its page cache
    serves scan, apply and verify)."""
    return OcrEngine()


def engine_for(settings: Settings) -> OcrEngine | None:
    """The OCR engine ``settings`` ask for: the process's, or None when OCR is off."""
    return shared_engine() if settings.ocr else None


def _even_line(text: str, quad: list[Any], confidence: float, w: int, h: int) -> OcrLine:
    xs = [p[0] for p in quad]
    ys = [p[1] for p in quad]
    x0, x1, y0, y1 = min(xs) / w, max(xs) / w, min(ys) / h, max(ys) / h
    step = (x1 - x0) / max(1, len(text))
    boxes: list[Box | None] = [
        None if c.isspace() else (x0 + i * step, y0, x0 + (i + 1) * step, y1) for i, c in enumerate(text)
    ]
    return OcrLine(text=text, boxes=boxes, confidence=confidence)


# an image OCR may decode: 200 megapixels (a 20,000 x 10,000 scan); more is refused, exit 5
MAX_IMAGE_PIXELS = 200_000_000


def images_to_read(page: pymupdf.Page) -> list[dict[str, Any]]:
    """The images on a page large enough to hold text, with their placement.

    Inline images (no xref) are not read. A page whose resources, and those
    of its form XObjects, name no image is answered without laying out the
    page again (``get_image_info`` builds a text page each time)."""
    if not page.get_images():
        return []
    out = []
    for info in page.get_image_info(hashes=True, xrefs=True):
        x0, y0, x1, y1 = info["bbox"]
        if info.get("xref", 0) <= 0 or min(x1 - x0, y1 - y0) < MIN_SIDE_PT:
            continue
        pixels = int(info.get("width", 0)) * int(info.get("height", 0))
        if pixels > MAX_IMAGE_PIXELS:
            raise TooLargeError(f"page {page.number + 1}: an image of {info['width']} x {info['height']} pixels is "
                                f"over the limit of {MAX_IMAGE_PIXELS // 1_000_000} megapixels that OCR may decode")
        out.append(info)
    return out


def ocr_page_text(engine: OcrEngine, page: pymupdf.Page) -> tuple[str, list[Box | None], float | None]:
    """Text of the page's images, lines separated by newlines, with page boxes,
    and the lowest line confidence (None when there was nothing to read)."""
    chars: list[str] = []
    boxes: list[Box | None] = []
    lowest: float | None = None
    for info in images_to_read(page):
        matrix = pymupdf.Matrix(info["transform"])
        width_pt = info["bbox"][2] - info["bbox"][0]
        for line in engine.read_image(page.parent, info["xref"], info.get("digest"), width_pt):
            lowest = line.confidence if lowest is None else min(lowest, line.confidence)
            for c, b in zip(line.text, line.boxes, strict=True):
                chars.append(c)
                boxes.append(None if b is None else _to_page(b, matrix))
            chars.append("\n")
            boxes.append(None)
        chars.append("\n")
        boxes.append(None)
    return "".join(chars), boxes, lowest


def _to_page(b: Box, m: pymupdf.Matrix) -> Box:
    r = pymupdf.Rect(b[0], b[1], b[2], b[3]) * m
    r.normalize()
    return (r.x0, r.y0, r.x1, r.y1)
