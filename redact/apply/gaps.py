"""Boxes of a few widths, and kept text that stays where it was drawn.

Two leaks come from the gap a redaction leaves in a line of text:

* MuPDF's ``apply_redactions`` closes the gap of a removed run one glyph
  short (the first removed glyph's advance is lost), so the rest of the line
  slides left under the box: a kept word is hidden and verification withholds
  the file;
* a box, and the gap under it, exactly as wide as the removed name tells the
  name's width, and with the font a name can be picked from a list of
  candidates (Bland et al., PoPETs 2023, "Edact-Ray").

So on every horizontal line a box cuts, the glyphs after the line's first box
are removed as well and drawn again here, each at its own origin, moved right
by the widening of the boxes before it; each box takes the smallest of a few
widths (``SLOT_EMS`` ems of the line's font size) that holds it. Where the
page has no room for the wider box (another column, the page edge), the line
keeps its own widths and only the slide is mended; ``Layout.exact`` counts
those boxes. The glyphs are lifted in one redaction pass before the boxes
(so nothing is left after a box for MuPDF to slide) and drawn again with the
page's own font resource and their own codes (from the font's ToUnicode map
or its standard encoding, read back once per font per document); where that
cannot be told, through a TextWriter in the embedded font or a base-14 font
of their kind. The glyphs come from the page text already read for detection
(``PageText.spans``), not from a second reading of the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from statistics import median
from typing import Any

import numpy as np
import pymupdf

from redact.apply.areas import mark_areas
from redact.geometry import Box
from redact.models import PageText

# box widths, in ems of the line's font size: 3 to 30 letters of a name take one of four
SLOT_EMS = (4.0, 8.0, 16.0, 32.0)
# a horizontal gap wider than this many ems splits a baseline into columns
COLUMN_GAP_EMS = 2.5
MARGIN = 18.0  # points kept free at the page's right edge
BASE14 = {"helvetica": "helv", "arial": "helv", "times": "tiro", "courier": "cour", "symbol": "symb",
          "zapfdingbats": "zadb"}


class Glyph:
    """One drawn character, as MuPDF's text trace reports it."""

    __slots__ = ("char", "origin", "bbox", "font", "size", "color", "opacity", "mode", "gid", "centre")

    def __init__(self, char: str, origin: tuple[float, float], bbox: Box, font: str, size: float,
                 color: tuple[float, ...], opacity: float, mode: int, gid: int | None = None) -> None:
        self.char, self.origin, self.bbox, self.font, self.size = char, origin, bbox, font, size
        self.color, self.opacity, self.mode, self.gid = color, opacity, mode, gid  # mode: 0 fill, 1 stroke, 3 none
        self.centre = ((bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2)


@dataclass
class Layout:
    """What one page's redaction does to its lines of text."""

    boxes: list[tuple[Box, str]] = field(default_factory=list)  # the boxes drawn, at their slot widths
    erase: list[Box] = field(default_factory=list)  # what each box removes: its text's place and its own
    redraw: list[tuple[Glyph, float]] = field(default_factory=list)  # kept glyphs to draw again, and their shift
    lifted: list[Glyph] = field(default_factory=list)  # every glyph after a line's first box, kept or not
    exact: int = 0

    @classmethod
    def plain(cls, boxes: list[tuple[Box, str]]) -> Layout:
        """Boxes as they are (a whole page, a page without text)."""
        return cls(boxes=list(boxes), erase=[b for b, _ in boxes])


def plan_layout(page: pymupdf.Page, boxes: list[tuple[Box, str]], pt: PageText) -> Layout:
    """The boxes widened to their slots and the glyphs to draw again (with
    their shift) for one page, from its text as read for detection."""
    if not pt.spans:
        return Layout.plain(boxes)
    return _layout_from_text(page, boxes, pt)


def _union(a: Box, b: Box) -> Box:
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def _layout_from_text(page: pymupdf.Page, boxes: list[tuple[Box, str]], pt: PageText) -> Layout:
    """``plan_layout`` on the page's text as read for detection: its lines
    (already in visual order, a column each), looked at only where a box
    cuts them; every other glyph only as a point for the room check."""
    limit = pt.ocr_from if pt.ocr_from is not None else len(pt.text)
    placed = pt.placed()
    drawn = (placed.index < limit) & (placed.span >= 0)
    if not drawn.any():
        return Layout.plain(boxes)
    index = placed.index[drawn].tolist()
    cx, cy = (c[drawn] for c in placed.centres)
    breaks = np.array([k for k, c in enumerate(pt.text[:limit]) if c == "\n"], dtype=int)
    line_of = np.searchsorted(breaks, placed.index[drawn])
    by_line: dict[int, list[int]] = {}
    for b, (box, _) in enumerate(boxes):
        inside = np.flatnonzero((cx >= box[0]) & (cx <= box[2]) & (cy >= box[1]) & (cy <= box[3]))
        for line in set(line_of[inside].tolist()):
            by_line.setdefault(line, []).append(b)
    layout = Layout()
    widened: dict[int, Box] = {}
    right_edge = page.rect.x1
    for line, cutting in by_line.items():
        members = np.flatnonzero(line_of == line)
        if not pt.spans[pt.span_of[index[members[0]]]].horizontal:
            continue
        cutting = sorted(set(cutting), key=lambda b: boxes[b][0][0])
        first_x0 = boxes[cutting[0]][0][0]
        in_box = np.zeros(len(members), dtype=bool)
        for b in cutting:
            x0, y0, x1, y1 = boxes[b][0]
            in_box |= (cx[members] >= x0) & (cx[members] <= x1) & (cy[members] >= y0) & (cy[members] <= y1)
        right = cx[members] > first_x0
        sizes = [pt.spans[pt.span_of[index[m]]].size for m in members[in_box]]
        em = median(sizes) if sizes else pt.spans[pt.span_of[index[members[0]]]].size
        lifted = [_glyph(pt, index[m]) for m in members[right]]
        after = [g for g, inside in zip(lifted, in_box[right], strict=True) if not inside]
        slots = {b: _slot(boxes[b][0], em) for b in cutting if _one_line(boxes[b][0], em)}
        moved = _moved_boxes(boxes, cutting, slots)
        shift = _shifts(after, boxes, slots)
        if slots and not _room_points(right_edge, list(moved.values()), after, shift, cx, cy, line_of != line):
            layout.exact += len(slots)
            moved, shift = {}, [0.0] * len(after)
        widened.update(moved)
        layout.redraw.extend(zip(after, shift, strict=True))
        layout.lifted.extend(lifted)
    layout.boxes = [(widened.get(i, box), code) for i, (box, code) in enumerate(boxes)]
    layout.erase = [_union(box, drawn) for (box, _), (drawn, _) in zip(boxes, layout.boxes, strict=True)]
    return layout


def _glyph(pt: PageText, i: int) -> Glyph:
    """Character ``i`` of the page text as a glyph of its span."""
    box, sid = pt.boxes[i], pt.span_of[i]
    assert box is not None and sid is not None  # only characters drawn in a span are asked for
    span = pt.spans[sid]
    mode = 3 if not span.flags & 48 else (0 if span.flags & 16 else 1)
    color = span.color
    rgb = ((color >> 16 & 255) / 255, (color >> 8 & 255) / 255, (color & 255) / 255)
    return Glyph(pt.text[i], (box[0], span.baseline), box, span.font, span.size, rgb, span.alpha / 255, mode)


def _room_points(right_edge: float, moved: list[Box], after: list[Glyph], shift: list[float],
                 cx: np.ndarray, cy: np.ndarray, others: np.ndarray) -> bool:
    """``_room`` with the page's other glyphs as centre points (``others``
    masks them)."""
    right = right_edge - MARGIN
    areas = list(moved)
    if after:  # the moved rest of the line, as one area
        areas.append((min(g.bbox[0] + dx for g, dx in zip(after, shift, strict=True)), min(g.bbox[1] for g in after),
                      max(g.bbox[2] + dx for g, dx in zip(after, shift, strict=True)), max(g.bbox[3] for g in after)))
    if any(a[2] > right for a in areas):
        return False
    return all(not np.any(others & (cx >= x0) & (cx <= x1) & (cy >= y0) & (cy <= y1)) for x0, y0, x1, y1 in areas)


def page_glyphs(page: pymupdf.Page, near: list[Box] | None = None) -> list[Glyph]:
    """Every horizontal glyph of the page with its font, size and colour
    (with ``near``: of the spans level with one of these boxes)."""
    out: list[Glyph] = []
    for span in page.get_texttrace():
        if span.get("wmode") or tuple(round(v, 3) for v in span["dir"]) != (1.0, 0.0) or span["type"] == 2:
            continue
        if near is not None and not any(b[1] <= span["bbox"][3] and b[3] >= span["bbox"][1] for b in near):
            continue
        font, size, color = span["font"], float(span["size"]), tuple(span["color"] or (0.0,))
        opacity, mode = float(span["opacity"]), int(span["type"])
        out.extend(Glyph(chr(unicode), origin, bbox, font, size, color, opacity, mode, gid)
                   for unicode, gid, origin, bbox in span["chars"])
    return out


def lift(page: pymupdf.Page, glyphs: list[Glyph]) -> None:
    """Remove every glyph after the first box of each line (text only: no
    pixel or line art under them), all in one pass before the boxes: nothing
    is left after a removed glyph on its line for MuPDF to slide. One thin
    strip through the middle of each run of glyphs on a baseline (an
    annotation per glyph costs MuPDF quadratic time)."""
    if not glyphs:
        return
    mark_areas(page, strips(glyphs))
    page.apply_redactions(images=pymupdf.PDF_REDACT_IMAGE_NONE, graphics=pymupdf.PDF_REDACT_LINE_ART_NONE,
                          text=pymupdf.PDF_REDACT_TEXT_REMOVE)


def strips(glyphs: list[Glyph]) -> list[Box]:
    """Thin boxes through the centres of the glyphs, one per run on a baseline."""
    out = []
    for run in _segments(list(glyphs)):
        xs = [g.centre[0] for g in run]
        cy = median(g.centre[1] for g in run)
        out.append((min(xs) - 0.2, cy - 0.2, max(xs) + 0.2, cy + 0.2))
    return out


def redraw(page: pymupdf.Page, glyphs: list[tuple[Glyph, float]], trusted: set[str]) -> None:
    """Draw the lifted glyphs again at their origins moved right by their
    shift: in the page's own font resource with the glyph's own code where
    that can be told (a CID font with identity mapping, a simple font with a
    standard encoding), checked by reading the page back until the font has
    shown to code right in this document (``trusted``, shared by its pages);
    else through a TextWriter in the embedded font, or a base-14 font of the
    same kind."""
    drawn = [(g, dx) for g, dx in glyphs if not g.char.isspace()]
    if not drawn:
        return
    fonts = _FontBook(page)
    direct = [(g, dx, code) for g, dx in drawn if g.opacity >= 1 and (code := fonts.code(g)) is not None]
    _emit(page, direct)
    # read back the glyphs of the fonts this document has not yet shown to code right
    unproven = [(g, dx) for g, dx, _ in direct if g.font not in trusted]
    missing = _not_read_back(page, unproven)
    trusted.update({g.font for g, _ in unproven} - {g.font for g, _ in missing})
    if missing:
        lift(page, [_moved(g, dx) for g, dx in missing])
    indirect = [(g, dx) for g, dx in drawn if g.opacity < 1 or fonts.code(g) is None] + missing
    writers: dict[tuple[Any, ...], pymupdf.TextWriter] = {}
    for g, dx in indirect:
        font = fonts.font_for(g.font, g.char)
        key = (g.color, g.opacity, g.mode)
        writer = writers.setdefault(key, pymupdf.TextWriter(page.rect, opacity=g.opacity, color=_rgb(g.color)))
        writer.append((g.origin[0] + dx, g.origin[1]), g.char, font=font, fontsize=g.size)
    for (_, _, mode), writer in writers.items():
        writer.write_text(page, render_mode=mode if mode in (0, 1, 3) else 0)


def _emit(page: pymupdf.Page, glyphs: list[tuple[Glyph, float, tuple[str, bytes]]]) -> None:
    """One content stream of text objects, a glyph each, in the page's fonts."""
    if not glyphs:
        return
    shape = page.new_shape()
    ops = ["q BT"]
    state = None
    for g, dx, (resource, code) in glyphs:
        r, gr, b = _rgb(g.color)
        wanted = (resource, round(g.size, 3), (r, gr, b), g.mode)
        if wanted != state:  # font, colour and mode set only when they change
            paint = f"{r:.3f} {gr:.3f} {b:.3f} RG" if g.mode == 1 else f"{r:.3f} {gr:.3f} {b:.3f} rg"
            ops.append(f"{paint} {g.mode if g.mode in (0, 1, 3) else 0} Tr /{resource} {g.size:.3f} Tf")
            state = wanted
        x, y = g.origin[0] + dx + shape.x, shape.height - g.origin[1] - shape.y
        ops.append(f"1 0 0 1 {x:.3f} {y:.3f} Tm <{code.hex()}> Tj")
    ops.append("ET Q")
    shape.text_cont = "\n" + "\n".join(ops) + "\n"
    shape.commit()


def _not_read_back(page: pymupdf.Page, glyphs: list[tuple[Glyph, float]]) -> list[tuple[Glyph, float]]:
    """The glyphs that the page, read again, does not show where they were drawn."""
    if not glyphs:
        return []
    seen: dict[str, list[tuple[float, float]]] = {}
    for g in page_glyphs(page, [_moved(g, dx).bbox for g, dx in glyphs]):
        seen.setdefault(g.char, []).append(g.origin)

    def found(g: Glyph, dx: float) -> bool:
        x, y = g.origin[0] + dx, g.origin[1]
        return any(abs(x - sx) < 0.3 and abs(y - sy) < 0.3 for sx, sy in seen.get(g.char, ()))

    return [(g, dx) for g, dx in glyphs if not found(g, dx)]


def _moved(g: Glyph, dx: float) -> Glyph:
    x0, y0, x1, y1 = g.bbox
    return Glyph(g.char, (g.origin[0] + dx, g.origin[1]), (x0 + dx, y0, x1 + dx, y1), g.font, g.size, g.color,
                 g.opacity, g.mode, g.gid)


class _FontBook:
    """The page's own fonts: their resource names and how a glyph is coded
    in them, and, loaded once, their embedded programs, with a base-14
    stand-in for a glyph an embedded (often subset) font does not map."""

    SIMPLE = {"WinAnsiEncoding": "cp1252", "MacRomanEncoding": "mac_roman"}

    def __init__(self, page: pymupdf.Page) -> None:
        self.page = page
        self.by_name: dict[str, pymupdf.Font | None] = {}
        self.coding: dict[str, tuple[str, str] | None] = {}
        self.codes: dict[str, dict[str, bytes]] = {}  # font -> character -> its two-byte code
        self.fonts = [f for f in page.get_fonts(full=True) if f[6] == 0]  # page-level resources

    def code(self, g: Glyph) -> tuple[str, bytes] | None:
        """(resource name, the glyph's code) in the page's own font, if known."""
        if g.font not in self.coding:
            self.coding[g.font] = self._coding(g.font)
        coding = self.coding[g.font]
        if coding is None:
            return None
        resource, how = coding
        if how == "identity":
            gid = self._gid(g)
            if gid is not None:
                return resource, gid.to_bytes(2, "big")
            code = self.codes.get(g.font, {}).get(g.char)
            return (resource, code) if code is not None else None
        try:
            return resource, g.char.encode(how)
        except UnicodeEncodeError:
            return None

    def _gid(self, g: Glyph) -> int | None:
        return g.gid if g.gid is not None and 0 < g.gid < 65536 else None

    def _coding(self, name: str) -> tuple[str, str] | None:
        wanted = name.split("+", 1)[-1]
        doc = self.page.parent
        for xref, _ext, kind, basefont, resource, encoding, _ref in self.fonts:
            if basefont.split("+", 1)[-1] != wanted:
                continue
            if kind == "Type0" and encoding == "Identity-H":
                descendant = doc.xref_get_key(xref, "DescendantFonts")[1].strip("[] ").split(" ")[0]
                if not descendant.isdigit():
                    return None
                sub = doc.xref_get_key(int(descendant), "Subtype")[1]
                mapping = doc.xref_get_key(int(descendant), "CIDToGIDMap")
                if sub == "/CIDFontType2" and mapping[0] in ("null", "name") and mapping[1] in ("null", "/Identity"):
                    self.codes[name] = _codes_from_tounicode(doc, xref)
                    return resource, "identity"
                return None
            if kind in ("Type1", "TrueType", "MMType1") and encoding in self.SIMPLE:
                if doc.xref_get_key(xref, "Encoding")[0] == "xref":  # a Differences array may recode
                    return None
                return resource, self.SIMPLE[encoding]
            return None
        return None

    def font_for(self, name: str, char: str) -> pymupdf.Font:
        font = self._embedded(name)
        if font is not None and font.has_glyph(ord(char)):
            return font
        return _base14(name)

    def _embedded(self, name: str) -> pymupdf.Font | None:
        if name not in self.by_name:
            self.by_name[name] = None
            wanted = name.split("+", 1)[-1]
            for xref, _ext, _type, basefont, _ref, _enc, _referencer in self.fonts:
                if basefont.split("+", 1)[-1] != wanted:
                    continue
                try:
                    _base, _e, _t, buffer = self.page.parent.extract_font(xref)
                    if buffer:
                        self.by_name[name] = pymupdf.Font(fontbuffer=buffer)
                except (RuntimeError, ValueError):
                    pass
                break
        return self.by_name[name]


_BFCHAR = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")
_BFRANGE = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")


def _codes_from_tounicode(doc: pymupdf.Document, xref: int) -> dict[str, bytes]:
    """Character -> code of a two-byte font, read backwards from its
    /ToUnicode CMap (the map MuPDF read the character from)."""
    kind, value = doc.xref_get_key(xref, "ToUnicode")
    if kind != "xref":
        return {}
    try:
        cmap = doc.xref_stream(int(value.split()[0])) or b""
    except (RuntimeError, ValueError):
        return {}
    out: dict[str, bytes] = {}
    for section in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
        for lo, hi, dst in _BFRANGE.findall(section):
            start, end, first = int(lo, 16), int(hi, 16), int(dst, 16)
            if end - start > 4096 or len(dst) > 8:
                continue
            for k in range(end - start + 1):
                out.setdefault(chr(first + k), (start + k).to_bytes(2, "big"))
    for section in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        for src, dst in _BFCHAR.findall(section):
            if len(dst) <= 4:  # one UTF-16 unit: a single character
                out.setdefault(chr(int(dst, 16)), int(src, 16).to_bytes(2, "big"))
    return out


def _base14(name: str) -> pymupdf.Font:
    key = name.split("+", 1)[-1].casefold().replace(" ", "")
    family = next((code for prefix, code in BASE14.items() if key.startswith(prefix)), None)
    if family is None:
        family = "tiro" if "serif" in key and "sans" not in key else "helv"
    bold, italic = "bold" in key, "italic" in key or "oblique" in key
    if family in ("helv", "tiro", "cour") and (bold or italic):
        suffix = {"helv": ("hebo", "heit", "hebi"), "tiro": ("tibo", "tiit", "tibi"),
                  "cour": ("cobo", "coit", "cobi")}[family]
        family = suffix[2] if bold and italic else suffix[0] if bold else suffix[1]
    return pymupdf.Font(family)


def _rgb(color: tuple[float, ...]) -> tuple[float, float, float]:
    if len(color) == 3:
        return (color[0], color[1], color[2])
    if len(color) == 4:  # CMYK
        c, m, y, k = color
        return ((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))
    return (color[0], color[0], color[0]) if color else (0.0, 0.0, 0.0)


def _segments(glyphs: list[Glyph]) -> list[list[Glyph]]:
    """Glyphs grouped by baseline, and split into columns at wide gaps."""
    by_line: dict[int, list[Glyph]] = {}
    for g in glyphs:
        by_line.setdefault(int(g.origin[1] * 2 + 0.5), []).append(g)
    out = []
    for line in by_line.values():
        line.sort(key=lambda g: g.origin[0])
        current = [line[0]]
        for prev, g in zip(line, line[1:], strict=False):
            if g.bbox[0] - prev.bbox[2] > COLUMN_GAP_EMS * max(g.size, prev.size):
                out.append(current)
                current = []
            current.append(g)
        out.append(current)
    return out


def _one_line(box: Box, em: float) -> bool:
    """A box over one line of text, not an area or a page."""
    return box[3] - box[1] <= 2.2 * em


def _slot(box: Box, em: float) -> float:
    width = box[2] - box[0]
    return next((s * em for s in SLOT_EMS if s * em >= width), width)


def _shifts(after: list[Glyph], boxes: list[tuple[Box, str]], slots: dict[int, float]) -> list[float]:
    """How far right each kept glyph moves: the widening of the boxes before it."""
    widening = [(boxes[i][0][0], width - (boxes[i][0][2] - boxes[i][0][0])) for i, width in slots.items()]
    return [sum(extra for x0, extra in widening if x0 < g.centre[0]) for g in after]


def _moved_boxes(boxes: list[tuple[Box, str]], cutting: list[int], slots: dict[int, float]) -> dict[int, Box]:
    """Each box of one line at its slot width, moved right by the widening of
    the boxes before it on the line."""
    out, extra = {}, 0.0
    for i in cutting:
        x0, y0, x1, y1 = boxes[i][0]
        width = slots.get(i, x1 - x0)
        out[i] = (x0 + extra, y0, x0 + extra + width, y1)
        extra += width - (x1 - x0)
    return out


