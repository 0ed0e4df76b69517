"""The formats a document can have, each offering the same operations.

``Document.open`` picks one by the file's kind (``ingest.kind_of``, the one
place that decides it); every stage then asks the document's format: open
and probe it, give its stored text to the census, scan it with the
scanner's reader for the format, redact and verify it, verify a finished
file. Adding a format is one class here, with its reader, redactor and
verifier in their stages.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import pymupdf
from pymupdf import mupdf

from redact.apply import Applied, Plan
from redact.apply.docx import redact_docx
from redact.apply.pdf import redact_pdf
from redact.apply.plan import expectations
from redact.apply.text import redact_text
from redact.config import Settings
from redact.exceptions import BadInputError, EncryptedError
from redact.ingest import kind_of
from redact.ingest.docx import read_docx_texts
from redact.ingest.ocr import engine_for
from redact.ingest.pdf import REPAIRED, open_for_reading, open_pdf, was_repaired
from redact.ingest.text import read_text_file
from redact.models import PageText
from redact.verify import Expectation, VerifyReport
from redact.verify.docx import verify_docx
from redact.verify.pdf import add_second_look, verify_pdf
from redact.verify.text import verify_text

if TYPE_CHECKING:
    from redact.detect.policy import NumberContext
    from redact.detect.scan import PageProgress, Scanner, ScanResult
    from redact.pipeline.document import Document
    from redact.verify.second_look import SecondLook


class Format(Protocol):
    """What every format offers."""

    kind: str

    def open(self, path: Path, settings: Settings, password: str | None) -> tuple[pymupdf.Document | None, list[str]]:
        """The open file (PDF only) and notes on what opening changed."""

    def probe(self, path: Path, max_file_mb: float) -> None:
        """Refuse, with its error, a file that scanning would refuse."""

    def text_layers(self, document: Document) -> list[str]:
        """Its text as stored, without OCR (the shared-number census)."""

    def parts(self, document: Document) -> list[tuple[str, str]]:
        """Its text as scanning reads it, by page or part, with the part's
        name: the offsets of a finding count from the start of its part."""

    def scan(self, scanner: Scanner, document: Document, progress: PageProgress | None,
             numbers: NumberContext | None) -> ScanResult:
        """Its findings."""

    def redact(self, document: Document, plan: Plan, out: Path,
               second_look: SecondLook | None) -> tuple[Applied, VerifyReport]:
        """Write the redacted copy to ``out`` and verify it."""

    def verify(self, path: Path, expectations: list[Expectation]) -> VerifyReport:
        """Verify a finished output file."""


class PdfFormat:
    """PDF: opened once (hidden layers on, annotations drawn in), read page by page with boxes."""

    kind = "pdf"

    def open(self, path: Path, settings: Settings, password: str | None) -> tuple[pymupdf.Document | None, list[str]]:
        return open_for_reading(path, password=password, max_pages=settings.max_pages,
                                max_file_mb=settings.max_file_mb)

    def probe(self, path: Path, max_file_mb: float) -> None:
        with contextlib.suppress(EncryptedError):  # its password is given to scan and apply
            open_pdf(path, max_file_mb=max_file_mb).close()

    def text_layers(self, document: Document) -> list[str]:
        assert document.pdf is not None
        return [page.get_text("text", flags=0) for page in document.pdf]

    def parts(self, document: Document) -> list[tuple[str, str]]:
        assert document.pdf is not None
        return [(f"page {n}", document.cache.get(n).text) for n in range(1, document.pdf.page_count + 1)]

    def scan(self, scanner: Scanner, document: Document, progress: PageProgress | None,
             numbers: NumberContext | None) -> ScanResult:
        assert document.pdf is not None
        result = scanner.scan_pdf(document.pdf, document.path, progress, cache=document.cache, numbers=numbers)
        result.notes[:0] = document.notes
        return result

    def redact(self, document: Document, plan: Plan, out: Path,
               second_look: SecondLook | None) -> tuple[Applied, VerifyReport]:
        pdf, cache, settings = document.pdf, document.cache, document.settings
        assert pdf is not None
        if was_repaired(pdf) and not settings.accept_repaired:
            raise BadInputError(f"{document.path.name}: {REPAIRED}; after checking, apply with --accept-repaired "
                                "(setting accept_repaired)")
        look = None
        if second_look is not None:  # read before redaction changes the pages; the text only, not its boxes
            read = {n: cache.get(n).text for n in range(1, pdf.page_count + 1)}
            look = second_look.reading(lambda page: read.get(page or 0, ""))
        try:
            applied = redact_pdf(pdf, plan, out, label=settings.box_label, cache=cache, ocr=engine_for(settings),
                                 text_layer=settings.ocr_text_layer)
        except mupdf.FzErrorBase as exc:  # a broken object MuPDF meets only while rewriting the file
            raise BadInputError(f"{document.path.name}: damaged PDF, MuPDF cannot rewrite it "
                                f"({str(exc).strip()[:160]})") from exc
        report = verify_pdf(out, expectations(applied), applied.under, ocr=engine_for(settings),
                            boxes=applied.boxes, second_look=look)
        return applied, report

    def verify(self, path: Path, expectations: list[Expectation]) -> VerifyReport:
        return verify_pdf(path, expectations)


class DocxFormat:
    """Word: every part read (body, headers, footers, notes, comments), each a page of text."""

    kind = "docx"

    def open(self, path: Path, settings: Settings, password: str | None) -> tuple[pymupdf.Document | None, list[str]]:
        return None, []

    def probe(self, path: Path, max_file_mb: float) -> None:
        read_docx_texts(path, max_file_mb)

    def text_layers(self, document: Document) -> list[str]:
        settings = document.settings
        return [text for _, text in read_docx_texts(document.path, settings.max_file_mb, settings.max_inflated_mb)]

    def parts(self, document: Document) -> list[tuple[str, str]]:
        settings = document.settings
        return read_docx_texts(document.path, settings.max_file_mb, settings.max_inflated_mb)

    def scan(self, scanner: Scanner, document: Document, progress: PageProgress | None,
             numbers: NumberContext | None) -> ScanResult:
        return scanner.scan_docx(document.path, progress, numbers)

    def redact(self, document: Document, plan: Plan, out: Path,
               second_look: SecondLook | None) -> tuple[Applied, VerifyReport]:
        settings, source = document.settings, document.path
        applied = redact_docx(source, plan, out, settings.max_file_mb, settings.max_inflated_mb)
        report = verify_docx(out, expectations(applied))
        if second_look is not None:
            before = dict(read_docx_texts(source, settings.max_file_mb, settings.max_inflated_mb))
            after = read_docx_texts(out, settings.max_file_mb, settings.max_inflated_mb)
            look = second_look.reading(lambda part: before.get(after[(part or 1) - 1][0], ""))
            add_second_look(report, look, [PageText(i, text) for i, (_, text) in enumerate(after, start=1)])
        return applied, report

    def verify(self, path: Path, expectations: list[Expectation]) -> VerifyReport:
        return verify_docx(path, expectations)


class TextFormat:
    """Plain text and e-mail: one page of text, no boxes."""

    kind = "text"

    def open(self, path: Path, settings: Settings, password: str | None) -> tuple[pymupdf.Document | None, list[str]]:
        return None, []

    def probe(self, path: Path, max_file_mb: float) -> None:
        read_text_file(path, max_file_mb)

    def text_layers(self, document: Document) -> list[str]:
        return [read_text_file(document.path, document.settings.max_file_mb).text]

    def parts(self, document: Document) -> list[tuple[str, str]]:
        return [("text", read_text_file(document.path, document.settings.max_file_mb).text)]

    def scan(self, scanner: Scanner, document: Document, progress: PageProgress | None,
             numbers: NumberContext | None) -> ScanResult:
        return scanner.scan_text(document.path, progress, numbers)

    def redact(self, document: Document, plan: Plan, out: Path,
               second_look: SecondLook | None) -> tuple[Applied, VerifyReport]:
        text = read_text_file(document.path, document.settings.max_file_mb).text
        out_text, applied = redact_text(text, plan)
        out.write_text(out_text, encoding="utf-8")
        look = second_look.reading(lambda _: text) if second_look is not None else None
        return applied, verify_text(out, expectations(applied), look)

    def verify(self, path: Path, expectations: list[Expectation]) -> VerifyReport:
        return verify_text(path, expectations)


FORMATS: dict[str, Format] = {f.kind: f for f in (PdfFormat(), DocxFormat(), TextFormat())}


def format_of(path: Path) -> Format:
    """The format of ``path`` by its kind; an unsupported file raises ``BadInputError``."""
    return FORMATS[kind_of(path)]
