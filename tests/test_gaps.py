"""Redaction gaps: kept text stays where it was drawn, and a box's width
tells only a width class, not the name (Edact-Ray). Invented names only."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest

from redact.apply.plan import plan_from_findings
from redact.models import Finding
from redact.process import redact_and_verify
from tests.pdfs import text_pdf

# a dozen names of 3 to 30 characters
NAMES = ["Al Ng", "Ida Roe", "Ned Vane", "Orla Penhallow", "Tamsin Oakshott", "Idris Quennell",
         "Peregrine Quillfeather", "Ottoline Brackenridge", "Marguerite Vandersloot", "Bea Lyle",
         "Anastasia Brackenridge-Smythe", "Kit Holm"]


def _redact(tmp_path: Path, settings, name: str, lines: list[str]) -> pymupdf.Document:
    folder = tmp_path / name.replace(" ", "_")
    folder.mkdir()
    src = text_pdf(folder / "in.pdf", lines)
    plan = plan_from_findings([Finding("PERSON", name, 1, 0, 0, 1.0, "test")])
    plan.spans.clear()
    outcome = redact_and_verify(src, plan, folder / "out.pdf", folder / "work", settings)
    assert outcome.ok, outcome.report.failures()
    return pymupdf.open(folder / "out.pdf")


def _boxes(page: pymupdf.Page) -> list[pymupdf.Rect]:
    return [item[1] for d in page.get_drawings() if d.get("fill") == (0.0, 0.0, 0.0)
            for item in d["items"] if item[0] == "re"]


def test_boxes_take_few_widths_and_the_text_after_them_one_place(tmp_path: Path, settings) -> None:
    widths, after, contents = {}, set(), {}
    for name in NAMES:
        doc = _redact(tmp_path, settings, name, [f"Document owner: {name}, Information Governance Team"])
        (box,) = _boxes(doc[0])
        width = round(box.width, 2)
        widths[name] = width
        comma = next(w for w in doc[0].get_text("words") if w[4] == ",")
        after.add(round(comma[0] - box.x1, 2))  # the gap after every box
        words = [w[4] for w in doc[0].get_text("words")]
        assert {"Document", "owner:", "Information", "Governance", "Team"} <= set(words)
        assert not any(part in words for part in name.split())
        contents.setdefault(width, set()).add(doc[0].read_contents())
    assert len(set(widths.values())) <= 4, widths
    assert len(after) == 1, after
    # names of one width class give byte-identical pages: nothing tells them apart
    assert all(len(streams) == 1 for streams in contents.values()), {w: len(s) for w, s in contents.items()}


@pytest.mark.parametrize("name", ["Orla Penhallow", "Peregrine Quillfeather"])
def test_no_kept_letter_slides_under_a_box(tmp_path: Path, settings, name: str) -> None:
    line = f"Contact {name} on 01632 960412 or {name.split()[0].lower()}@example.org today."
    doc = _redact(tmp_path, settings, name, [line])
    page = doc[0]
    for box in _boxes(page):
        inside = [w[4] for w in page.get_text("words") if pymupdf.Rect(w[:4]).intersects(box + (1, 1, -1, -1))
                  and w[4] != "s40(2)"]
        assert inside == []
    words = [w[4] for w in page.get_text("words")]
    assert words[:1] == ["Contact"] and {"on", "01632", "960412", "or", "today."} <= set(words)


def test_a_line_with_no_room_keeps_its_own_widths(tmp_path: Path, settings) -> None:
    """A name at the end of a full line: a wider box would run off the page."""
    filler = "x" * 76
    doc = _redact(tmp_path, settings, "Orla Penhallow", [f"{filler} Orla Penhallow"])
    (box,) = _boxes(doc[0])
    exact = pymupdf.get_text_length("Orla Penhallow", fontname="helv", fontsize=11)
    assert box.x1 <= doc[0].rect.x1 and abs(box.width - exact) < 3
