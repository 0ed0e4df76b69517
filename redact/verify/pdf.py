"""Re-read a redacted PDF as an attacker would, and fail on any leak.

Checks: extracted text (normalised), every decompressed object as bytes in
UTF-8, UTF-16 and PDFDocEncoding, metadata and XMP, annotations, links,
outlines, form fields, attachments, JavaScript and actions, page labels,
hidden layers, characters under a box, and exactly one ``%%EOF`` (no earlier
revision kept).
"""

from __future__ import annotations

import contextlib
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pymupdf

from redact.geometry import Box, fingerprint
from redact.ingest.alternates import ALTERNATE_KEYS, CONTENT_STRING, decode_string
from redact.ingest.ocr import OcrEngine
from redact.ingest.pdf import page_text
from redact.ingest.visual import SPACED_RUN
from redact.models import PageText
from redact.normalise import needle_pattern, normalise
from redact.verify import Expectation, VerifyReport

if TYPE_CHECKING:
    from redact.verify.second_look import SecondLook

BYTE_MIN_LEN = 4


def verify_pdf(
    path: Path,
    expectations: list[Expectation],
    under: dict[int, list[set[tuple[str, float, float]]]] | None = None,
    password: str | None = None,
    ocr: OcrEngine | None = None,
    boxes: dict[int, list[tuple[Box, str]]] | None = None,
    second_look: SecondLook | None = None,
) -> VerifyReport:
    """Run every check on ``path``; the report says which failed and why."""
    report = VerifyReport(file=str(path))
    data = path.read_bytes()
    try:
        doc = pymupdf.open(path, filetype="pdf")
        if doc.needs_pass and not doc.authenticate(password or ""):
            report.add("open", ["output is encrypted"])
            return report
    except Exception as exc:
        report.add("open", [f"output cannot be opened: {exc}"])
        return report
    try:
        texts = [page_text(page, ocr) for page in doc]
        _check_text(texts, expectations, report, ocr is not None)
        objects = _read_objects(doc)
        _check_bytes(objects, expectations, report)
        _check_under_boxes(texts, under or {}, report)
        _check_boxes_filled(doc, boxes or {}, report)
        _check_images_blanked(doc, boxes or {}, report)
        _check_structure(doc, data, expectations, report)
        if second_look is not None:
            # what the output still says beside its glyphs is read too, as text of no page
            alternates = [PageText(None, "\n".join(objects.alternates))] if objects.alternates else []
            add_second_look(report, second_look, texts + alternates)
    finally:
        doc.close()
    return report


OCR_MIN_LEN = 4


def add_second_look(report: VerifyReport, look: SecondLook, after: list[PageText]) -> None:
    """The detector's reading of what the output still holds (``SecondLook``)."""
    report.add("second_look", look.problems(after), "no undecided personal data in the changed lines",
               blocking=look.blocking)


def _squeeze(text: str) -> str:
    """Letters and digits only, case-folded."""
    return "".join(c for c in normalise(text) if c.isalnum())


def pattern_for(exp: Expectation) -> re.Pattern[str]:
    """What must not be found in the page text for ``exp``: a phone number by its digits."""
    return _pattern(exp.type, exp.text)


@functools.lru_cache(maxsize=4096)
def _pattern(etype: str, text: str) -> re.Pattern[str]:
    if etype == "PHONE":
        digits = re.sub(r"\D", "", text)
        if len(digits) >= 6:
            return re.compile(r"(?<!\d)" + r"\D{0,3}".join(digits) + r"(?!\d)")
    return needle_pattern(text)


@functools.lru_cache(maxsize=4096)
def _spaced_pattern(text: str) -> re.Pattern[str] | None:
    """The string with any whitespace between any two of its characters
    ('o r l a p e n h a l l o w'), bounded by non-word characters so a
    name is not found across the words of another ('brian kent' is not
    'ian kent')."""
    squeezed = normalise(text).replace(" ", "")
    if len(squeezed) < OCR_MIN_LEN:
        return None
    return re.compile(r"(?<!\w)" + r"\s*".join(re.escape(c) for c in squeezed) + r"(?!\w)")


