"""Verify a redacted text file: no approved string left, normalised."""

from __future__ import annotations

from pathlib import Path

from redact.normalise import normalise
from redact.verify import Expectation, VerifyReport
from redact.verify.pdf import pattern_for


def verify_text(path: Path, expectations: list[Expectation]) -> VerifyReport:
    """Check the output text for every expected-gone string."""
    report = VerifyReport(file=str(path))
    text = normalise(path.read_text(encoding="utf-8"))
    problems = [
        f"{e.type} {e.text!r} still in the text"
        for e in expectations
        if e.pages is None and normalise(e.text) and pattern_for(e).search(text)
    ]
    report.add("text", problems, f"{len(expectations)} string(s) absent")
    return report
