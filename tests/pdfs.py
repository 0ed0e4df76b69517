"""Build test PDFs in code: invented people, drama-range numbers, example domains."""

from __future__ import annotations

from pathlib import Path

import pymupdf

NAME = "Marguerite Vandersloot"
EMAIL = "m.vandersloot@example.org"
PHONE = "01632 960545"


def text_pdf(path: Path, lines: list[str], *, author: str | None = None, fontsize: float = 11) -> Path:
    """A one-page PDF with one line per string."""
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    y = 80.0
    for line in lines:
        page.insert_text((72, y), line, fontsize=fontsize, fontname="helv")
        y += fontsize * 1.6
    if author:
        doc.set_metadata({"author": author, "title": f"Notes by {author}", "subject": author})
    doc.save(path)
    doc.close()
    return path


def adversarial_pdf(path: Path) -> Path:
    """One PDF holding the personal data in every hiding place FOI.md lists."""
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_text((72, 80), f"Report prepared by {NAME} for the panel.", fontsize=11)
    page.insert_text((72, 110), f"Contact {EMAIL} or telephone {PHONE}.", fontsize=11)
    # hidden text (render mode 3) and white text
    page.insert_text((72, 140), f"Reviewed by {NAME}", fontsize=11, render_mode=3)
    page.insert_text((72, 170), f"Cc {NAME}", fontsize=11, color=(1, 1, 1))
    # text under a drawn black box
    page.insert_text((72, 200), f"Witness {NAME} attended.", fontsize=11)
    page.draw_rect(pymupdf.Rect(110, 188, 260, 204), color=(0, 0, 0), fill=(0, 0, 0))
    # an image under the name's box (pixels must change)
    pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 40, 10), False)
    pix.set_rect(pix.irect, (200, 30, 30))
    page.insert_image(pymupdf.Rect(160, 70, 300, 84), pixmap=pix, overlay=False)
    # a link, an annotation, a form field
    page.insert_link({"kind": pymupdf.LINK_URI, "from": pymupdf.Rect(72, 100, 300, 112), "uri": f"mailto:{EMAIL}"})
    annot = page.add_text_annot((400, 80), f"Check with {NAME}")
    annot.set_info(title=NAME)
    annot.update()
    widget = pymupdf.Widget()
    widget.field_type = pymupdf.PDF_WIDGET_TYPE_TEXT
    widget.field_name = "officer"
    widget.field_value = NAME
    widget.rect = pymupdf.Rect(72, 700, 300, 720)
    page.add_widget(widget)
    # outline, metadata, XMP, attachment, JavaScript
    doc.set_toc([[1, f"Statement of {NAME}", 1]])
    doc.set_metadata({"author": NAME, "title": f"Statement of {NAME}", "keywords": EMAIL})
    doc.set_xml_metadata(f"<x:xmpmeta xmlns:x='adobe:ns:meta/'><dc>{NAME}</dc></x:xmpmeta>")
    doc.embfile_add("notes.txt", f"{NAME} {PHONE}".encode(), filename="notes.txt")
    doc.xref_set_key(doc.pdf_catalog(), "OpenAction", f"<</S/JavaScript/JS(app.alert('{NAME}'))>>")
    # a hidden optional-content layer
    ocg = doc.add_ocg("Private notes", on=False)
    page.insert_text((72, 260), f"Layer note about {NAME}", fontsize=11, oc=ocg)
    doc.save(path)
    doc.close()
    # an earlier revision: append an incremental update that changes the title
    doc = pymupdf.open(path)
    doc.set_metadata({"author": NAME, "title": "Final"})
    doc.saveIncr()
    doc.close()
    return path


def image_only_pdf(path: Path) -> Path:
    """A page that is only an image (a scan without OCR)."""
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 100, 100), False)
    pix.set_rect(pix.irect, (240, 240, 240))
    page.insert_image(page.rect, pixmap=pix)
    doc.save(path)
    doc.close()
    return path


