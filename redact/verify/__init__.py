"""Verification: re-open every output and prove nothing approved survives."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Check:
    """One named check and what it found."""

    name: str
    ok: bool
    detail: str = ""
    review: list[str] = field(default_factory=list)  # listed for a reviewer, not failing


@dataclass
class Expectation:
    """A string that must be gone; ``pages`` limits where (None = everywhere)."""

    text: str
    type: str = "PERSON"
    pages: list[int] | None = None


@dataclass
class VerifyReport:
    """The checks run on one output file."""

    file: str
    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True only when every check passed."""
        return all(c.ok for c in self.checks)

    def add(self, name: str, problems: list[str], passed_detail: str = "", *, blocking: bool = True) -> None:
        """Record a check from its list of problems (empty = passed); with
        ``blocking`` False the problems are listed for a reviewer and the
        check passes."""
        if problems:
            shown = "; ".join(problems[:5]) + (f" (+{len(problems) - 5} more)" if len(problems) > 5 else "")
            if blocking:
                self.checks.append(Check(name, False, shown))
            else:
                self.checks.append(Check(name, True, f"for review: {shown}", review=list(problems)))
        else:
            self.checks.append(Check(name, True, passed_detail))

    def for_review(self) -> list[str]:
        """What passing checks listed for a reviewer."""
        return [item for c in self.checks for item in c.review]

    def failures(self) -> list[Check]:
        """The checks that failed."""
        return [c for c in self.checks if not c.ok]

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready report."""
        return {"file": self.file, "ok": self.ok, "checks": [asdict(c) for c in self.checks]}
