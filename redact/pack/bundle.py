"""``redact pack``: the whole disclosure, consistent with what was applied.

The pack is assembled in the case's scratch folder and renamed into
``CASE/out/pack-<reference>/`` (with a ``.zip`` beside it) only when every
check passes: nothing pending, every document released and verified, every
qualified exemption balanced, and no approved personal-data string in a
released file name or in the letter (the requester's own details excepted).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import uuid
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from docx import Document

from redact import __version__
from redact.api import stale_documents
from redact.case import Case
from redact.config import Settings
from redact.detect.rules import RuleSet
from redact.exceptions import PackError
from redact.ingest import sha256_file
from redact.normalise import needle_pattern, normalise
from redact.pack.authority import load_authority
from redact.pack.deadline import Calendar, Deadline, request_deadline
from redact.pack.letter import build_context, choose_kind, exemptions_cited, load_template, render_letter
from redact.pack.schedule import build_schedule, write_schedule_csv
from redact.process import write_json
from redact.store.db import FindingFilter


@dataclass
class PackResult:
    """Where the pack went and what it holds."""

    folder: Path
    zip_path: Path
    letter: str
    manifest: dict[str, Any]


def case_deadline(case: Case, settings: Settings) -> tuple[Deadline, Calendar]:
    """The request's deadline from ``case.yaml`` and the authority's calendar."""
    authority = load_authority(settings.authority_file)
    calendar = Calendar(authority.extra_non_working_days)
    info = case.info
    try:
        deadline = request_deadline(calendar, info.received, clarified=info.clarified, fee_notice=info.fee_notice,
                                    fee_paid=info.fee_paid, pi_extension=info.pi_extension)
    except ValueError as exc:
        raise PackError(f"case.yaml dates: {exc}") from exc
    return deadline, calendar


def safe_name(text: str) -> str:
    """A file-name-safe version of a reference."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-") or "case"


def make_pack(case: Case, settings: Settings, rules: RuleSet, today: date, kind: str | None = None) -> PackResult:
    """Build the pack or raise ``PackError`` saying what stops it."""
    store = case.store
    pending = store.findings(FindingFilter(status="pending"))
    if pending:
        raise PackError(f"{len(pending)} finding(s) still pending review; decide them before packing")
    documents = store.documents()
    outputs = {o["document_id"]: o for o in store.outputs()}
    for doc in documents:
        out = outputs.get(doc["id"])
        if out is None:
            raise PackError(f"{doc['name']} has no output yet; run 'redact apply' first")
        if not out["verified"]:
            raise PackError(f"{doc['name']} failed verification; it cannot be released")
        path = case.root / out["path"]
        if not path.is_file() or sha256_file(path) != out["sha256"]:
            raise PackError(f"{out['path']} is missing or changed since it was verified; run 'redact apply' again")
    stale = stale_documents(case)
    if stale:
        raise PackError(f"{len(stale)} output(s) predate later decisions or marks: {', '.join(stale)}; "
                        "run 'redact apply' again")
    authority = load_authority(settings.authority_file)
    deadline, _ = case_deadline(case, settings)
    schedule = build_schedule(store)
    info = case.info
    letter_kind = kind or choose_kind(info, redacted=bool(schedule))
    template = load_template(settings.templates_dir, letter_kind)
    exemptions = exemptions_cited(info, rules, schedule)
    names = [d["name"] for d in documents]
    context = build_context(info, authority, deadline, exemptions, schedule, names, today)

    ref = safe_name(info.reference)
    work = case.work / f"pack-{uuid.uuid4().hex[:8]}"
    (work / "documents").mkdir(parents=True)
    try:
        for doc in documents:
            shutil.copy2(case.root / outputs[doc["id"]]["path"], work / "documents" / doc["name"])
        letter_path = work / f"letter-{ref}.docx"
        render_letter(template, context, letter_path)
        _maybe_pdf(letter_path)
        write_schedule_csv(schedule, work / "redaction-schedule.csv")
        reports = case.root / "reports"
        (work / "verification").mkdir()
        for report in sorted(reports.glob("*")):
            shutil.copy2(report, work / "verification" / report.name)
        _check_personal_data(case, work, letter_path)
        manifest = _manifest(case, rules, work, deadline, letter_kind, today)
        write_json(work / "manifest.json", manifest)
        folder = case.out / f"pack-{ref}"
        zip_path = case.out / f"pack-{ref}.zip"
        tmp_zip = work.with_suffix(".zip")
        with zipfile.ZipFile(tmp_zip, "w", zipfile.ZIP_DEFLATED) as zf:
            for f in sorted(work.rglob("*")):
                if f.is_file():
                    zf.write(f, f"pack-{ref}/{f.relative_to(work).as_posix()}")
        if folder.exists():
            shutil.rmtree(folder)
        work.replace(folder)
        tmp_zip.replace(zip_path)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        work.with_suffix(".zip").unlink(missing_ok=True)
    return PackResult(folder=folder, zip_path=zip_path, letter=letter_kind, manifest=manifest)


def _maybe_pdf(letter: Path) -> None:
    """A PDF copy of the letter when LibreOffice is installed (never required)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice:
        subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(letter.parent), str(letter)],
                       capture_output=True, timeout=120, check=False)


def docx_text(path: Path) -> str:
    """All text of a .docx: paragraphs, tables, headers and footers."""
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    for section in doc.sections:
        parts += [p.text for p in section.header.paragraphs] + [p.text for p in section.footer.paragraphs]
    return "\n".join(parts)


def _check_personal_data(case: Case, work: Path, letter: Path) -> None:
    """No approved personal-data string in a file name or in the letter,
    other than the requester's own details."""
    info = case.info
    own = normalise(" ".join([info.requester.name, info.requester.email or "", *info.requester.address]))
    approved = {r.decided_text or r.text for r in case.store.findings(FindingFilter(status="approved"))}
    strings = [s for s in approved if normalise(s) and normalise(s) not in own]
    names = normalise(" ".join(p.name for p in work.rglob("*")))
    letter_text = normalise(docx_text(letter))
    leaks = [s for s in strings if needle_pattern(s).search(names)]
    leaks += [s for s in strings if needle_pattern(s).search(letter_text)]
    if leaks:
        raise PackError("personal data in the pack's file names or letter: " + ", ".join(sorted(set(leaks))[:5]))


def _manifest(case: Case, rules: RuleSet, work: Path, deadline: Deadline, kind: str, today: date) -> dict[str, Any]:
    decisions = case.store.decisions()
    reviewers: dict[str, dict[str, Any]] = {}
    for d in decisions:
        r = reviewers.setdefault(d["reviewer"], {"reviewer": d["reviewer"], "decisions": 0,
                                                  "first": d["decided_at"], "last": d["decided_at"]})
        r["decisions"] += 1
        r["last"] = d["decided_at"]
    files = [{"path": f.relative_to(work).as_posix(), "sha256": sha256_file(f), "size": f.stat().st_size}
             for f in sorted(work.rglob("*")) if f.is_file()]
    return {
        "reference": case.info.reference, "generated": today.isoformat(), "tool_version": __version__,
        "rules_digest": rules.digest, "letter": kind, "deadline": deadline.as_dict(),
        "reviewers": list(reviewers.values()), "files": files,
    }


def manifest_matches(folder: Path) -> list[str]:
    """Files whose hash or size differs from the manifest (empty = all match)."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    bad = []
    for f in manifest["files"]:
        path = folder / f["path"]
        if not path.is_file() or sha256_file(path) != f["sha256"] or path.stat().st_size != f["size"]:
            bad.append(f["path"])
    return bad