def _absent(exp: Expectation, text: str, digits: str) -> bool:
    """A quick test that ``pattern_for(exp)`` cannot match ``text``: a word
    of the string is not in it at all, or (a phone number, whose digits may
    be split by up to three other characters) its digits are not a run of
    ``digits``, the text's digits in order."""
    if exp.type == "PHONE":
        wanted = re.sub(r"\D", "", exp.text)
        return len(wanted) >= 6 and wanted not in digits
    return any(word not in text for word in _words(exp.text))


_NOT_DIGIT = re.compile(r"\D")


@functools.lru_cache(maxsize=4096)
def _words(text: str) -> tuple[str, ...]:
    return tuple(w for w in normalise(text).split(" ") if w)


def _check_text(texts: list[PageText], expectations: list[Expectation], report: VerifyReport, ocr: bool) -> None:
    """Extracted text, and text read again by OCR from the images."""
    problems = []
    compiled = [(e, pattern_for(e)) for e in expectations if normalise(e.text)]
    squeezed = [(e, _squeeze(e.text)) for e in expectations if len(_squeeze(e.text)) >= OCR_MIN_LEN]
    for pt in texts:
        number = pt.page or 0
        if pt.ocr_from is not None:
            # OCR spaces words differently from one reading to the next: compare without spaces
            seen = _squeeze(pt.text[pt.ocr_from:])
            problems += [f"page {number}: {e.type} {e.text!r} still readable by OCR" for e, s in squeezed
                         if (e.pages is None or number in e.pages) and s in seen]
            text = normalise(pt.text[: pt.ocr_from])
        else:
            text = normalise(pt.text)
        spaced_page = SPACED_RUN.search(text) is not None  # one-letter tokens: a name may be spaced out
        digits = _NOT_DIGIT.sub("", text)
        for exp, pattern in compiled:
            if exp.pages is not None and number not in exp.pages:
                continue
            if _absent(exp, text, digits) and not spaced_page:
                continue
            if pattern.search(text):
                problems.append(f"page {number}: {exp.type} {exp.text!r} still in the text")
            elif spaced_page and (spaced := _spaced_pattern(exp.text)) is not None and spaced.search(text):
                problems.append(f"page {number}: {exp.type} {exp.text!r} still in the text, spaced out")
    report.add("text", problems, f"{len(compiled)} string(s) absent from extracted text"
               + (" and OCR of images" if ocr else ""))


def _encodings(text: str) -> list[bytes]:
    low = normalise(text)
    out = [low.encode("utf-8"), low.encode("utf-16-be"), low.encode("utf-16-le")]
    with contextlib.suppress(UnicodeEncodeError):
        out.append(low.encode("latin-1"))
    return list(dict.fromkeys(out))


@dataclass
class _Objects:
    """Every object of the output, read once: the string values, the stream
    contents (lower case; font programs left out) and the alternate texts
    (``/ActualText``, ``/Alt``, ``/E``) in objects and content streams."""

    strings: list[bytes] = field(default_factory=list)
    streams: dict[int, bytes] = field(default_factory=dict)
    alternates: list[str] = field(default_factory=list)


def _read_objects(doc: pymupdf.Document) -> _Objects:
    """One pass over the file's objects for the byte check and the second look."""
    out = _Objects()
    programs: set[int] = set()  # embedded font programs: font and glyph names, never page text
    contents = {xref for page in doc for xref in page.get_contents()}
    for xref in range(1, doc.xref_length()):
        try:
            source = doc.xref_object(xref, compressed=False)
            out.strings.extend(s.lower() for s in _pdf_strings(source))
            if "/FontFile" in source:
                programs.update(int(m) for m in re.findall(r"/FontFile[23]?\s+(\d+)\s+0\s+R", source))
            for key in ALTERNATE_KEYS:
                if f"/{key}" in source and (value := doc.xref_get_key(xref, key))[0] == "string" and value[1].strip():
                    out.alternates.append(value[1])
            if doc.xref_is_stream(xref):
                stream = doc.xref_stream(xref)
                if not stream:
                    continue
                out.streams[xref] = stream.lower()
                if (xref in contents or _FORM.search(source)) and (b"/ActualText" in stream or b"/Alt" in stream
                                                                    or b"/E" in stream):
                    out.alternates += [text for m in CONTENT_STRING.finditer(stream)
                                       if (text := decode_string(m.group(2))).strip()]
        except Exception:  # a damaged object: the text checks still run
            continue
    for xref in programs:
        out.streams.pop(xref, None)
    out.strings.extend(s.lower() for s in _pdf_strings(doc.pdf_trailer()))
    return out


