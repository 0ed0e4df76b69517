"""Word files: every part detected, redacted and verified; nothing left in the XML."""

from __future__ import annotations

import zipfile
from pathlib import Path

from docx import Document

from redact.apply.plan import plan_from_findings
from redact.ingest.docx import read_docx_texts
from redact.process import redact_and_verify
from tests.pdfs import EMAIL, NAME, PHONE, adversarial_docx


def test_every_part_is_read(tmp_path: Path) -> None:
    parts = dict(read_docx_texts(adversarial_docx(tmp_path / "in.docx")))
    assert {"body", "header1", "footer1", "comments", "properties"} <= set(parts)
    body = parts["body"]
    assert f"Statement taken by {NAME} on Monday." in body  # joined across runs
    assert f"The witness was {NAME}a neighbour" in body  # the tracked deletion is read too
    assert f"Text box: {NAME}" in body and f"Hidden note about {NAME}" in body
    assert NAME in parts["comments"] and NAME in parts["properties"]


def test_docx_redacted_and_verified(tmp_path: Path, scanner, settings) -> None:
    src = adversarial_docx(tmp_path / "in.docx")
    result = scanner.scan_file(src)
    assert {f.explanation["part"] for f in result.findings if NAME.split()[1] in f.text} >= {
        "body", "header1", "comments", "properties"}
    out = tmp_path / "out.docx"
    outcome = redact_and_verify(src, plan_from_findings(result.findings), out, tmp_path / "work", settings)
    assert outcome.ok, [f"{c.name}: {c.detail}" for c in outcome.report.failures()]
    with zipfile.ZipFile(out) as zf:
        for name in zf.namelist():
            blob = zf.read(name)
            assert b"Vandersloot" not in blob and b"vandersloot" not in blob.lower(), name
            assert b"960545" not in blob, name
            assert b"w:del>" not in blob and b"w:vanish" not in blob and b"w:commentReference" not in blob
        assert not [n for n in zf.namelist() if "comments" in n]
    doc = Document(str(out))
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "Statement taken by [s40(2)] on Monday." in body
    assert "The witness was a neighbour" in body and "Visible text." in body
    assert doc.core_properties.author == "" and doc.core_properties.last_modified_by == ""
    assert doc.sections[0].header.paragraphs[0].text == "Prepared by [s40(2)]"
    assert "Officer" in doc.tables[0].rows[0].cells[0].text
    # formatting of the surrounding runs is kept
    assert any(r.bold for r in doc.paragraphs[0].runs)


def test_mark_length_does_not_depend_on_the_name(tmp_path: Path, settings, scanner) -> None:
    lengths = []
    for i, name in enumerate(["Al Bo", "Maximiliana Featherstonehaugh-Vandersloot"]):
        doc = Document()
        doc.add_paragraph(f"Officer {name} attended.")
        src = tmp_path / f"in{i}.docx"
        doc.save(src)
        from redact.models import Finding

        plan = plan_from_findings([Finding("PERSON", name, None, 0, 0, 1.0, "t")])
        out = tmp_path / f"out{i}.docx"
        assert redact_and_verify(src, plan, out, tmp_path / "work", settings).ok
        lengths.append(len(Document(str(out)).paragraphs[0].text))
    assert lengths[0] == lengths[1]


def test_docx_in_batch_and_bad_docx(tmp_path: Path) -> None:
    from tests.test_cli import invoke

    src = tmp_path / "in"
    src.mkdir()
    adversarial_docx(src / "statement.docx")
    (src / "broken.docx").write_bytes(b"not a zip at all")
    code, out, err = invoke("batch", str(src), "--out", str(tmp_path / "out"), "--workers", "1", "--json")
    assert code == 10
    assert "broken.docx" in err and "not a Word document" in err
    with zipfile.ZipFile(tmp_path / "out" / "statement.docx") as zf:
        assert all(b"Vandersloot" not in zf.read(n) for n in zf.namelist())
    assert EMAIL and PHONE


def _rewrite(src: Path, dest: Path, part: str, data: bytes, compress: int = zipfile.ZIP_DEFLATED) -> Path:
    """A copy of ``src`` with one part replaced."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename != part:
                zout.writestr(info, zin.read(info.filename))
        zout.writestr(part, data, compress_type=compress)
    return dest


def test_hostile_word_files_are_refused_one_by_one_and_the_batch_goes_on(tmp_path: Path) -> None:
    """A DTD with entities (billion laughs), a part that inflates past the
    limit (a zip bomb), a part whose deflate data is damaged: each gets its
    own one-line refusal and code; the good file is released."""
    from tests.test_cli import invoke

    src = tmp_path / "in"
    src.mkdir()
    good = adversarial_docx(src / "statement.docx")
    with zipfile.ZipFile(good) as zf:
        body = zf.read("word/document.xml")
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
              + body.split(b"?>", 1)[1])
    _rewrite(good, tmp_path / "laughs.docx", "word/document.xml", laughs).rename(src / "laughs.docx")
    _rewrite(good, tmp_path / "bomb.docx", "word/media/filler.bin", b"\0" * (3 * 1024 * 1024)).rename(src / "bomb.docx")
    damaged = _rewrite(good, tmp_path / "damaged.docx", "word/document.xml", body)
    raw = bytearray(damaged.read_bytes())
    at = raw.find(b"word/document.xml", 40) + 60  # inside that part's deflate data
    raw[at:at + 40] = b"\xff" * 40
    (src / "damaged.docx").write_bytes(bytes(raw))
    (tmp_path / "cfg.yaml").write_text("max_inflated_mb: 2\n")
    code, out, err = invoke("--config", str(tmp_path / "cfg.yaml"), "batch", str(src), "--out", str(tmp_path / "out"),
                            "--workers", "1")
    assert code == 10, err
    assert "laughs.docx" in err and "DTD" in err
    assert "bomb.docx" in err and "inflate" in err
    assert "damaged.docx" in err
    assert (tmp_path / "out" / "statement.docx").is_file()
    assert "Traceback" not in err and "bug" not in err.lower()
