"""Plain records passed between the pipeline stages."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from redact.geometry import Box

EntityType = Literal["PERSON", "EMAIL", "PHONE"]
ENTITY_TYPES: tuple[str, ...] = ("PERSON", "EMAIL", "PHONE")


@dataclass(frozen=True)
class TextSpan:
    """How a run of a page's characters is drawn: font, size, colour
    (sRGB), opacity (0-255), MuPDF's character flags (16 filled, 32
    stroked; neither: invisible), baseline and whether it runs left to right."""

    font: str
    size: float
    color: int
    alpha: int
    flags: int
    baseline: float
    horizontal: bool


@dataclass
class PageText:
    """The text of one page (or one whole text file) with a box per character.

    ``boxes[i]`` is the box of ``text[i]``; line breaks and inserted spaces
    have ``None``. ``page`` is 1-based; ``None`` for plain-text files.
    """

    page: int | None
    text: str
    boxes: list[Box | None] = field(default_factory=list)
    ocr_confidence: float | None = None  # lowest OCR line confidence; None = no OCR text
    ocr_from: int | None = None  # text[ocr_from:] was read by OCR from images
    # the text span each character was drawn in (an index into ``spans``; None for breaks and OCR)
    span_of: list[int | None] = field(default_factory=list)
    spans: list[TextSpan] = field(default_factory=list)

    def span_boxes(self, start: int, end: int) -> list[Box]:
        """The character boxes of ``text[start:end]``."""
        return [b for b in self.boxes[start:end] if b is not None]


@dataclass(frozen=True)
class Veto:
    """A span a recogniser proposed that a named check dropped, and why: kept
    so that a reviewer can ask why a word was not proposed ('redact explain
    CASE --dropped')."""

    text: str
    page: int | None
    check: str
    reason: str


@dataclass
class Finding:
    """One detected occurrence of personal data, and why it was found."""

    type: str
    text: str
    page: int | None
    start: int
    end: int
    score: float
    recogniser: str
    explanation: dict[str, Any] = field(default_factory=dict)
    boxes: list[Box] = field(default_factory=list)
    public: bool = False
    policy_reason: str = ""
    exemption: str = "s40(2)"

    @property
    def proposed_action(self) -> str:
        """``keep`` for public items, ``redact`` for personal data."""
        return "keep" if self.public else "redact"

    def to_json(self, file: str, doc: str) -> dict[str, Any]:
        """The ``scan --format jsonl`` line (the batch contract)."""
        return {
            "file": file,
            "doc": doc,
            "page": self.page,
            "type": self.type,
            "text": self.text,
            "score": round(self.score, 3),
            "public": self.public,
            "recogniser": self.recogniser,
            "reason": self.policy_reason,
        }

    def as_dict(self) -> dict[str, Any]:
        """Every field, for storage and tests."""
        return asdict(self)
