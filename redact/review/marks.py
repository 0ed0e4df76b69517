"""Manual redactions: what a reviewer adds by hand, from the command line
(`redact mark`) or the review desk, checked the same way for both: an
unknown exemption code, a page the document does not have or an area off
the page would otherwise be ignored silently at apply."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

import regex

from redact.case import Case
from redact.detect.rules import RuleSet
from redact.exceptions import RequestError
from redact.ingest.pdf import open_pdf

KINDS = ("text", "regex", "area", "page")


@dataclass(frozen=True)
class MarkRequest:
    """One manual redaction to add. ``document_id`` None: every document of
    the case (text and regex only)."""

    kind: str
    exemption: str
    reviewer: str
    reason: str = ""
    document_id: int | None = None
    pattern: str | None = None
    page: int | None = None
    rect: tuple[float, float, float, float] | None = None


def add_mark(case: Case, rules: RuleSet, request: MarkRequest) -> int:
    """Check ``request`` and record it; return the new mark's id."""
    check_exemption(rules, request.exemption)
    if request.kind not in KINDS:
        raise RequestError(f"a manual redaction is one of {', '.join(KINDS)}, not {request.kind!r}")
    if request.kind in ("text", "regex") and not (request.pattern or "").strip():
        raise RequestError(f"a {request.kind} redaction needs the text to redact")
    if request.kind == "regex":
        try:
            regex.compile(request.pattern or "")
        except regex.error as exc:
            raise RequestError(f"--regex is not a valid regular expression: {exc}") from exc
    if request.kind in ("area", "page"):
        if request.document_id is None or request.page is None:
            raise RequestError("an area or whole-page redaction needs a document and a page")
        rect = request.rect
        if request.kind == "area" and (rect is None or rect[2] <= rect[0] or rect[3] <= rect[1]):
            raise RequestError("an area needs X1 > X0 and Y1 > Y0")
        problem = page_mark_problem(case, case.store.document(request.document_id), request.page, request.rect)
        if problem:
            raise RequestError(problem)
    return case.store.add_manual(
        request.kind, request.exemption, request.reviewer, document_id=request.document_id,
        pattern=request.pattern, page=request.page, rect=list(request.rect) if request.rect else None,
        reason=request.reason)


def check_exemption(rules: RuleSet, code: str) -> None:
    """An exemption code must be one of the register's (rules/exemptions.yaml):
    the schedule and the letter cite it."""
    if rules.exemption(code) is None:
        known = ", ".join(e.code for e in rules.exemptions)
        raise RequestError(f"exemption {code!r} is not in the register (rules/exemptions.yaml): {known}")


def page_mark_problem(case: Case, doc: sqlite3.Row, page: int,
                      area: tuple[float, float, float, float] | None = None) -> str | None:
    """Why a page or area mark cannot apply to ``doc`` (None if it can): it
    must fall on a page of a PDF that exists, an area must meet the page."""
    if doc["kind"] != "pdf":
        return f"--page and --area apply to PDFs; {doc['name']} is {doc['kind']}: use --text"
    pdf = open_pdf(case.original_path(doc["path"]))
    try:
        if not 1 <= page <= pdf.page_count:
            return f"{doc['name']} has {pdf.page_count} page(s); there is no page {page}"
        if area is not None:
            rect = pdf[page - 1].rect
            if area[2] <= rect.x0 or area[0] >= rect.x1 or area[3] <= rect.y0 or area[1] >= rect.y1:
                return (f"--area {list(area)} lies outside page {page} of {doc['name']} "
                        f"(0 0 {rect.width:.0f} {rect.height:.0f})")
    finally:
        pdf.close()
    return None
