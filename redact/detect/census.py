"""Phone numbers that recur across the documents of one batch or case.

A team line or switchboard is printed in many of an authority's documents; a
person's direct dial usually in few. Before any document is scanned, every
file's text layer is read once for UK numbers (the ``uk_phone`` recogniser,
no model), and each number is counted once per document. The s40 policy
then treats a number found in at least ``s40.shared_number_min_documents``
documents as a team line, unless a name, personal e-mail or direct-line word
is beside it (``redact.detect.policy``).

The census reads text layers only (no OCR), so a number printed only in
scanned pages is not counted: it stays personal, the safe side.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path

from redact.config import Settings
from redact.detect.recognizers.uk_phone import UkPhoneRecognizer
from redact.normalise import identity
from redact.pipeline import Document

_PHONES = UkPhoneRecognizer()


def numbers_in_text(text: str) -> set[str]:
    """The national digits of every UK number in ``text`` (service numbers
    such as 101 are left to ``s40.public_numbers``)."""
    found = {identity(text[r.start:r.end], "PHONE") for r in _PHONES.analyze(text, ["PHONE"])}
    return {n for n in found if len(n) >= 10}


def _read(path: Path, settings: Settings, password: str | None) -> tuple[set[str], str]:
    """A file's UK numbers and a digest of its text (whitespace collapsed):
    copies of one document, whatever their names or formats, share it."""
    try:
        with Document.open(path, settings, password) as document:
            texts = document.text_layers()
    except Exception:  # noqa: BLE001 - advisory: the file's own scan reports its error in its boundary
        return set(), ""
    content = " ".join(" ".join(texts).split())
    digest = hashlib.sha256(content.encode("utf-8")).hexdigest() if content else ""
    return set().union(*(numbers_in_text(t) for t in texts)), digest


def census(paths: Iterable[Path], settings: Settings, min_documents: int,
           password: str | None = None) -> tuple[dict[Path, set[str]], dict[str, int]]:
    """Each file's UK numbers, and the numbers shared by at least
    ``min_documents`` distinct documents: copies count once, whether they are
    byte-identical, hold the same text, or are one letter saved as Word and as
    PDF (the same name but for the extension). Nothing is read when
    ``min_documents`` is 0."""
    if min_documents <= 0:
        return {}, {}
    read = {p: _read(p, settings, password) for p in paths}
    per_file = {p: numbers for p, (numbers, _) in read.items()}
    groups = _Groups()
    for path, (_, digest) in read.items():
        groups.join(("file", str(path)), ("stem", path.stem.casefold()))
        if digest:
            groups.join(("file", str(path)), ("text", digest))
    per_document: dict[object, set[str]] = {}
    for path, numbers in per_file.items():
        per_document.setdefault(groups.find(("file", str(path))), set()).update(numbers)
    return per_file, shared_numbers(per_document.values(), min_documents)


class _Groups:
    """Union-find over keys: files joined by a shared name or shared text."""

    def __init__(self) -> None:
        self.parent: dict[object, object] = {}

    def find(self, key: object) -> object:
        self.parent.setdefault(key, key)
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def join(self, a: object, b: object) -> None:
        self.parent[self.find(a)] = self.find(b)


def shared_numbers(per_document: Iterable[set[str]], min_documents: int) -> dict[str, int]:
    """Number -> how many documents hold it, for the numbers in at least
    ``min_documents`` of them."""
    counts: Counter[str] = Counter()
    for numbers in per_document:
        counts.update(numbers)
    return {n: c for n, c in counts.items() if c >= min_documents}


def shared_in(numbers: set[str], shared: Mapping[str, int]) -> dict[str, int]:
    """The shared numbers one document holds, with their counts: what its
    classification depends on (a batch re-uses an earlier output only if
    these numbers are unchanged)."""
    return {n: shared[n] for n in sorted(numbers) if n in shared}
