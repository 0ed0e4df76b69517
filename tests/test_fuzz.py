"""Fuzzing the readers: mutated PDF, Word, e-mail and worksheet files either
read or fail with a documented error (a RedactError: exit 3 to 7), never
with anything else (exit 15, a bug). A short run is part of `make test`;
`make fuzz` runs many more examples (FUZZ_EXAMPLES)."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from redact.exceptions import RedactError
from tests.pdfs import adversarial_docx, text_pdf

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
SEEDS = Path(tempfile.mkdtemp(prefix="redact-fuzz-seeds-"))


def _seed(kind: str) -> bytes:
    path = SEEDS / f"seed.{kind}"
    if not path.exists():
        if kind == "pdf":
            text_pdf(path, ["Statement of Orla Penhallow, 01632 960412.", "orla@example.org"])
        elif kind == "docx":
            adversarial_docx(path)
        elif kind == "eml":
            path.write_bytes(b"From: Orla Penhallow <orla@example.org>\r\nSubject: call\r\n"
                             b"Content-Type: text/plain; charset=utf-8\r\n\r\nCall me on 01632 960412.\r\n")
        else:
            path.write_bytes(b"\xef\xbb\xbffinding_id,document,action,decision_id,reason\r\n1,a.pdf,approve,,ok\r\n")
    return path.read_bytes()


@st.composite
def mutated(draw: st.DrawFn, kind: str) -> bytes:
    data = bytearray(_seed(kind))
    for _ in range(draw(st.integers(1, 4))):
        how = draw(st.sampled_from(["truncate", "flip", "insert", "delete"]))
        at = draw(st.integers(0, max(0, len(data) - 1)))
        if how == "truncate":
            data = data[:at]
        elif how == "flip" and data:
            data[at] ^= draw(st.integers(1, 255))
        elif how == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=64))
        elif data:
            del data[at:at + draw(st.integers(1, 64))]
    return bytes(data)


def _read_pdf(path: Path) -> None:
    from redact.ingest.pdf import PageCache, open_pdf

    doc = open_pdf(path)
    try:
        cache = PageCache(doc)
        for number in range(1, doc.page_count + 1):
            cache.get(number)
    finally:
        doc.close()


def _read_docx(path: Path) -> None:
    from redact.ingest.docx import read_docx_texts

    read_docx_texts(path)


def _read_eml(path: Path) -> None:
    from redact.ingest.text import read_text_file

    read_text_file(path)


def _read_csv(path: Path) -> None:
    from redact.review.csvio import read_worksheet

    read_worksheet(path)


READERS: dict[str, Callable[[Path], None]] = {"pdf": _read_pdf, "docx": _read_docx, "eml": _read_eml,
                                              "csv": _read_csv}


@pytest.mark.parametrize("kind", sorted(READERS))
def test_mutated_files_read_or_fail_with_a_documented_error(kind: str) -> None:
    folder = Path(tempfile.mkdtemp(prefix="redact-fuzz-"))

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(mutated(kind))
    def run(data: bytes) -> None:
        path = folder / f"sample.{kind}"
        path.write_bytes(data)
        with contextlib.suppress(RedactError):  # a documented refusal, exit 3 to 7; anything else fails
            READERS[kind](path)

    try:
        run()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
