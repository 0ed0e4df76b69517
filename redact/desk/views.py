"""What the desk shows, built from the case: the overview, a page with its
findings, words and marks, a Word or text document by part, the queue of
pending findings riskiest first. Plain records, rendered by the templates
and returned as JSON by ``/api/``."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

import regex

from redact.api import stale_documents
from redact.case import Case
from redact.config import Settings
from redact.exceptions import RedactError
from redact.geometry import same_line, union
from redact.models import Box, PageText
from redact.normalise import line_pattern
from redact.pack.bundle import case_deadline
from redact.store.db import FindingFilter, ManualMark, StoredFinding

ZOOMS = (1.0, 1.5, 2.0, 3.0)
DEFAULT_ZOOM = 1.5


@dataclass(frozen=True)
class FindingView:
    """A finding as the page shows it: boxes in image pixels at the page's zoom."""

    id: int
    document_id: int
    type: str
    text: str
    status: str
    public: bool
    proposed: str
    why: str
    recogniser: str
    score: float
    exemption: str
    page: int | None
    part: str
    start: int
    end: int
    boxes: list[list[float]]
    reviewer: str | None
    reason: str | None

    @classmethod
    def of(cls, f: StoredFinding, zoom: float = 1.0) -> FindingView:
        return cls(f.id, f.document_id, f.type, f.shown_text, f.status, bool(f.public), f.proposed_action,
                   f.policy_reason, f.recogniser, round(f.score, 2), f.decided_exemption or f.exemption, f.page,
                   str(f.explanation.get("part", "text" if f.page is None else f"page {f.page}")), f.start, f.end,
                   [[round(v * zoom, 1) for v in box] for box in f.boxes], f.reviewer, f.reason)

    @property
    def bounds(self) -> list[float]:
        """The union of its boxes (the element that carries its id)."""
        return list(union([(b[0], b[1], b[2], b[3]) for b in self.boxes])) if self.boxes else [0.0] * 4


@dataclass(frozen=True)
class WordView:
    """A word of the page as read for detection, placed for selection."""

    index: int
    text: str
    box: list[float]


@dataclass(frozen=True)
class MarkView:
    """A manual redaction as the page shows it (boxes where it falls on this page)."""

    id: int | None
    kind: str
    exemption: str
    pattern: str | None
    page: int | None
    scope: str
    reviewer: str
    boxes: list[list[float]] = field(default_factory=list)


@dataclass(frozen=True)
class PartView:
    """A part of a Word or text document: its text cut into plain runs and
    findings (``(text, finding or None)``)."""

    name: str
    runs: list[tuple[str, FindingView | None]]


def _placed_words(pt: PageText) -> list[tuple[str, Box]]:
    """The page's words that have boxes, each with the union of its characters'
    boxes, in text order: the indexes the page view and a selection share."""
    words = []
    for match in re.finditer(r"\S+", pt.text):
        boxes = pt.span_boxes(match.start(), match.end())
        if boxes:
            words.append((match.group(), union(boxes)))
    return words


def words_of(pt: PageText, zoom: float) -> list[WordView]:
    """Every word of a page, placed for selection at the page's zoom."""
    return [WordView(i, text, _scaled(box, zoom)) for i, (text, box) in enumerate(_placed_words(pt))]


def text_of_words(pt: PageText, indexes: list[int]) -> tuple[str, list[Box]]:
    """The text of the chosen words (joined by single spaces) and one box per
    line they lie on: what a selection on the page asks to redact."""
    chosen = sorted(set(indexes))
    words = _placed_words(pt)
    if not chosen or chosen[0] < 0 or chosen[-1] >= len(words):
        return "", []
    picked = [words[i] for i in chosen]
    lines: list[Box] = []
    for _, box in picked:
        same = next((i for i, line in enumerate(lines) if same_line(line, box)), None)
        if same is None:
            lines.append(box)
        else:
            lines[same] = union([lines[same], box])
    return " ".join(text for text, _ in picked), lines


def mark_views(marks: list[ManualMark], pt: PageText | None, page: int, zoom: float) -> list[MarkView]:
    """The marks that reach this page, with boxes where text marks fall on it."""
    views = []
    for m in marks:
        scope = "this document" if m.document_id is not None else "every document"
        boxes: list[list[float]] = []
        if m.kind == "area" and m.rect is not None:
            if m.page != page:
                continue
            boxes = [_scaled(m.rect, zoom)]
        elif m.kind == "page":
            if m.page != page:
                continue
        elif pt is not None and m.pattern:
            # found as apply finds it: a text mark as an approved string, a regex with ``regex``
            pattern = line_pattern(m.pattern) if m.kind == "text" else _regex(m.pattern)
            for hit in pattern.finditer(pt.text) if pattern else ():
                spans = pt.span_boxes(hit.start(), hit.end())
                if spans:
                    boxes.append(_scaled(union(spans), zoom))
        views.append(MarkView(m.id, m.kind, m.exemption, m.pattern, m.page, scope, m.reviewer, boxes))
    return views


