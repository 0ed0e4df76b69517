"""One input document, opened once for every stage."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

import pymupdf

from redact.config import Settings
from redact.ingest.ocr import engine_for
from redact.ingest.pdf import PageCache
from redact.pipeline.formats import Format, format_of


@dataclass
class Document:
    """A document as the pipeline reads it: its format (``formats.format_of``,
    decided here and nowhere else) and, for a PDF, the open file
    (hidden layers on, annotations drawn into the page), the page cache
    that scanning, redaction and the second look share, and what opening
    changed (``notes``). Close it, or use it in a ``with`` block."""

    path: Path
    format: Format
    settings: Settings
    pdf: pymupdf.Document | None = None
    notes: list[str] = field(default_factory=list)
    _cache: PageCache | None = field(default=None, repr=False)

    @classmethod
    def open(cls, path: Path, settings: Settings, password: str | None = None) -> Document:
        """Open ``path``; a bad file raises its ``RedactError`` here."""
        fmt = format_of(path)
        pdf, notes = fmt.open(path, settings, password)
        return cls(path, fmt, settings, pdf, notes)

    @property
    def kind(self) -> str:
        """``pdf``, ``docx`` or ``text``."""
        return self.format.kind

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
        return self.format.text_layers(self)

    def parts(self) -> list[tuple[str, str]]:
        """Its text as scanning reads it, by page or part, each with its name
        (the review desk shows a Word or text document this way)."""
        return self.format.parts(self)

    def close(self) -> None:
        """Close the open file, if any."""
        if self.pdf is not None:
            self.pdf.close()

    def __enter__(self) -> Document:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()