_FORM = re.compile(r"/Subtype\s*/Form\b")


def _check_bytes(objects: _Objects, expectations: list[Expectation], report: VerifyReport) -> None:
    """Every object decompressed and searched (catches orphaned objects):
    string values, and streams, where a /Name is syntax, not text; never the
    PDF syntax itself, where words such as "Page" or "Font" are keys."""
    needles = [(e, _encodings(e.text)) for e in expectations
               if e.pages is None and len(normalise(e.text)) >= BYTE_MIN_LEN]
    if not needles:
        report.add("bytes", [], "no string long enough to scan for")
        return
    blobs, streams = objects.strings, objects.streams
    problems = []
    for exp, encoded in needles:
        found = any(_bounded_find(blob, needle) for blob in blobs for needle in encoded) or any(
            _bounded_find(stream, needle, names=True) for stream in streams.values() for needle in encoded)
        if found:
            problems.append(f"{exp.type} {exp.text!r} found in the file's bytes")
    report.add("bytes", problems, f"{len(needles)} string(s) absent from {len(blobs) + len(streams)} objects")


_HEX = re.compile(r"<([0-9A-Fa-f\s]{4,})>")
_LITERAL = re.compile(r"\((?:[^()\\]|\\.)*\)", re.S)
_ESCAPE = re.compile(r"\\([0-7]{1,3}|.)", re.S)
_SIMPLE = {"n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f"}


def _pdf_strings(source: str) -> list[bytes]:
    """Decode the hex and escaped literal strings of an object's source, so
    a name stored as <FEFF004A...> or with octal escapes is still found."""
    out = []
    for m in _HEX.finditer(source):
        hexdigits = re.sub(r"\s", "", m.group(1))
        if len(hexdigits) % 2:
            hexdigits += "0"
        try:
            out.append(bytes.fromhex(hexdigits))
        except ValueError:
            continue
    for m in _LITERAL.finditer(source):
        body = m.group(0)[1:-1]

        def unescape(e: re.Match[str]) -> str:
            g = e.group(1)
            if g[0] in "01234567":
                return chr(int(g, 8))
            return _SIMPLE.get(g, g)

        out.append(_ESCAPE.sub(unescape, body).encode("latin-1", "replace"))
    return out


_DELIMITERS = b" \t\r\n\f\x00()<>[]{}%"


def _bounded_find(blob: bytes, needle: bytes, names: bool = False) -> bool:
    """``needle`` in ``blob`` as a whole word; with ``names`` (a stream), not
    inside a /Name ('/Sage-Italic 12 Tf' names a font, it says no text: the
    text a page shows is checked by extraction)."""
    start = blob.find(needle)
    while start >= 0:
        before = blob[start - 1 : start]
        after = blob[start + len(needle) : start + len(needle) + 1]
        if not (before.isalnum() and needle[:1].isalnum()) and not (after.isalnum() and needle[-1:].isalnum()) \
                and not (names and _in_name(blob, start)):
            return True
        start = blob.find(needle, start + 1)
    return False


def _in_name(blob: bytes, at: int) -> bool:
    """The byte at ``at`` is part of a /Name token."""
    k = at
    while k > 0 and blob[k - 1] not in _DELIMITERS and blob[k - 1] != 0x2F:  # '/'
        k -= 1
    return k > 0 and blob[k - 1] == 0x2F


def _check_under_boxes(texts: list[PageText], under: dict[int, list[set[tuple[str, float, float]]]],
                       report: VerifyReport) -> None:
    """No box still has the characters it covered where they were.

    A box fails when two of its covered glyphs remain at their exact original
    positions (or its only glyph does); one glyph that MuPDF's text shift
    happened to move onto the spot of an identical removed glyph is not text.
    """
    problems = []
    for number, per_box in under.items():
        if number > len(texts):
            problems.append(f"page {number} missing from output")
            continue
        if not any(per_box):
            continue
        present = _fingerprints_near(texts[number - 1], per_box)
        for keys in per_box:
            left = sorted(k[0] for k in keys & present)
            if keys and len(left) >= min(2, len(keys)):
                problems.append(f"page {number}: {len(left)} character(s) still under a box ({''.join(left)[:20]!r})")
    total = sum(len(k) for boxes in under.values() for k in boxes)
    report.add("under_boxes", problems, f"{total} covered character(s) gone")


