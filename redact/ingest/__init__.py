"""Reading inputs: PDFs (text layer with character boxes), text and e-mail files."""

from __future__ import annotations

import hashlib
from pathlib import Path

from redact.exceptions import BadInputError, TooLargeError

PDF_SUFFIXES = {".pdf"}
TEXT_SUFFIXES = {".txt", ".eml"}
DOCX_SUFFIXES = {".docx"}
SUPPORTED_SUFFIXES = PDF_SUFFIXES | TEXT_SUFFIXES | DOCX_SUFFIXES


def kind_of(path: Path) -> str:
    """``pdf``, ``docx`` or ``text`` by the file name; anything else is refused."""
    suffix = path.suffix.lower()
    if suffix in PDF_SUFFIXES:
        return "pdf"
    if suffix in DOCX_SUFFIXES:
        return "docx"
    if suffix in TEXT_SUFFIXES:
        return "text"
    raise BadInputError(
        f"{path.name}: unsupported file type {suffix or '(none)'}; supported: "
        + ", ".join(sorted(SUPPORTED_SUFFIXES))
    )


def check_size(path: Path, max_file_mb: float) -> int:
    """Refuse missing, empty and oversized files before opening them."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise BadInputError(f"{path}: cannot read: {exc.strerror}") from exc
    if not path.is_file():
        raise BadInputError(f"{path}: not a file")
    if size == 0:
        raise BadInputError(f"{path.name}: empty file (0 bytes)")
    if size > max_file_mb * 1024 * 1024:
        raise TooLargeError(
            f"{path.name}: {size / 1048576:.0f} MB is over the limit of {max_file_mb:.0f} MB "
            "(setting max_file_mb)"
        )
    return size


def sha256_file(path: Path) -> str:
    """SHA-256 of a file, read in 1 MiB blocks."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def supported_files(paths: list[Path]) -> list[Path]:
    """Files as given, and the supported files under any folder given (hidden
    folders and files skipped), in name order."""
    out: list[Path] = []
    for path in paths:
        if not path.is_dir():
            out.append(path)
            continue
        out += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
                      and not any(part.startswith(".") for part in p.relative_to(path).parts))
    return out
