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
from redact.config import Settings
from redact.ingest import sha256_file
from redact.pipeline import Document
from redact.pipeline.formats import format_of
from redact.verify import Expectation, VerifyReport

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
    work_dir.mkdir(parents=True, exist_ok=True)
    tmp = work_dir / f"{uuid.uuid4().hex}{document.path.suffix.lower()}"
    try:
        applied, report = document.format.redact(document, plan, tmp, second_look)
        digest = sha256_file(tmp)
        if not report.ok:
            return Outcome(output=None, sha256=digest, report=report, applied=applied)
        destination.parent.mkdir(parents=True, exist_ok=True)
        tmp.replace(destination)
        return Outcome(output=destination, sha256=digest, report=report, applied=applied)
    finally:
        if tmp.exists():
            tmp.unlink()


def verify_output(path: Path, expectations: list[Expectation]) -> VerifyReport:
    """Verify a finished output file of any format against ``expectations``."""
    return format_of(path).verify(path, expectations)


def write_json(path: Path, data: Any) -> None:
    """Write JSON through a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(json.dumps(data, indent=2, default=str) + "\n", encoding="utf-8")
    tmp.replace(path)
