"""A case is a folder: ``case.yaml``, ``review.db``, ``originals/`` (read-only
copies of what was added) and ``out/`` (verified outputs only)."""

from __future__ import annotations

import shutil
import stat
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from redact.config import read_yaml_mapping
from redact.exceptions import CaseError, ConfigError
from redact.ingest import check_size, sha256_file
from redact.pipeline.formats import format_of
from redact.store.db import Store
from redact.store.migrations import utc_now

CASE_FILE = "case.yaml"
CASE_TEMPLATE = """# The request. Fill in the requester, the questions and their outcomes
# before 'redact pack'. Outcomes: disclosed, partly_disclosed, withheld,
# not_held, ncnd, s12, s14, s21. Exemption codes come from rules/exemptions.yaml;
# a qualified exemption needs a 'balance' written for this case.
{body}requester:
  name: Requester
  address: []
  email: null
questions: []
#  - text: Please send your information sharing procedure.
#    outcome: partly_disclosed
#    exemptions:
#      - code: s40(2)
#      - code: s31(1)(a)
#        balance: Why the public interest favours withholding in this case.
signatory:
  role: Disclosure Officer
"""
STORE_FILE = "review.db"


Outcome = Literal["disclosed", "partly_disclosed", "withheld", "not_held", "ncnd", "s12", "s14", "s21"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Requester(_Strict):
    """Who asked; their own details may appear in the letter."""

    name: str = "Requester"
    address: list[str] = Field(default_factory=list)
    email: str | None = None


class ExemptionUse(_Strict):
    """An exemption relied on for a question; any paragraph overrides the register."""

    code: str
    reason: str | None = None
    public_interest_for: str | None = None
    public_interest_against: str | None = None
    balance: str | None = None
    pi_pending: bool = False
    pi_decision_by: date | None = None


class Question(_Strict):
    """One part of the request and what the answer is."""

    text: str
    outcome: Outcome = "disclosed"
    answer: str = ""
    exemptions: list[ExemptionUse] = Field(default_factory=list)
    searches: list[str] = Field(default_factory=list)
    where: str | None = None
    advice: str | None = None


class Signatory(_Strict):
    """Letters are signed by role."""

    role: str = "Disclosure Officer"


class Review(_Strict):
    """An internal review of the response."""

    received: date
    outcome: str = ""


class CaseInfo(_Strict):
    """The request this case answers, as kept in ``case.yaml``."""

    reference: str
    received: date
    created_at: str
    requester: Requester = Field(default_factory=Requester)
    questions: list[Question] = Field(default_factory=list)
    clarified: date | None = None
    fee_notice: date | None = None
    fee_paid: date | None = None
    pi_extension: int | None = None
    review: Review | None = None
    signatory: Signatory = Field(default_factory=Signatory)
    letter: str | None = None


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

    def __enter__(self) -> Case:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def init_case(root: Path, reference: str, received: date, request_file: Path | None = None) -> Case:
    """Create a new case folder; ``request_file`` pre-fills case.yaml (requester,
    questions, signatory) and is validated first."""
    if (root / CASE_FILE).exists():
        raise CaseError(f"{root} is already a case (it has {CASE_FILE})")
    if root.exists() and any(root.iterdir()):
        raise CaseError(f"{root} exists and is not empty; choose a new folder for the case")
    request = read_yaml_mapping(request_file, "request") if request_file is not None else {}
    try:
        info = CaseInfo.model_validate({**request, "reference": reference, "received": received,
                                        "created_at": utc_now()})
    except ValidationError as exc:
        first = exc.errors()[0]
        raise ConfigError(f"{request_file}: {'.'.join(str(p) for p in first['loc'])}: {first['msg']}") from exc
    for sub in ("originals", "out", ".work"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    if request:
        text = yaml.safe_dump(info.model_dump(mode="json", exclude_none=True), sort_keys=False, allow_unicode=True)
    else:
        text = CASE_TEMPLATE.format(body=yaml.safe_dump(
            info.model_dump(mode="json", include={"reference", "received", "created_at"}), sort_keys=False))
    (root / CASE_FILE).write_text(text, encoding="utf-8")
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
    fmt = format_of(source)
    size = check_size(source, max_file_mb)
    fmt.probe(source, max_file_mb)  # a file that scan would refuse is refused now
    digest = sha256_file(source)
    name = source.name
    stem, suffix = source.stem, source.suffix
    n = 2
    while case.store.name_taken(name) or (case.originals / name).exists():
        if case.store.sha256_of(name) == digest:
            break
        name = f"{stem}-{n}{suffix}"
        n += 1
    rel = f"originals/{name}"
    doc_id, added = case.store.add_document(digest, name, rel, fmt.kind, size)
    if not added:
        row = case.store.document(doc_id)
        return Added(source, doc_id, row["name"], duplicate=True)
    target = case.root / rel
    tmp = case.work / f"{name}.part"
    shutil.copyfile(source, tmp)
    tmp.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    tmp.replace(target)
    return Added(source, doc_id, name, duplicate=False)
