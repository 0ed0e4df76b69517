"""Verify a redacted text file: no approved string left, normalised."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from redact.models import PageText
from redact.normalise import normalise
from redact.verify import Expectation, VerifyReport
from redact.verify.pdf import add_second_look, pattern_for

if TYPE_CHECKING:
    from redact.verify.second_look import SecondLook


def verify_text(path: Path, expectations: list[Expectation], second_look: SecondLook | None = None) -> VerifyReport:
    """Check the output text for every expected-gone string."""
    report = VerifyReport(file=str(path))
    raw = path.read_text(encoding="utf-8")
    text = normalise(raw)
    problems = [
        f"{e.type} {e.text!r} still in the text"
        for e in expectations
        if e.pages is None and normalise(e.text) and pattern_for(e).search(text)
    ]
    report.add("text", problems, f"{len(expectations)} string(s) absent")
    if second_look is not None:
        add_second_look(report, second_look, [PageText(None, raw)])
    return report
