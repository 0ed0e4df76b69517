"""Alternate texts a PDF carries beside what it draws: ``/ActualText``,
``/Alt`` and ``/E`` strings, in content streams (marked-content property
lists) and in objects (structure elements, named property lists). A reader
such as a screen reader or a copy-paste reads them instead of the glyphs,
so redaction cleans them (``redact.apply.hiding``) and verification's
second look reads what is left (``redact.verify.pdf``)."""

from __future__ import annotations

import re

import pymupdf

ALTERNATE_KEYS = ("ActualText", "Alt", "E")
# a key and its string value in a content stream: (literal, one level of nesting) or <hex>
CONTENT_STRING = re.compile(
    rb"/(ActualText|Alt|E)\s*(\((?:\\.|[^\\()]|\((?:\\.|[^\\()])*\))*\)|<[0-9A-Fa-f\s]*>)")


def has_alternates(doc: pymupdf.Document) -> bool:
    """Any alternate text in the file at all (most files have none): its
    structure tree, or a marked-content property in a page's content."""
    if doc.xref_get_key(doc.pdf_catalog(), "StructTreeRoot")[0] != "null":
        return True
    for page in doc:
        if any(f"/{k}".encode() in content_stream(doc, x) for x in page.get_contents() for k in ALTERNATE_KEYS):
            return True
        if doc.xref_get_key(page.xref, "Resources/Properties")[0] != "null":
            return True
    return bool(form_xrefs(doc))  # a form XObject may carry its own marked content


def form_xrefs(doc: pymupdf.Document) -> list[int]:
    """The form XObjects the pages use."""
    return sorted({x[0] for page in doc for x in page.get_xobjects()})


def content_stream(doc: pymupdf.Document, xref: int) -> bytes:
    try:
        return doc.xref_stream(xref) or b""
    except RuntimeError:
        return b""


def decode_string(token: bytes) -> str:
    """A PDF string token as text (literal or hex; UTF-16 with a BOM, else PDFDocEncoding)."""
    if token.startswith(b"<"):
        raw = bytes.fromhex(re.sub(rb"\s", b"", token[1:-1]).decode("ascii") or "")
    else:
        body = token[1:-1]
        raw = re.sub(rb"\\([nrtbf()\\]|[0-7]{1,3})", _unescape, body)
    if raw.startswith(b"\xfe\xff"):
        return raw[2:].decode("utf-16-be", "replace")
    return raw.decode("latin-1")


def _unescape(m: re.Match[bytes]) -> bytes:
    code = m.group(1)
    simple = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f", b"(": b"(", b")": b")",
              b"\\": b"\\"}
    if code in simple:
        return simple[code]
    return bytes([int(code, 8) & 0xFF])
