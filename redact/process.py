"""Redact and verify one document into a release folder, all or nothing.

The output is written to a scratch file beside the release folder, verified
there, and only then renamed into place; a file that fails verification is
deleted and never reaches the release folder.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from redact.apply import Applied, Plan
from redact.apply.docx import redact_docx
from redact.apply.pdf import redact_pdf
from redact.apply.plan import expectations
from redact.apply.text import redact_text
from redact.config import Settings
from redact.exceptions import BadInputError
from redact.ingest import kind_of, sha256_file
from redact.ingest.docx import read_docx_texts
from redact.ingest.ocr import engine_for
from redact.ingest.pdf import REPAIRED, was_repaired
from redact.ingest.text import read_text_file
from redact.models import PageText
from redact.pipeline import Document
from redact.verify import Expectation, VerifyReport
from redact.verify.docx import verify_docx
from redact.verify.pdf import add_second_look, verify_pdf
from redact.verify.text import verify_text

if TYPE_CHECKING:
    from redact.verify.second_look import SecondLook


@dataclass
class Outcome:
    """The result for one document."""

    output: Path | None
    sha256: str
    report: VerifyReport
    applied: Applied
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Verified and released."""
        return self.output is not None and self.report.ok

    def summary(self) -> dict[str, Any]:
        """A JSON-ready summary."""
        return {
            "output": str(self.output) if self.output else None,
            "sha256": self.sha256,
            "verified": self.report.ok,
            "boxes": sum(len(b) for b in self.applied.boxes.values()),
            "boxes_by_exemption": self.applied.count_by_exemption(),
            "boxes_by_page": self.applied.count_by_page(),
            "whole_pages": self.applied.whole_pages,
            "notes": self.notes + self.applied.notes,
            "verification": self.report.to_json(),
        }


def redact_and_verify(source: Path, plan: Plan, destination: Path, work_dir: Path, settings: Settings, *,
                      password: str | None = None, second_look: SecondLook | None = None) -> Outcome:
    """Open ``source`` and ``release`` it; what opening changed (hidden
    layers switched on, annotations drawn in) joins the output's notes."""
    with Document.open(source, settings, password) as document:
        outcome = release(document, plan, destination, work_dir, second_look=second_look)
    outcome.applied.notes.extend(document.notes)
    return outcome


def release(document: Document, plan: Plan, destination: Path, work_dir: Path, *,
            second_look: SecondLook | None = None) -> Outcome:
    """Apply ``plan`` to an open document into a scratch file, verify it
    (with ``second_look``, the detector reads the output again), and move it
    to ``destination`` only if clean."""
    settings = document.settings
    work_dir.mkdir(parents=True, exist_ok=True)
    tmp = work_dir / f"{uuid.uuid4().hex}{document.path.suffix.lower()}"
    try:
        if document.pdf is not None:
            applied, report = _pdf(document, plan, tmp, second_look)
        elif document.kind == "docx":
            source = document.path
            applied = redact_docx(source, plan, tmp, settings.max_file_mb, settings.max_inflated_mb)
            report = verify_docx(tmp, expectations(applied))
            if second_look is not None:
                before = dict(read_docx_texts(source, settings.max_file_mb, settings.max_inflated_mb))
                after = read_docx_texts(tmp, settings.max_file_mb, settings.max_inflated_mb)
                look = second_look.reading(lambda part: PageText(part, before.get(after[(part or 1) - 1][0], "")))
                add_second_look(report, look, [PageText(i, text) for i, (_, text) in enumerate(after, start=1)])
        else:
            text = read_text_file(document.path, settings.max_file_mb).text
            out_text, applied = redact_text(text, plan)
            tmp.write_text(out_text, encoding="utf-8")
            text_look = second_look.reading(lambda _: PageText(None, text)) if second_look is not None else None
            report = verify_text(tmp, expectations(applied), text_look)
        digest = sha256_file(tmp)
        if not report.ok:
            return Outcome(output=None, sha256=digest, report=report, applied=applied)
        destination.parent.mkdir(parents=True, exist_ok=True)
        tmp.replace(destination)
        return Outcome(output=destination, sha256=digest, report=report, applied=applied)
    finally:
        if tmp.exists():
            tmp.unlink()


def _pdf(document: Document, plan: Plan, tmp: Path, second_look: SecondLook | None) -> tuple[Applied, VerifyReport]:
    """Redact an open PDF into ``tmp`` and verify it."""
    pdf, cache, settings = document.pdf, document.cache, document.settings
    assert pdf is not None  # release() sends only PDFs here
    if was_repaired(pdf) and not settings.accept_repaired:
        raise BadInputError(f"{document.path.name}: {REPAIRED}; after checking, apply with --accept-repaired "
                            "(setting accept_repaired)")
    look = None
    if second_look is not None:  # read before redaction changes the pages
        read = {n: cache.get(n) for n in range(1, pdf.page_count + 1)}
        look = second_look.reading(lambda page: read.get(page or 0) or PageText(page, ""))
    applied = redact_pdf(pdf, plan, tmp, label=settings.box_label, cache=cache, ocr=engine_for(settings))
    report = verify_pdf(tmp, expectations(applied), applied.under, ocr=engine_for(settings),
                        boxes=applied.boxes, second_look=look)
    return applied, report


def verify_output(path: Path, expectations: list[Expectation]) -> VerifyReport:
    """Verify a finished output file of any kind against ``expectations``."""
    kind = kind_of(path)
    if kind == "pdf":
        return verify_pdf(path, expectations)
    if kind == "docx":
        return verify_docx(path, expectations)
    return verify_text(path, expectations)


def write_json(path: Path, data: Any) -> None:
    """Write JSON through a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(json.dumps(data, indent=2, default=str) + "\n", encoding="utf-8")
    tmp.replace(path)
