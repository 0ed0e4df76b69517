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
its own box, so redaction and verification read the same text.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median
from typing import Any, NamedTuple

from redact.geometry import Box

MIN_SPACED_RUN = 4  # one-letter tokens in a row before made-up spaces count as letter spacing
WORD_GAP_RATIO = 1.8  # a gap this much wider than the run's letter gaps is a word gap


class Char(NamedTuple):
    """One character of a line with its box."""

    c: str
    box: Box
    synthetic: bool
    size: float


@dataclass
class _Line:
    block: int
    chars: list[Char]
    piece: bool  # one or two glyphs, or a run merged from such pieces
    pieces: int = 1


def visual_lines(raw: dict[str, Any]) -> list[list[list[Char]]]:
    """The page as blocks of lines of characters, in reading order, with
    runs of one-glyph lines merged and letter spacing closed up."""
    merged: list[_Line] = []
    text_blocks = [b for b in raw.get("blocks", []) if b.get("type") == 0]
    for index, block in enumerate(text_blocks):
        for line in block["lines"]:
            chars = [Char(ch["c"][0], ch["bbox"], ch.get("synthetic", False), span["size"])
                     for span in line["spans"] for ch in span["chars"] if ch["c"]]
            if not chars:
                continue
            horizontal = tuple(round(v) for v in line.get("dir", (1, 0))) == (1, 0)
            piece = horizontal and sum(not c.c.isspace() for c in chars) <= 2
            if merged and piece and merged[-1].piece and _same_row(merged[-1].chars, chars):
                merged[-1].chars = merged[-1].chars + chars
                merged[-1].pieces += 1
            else:
                merged.append(_Line(index, chars, piece))
    blocks: dict[int, list[list[Char]]] = {}
    for line in merged:
        chars = _in_visual_order(line.chars) if line.pieces > 1 else line.chars
        blocks.setdefault(line.block, []).append(_close_letter_spacing(chars))
    return list(blocks.values())


def _same_row(a: list[Char], b: list[Char]) -> bool:
    """On one baseline and close: the gap between them under two ems."""
    ya = median(c.box[3] for c in a)
    yb = median(c.box[3] for c in b)
    size = max(median(c.size for c in a), median(c.size for c in b), 1.0)
    if abs(ya - yb) > 0.2 * size:
        return False
    a0, a1 = min(c.box[0] for c in a), max(c.box[2] for c in a)
    b0, b1 = min(c.box[0] for c in b), max(c.box[2] for c in b)
    return max(b0 - a1, a0 - b1, 0.0) < 2 * size


def _in_visual_order(chars: list[Char]) -> list[Char]:
    """Left to right, with a made-up space wherever the gap is a word gap."""
    glyphs = sorted((c for c in chars if not c.c.isspace()), key=lambda c: c.box[0])
    out: list[Char] = []
    for g in glyphs:
        if out and g.box[0] - out[-1].box[2] > 0.2 * g.size:
            prev = out[-1]
            out.append(Char(" ", (prev.box[2], prev.box[1], g.box[0], prev.box[3]), True, g.size))
        out.append(g)
    return out


def _close_letter_spacing(chars: list[Char]) -> list[Char]:
    """Drop the made-up spaces inside a run of one-letter tokens."""
    tokens: list[tuple[int, int]] = []  # (start, end) of each non-space token
    i = 0
    while i < len(chars):
        if chars[i].c.isspace():
            i += 1
            continue
        j = i
        while j < len(chars) and not chars[j].c.isspace():
            j += 1
        tokens.append((i, j))
        i = j
    drop: set[int] = set()
    run: list[tuple[int, int]] = []
    for token in [*tokens, (-1, -1)]:
        if token[1] - token[0] == 1:
            run.append(token)
            continue
        if len(run) >= MIN_SPACED_RUN:
            drop |= _letter_gaps(chars, run)
        run = []
    if not drop:
        return chars
    return [c for k, c in enumerate(chars) if k not in drop]


def _letter_gaps(chars: list[Char], run: list[tuple[int, int]]) -> set[int]:
    """The made-up spaces between the letters of a run, not its word gaps."""
    gaps = [(chars[b[0]].box[0] - chars[a[0]].box[2], a, b) for a, b in zip(run, run[1:], strict=False)]
    letter = median(g for g, _, _ in gaps) if gaps else 0.0
    drop: set[int] = set()
    for gap, a, b in gaps:
        between = range(a[1], b[0])
        if all(chars[k].c.isspace() and chars[k].synthetic for k in between) and gap <= max(letter, 0.0) * \
                WORD_GAP_RATIO + 0.01:
            drop.update(between)
    return drop
