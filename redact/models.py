"""Plain records passed between the pipeline stages."""

from __future__ import annotations

import itertools
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

import numpy as np

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
    ocr_confidence: float | None = None  # mean OCR confidence of the page's text; None = no OCR text
    ocr_from: int | None = None  # text[ocr_from:] was read by OCR from images
    ocr_turned: bool = False  # an image lay upside down or on its side and was read turned
    # the text span each character was drawn in (an index into ``spans``; None for breaks and OCR)
    span_of: list[int | None] = field(default_factory=list)
    spans: list[TextSpan] = field(default_factory=list)
    _placed: CharArrays | None = field(default=None, init=False, repr=False, compare=False)

    def span_boxes(self, start: int, end: int) -> list[Box]:
        """The character boxes of ``text[start:end]``."""
        return [b for b in self.boxes[start:end] if b is not None]

    def placed(self) -> CharArrays:
        """The characters that have a box, as arrays built once per page:
        box placement, the layout and verification each ask which characters
        lie in an area, and turning the boxes into an array costs more than
        the question."""
        if self._placed is None:
            filled = itertools.chain.from_iterable(_NO_BOX if b is None else b for b in self.boxes)
            every = np.fromiter(filled, dtype=float, count=4 * len(self.boxes)).reshape(-1, 4)
            index = np.flatnonzero(np.fromiter((b is not None for b in self.boxes), dtype=bool, count=len(self.boxes)))
            spans = np.array([-1 if s is None else s for s in self.span_of], dtype=np.intp)
            self._placed = CharArrays(index=index, xy=every[index],
                                      span=spans[index] if len(spans) else np.full(len(index), -1, dtype=np.intp))
        return self._placed


_NO_BOX = (0.0, 0.0, 0.0, 0.0)


@dataclass(frozen=True)
class CharArrays:
    """``PageText.placed``: the text offset, box (x0, y0, x1, y1) and span
    (-1: none) of each character that has a box, in text order."""

    index: np.ndarray
    xy: np.ndarray
    span: np.ndarray

    @property
    def centres(self) -> tuple[np.ndarray, np.ndarray]:
        """The x and y of each box's centre."""
        return (self.xy[:, 0] + self.xy[:, 2]) / 2, (self.xy[:, 1] + self.xy[:, 3]) / 2


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
