"""Pages for the desk: the original page as an image, its text as the
detector read it, and the preview of the page as it will be released.

The preview is made by the pipeline's own redaction (``Format.redact``)
from the same plan `redact apply` builds (``api.document_plan``), with
pending findings as the policy proposes, into the case's scratch folder;
it is made again whenever a decision changes the plan. Images are cached
per page, zoom and plan."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import pymupdf

from redact.api import document_plan
from redact.case import Case
from redact.config import Settings
from redact.models import PageText
from redact.pipeline import Document

PREVIEW_DIR = "desk-preview"  # under the case's .work/ (a folder: apply's scratch clean-up leaves it)


@dataclass(frozen=True)
class Preview:
    """A redacted copy made for the preview, and what its verification said."""

    path: Path
    digest: str
    verified: bool
    problems: list[str]


class Pages:
    """Open originals, page images and previews of one case, a few at a time."""

    def __init__(self, case: Case, settings: Settings, keep: int = 4, images: int = 64) -> None:
        self.case = case
        self.settings = settings
        self.keep = keep
        self.images = images
        self._open: OrderedDict[int, Document] = OrderedDict()
        self._png: OrderedDict[tuple[int, int, float, str], bytes] = OrderedDict()
        self._previews: dict[int, Preview] = {}

    def document(self, doc_id: int) -> Document:
        """The original, opened through the pipeline (hidden layers on,
        annotations drawn in, OCR for scans): the text the detector read."""
        if doc_id in self._open:
            self._open.move_to_end(doc_id)
            return self._open[doc_id]
        row = self.case.store.document(doc_id)
        document = Document.open(self.case.original_path(row["path"]), self.settings)
        self._open[doc_id] = document
        while len(self._open) > self.keep:
            self._open.popitem(last=False)[1].close()
        return document

    def page_text(self, doc_id: int, page: int) -> PageText | None:
        """A PDF page's text with its character boxes (None: not a PDF or no such page)."""
        document = self.document(doc_id)
        if document.pdf is None or not 1 <= page <= document.pdf.page_count:
            return None
        return document.cache.get(page)

    def parts(self, doc_id: int, released: bool = False) -> list[tuple[str, str]]:
        """A Word or text document's parts as read; ``released``: of the preview copy."""
        if not released:
            return self.document(doc_id).parts()
        with Document.open(self.preview(doc_id).path, self.settings) as copy:
            return copy.parts()

    def png(self, doc_id: int, page: int, zoom: float, released: bool = False) -> bytes | None:
        """The page as a PNG at ``zoom`` (None: no such page)."""
        if released:
            preview = self.preview(doc_id)
            key = (doc_id, page, zoom, preview.digest)
            if key not in self._png:
                with pymupdf.open(preview.path) as copy:
                    self._remember(key, _render(copy, page, zoom))
        else:
            key = (doc_id, page, zoom, "")
            if key not in self._png:
                pdf = self.document(doc_id).pdf
                self._remember(key, _render(pdf, page, zoom) if pdf is not None else None)
        self._png.move_to_end(key)
        return self._png[key] or None

    def preview(self, doc_id: int) -> Preview:
        """The redacted copy of the current plan, made if the plan changed."""
        plan = document_plan(self.case, doc_id, "policy")
        digest = plan.digest()
        known = self._previews.get(doc_id)
        if known is not None and known.digest == digest and known.path.is_file():
            return known
        row = self.case.store.document(doc_id)
        folder = self.case.work / PREVIEW_DIR
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{doc_id}-{digest[:16]}{Path(row['path']).suffix}"
        # a fresh open: redaction changes the open file's pages
        with Document.open(self.case.original_path(row["path"]), self.settings) as document:
            _, report = document.format.redact(document, plan, path, None)
        if known is not None and known.path != path:
            known.path.unlink(missing_ok=True)
        preview = Preview(path, digest, report.ok, [f"{c.name}: {c.detail}" for c in report.checks if not c.ok])
        self._previews[doc_id] = preview
        return preview

    def close(self) -> None:
        """Close the open originals and remove the preview copies."""
        for document in self._open.values():
            document.close()
        self._open.clear()
        for preview in self._previews.values():
            preview.path.unlink(missing_ok=True)
        self._previews.clear()

    def _remember(self, key: tuple[int, int, float, str], png: bytes | None) -> None:
        self._png[key] = png or b""
        while len(self._png) > self.images:
            self._png.popitem(last=False)


def _render(pdf: pymupdf.Document, page: int, zoom: float) -> bytes | None:
    if not 1 <= page <= pdf.page_count:
        return None
    return bytes(pdf[page - 1].get_pixmap(matrix=pymupdf.Matrix(zoom, zoom)).tobytes("png"))
