"""Redaction really removes: text, bytes, pixels, metadata and every hiding place."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest

from redact.apply.pdf import redact_pdf
from redact.apply.plan import expectations, plan_from_findings
from redact.models import Finding
from redact.process import redact_and_verify
from redact.verify import Expectation
from redact.verify.pdf import verify_pdf
from tests.pdfs import EMAIL, NAME, PHONE, adversarial_pdf, text_pdf


def _finding(text: str, etype: str = "PERSON", page: int = 1, public: bool = False) -> Finding:
    return Finding(type=etype, text=text, page=page, start=0, end=0, score=1.0, recogniser="test", public=public)


def _plan(*texts: str):
    plan = plan_from_findings([_finding(t) for t in texts])
    plan.spans.clear()  # only the string search: start/end above are dummies
    return plan


def test_text_gone_from_extraction_and_bytes(tmp_path: Path, settings) -> None:
    src = text_pdf(tmp_path / "in.pdf", [f"Statement taken by {NAME} on Monday.", "Nothing else here."])
    out = tmp_path / "out.pdf"
    outcome = redact_and_verify(src, _plan(NAME), out, tmp_path / "work", settings)
    assert outcome.ok, outcome.report.failures()
    doc = pymupdf.open(out)
    text = doc[0].get_text()
    assert "Vandersloot" not in text and "Marguerite" not in text
    assert "Statement taken by" in text and "Nothing else here." in text
    raw = out.read_bytes()
    for stream_xref in range(1, doc.xref_length()):
        if doc.xref_is_stream(stream_xref):
            assert b"Vandersloot" not in (doc.xref_stream(stream_xref) or b"")
    assert b"Vandersloot" not in raw


def test_name_broken_across_lines_is_covered(tmp_path: Path, settings) -> None:
    first, last = NAME.split()
    src = text_pdf(tmp_path / "in.pdf", [f"The report was written by {first}", f"{last} and sent on."])
    out = tmp_path / "out.pdf"
    outcome = redact_and_verify(src, _plan(NAME), out, tmp_path / "work", settings)
    assert outcome.ok
    text = pymupdf.open(out)[0].get_text()
    assert first not in text and last not in text
    assert sum(len(b) for b in outcome.applied.boxes.values()) == 2  # one box per line


def test_rejected_finding_stays_visible(tmp_path: Path, settings) -> None:
    src = text_pdf(tmp_path / "in.pdf", [f"Officer {NAME} met Chief Constable Imogen Ravensworth."])
    plan = plan_from_findings([_finding(NAME), _finding("Imogen Ravensworth", public=True)])
    plan.spans.clear()
    out = tmp_path / "out.pdf"
    assert redact_and_verify(src, plan, out, tmp_path / "work", settings).ok
    text = pymupdf.open(out)[0].get_text()
    assert "Imogen Ravensworth" in text and "Vandersloot" not in text


def test_every_hiding_place_is_emptied(tmp_path: Path, settings) -> None:
    src = adversarial_pdf(tmp_path / "adv.pdf")
    before = pymupdf.open(src)
    assert before.get_ocgs() and before.embfile_count() == 1 and src.read_bytes().count(b"%%EOF") == 2
    image_before = before[0].get_pixmap(clip=pymupdf.Rect(160, 70, 300, 84)).samples
    plan = plan_from_findings([_finding(NAME), _finding(EMAIL, "EMAIL"), _finding(PHONE, "PHONE")])
    plan.spans.clear()
    out = tmp_path / "out.pdf"
    outcome = redact_and_verify(src, plan, out, tmp_path / "work", settings)
    assert outcome.ok, [f"{c.name}: {c.detail}" for c in outcome.report.failures()]
    doc = pymupdf.open(out)
    raw = out.read_bytes()
    assert raw.count(b"%%EOF") == 1
    assert b"Vandersloot" not in raw and b"vandersloot" not in raw.lower()
    assert not any(doc.metadata[k] for k in ("author", "title", "subject", "keywords"))
    assert doc.get_xml_metadata() == ""
    assert doc.get_toc() == []
    assert doc.embfile_count() == 0
    assert list(doc[0].annots()) == [] and list(doc[0].widgets()) == []
    assert doc.xref_get_key(doc.pdf_catalog(), "OpenAction")[0] == "null"
    assert all(info["on"] for info in doc.get_ocgs().values())
    assert all("vandersloot" not in str(link.get("uri", "")).lower() for link in doc[0].get_links())
    text = doc[0].get_text()
    assert "Vandersloot" not in text and "960545" not in text
    assert "Report prepared by" in text and "for the panel." in text
    # image pixels under the box were changed, not merely covered
    image_after = doc[0].get_pixmap(clip=pymupdf.Rect(160, 70, 300, 84)).samples
    assert image_after != image_before
    images = doc[0].get_images()
    assert images, "the image itself is kept, only its pixels under the box are blanked"


def test_verification_catches_a_leak(tmp_path: Path) -> None:
    leaky = text_pdf(tmp_path / "leaky.pdf", ["All fine."], author=NAME)
    report = verify_pdf(leaky, [Expectation(NAME)])
    failed = {c.name for c in report.failures()}
    assert {"metadata", "bytes"} <= failed
    assert not report.ok


def test_verification_finds_normalised_variants(tmp_path: Path) -> None:
    pdf = text_pdf(tmp_path / "v.pdf", ["MARGUERITE   VANDERSLOOT was here", "ring 01632-960-545 today"])
    report = verify_pdf(pdf, [Expectation(NAME), Expectation(PHONE, "PHONE")])
    detail = next(c.detail for c in report.checks if c.name == "text")
    assert "Vandersloot" in detail and "960545" in detail


def test_failed_verification_never_reaches_release_folder(tmp_path: Path, settings, monkeypatch) -> None:
    src = text_pdf(tmp_path / "in.pdf", [f"Officer {NAME}."])
    # sabotage: redact nothing but still expect the name gone
    import redact.pipeline.formats as formats
    import redact.process as process

    def no_redaction(doc, plan, out_path, label=True, **kwargs):
        applied = redact_pdf(doc, _plan(), out_path, label=label)
        applied.strings_gone.append((NAME, "PERSON", None))
        return applied

    monkeypatch.setattr(formats, "redact_pdf", no_redaction)
    out = tmp_path / "release" / "in.pdf"
    outcome = process.redact_and_verify(src, _plan(NAME), out, tmp_path / "work", settings)
    assert not outcome.ok and outcome.output is None
    assert not out.exists()
    assert list((tmp_path / "work").iterdir()) == []


def test_original_is_untouched(tmp_path: Path, settings) -> None:
    src = text_pdf(tmp_path / "in.pdf", [f"Officer {NAME}."])
    before = src.read_bytes()
    redact_and_verify(src, _plan(NAME), tmp_path / "out.pdf", tmp_path / "work", settings)
    assert src.read_bytes() == before


@pytest.mark.parametrize("code", ["s40(2)", "s31(1)(a)"])
def test_exemption_code_printed_in_box(tmp_path: Path, settings, code: str) -> None:
    src = text_pdf(tmp_path / "in.pdf", [f"Officer {NAME} attended."], fontsize=14)
    plan = plan_from_findings([Finding("PERSON", NAME, 1, 0, 0, 1.0, "t", exemption=code)])
    plan.spans.clear()
    out = tmp_path / "out.pdf"
    outcome = redact_and_verify(src, plan, out, tmp_path / "work", settings)
    assert outcome.ok
    assert code in pymupdf.open(out)[0].get_text()
    assert outcome.applied.count_by_exemption() == {code: 1}
    assert expectations(outcome.applied)[0].text == NAME


def test_letter_spaced_and_reversed_text_is_read_redacted_and_verified(tmp_path: Path, settings, scanner) -> None:
    from tests.pdfs import drawn_apart_pdf

    src = drawn_apart_pdf(tmp_path / "in.pdf", "Orla Penhallow", "01632 960412")
    found = {(f.type, f.text) for f in scanner.scan_file(src).findings}
    assert ("PERSON", "Orla Penhallow") in found and ("PHONE", "01632 960412") in found
    # verification sees them too, whatever their spacing and order
    report = verify_pdf(src, [Expectation("Orla Penhallow", "PERSON"), Expectation("01632 960412", "PHONE")])
    detail = " ".join(c.detail for c in report.failures())
    assert not report.ok and "Orla Penhallow" in detail and "01632 960412" in detail
    out = tmp_path / "out.pdf"
    outcome = redact_and_verify(src, _plan("Orla Penhallow", "01632 960412"), out, tmp_path / "work", settings)
    assert outcome.ok, outcome.report.failures()
    text = "".join(pymupdf.open(out)[0].get_text().split())
    assert "Penhallow" not in text and "960412" not in text and "214069" not in text
    assert "Statement" in text


def test_verification_reads_a_name_spaced_out_with_real_spaces(tmp_path: Path) -> None:
    src = text_pdf(tmp_path / "in.pdf", ["Contact O r l a  P e n h a l l o w today.", "Brian Kent signed."])
    report = verify_pdf(src, [Expectation("Orla Penhallow", "PERSON")])
    assert not report.ok and "spaced out" in " ".join(c.detail for c in report.failures())
    assert verify_pdf(src, [Expectation("Ian Kent", "PERSON")]).ok  # not across another name's words


def test_hidden_places_are_cleaned_not_refused(tmp_path: Path, settings) -> None:
    from tests.pdfs import hidden_places_pdf

    src = hidden_places_pdf(tmp_path / "in.pdf", "Orla Penhallow")
    out = tmp_path / "out.pdf"
    outcome = redact_and_verify(src, _plan("Orla Penhallow"), out, tmp_path / "work", settings)
    assert outcome.ok, outcome.report.failures()
    raw = out.read_bytes()
    doc = pymupdf.open(out)
    for xref in range(1, doc.xref_length()):
        assert "Penhallow" not in doc.xref_object(xref)
        if doc.xref_is_stream(xref):
            assert b"Penhallow" not in (doc.xref_stream(xref) or b"")
    assert b"Penhallow" not in raw
    page = doc[0]
    assert "The panel met on Monday." in page.get_text() and page.cropbox.y1 - page.cropbox.y0 == 800
    assert any("crop box" in n for n in outcome.summary()["notes"])


def test_a_pdf_name_is_not_a_leak_but_a_string_is(tmp_path: Path) -> None:
    """'/Penhallow-Bold 11 Tf' in a content stream names a font; the same word
    in a string value (here a link's address) is text that leaks."""
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 80), "Nothing personal here.", fontsize=11)
    xref = doc.get_new_xref()
    doc.update_object(xref, "<<>>")
    doc.update_stream(xref, b"q BT /Penhallow-Bold 11 Tf ET Q")
    contents = " ".join(f"{c} 0 R" for c in [*page.get_contents(), xref])
    doc.xref_set_key(page.xref, "Contents", f"[{contents}]")
    doc.save(tmp_path / "name.pdf")
    assert verify_pdf(tmp_path / "name.pdf", [Expectation("Penhallow", "PERSON")]).ok
    page = doc[0]
    page.insert_link({"kind": pymupdf.LINK_URI, "from": pymupdf.Rect(72, 70, 200, 82),
                      "uri": "https://example.org/staff/Penhallow"})
    doc.save(tmp_path / "string.pdf")
    report = verify_pdf(tmp_path / "string.pdf", [Expectation("Penhallow", "PERSON")])
    assert not report.ok


