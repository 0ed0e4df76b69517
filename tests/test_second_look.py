"""Verification's second look: the detector reads what redaction changed,
and reports personal data that no decision of the first look covers."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from redact.apply import Plan, StringTarget
from redact.config import Settings
from redact.detect.scan import Scanner
from redact.process import redact_and_verify
from redact.verify.second_look import SecondLook, changed_lines
from tests.pdfs import text_pdf

LINES = ["Housing review notes", "Please contact Orla Penhallow on 01632 960545 about the visit.",
         "The visit is on Tuesday."]


def _plan() -> Plan:
    return Plan(strings=[StringTarget("Orla Penhallow", "PERSON", "s40(2)")])


def _release(tmp_path: Path, settings: Settings, look: SecondLook, source: Path | None = None):
    source = source or text_pdf(tmp_path / "notes.pdf", LINES)
    return redact_and_verify(source, _plan(), tmp_path / "out" / source.name, tmp_path / "work", settings,
                             second_look=look)


def test_only_changed_lines_are_read_again() -> None:
    before = "Heading\nCall Orla Penhallow today\nHeading\nAn unchanged line"
    after = "Heading\nCall today\nHeading\nAn unchanged line"
    assert changed_lines(before, after) == "Call today"
    assert changed_lines(before, after, context=1) == "Heading\nCall today\nHeading"
    # a line that the input holds once is matched once
    assert changed_lines("A line", "A line\nA line") == "A line"


def test_undecided_number_in_a_changed_line_withholds_a_batch_output(tmp_path: Path, settings: Settings,
                                                                     scanner: Scanner) -> None:
    # the first look decided the name only: the number beside it was never proposed
    outcome = _release(tmp_path, settings, SecondLook.of(scanner, [("Orla Penhallow", "PERSON")], blocking=True))
    assert not outcome.ok and outcome.output is None
    failed = {c.name: c.detail for c in outcome.report.failures()}
    assert "01632 960545" in failed["second_look"]


def test_undecided_number_is_listed_for_the_reviewer_in_a_case(tmp_path: Path, settings: Settings,
                                                                scanner: Scanner) -> None:
    outcome = _release(tmp_path, settings, SecondLook.of(scanner, [("Orla Penhallow", "PERSON")], blocking=False))
    assert outcome.ok
    assert any("01632 960545" in item for item in outcome.report.for_review())


def test_a_decided_number_is_not_reported(tmp_path: Path, settings: Settings, scanner: Scanner) -> None:
    look = SecondLook.of(scanner, [("Orla Penhallow", "PERSON"), ("01632 960 545", "PHONE")], blocking=True)
    outcome = _release(tmp_path, settings, look)
    assert outcome.ok, outcome.report.failures()


def test_a_title_left_beside_a_box_names_no_one(tmp_path: Path, settings: Settings, scanner: Scanner) -> None:
    source = text_pdf(tmp_path / "notes.pdf", ["If the matter is urgent, call Det Supt Orla Penhallow directly.",
                                               "Author Summary"])
    look = replace(SecondLook.of(scanner, [("Orla Penhallow", "PERSON")], blocking=True), model=True)
    outcome = redact_and_verify(source, _plan(), tmp_path / "out" / "notes.pdf", tmp_path / "work", settings,
                                second_look=look)
    assert outcome.ok, outcome.report.failures()


def test_text_files_get_a_second_look(tmp_path: Path, settings: Settings, scanner: Scanner) -> None:
    source = tmp_path / "notes.txt"
    source.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    look = SecondLook.of(scanner, [("Orla Penhallow", "PERSON")], blocking=True)
    outcome = redact_and_verify(source, _plan(), tmp_path / "out" / "notes.txt", tmp_path / "work", settings,
                                second_look=look)
    assert not outcome.ok
    assert "01632 960545" in {c.name: c.detail for c in outcome.report.failures()}["second_look"]


def _commented_pdf(path: Path) -> Path:
    """A helpline in the body, a footer, a comment box and a form field; a
    resident's name and number in the same comment box."""
    import pymupdf

    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_text((72, 80), "For advice call the helpline on 01632 960000.", fontsize=11)
    page.insert_text((72, 800), "Helpline 01632 960000", fontsize=9)
    page.add_freetext_annot(pymupdf.Rect(72, 120, 520, 160),
                            "Resident Orla Penhallow rang from 01632 960545.\nHelpline 01632 960000", fontsize=10)
    widget = pymupdf.Widget()
    widget.field_type = pymupdf.PDF_WIDGET_TYPE_TEXT
    widget.field_name = "contact"
    widget.field_value = "Helpline 01632 960000"
    widget.rect = pymupdf.Rect(72, 200, 400, 220)
    page.add_widget(widget)
    doc.save(path)
    doc.close()
    return path


def test_a_public_number_is_decided_once_in_body_footer_comment_and_field(tmp_path: Path,
                                                                         settings: Settings) -> None:
    import pymupdf

    from redact.batch import run_batch

    src = tmp_path / "in"
    src.mkdir()
    _commented_pdf(src / "notes.pdf")
    summary = run_batch(src, tmp_path / "out", settings, workers=1)
    assert summary["failed"] == 0, summary
    doc = pymupdf.open(tmp_path / "out" / "notes.pdf")
    text = doc[0].get_text()
    assert text.count("01632 960000") == 4, text  # body, footer, comment and field all keep it
    assert "960545" not in text and "Penhallow" not in text
    assert not list(doc[0].annots()) and not list(doc[0].widgets())


def test_an_alternate_text_is_read_by_the_second_look(tmp_path: Path, settings: Settings,
                                                      scanner: Scanner) -> None:
    import pymupdf

    source = text_pdf(tmp_path / "notes.pdf", LINES)
    doc = pymupdf.open(source)
    page = doc[0]
    marked = b"q /Span <</ActualText (Call Tamsin on 01632 960777)>> BDC BT /helv 11 Tf 72 650 Td (Signed) Tj ET EMC Q"
    xref = doc.get_new_xref()
    doc.update_object(xref, "<<>>")
    doc.update_stream(xref, marked)
    doc.xref_set_key(page.xref, "Contents", "[" + " ".join(f"{c} 0 R" for c in [*page.get_contents(), xref]) + "]")
    doc.save(tmp_path / "marked.pdf")
    look = SecondLook.of(scanner, [("Orla Penhallow", "PERSON"), ("01632 960545", "PHONE")], blocking=True)
    outcome = redact_and_verify(tmp_path / "marked.pdf", _plan(), tmp_path / "out" / "marked.pdf", tmp_path / "work",
                                settings, second_look=look)
    assert not outcome.ok
    assert "01632 960777" in {c.name: c.detail for c in outcome.report.failures()}["second_look"]