def _fingerprints_near(pt: PageText, per_box: list[set[tuple[str, float, float]]]) -> set[tuple[str, float, float]]:
    """Fingerprints of the page's characters that start near where a covered
    one did (only those can match, so the rest of the page is not rounded)."""
    starts = np.array([(x, y) for keys in per_box for _, x, y in keys], dtype=float)
    placed = pt.placed()
    if not len(starts) or not len(placed.index):
        return set()
    xy = placed.xy
    near = np.zeros(len(xy), dtype=bool)
    for x0, y0, x1, y1 in _clusters(starts):
        near |= (xy[:, 0] >= x0) & (xy[:, 0] <= x1) & (xy[:, 1] >= y0) & (xy[:, 1] <= y1)
    found = (int(placed.index[k]) for k in np.flatnonzero(near))
    return {fingerprint(pt.text[i], box) for i in found if (box := pt.boxes[i]) is not None}


def _clusters(starts: np.ndarray) -> list[tuple[float, float, float, float]]:
    """Bounding boxes (grown by 1 pt) of the covered characters' starts, one per line."""
    out = []
    for y in np.unique(starts[:, 1]):
        xs = starts[starts[:, 1] == y][:, 0]
        out.append((float(xs.min()) - 1, float(y) - 1, float(xs.max()) + 1, float(y) + 1))
    return out


THIN_BOX_PX = 4  # a box this thin at 72 dpi is looked at again closer up
CLOSE_ZOOM = 8


def _check_boxes_filled(doc: pymupdf.Document, boxes: dict[int, list[tuple[Box, str]]],
                        report: VerifyReport) -> None:
    """Render every page with boxes once: at least half of each box must be the
    black fill (the rest is the white exemption label and its anti-aliasing)."""
    problems = []
    zoom = 1.0
    for number, page_boxes in boxes.items():
        page = doc[number - 1]
        pix = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), colorspace=pymupdf.csGRAY, annots=False)
        image = np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.stride)[:, : pix.width]
        for box, _code in page_boxes:
            rect = (pymupdf.Rect(box) & page.rect) * page.rotation_matrix * zoom
            x0, y0 = max(0, int(rect.x0)), max(0, int(rect.y0))
            x1, y1 = min(pix.width, int(round(rect.x1))), min(pix.height, int(round(rect.y1)))
            region = image[y0:y1, x0:x1]
            dark = float((region < 64).mean()) if region.size else 0.0
            if dark < 0.5 or min(rect.width, rect.height) < THIN_BOX_PX:
                # a small or thin box at 72 dpi is mostly grey edges and label: look again close up
                clip = (pymupdf.Rect(box) * page.rotation_matrix) & page.rect  # clip is in the page as shown
                if clip.is_empty:
                    continue
                close = page.get_pixmap(matrix=pymupdf.Matrix(CLOSE_ZOOM, CLOSE_ZOOM), clip=clip,
                                        colorspace=pymupdf.csGRAY, annots=False)
                inner = np.frombuffer(close.samples, dtype=np.uint8).reshape(close.height, close.stride)
                region = inner[1:-1, 1: close.width - 1]  # the anti-aliased rim left out
                if region.size == 0:
                    continue
                dark = float((region < 64).mean())
            if dark < 0.5:
                problems.append(f"page {number}: box at {tuple(round(v) for v in box)} is only {dark:.0%} filled")
    report.add("boxes_filled", problems, f"{sum(len(b) for b in boxes.values())} box(es) render filled")


INK = 128  # a grey level darker than this is ink
INK_LEFT = 0.01  # more than this share of ink pixels under a box: the image still shows something there


