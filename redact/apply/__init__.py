"""Apply approved redactions: PDFs (boxes burned in, file sanitised) and text."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from redact.geometry import Box


@dataclass
class StringTarget:
    """An approved string: every occurrence is covered, except the exact spans
    a reviewer rejected (``keep`` maps page to (start, end) spans)."""

    text: str
    type: str
    exemption: str
    keep: dict[int | None, list[tuple[int, int]]] = field(default_factory=dict)


@dataclass
class Plan:
    """Everything to remove from one document."""

    strings: list[StringTarget] = field(default_factory=list)
    spans: dict[int | None, list[tuple[int, int, str]]] = field(default_factory=dict)
    regexes: list[tuple[str, str, int | None]] = field(default_factory=list)
    areas: list[tuple[int, Box, str]] = field(default_factory=list)
    whole_pages: dict[int, str] = field(default_factory=dict)

    def is_empty(self) -> bool:
        """True when nothing is to be removed."""
        return not (self.strings or self.spans or self.regexes or self.areas or self.whole_pages)

    def digest(self) -> str:
        """A fingerprint of everything the plan removes and keeps: an output
        made from a plan with another digest predates a decision."""
        data = json.dumps(_string_keys(dataclasses.asdict(self)), sort_keys=True, default=str)
        return hashlib.sha256(data.encode("utf-8")).hexdigest()


def _string_keys(value: Any) -> Any:
    """JSON-ready: dict keys as strings (pages are ints or None)."""
    if isinstance(value, dict):
        return {str(k): _string_keys(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_string_keys(v) for v in value]
    return value


@dataclass
class Applied:
    """What was removed: boxes per page with their exemption codes."""

    boxes: dict[int, list[tuple[Box, str]]] = field(default_factory=dict)
    under: dict[int, list[set[tuple[str, float, float]]]] = field(default_factory=dict)
    whole_pages: dict[int, str] = field(default_factory=dict)
    exact_widths: int = 0  # boxes left at their own width: no room on the page for a wider one
    notes: list[str] = field(default_factory=list)
    strings_gone: list[tuple[str, str, list[int] | None]] = field(default_factory=list)

    def count_by_page(self) -> dict[int, dict[str, int]]:
        """Number of boxes per page and exemption code (the schedule's source)."""
        out: dict[int, dict[str, int]] = {}
        for page, boxes in self.boxes.items():
            for _, code in boxes:
                out.setdefault(page, {})
                out[page][code] = out[page].get(code, 0) + 1
        return out

    def count_by_exemption(self) -> dict[str, int]:
        """Number of boxes per exemption code."""
        counts: dict[str, int] = {}
        for boxes in self.boxes.values():
            for _, code in boxes:
                counts[code] = counts.get(code, 0) + 1
        return counts