def test_an_image_mupdf_cannot_blank_is_removed_whole_and_said(tmp_path: Path, settings, monkeypatch) -> None:
    """MuPDF refuses to blank the pixels of some images (odd colour spaces);
    the file is still released, with every image under a box removed whole."""
    from pymupdf import mupdf

    src = tmp_path / "in.pdf"
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_text((72, 80), f"Officer {NAME} signed below.", fontsize=11)
    pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 40, 10), False)
    pix.set_rect(pix.irect, (200, 30, 30))
    page.insert_image(pymupdf.Rect(60, 66, 400, 84), pixmap=pix, overlay=False)
    doc.save(src)
    real = pymupdf.Page.apply_redactions

    def refuse_pixels(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if kwargs.get("images") == pymupdf.PDF_REDACT_IMAGE_PIXELS:
            raise mupdf.FzErrorGeneric("source colorspace must not be None")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(pymupdf.Page, "apply_redactions", refuse_pixels)
    out = tmp_path / "out.pdf"
    outcome = redact_and_verify(src, _plan(NAME), out, tmp_path / "work", settings)
    assert outcome.ok, outcome.report.failures()
    assert any("removed whole" in note for note in outcome.applied.notes)
    released = pymupdf.open(out)[0]
    assert NAME not in released.get_text() and not released.get_images()


def test_a_pdf_mupdf_cannot_rewrite_is_refused_with_a_code_and_the_batch_goes_on(tmp_path: Path, settings,
                                                                              monkeypatch) -> None:
    from pymupdf import mupdf

    import redact.pipeline.formats as formats
    from redact.batch import run_batch

    src = tmp_path / "in"
    src.mkdir()
    text_pdf(src / "broken.pdf", [f"Officer {NAME}."])
    text_pdf(src / "fine.pdf", [f"Officer {NAME}."])
    real = formats.redact_pdf

    def broken(doc, plan, out, **kwargs):  # type: ignore[no-untyped-def]
        if "broken" in doc.name:
            raise mupdf.FzErrorGeneric("cannot find object in xref (12 0 R)")
        return real(doc, plan, out, **kwargs)

    monkeypatch.setattr(formats, "redact_pdf", broken)
    summary = run_batch(src, tmp_path / "out", settings, workers=1)
    by_file = {r["file"]: r for r in summary["results"]}
    assert by_file["broken.pdf"]["exit_code"] == 3 and "damaged PDF" in by_file["broken.pdf"]["message"]
    assert by_file["fine.pdf"]["status"] == "ok"


@pytest.mark.parametrize("rotation", [0, 90])
def test_a_box_a_point_thin_is_judged_filled_close_up_not_by_its_grey_edges(rotation: int) -> None:
    """A box over a rule or a hyphen read by OCR can be a point high: at
    72 dpi it renders as grey anti-aliased rows, so it is looked at close up,
    where the page shows it (a turned page too). A filled one passes, an
    empty one still fails."""
    from redact.verify import VerifyReport
    from redact.verify.pdf import _check_boxes_filled

    doc = pymupdf.open()
    page = doc.new_page(width=400, height=200)
    filled = (40.0, 100.4, 200.0, 101.4)
    page.draw_rect(pymupdf.Rect(filled), color=None, fill=(0, 0, 0))
    page.set_rotation(rotation)
    report = VerifyReport(file="thin.pdf")
    _check_boxes_filled(doc, {1: [(filled, "s40(2)")]}, report)
    assert report.ok, [c.detail for c in report.checks]
    empty = VerifyReport(file="thin.pdf")
    _check_boxes_filled(doc, {1: [((40.0, 150.4, 200.0, 151.4), "s40(2)")]}, empty)
    assert not empty.ok


def test_a_name_set_sideways_in_a_margin_loses_every_letter(tmp_path: Path, scanner, settings) -> None:
    """A line set up the margin: its boxes run down the page, are trimmed
    across the line (not along it, which spared the first and last letters),
    and the span's own letters are checked gone."""
    import re

    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_text((72, 100), "Statement of Orla Penhallow about the incident on the high street.", fontsize=11)
    page.insert_text((40, 700), "Prepared by Orla Penhallow for the committee", fontsize=9, rotate=90)
    src = tmp_path / "margin.pdf"
    doc.save(src)
    result = scanner.scan_file(src)
    assert sum(f.text == "Orla Penhallow" for f in result.findings) == 2
    out = tmp_path / "out.pdf"
    outcome = redact_and_verify(src, plan_from_findings(result.findings), out, tmp_path / "work", settings)
    assert outcome.ok, [f"{c.name}: {c.detail}" for c in outcome.report.failures()]
    text = pymupdf.open(out)[0].get_text()
    between = re.search(r"Prepared by(.*?)for the committee", text, re.S)
    assert between is not None and between.group(1).strip() == "", repr(text)
    assert "Statement of" in text and "about the incident" in text
