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

    def add(self, name: str, problems: list[str], passed_detail: str = "") -> None:
        """Record a check from its list of problems (empty = passed)."""
        if problems:
            shown = "; ".join(problems[:5]) + (f" (+{len(problems) - 5} more)" if len(problems) > 5 else "")
            self.checks.append(Check(name, False, shown))
        else:
            self.checks.append(Check(name, True, passed_detail))

    def failures(self) -> list[Check]:
        """The checks that failed."""
        return [c for c in self.checks if not c.ok]

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready report."""
        return {"file": self.file, "ok": self.ok, "checks": [asdict(c) for c in self.checks]}
