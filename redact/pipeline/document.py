"""One input document, opened once for every stage."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

import pymupdf

from redact.config import Settings
from redact.ingest import kind_of
from redact.ingest.docx import read_docx_texts
from redact.ingest.ocr import engine_for
from redact.ingest.pdf import PageCache, open_for_reading
from redact.ingest.text import read_text_file


@dataclass
class Document:
    """A document as the pipeline reads it: its kind (``pdf``, ``docx`` or
    ``text``: decided here and nowhere else) and, for a PDF, the open file
    (hidden layers on, annotations drawn into the page), the page cache
    that scanning, redaction and the second look share, and what opening
    changed (``notes``). Close it, or use it in a ``with`` block."""

    path: Path
    kind: str
    settings: Settings
    pdf: pymupdf.Document | None = None
    notes: list[str] = field(default_factory=list)
    _cache: PageCache | None = field(default=None, repr=False)

    @classmethod
    def open(cls, path: Path, settings: Settings, password: str | None = None) -> Document:
        """Open ``path``; a bad file raises its ``RedactError`` here."""
        kind = kind_of(path)
        if kind == "pdf":
            pdf, notes = open_for_reading(path, password=password, max_pages=settings.max_pages,
                                          max_file_mb=settings.max_file_mb)
            return cls(path, kind, settings, pdf, notes)
        return cls(path, kind, settings)

    @property
    def cache(self) -> PageCache:
        """The PDF's page texts, read once (OCR as the settings say, the engine made on first need)."""
        if self.pdf is None:
            raise TypeError(f"{self.path.name} is not a PDF")
        if self._cache is None:
            self._cache = PageCache(self.pdf, ocr=engine_for(self.settings))
        return self._cache

    def text_layers(self) -> list[str]:
        """Its text as stored, without OCR (the shared-number census): per
        page of a PDF, per part of a Word file, the whole of a text file."""
        if self.pdf is not None:
            return [page.get_text("text", flags=0) for page in self.pdf]
        if self.kind == "docx":
            return [text for _, text in read_docx_texts(self.path, self.settings.max_file_mb,
                                                        self.settings.max_inflated_mb)]
        return [read_text_file(self.path, self.settings.max_file_mb).text]

    def close(self) -> None:
        """Close the open file, if any."""
        if self.pdf is not None:
            self.pdf.close()

    def __enter__(self) -> Document:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()
