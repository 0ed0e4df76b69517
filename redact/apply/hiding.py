"""Clean the places a PDF hides text in, instead of refusing the file.

Verification reads every byte, so a name left where no reader looks (drawn
outside the crop box, in a marked-content ``/ActualText``, in a figure's
``/Alt`` or an abbreviation's ``/E``) withholds the whole file and leaves the
officer nothing to release. These places are cleaned before the file is
saved:

* everything drawn outside a page's crop box is removed (text, pixels and
  line art), as if the margins were one redaction;
* an ``/ActualText``, ``/Alt`` or ``/E`` string that holds an approved
  string is emptied, in content streams (marked-content property lists) and
  in objects (structure elements, named property lists).
"""

from __future__ import annotations

import re

import pymupdf

from redact.ingest.alternates import ALTERNATE_KEYS, CONTENT_STRING, content_stream, decode_string, has_alternates
from redact.normalise import needle_pattern, normalise


def clear_outside_crop(page: pymupdf.Page) -> bool:
    """Remove what is drawn outside the page's crop box; True if there was room."""
    if page.rotation:
        return False  # left to verification
    media, crop = page.mediabox, page.cropbox
    if abs(media.x0 - crop.x0) < 0.5 and abs(media.y0 - crop.y0) < 0.5 and abs(media.x1 - crop.x1) < 0.5 \
            and abs(media.y1 - crop.y1) < 0.5:
        return False
    page.set_cropbox(media)
    # the old crop box in the (now whole) page's top-down coordinates
    inner = pymupdf.Rect(crop.x0 - media.x0, crop.y0 - media.y0, crop.x1 - media.x0, crop.y1 - media.y0)
    outer = page.rect
    for strip in (pymupdf.Rect(outer.x0, outer.y0, outer.x1, inner.y0),
                  pymupdf.Rect(outer.x0, inner.y1, outer.x1, outer.y1),
                  pymupdf.Rect(outer.x0, inner.y0, inner.x0, inner.y1),
                  pymupdf.Rect(inner.x1, inner.y0, outer.x1, inner.y1)):
        if strip.width > 0.1 and strip.height > 0.1:
            page.add_redact_annot(strip, fill=False, cross_out=False)
    page.apply_redactions(images=pymupdf.PDF_REDACT_IMAGE_PIXELS,
                          graphics=pymupdf.PDF_REDACT_LINE_ART_REMOVE_IF_COVERED,
                          text=pymupdf.PDF_REDACT_TEXT_REMOVE)
    page.set_cropbox(crop)
    return True


def clear_alternate_texts(doc: pymupdf.Document, approved: list[str]) -> int:
    """Empty every /ActualText, /Alt and /E string that holds an approved
    string; return how many were emptied."""
    patterns = [needle_pattern(t) for t in approved if len(normalise(t)) >= 2]
    if not patterns or not has_alternates(doc):
        return 0

    def holds(value: str) -> bool:
        text = normalise(value)
        return any(p.search(text) for p in patterns)

    cleared = 0
    contents = {xref for page in doc for xref in page.get_contents()}
    for xref in range(1, doc.xref_length()):
        try:
            source = doc.xref_object(xref, compressed=True)
        except RuntimeError:
            continue
        for key in ALTERNATE_KEYS:
            if f"/{key}" not in source:
                continue
            kind, value = doc.xref_get_key(xref, key)
            if kind == "string" and holds(value):
                doc.xref_set_key(xref, key, "()")
                cleared += 1
        # content streams only: pages' and form XObjects' (not images)
        if xref in contents or re.search(r"/Subtype\s*/Form\b", source):
            new, count = _clear_in_content(content_stream(doc, xref), holds)
            if count:
                doc.update_stream(xref, new)
                cleared += count
    return cleared


def _clear_in_content(stream: bytes, holds: object) -> tuple[bytes, int]:
    """A content stream with the alternate texts that hold a name emptied."""
    count = 0

    def replace(m: re.Match[bytes]) -> bytes:
        nonlocal count
        if holds(decode_string(m.group(2))):  # type: ignore[operator]
            count += 1
            return b"/" + m.group(1) + b" ()"
        return m.group(0)

    if not any(f"/{k}".encode() in stream for k in ALTERNATE_KEYS):
        return stream, 0
    return CONTENT_STRING.sub(replace, stream), count