def part_views(parts: list[tuple[str, str]], findings: list[StoredFinding]) -> list[PartView]:
    """Each part's text with its findings' spans (an overlapping span is listed, not highlighted twice)."""
    views = []
    shown = [FindingView.of(f) for f in findings]
    for name, text in parts:
        mine = sorted((v for v in shown if v.part == name), key=lambda f: (f.start, -f.end))
        runs: list[tuple[str, FindingView | None]] = []
        at = 0
        for f in mine:
            if f.start < at or f.end > len(text):
                continue
            runs.append((text[at:f.start], None))
            runs.append((text[f.start:f.end], f))
            at = f.end
        runs.append((text[at:], None))
        views.append(PartView(name, runs))
    return views


@dataclass(frozen=True)
class Overview:
    """The case at a glance: documents, progress, outputs and the deadline."""

    reference: str
    documents: list[dict[str, Any]]
    reviewed: int
    total: int
    pending: int
    next_pending: str | None
    deadline: dict[str, Any] | None
    days_left: int | None
    deadline_problem: str | None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Progress:
    """What every page's header shows: reviewed N of M and where the first pending finding is."""

    reference: str
    reviewed: int
    total: int
    pending: int
    next_pending: str | None


def progress(case: Case) -> Progress:
    """The case's progress from the store's counts alone (cheap enough for every page)."""
    rows = case.store.status_counts()
    total = sum(r["total"] or 0 for r in rows)
    pending = sum(r["pending"] or 0 for r in rows)
    return Progress(case.info.reference, total - pending, total, pending,
                    next_pending_url(case) if pending else None)


def overview(case: Case, settings: Settings, today: date) -> Overview:
    """Documents with pages, counts and the state of their latest output;
    progress; the statutory deadline and working days left."""
    outputs = {o["document_id"]: o for o in case.store.outputs()}
    stale = set(stale_documents(case))
    documents = []
    for row in case.store.status_counts():
        out = outputs.get(row["id"])
        state = ("not applied" if out is None else "stale (decided since)" if row["name"] in stale
                 else "verified" if out["verified"] else "FAILED verification")
        documents.append({"id": row["id"], "name": row["name"], "pages": row["pages"] or 0,
                          "pending": row["pending"] or 0, "approved": row["approved"] or 0,
                          "rejected": row["rejected"] or 0, "total": row["total"] or 0, "output": state,
                          "notes": json.loads(row["scan_notes"] or "[]")})
    total = sum(d["total"] for d in documents)
    pending = sum(d["pending"] for d in documents)
    deadline: dict[str, Any] | None = None
    days_left = problem = None
    try:
        due, calendar = case_deadline(case, settings)
        deadline, days_left = due.as_dict(), due.days_left(calendar, today)
    except RedactError as exc:
        problem = str(exc)
    return Overview(case.info.reference, documents, total - pending, total, pending,
                    next_pending_url(case), deadline, days_left, problem)


def next_pending_url(case: Case, after: tuple[int, int] | None = None) -> str | None:
    """The page view of the first page with a pending finding (after the
    given document and page, wrapping round); None when nothing is pending."""
    spots = case.store.pending_pages()
    if not spots:
        return None
    later = [s for s in spots if after is None or s > after]
    doc, page = (later or spots)[0]
    return f"/documents/{doc}/pages/{page}"


def risk(f: StoredFinding) -> tuple[int, float]:
    """Riskiest first: a personal finding the policy proposes to keep (a leak
    if wrong), then by the lowest score (the detector least sure)."""
    return (0 if f.proposed_action == "keep" and not f.public else 1 if f.proposed_action == "keep" else 2, f.score)


def risk_queue(case: Case) -> list[StoredFinding]:
    """Every pending finding of the case, riskiest first."""
    return sorted(case.store.findings(FindingFilter(status="pending")), key=risk)


def _scaled(box: Box | tuple[float, float, float, float], zoom: float) -> list[float]:
    return [round(v * zoom, 1) for v in box]


def _regex(pattern: str) -> regex.Pattern[str] | None:
    """A regex mark as apply compiles it (the ``regex`` module, multi-line)."""
    try:
        return regex.compile(pattern, regex.MULTILINE)
    except regex.error:
        return None