def encrypted_pdf(path: Path, password: str = "s3cret") -> Path:
    """A PDF that needs a password to open."""
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 80), f"Officer {NAME}")
    doc.save(path, encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw=password, owner_pw=password + "!")
    doc.close()
    return path


def many_pages_pdf(path: Path, pages: int) -> Path:
    """A long PDF with the name on the last page."""
    doc = pymupdf.open()
    for i in range(pages):
        page = doc.new_page(width=595, height=842)
        page.insert_text((72, 80), f"Procedure page {i + 1}. All staff must follow this procedure.")
    doc[-1].insert_text((72, 120), f"Owner: {NAME}")
    doc.save(path)
    doc.close()
    return path


def text_in_image_pdf(path: Path, line: str) -> Path:
    """A text page that also carries a picture of a typed line (a pasted scan)."""
    pic = pymupdf.open()
    pp = pic.new_page(width=300, height=40)
    pp.insert_text((8, 26), line, fontsize=14)
    pix = pp.get_pixmap(dpi=200)
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_text((72, 80), "Statement received from the witness, copy below.", fontsize=11)
    page.insert_image(pymupdf.Rect(72, 100, 372, 140), pixmap=pix)
    doc.save(path)
    doc.close()
    return path


def adversarial_docx(path: Path) -> Path:
    """A Word file with the name in every part FOI.md and PITFALLS.md list."""
    from docx import Document
    from docx.oxml import parse_xml

    doc = Document()
    doc.sections[0].header.paragraphs[0].text = f"Prepared by {NAME}"
    doc.sections[0].footer.paragraphs[0].text = f"Contact {EMAIL}"
    p = doc.add_paragraph("Statement taken by ")
    first, last = NAME.split()
    p.add_run(first[:4]).bold = True          # the name split across three runs
    p.add_run(first[4:] + " ")
    p.add_run(last).italic = True
    p.add_run(" on Monday.")
    doc.add_paragraph(f"Ring {PHONE} for details.")
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    deleted = doc.add_paragraph("The witness was ")
    deleted._p.append(parse_xml(f'<w:del {w} w:id="91" w:author="{NAME}" w:date="2025-01-01T00:00:00Z">'
                                f'<w:r><w:delText>{NAME}</w:delText></w:r></w:del>'))
    deleted._p.append(parse_xml(f'<w:ins {w} w:id="92" w:author="Reviewer" w:date="2025-01-01T00:00:00Z">'
                                f'<w:r><w:t>a neighbour</w:t></w:r></w:ins>'))
    hidden = doc.add_paragraph("Visible text. ")
    hidden._p.append(parse_xml(f'<w:r {w}><w:rPr><w:vanish/></w:rPr><w:t>Hidden note about {NAME}</w:t></w:r>'))
    box = doc.add_paragraph()
    box._p.append(parse_xml(
        f'<w:r {w} xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape><v:textbox><w:txbxContent>'
        f'<w:p><w:r><w:t>Text box: {NAME}</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r>'))
    commented = doc.add_paragraph("Please check this paragraph.")
    doc.add_comment(commented.runs, text=f"Ask {NAME} to confirm", author=NAME, initials="MV")
    table = doc.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Officer"
    table.rows[0].cells[1].text = NAME
    doc.core_properties.author = NAME
    doc.core_properties.last_modified_by = NAME
    doc.core_properties.title = f"Statement of {NAME}"
    doc.save(path)
    return path


# Invented people for multi-document corpora (none is a real person).
PEOPLE = [("Marguerite", "Vandersloot"), ("Tobias", "Quenell"), ("Ottilie", "Brackenbury"),
          ("Cassius", "Fernleigh"), ("Philippa", "Ormerod-Vance"), ("Ignatius", "Pellow")]


