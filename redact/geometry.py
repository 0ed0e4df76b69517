"""Boxes on a page: merging character boxes into redaction rectangles.

A box is ``(x0, y0, x1, y1)`` in PDF points, origin top-left (PyMuPDF).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

Box = tuple[float, float, float, float]


def union(boxes: Iterable[Box]) -> Box:
    """The smallest box holding all ``boxes``."""
    xs0, ys0, xs1, ys1 = zip(*boxes, strict=True)
    return (min(xs0), min(ys0), max(xs1), max(ys1))


def same_line(a: Box, b: Box) -> bool:
    """Two boxes sit on one text line when their vertical overlap is at least
    half the smaller height."""
    overlap = min(a[3], b[3]) - max(a[1], b[1])
    smaller = min(a[3] - a[1], b[3] - b[1])
    return smaller <= 0 or overlap >= 0.5 * smaller


def merge_line_boxes(boxes: Sequence[Box], gap: float = 3.0, *, sideways: bool = False) -> list[Box]:
    """Merge character boxes into one box per run on a line.

    Boxes on the same line closer than ``gap`` points horizontally join; a
    name broken across two lines gives two boxes. Text set ``sideways`` (a
    page scanned on its side, a label up a margin: ``runs_down``) has its
    characters one under another, each wider than tall: those join down
    their column.
    """
    merged: list[Box] = []
    for box in sorted(boxes, key=lambda b: (round(b[1], 1), b[0])):
        for i, m in enumerate(merged):
            along_line = same_line(m, box) and box[0] <= m[2] + gap and box[2] >= m[0] - gap
            down_column = sideways and sideways_column(m, box) and box[1] <= m[3] + gap and box[3] >= m[1] - gap
            if along_line or down_column:
                merged[i] = union((m, box))
                break
        else:
            merged.append(box)
    return merged


def sideways_column(a: Box, b: Box) -> bool:
    """``b`` is a character set sideways, standing in the column of ``a``: wider
    than tall, about as wide as ``a``, and mostly over or under it."""
    wa, wb = a[2] - a[0], b[2] - b[0]
    if wb <= b[3] - b[1] or wa <= 0 or abs(wa - wb) > 0.3 * max(wa, wb):
        return False
    return min(a[2], b[2]) - max(a[0], b[0]) >= 0.7 * min(wa, wb)


def shrink_across_line(box: Box, fraction: float = 0.15, *, sideways: bool = False) -> Box:
    """Trim ``fraction`` of the height from top and bottom (of a run of text
    set ``sideways``, of the width from left and right: across its line).

    PyMuPDF removes any character whose box merely touches a redaction, so a
    full-height box takes letters from the lines above and below (pymupdf
    #1809, #731); the trimmed box still covers every glyph's centre.
    """
    if sideways:
        return transposed(shrink_across_line(transposed(box), fraction))
    h = box[3] - box[1]
    return (box[0], box[1] + h * fraction, box[2], box[3] - h * fraction)


def centre_inside(char: Box, box: Box, tolerance: float = 0.01) -> bool:
    """True when the centre of ``char`` lies inside ``box``."""
    cx = (char[0] + char[2]) / 2
    cy = (char[1] + char[3]) / 2
    return (
        box[0] - tolerance <= cx <= box[2] + tolerance
        and box[1] - tolerance <= cy <= box[3] + tolerance
    )


def intersects(a: Box, b: Box) -> bool:
    """True when two boxes share some area."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def fingerprint(c: str, b: Box) -> tuple[str, float, float]:
    """A character's identity on a page: the glyph and where it starts."""
    return (c, round(b[0], 1), round(b[1], 1))


def pad(box: Box, fraction: float = 0.15, horizontal: float | None = None, *, sideways: bool = False) -> Box:
    """Grow a box by ``fraction`` of its height above and below, and by
    ``horizontal`` of its height (default: the same) left and right. A box
    of text set ``sideways`` is the same turned a quarter: its width is the
    line's thickness, ``horizontal`` applies above and below."""
    if sideways:
        return transposed(pad(transposed(box), fraction, horizontal))
    h = box[3] - box[1]
    m = h * fraction
    mx = h * (fraction if horizontal is None else horizontal)
    return (box[0] - mx, box[1] - m, box[2] + mx, box[3] + m)


def transposed(box: Box) -> Box:
    """``box`` with x and y swapped: a run of text set sideways seen as if it ran across."""
    return (box[1], box[0], box[3], box[2])


def runs_down(chars: Sequence[Box]) -> bool:
    """The characters run down the page (text set sideways) rather than
    across it: their centres spread further in y than in x."""
    if len(chars) < 2:
        return False
    xs = [(b[0] + b[2]) / 2 for b in chars]
    ys = [(b[1] + b[3]) / 2 for b in chars]
    return max(ys) - min(ys) > max(xs) - min(xs)