def _check_images_blanked(doc: pymupdf.Document, boxes: dict[int, list[tuple[Box, str]]],
                          report: VerifyReport) -> None:
    """The image data under each box is gone: decode every image a box
    covers and look at its own pixels under the box (not the page as drawn,
    where the black box hides them); ink left there means an OCR word box
    the redaction did not blank."""
    problems = []
    checked = 0
    for number, page_boxes in boxes.items():
        page = doc[number - 1]
        infos = [i for i in page.get_image_info(xrefs=True) if i.get("xref", 0) > 0] if page.get_images() else []
        for info in infos:
            placed = pymupdf.Rect(info["bbox"])
            covering = [box for box, _ in page_boxes if not (pymupdf.Rect(box) & placed).is_empty]
            if not covering:
                continue
            try:
                pix = pymupdf.Pixmap(doc, info["xref"])
                if pix.n - pix.alpha != 1:
                    pix = pymupdf.Pixmap(pymupdf.csGRAY, pix)
            except Exception as exc:  # not looked at is not blank: another viewer may decode it
                problems.append(f"page {number}: the image under a box cannot be decoded to check it "
                                f"({str(exc).strip()[:80]})")
                continue
            gray = np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.stride)[:, : pix.width: pix.n]
            to_image = ~pymupdf.Matrix(info["transform"])
            for box in covering:
                unit = (pymupdf.Rect(box) & placed) * to_image
                unit.normalize()
                x0, x1 = int(unit.x0 * pix.width) + 1, int(unit.x1 * pix.width) - 1
                y0, y1 = int(unit.y0 * pix.height) + 1, int(unit.y1 * pix.height) - 1
                region = gray[max(0, y0):max(0, y1), max(0, x0):max(0, x1)]
                if region.size == 0:
                    continue
                checked += 1
                ink = float((region < INK).mean())
                if ink > INK_LEFT:
                    problems.append(f"page {number}: the image under the box at {tuple(round(v) for v in box)} "
                                    f"still has {ink:.0%} ink")
    if checked or problems:
        report.add("images_blanked", problems, f"image data under {checked} box(es) blanked")


def _check_structure(doc: pymupdf.Document, data: bytes, expectations: list[Expectation],
                     report: VerifyReport) -> None:
    meta = {k: v for k, v in (doc.metadata or {}).items() if v and k not in ("format", "encryption")}
    report.add("metadata", [f"{k}={v!r}" for k, v in meta.items()], "document information empty")
    report.add("xmp", ["XMP metadata present"] if doc.get_xml_metadata().strip() else [], "no XMP")
    report.add("outline", ["bookmarks present"] if doc.get_toc() else [], "no bookmarks")
    annots, widgets, links = [], [], []
    needles = [normalise(e.text).replace(" ", "") for e in expectations if len(normalise(e.text)) >= 3]
    for page in doc:
        annots += [f"page {page.number + 1}: {a.type[1]}" for a in page.annots() or []]
        widgets += [f"page {page.number + 1}: field {w.field_name!r}" for w in page.widgets() or []]
        for link in page.get_links():
            uri = normalise(str(link.get("uri") or "")).replace(" ", "")
            if any(n and n in uri for n in needles):
                links.append(f"page {page.number + 1}: link to {link.get('uri')!r}")
    report.add("annotations", annots, "none")
    report.add("form_fields", widgets, "none")
    report.add("links", links, "no link names a removed string")
    report.add("attachments", [f"{doc.embfile_count()} embedded file(s)"] if doc.embfile_count() else [], "none")
    catalog = doc.pdf_catalog()
    active = [key for key in ("OpenAction", "AA", "AcroForm", "Names/JavaScript", "Names/EmbeddedFiles",
                              "PageLabels", "StructTreeRoot")
              if doc.xref_get_key(catalog, key)[0] != "null"]
    active += [f"page {p.number + 1} /AA" for p in doc if doc.xref_get_key(p.xref, "AA")[0] != "null"]
    report.add("active_content", active, "no JavaScript, actions, labels or structure tree")
    hidden = [info.get("name", str(x)) for x, info in doc.get_ocgs().items() if not info.get("on", True)]
    report.add("hidden_layers", [f"layer {h!r} is off" for h in hidden], "no layer switched off")
    eofs = data.count(b"%%EOF")
    report.add("revisions", [f"{eofs} %%EOF markers: an earlier revision survives"] if eofs != 1 else [],
               "one revision")
