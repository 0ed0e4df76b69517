"""A case is a folder: ``case.yaml``, ``review.db``, ``originals/`` (read-only
copies of what was added) and ``out/`` (verified outputs only)."""

from __future__ import annotations

import hashlib
import shutil
import stat
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from redact.exceptions import CaseError, ConfigError
from redact.ingest import check_size, kind_of
from redact.store.db import Store
from redact.store.migrations import utc_now

CASE_FILE = "case.yaml"
STORE_FILE = "review.db"


class CaseInfo(BaseModel):
    """The request this case answers (issue 5 adds the requester and questions)."""

    model_config = ConfigDict(extra="allow")

    reference: str
    received: date
    created_at: str


@dataclass
class Case:
    """An open case folder."""

    root: Path
    info: CaseInfo
    store: Store

    @property
    def originals(self) -> Path:
        """Read-only copies of the documents."""
        return self.root / "originals"

    @property
    def out(self) -> Path:
        """Verified outputs."""
        return self.root / "out"

    @property
    def work(self) -> Path:
        """Scratch space on the same file system, so outputs move atomically."""
        return self.root / ".work"

    def original_path(self, rel: str) -> Path:
        """The stored original of a document."""
        return self.root / rel

    def close(self) -> None:
        """Close the store."""
        self.store.close()


def init_case(root: Path, reference: str, received: date) -> Case:
    """Create a new case folder."""
    if (root / CASE_FILE).exists():
        raise CaseError(f"{root} is already a case (it has {CASE_FILE})")
    if root.exists() and any(root.iterdir()):
        raise CaseError(f"{root} exists and is not empty; choose a new folder for the case")
    info = CaseInfo(reference=reference, received=received, created_at=utc_now())
    for sub in ("originals", "out", ".work"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    (root / CASE_FILE).write_text(
        yaml.safe_dump(info.model_dump(mode="json"), sort_keys=False), encoding="utf-8"
    )
    return Case(root=root, info=info, store=Store(root / STORE_FILE))


def open_case(root: Path) -> Case:
    """Open an existing case, validating ``case.yaml``."""
    path = root / CASE_FILE
    if not path.is_file():
        raise CaseError(f"{root} is not a case (no {CASE_FILE}); create one with 'redact init'")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        info = CaseInfo(**data)
    except (yaml.YAMLError, TypeError) as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        raise ConfigError(f"{path}: {'.'.join(str(p) for p in first['loc'])}: {first['msg']}") from exc
    for sub in ("originals", "out", ".work"):
        (root / sub).mkdir(exist_ok=True)
    return Case(root=root, info=info, store=Store(root / STORE_FILE))


def sha256_file(path: Path) -> str:
    """SHA-256 of a file, read in blocks."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


@dataclass
class Added:
    """What happened to one file given to ``redact add``."""

    source: Path
    document_id: int
    name: str
    duplicate: bool


def add_file(case: Case, source: Path, max_file_mb: float) -> Added:
    """Copy an original into the case, read-only, recording its SHA-256.

    The same content added twice is one document.
    """
    kind = kind_of(source)
    size = check_size(source, max_file_mb)
    digest = sha256_file(source)
    name = source.name
    stem, suffix = source.stem, source.suffix
    n = 2
    while case.store.name_taken(name) or (case.originals / name).exists():
        existing = case.store.conn.execute("SELECT sha256 FROM documents WHERE name = ?", (name,)).fetchone()
        if existing and existing["sha256"] == digest:
            break
        name = f"{stem}-{n}{suffix}"
        n += 1
    rel = f"originals/{name}"
    doc_id, added = case.store.add_document(digest, name, rel, kind, size)
    if not added:
        row = case.store.document(doc_id)
        return Added(source, doc_id, row["name"], duplicate=True)
    target = case.root / rel
    tmp = case.work / f"{name}.part"
    shutil.copyfile(source, tmp)
    tmp.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    tmp.replace(target)
    return Added(source, doc_id, name, duplicate=False)
