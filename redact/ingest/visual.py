"""Read a PDF page's text the way it is drawn, not the way it is stored.

Two ways of drawing a name hide it from a reader that takes MuPDF's lines
as they come:

* letter-spaced text (a kerning number after every glyph of one ``TJ``
  array, or a spaced-out heading) comes out as 'O r l a  P e n h a l l o w':
  MuPDF puts a space it made up (``synthetic``) between the letters;
* glyphs drawn one per text object in another order (right to left) come
  out as one line per glyph, in drawing order: '2 1 4 0 6 9 ...'.

So runs of one-glyph lines on one baseline are merged into one line in
visual order, and in a run of four or more one-letter tokens the made-up
spaces are dropped unless the gap is a word gap (wider than the run's letter
gaps). A space that the document itself draws stays. Every character keeps
its own box, so redaction and verification read the same text. Lines that
need neither (nearly all) are taken as they come, at the old cost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from statistics import median
from typing import Any

from redact.geometry import Box
from redact.models import TextSpan

MINSPACED_RUN = 4  # one-letter tokens in a row before made-up spaces count as letter spacing
WORD_GAP_RATIO = 1.8  # a gap this much wider than the run's letter gaps is a word gap
# four or more one-character tokens in a row
SPACED_RUN = re.compile(r"(?:(?<!\S)\S\s+){3,}\S(?!\S)")


@dataclass
class Line:
    """One line of a page: its characters, their boxes, MuPDF's made-up
    spaces and the font size."""

    text: str
    boxes: list[Box]
    made_up: list[bool] | None  # MuPDF's made-up spaces; None: still to read from ``raw``
    size: float
    block: int = 0
    pieces: int = field(default=1)
    span_of: list[int] = field(default_factory=list)
    raw: list[dict[str, Any]] = field(default_factory=list, repr=False)

    @property
    def synthetic(self) -> list[bool]:
        """Which characters are spaces MuPDF made up (read only for the rare
        line that needs it)."""
        if self.made_up is None:
            self.made_up = [bool(ch.get("synthetic", False)) for ch in self.raw]
        return self.made_up

    @property
    def piece(self) -> bool:
        """One or two glyphs: maybe one of a run drawn glyph by glyph."""
        return len(self.text.replace(" ", "")) <= 2


def visual_lines(raw: dict[str, Any], spans: list[TextSpan]) -> list[list[Line]]:
    """The page as blocks of lines, in reading order, with runs of one-glyph
    lines merged and letter spacing closed up; each span read is appended
    to ``spans`` (each line's ``span_of`` indexes it)."""
    merged: list[Line] = []
    text_blocks = [b for b in raw.get("blocks", []) if b.get("type") == 0]
    for index, block in enumerate(text_blocks):
        for raw_line in block["lines"]:
            line = _line(raw_line, index, spans)
            if line is None:
                continue
            if merged and line.piece and (merged[-1].piece or merged[-1].pieces > 1) \
                    and _horizontal(raw_line) and _same_row(merged[-1], line):
                merged[-1] = _join(merged[-1], line)
            else:
                merged.append(line)
    blocks: dict[int, list[Line]] = {}
    for line in merged:
        if line.pieces > 1:
            line = _in_visual_order(line)
        if SPACED_RUN.search(line.text):
            line = _close_letter_spacing(line)
        blocks.setdefault(line.block, []).append(line)
    return list(blocks.values())


def _line(raw_line: dict[str, Any], block: int, spans: list[TextSpan]) -> Line | None:
    text: list[str] = []
    boxes: list[Box] = []
    raw: list[dict[str, Any]] = []
    span_of: list[int] = []
    size = 0.0
    horizontal = _horizontal(raw_line)
    for span in raw_line["spans"]:
        size = max(size, span["size"])
        index = len(spans)
        spans.append(TextSpan(span["font"], float(span["size"]), int(span["color"]), int(span.get("alpha", 255)),
                              int(span.get("char_flags", 16)), float(span["origin"][1]), horizontal))
        chars = [ch for ch in span["chars"] if ch["c"]]
        text.extend(ch["c"][0] for ch in chars)
        boxes.extend(tuple(ch["bbox"]) for ch in chars)
        raw.extend(chars)
        span_of.extend([index] * len(chars))
    if not text:
        return None
    # MuPDF's made-up spaces are looked up only for the rare line that needs them
    return Line("".join(text), boxes, None, size or 1.0, block, 1, span_of, raw)


def _horizontal(raw_line: dict[str, Any]) -> bool:
    d = raw_line.get("dir", (1, 0))
    return round(d[0]) == 1 and round(d[1]) == 0


def _join(a: Line, b: Line) -> Line:
    return Line(a.text + b.text, a.boxes + b.boxes, a.synthetic + b.synthetic, max(a.size, b.size), a.block,
                a.pieces + 1, a.span_of + b.span_of)


def _same_row(a: Line, b: Line) -> bool:
    """On one baseline and close: the gap between them under two ems."""
    size = max(a.size, b.size)
    if abs(median(x[3] for x in a.boxes) - median(x[3] for x in b.boxes)) > 0.2 * size:
        return False
    a0, a1 = min(x[0] for x in a.boxes), max(x[2] for x in a.boxes)
    b0, b1 = min(x[0] for x in b.boxes), max(x[2] for x in b.boxes)
    return max(b0 - a1, a0 - b1, 0.0) < 2 * size


def _in_visual_order(line: Line) -> Line:
    """Left to right, with a made-up space wherever the gap is a word gap."""
    glyphs = sorted(((c, b, s) for c, b, s in zip(line.text, line.boxes, line.span_of, strict=True)
                     if not c.isspace()), key=lambda g: g[1][0])
    text: list[str] = []
    boxes: list[Box] = []
    synthetic: list[bool] = []
    span_of: list[int] = []
    for c, box, span in glyphs:
        if boxes and box[0] - boxes[-1][2] > 0.2 * line.size:
            prev = boxes[-1]
            text.append(" ")
            boxes.append((prev[2], prev[1], box[0], prev[3]))
            synthetic.append(True)
            span_of.append(span)
        text.append(c)
        boxes.append(box)
        synthetic.append(False)
        span_of.append(span)
    return Line("".join(text), boxes, synthetic, line.size, line.block, line.pieces, span_of)


def _close_letter_spacing(line: Line) -> Line:
    """Drop the made-up spaces inside a run of one-letter tokens."""
    tokens = [(m.start(), m.end()) for m in re.finditer(r"\S+", line.text)]
    drop: set[int] = set()
    run: list[tuple[int, int]] = []
    for token in [*tokens, (-1, -1)]:
        if token[1] - token[0] == 1:
            run.append(token)
            continue
        if len(run) >= MINSPACED_RUN:
            drop |= _letter_gaps(line, run)
        run = []
    if not drop:
        return line
    keep = [k for k in range(len(line.text)) if k not in drop]
    return Line("".join(line.text[k] for k in keep), [line.boxes[k] for k in keep],
                [line.synthetic[k] for k in keep], line.size, line.block, line.pieces,
                [line.span_of[k] for k in keep])


def _letter_gaps(line: Line, run: list[tuple[int, int]]) -> set[int]:
    """The made-up spaces between the letters of a run, not its word gaps."""
    gaps = [(line.boxes[b[0]][0] - line.boxes[a[0]][2], a, b) for a, b in zip(run, run[1:], strict=False)]
    letter = max(median(g for g, _, _ in gaps), 0.0) if gaps else 0.0
    drop: set[int] = set()
    for gap, a, b in gaps:
        between = range(a[1], b[0])
        if all(line.synthetic[k] for k in between) and gap <= letter * WORD_GAP_RATIO + 0.01:
            drop.update(between)
    return drop