def policy_folder(folder: Path, documents: int, pages: int) -> list[Path]:
    """A folder of policy PDFs: prose, an owner footer on every page, named
    officers with ranks and titles, drama-range numbers and example e-mails."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for d in range(documents):
        doc = pymupdf.open()
        for p in range(pages):
            first, last = PEOPLE[(d + p) % len(PEOPLE)]
            other_first, other_last = PEOPLE[(d + p + 3) % len(PEOPLE)]
            page = doc.new_page(width=595, height=842)
            lines = [
                f"Records Retention Procedure {d + 1}, section {p + 1}",
                "Records must be reviewed no later than two years after the last action.",
                f"Queries go to DS {last}, who can be contacted on 01632 960{100 + d * 10 + p:03d}.",
                f"The review was approved by Mrs {other_first[0]} {other_last} of the Records Unit.",
                "Where personal data is disclosed in error, the incident must be reported.",
                f"Document owner: {first} {last} | {first.lower()}.{last.lower()}@example.org",
            ]
            y = 80.0
            for line in lines:
                page.insert_text((72, y), line, fontsize=10, fontname="helv")
                y += 18
        path = folder / f"policy-{d + 1:02d}.pdf"
        doc.save(path)
        doc.close()
        paths.append(path)
    return paths


def drawn_apart_pdf(path: Path, name: str, phone: str) -> Path:
    """A name letter-spaced in one TJ array (a kerning number after every
    glyph) and a phone number drawn one glyph per text object, right to left."""
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_text((72, 80), "Statement of the officer in the case.", fontname="helv", fontsize=11)
    spaced = " ".join(f"({c})-400" for c in name)
    x, placed = 72.0, []
    for c in phone:
        placed.append((c, x))
        x += pymupdf.get_text_length(c, fontname="helv", fontsize=11)
    reversed_ops = " ".join(f"BT /helv 11 Tf 1 0 0 1 {x:.2f} 682 Tm ({c}) Tj ET" for c, x in reversed(placed))
    content = f"q BT /helv 11 Tf 1 0 0 1 72 722 Tm [{spaced}] TJ ET {reversed_ops} Q"
    xref = doc.get_new_xref()
    doc.update_object(xref, "<<>>")
    doc.update_stream(xref, content.encode("latin-1"))
    contents = " ".join(f"{c} 0 R" for c in [*page.get_contents(), xref])
    doc.xref_set_key(page.xref, "Contents", f"[{contents}]")
    doc.save(path)
    doc.close()
    return path


def hidden_places_pdf(path: Path, name: str) -> Path:
    """The name shown once in the body, and hidden: drawn below the crop box,
    as a marked-content /ActualText, and as a figure's /Alt in the structure
    tree and in its marked content."""
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_text((72, 80), f"Report prepared by {name} for the panel.", fontname="helv", fontsize=11)
    page.insert_text((72, 120), "The panel met on Monday.", fontname="helv", fontsize=11)
    page.insert_text((72, 830), f"Draft note: ask {name}", fontname="helv", fontsize=11)  # below the crop box
    marked = (f"q /Span <</ActualText ({name})>> BDC BT /helv 11 Tf 1 0 0 1 72 650 Tm (Signed) Tj ET EMC "
              f"/Figure <</Alt (Photograph of {name})>> BDC 0 0 1 rg 72 560 40 30 re f EMC Q")
    xref = doc.get_new_xref()
    doc.update_object(xref, "<<>>")
    doc.update_stream(xref, marked.encode("latin-1"))
    contents = " ".join(f"{c} 0 R" for c in [*page.get_contents(), xref])
    doc.xref_set_key(page.xref, "Contents", f"[{contents}]")
    element = doc.get_new_xref()
    doc.update_object(element, f"<</Type/StructElem/S/Figure/Alt(Photograph of {name})/Pg {page.xref} 0 R>>")
    root = doc.get_new_xref()
    doc.update_object(root, f"<</Type/StructTreeRoot/K [{element} 0 R]>>")
    doc.xref_set_key(doc.pdf_catalog(), "StructTreeRoot", f"{root} 0 R")
    page.set_cropbox(pymupdf.Rect(0, 0, 595, 800))  # the last line falls outside
    doc.save(path)
    doc.close()
    return path
