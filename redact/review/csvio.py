"""Export findings to a CSV worksheet and import decisions from it.

Reviewers fill the ``action`` column (approve, reject, edit), a ``reason``
and, for edits, ``new_text`` or ``new_exemption``. The columns ``last_*``
show the finding's latest decision as context; it is never recorded again.

An import is one record of one reviewer's work: every row is validated
first, then all decisions are written in one transaction under the importing
reviewer (a killed import applies nothing). A row whose finding was decided
again after the export is a conflict, reported and not applied, unless that
later decision is already the one the row asks for (a re-run of the same
worksheet changes nothing).

The worksheet is opened in spreadsheets, so the export writes UTF-8 with a
byte-order mark and neutralises cells that a spreadsheet would run as a
formula (a leading ``'``, removed again on import); the import reads UTF-8
with or without a BOM, UTF-16 and Windows-1252 (Excel's 'CSV' on Windows).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from redact.exceptions import CaseError
from redact.store.db import Decision, FindingFilter, Store

COLUMNS = ["finding_id", "document", "page", "type", "text", "score", "recogniser", "proposed", "policy_reason",
           "status", "exemption", "decision_id", "last_reviewer", "last_decided_at", "last_reason",
           "action", "reason", "new_text", "new_exemption"]
ACTIONS = {"approve", "reject", "edit"}
# what a spreadsheet reads as the start of a formula (OWASP: CSV injection)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> str:
    """A cell a spreadsheet shows as text: a leading quote before a formula start."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def restore(value: str | None) -> str:
    """The cell as exported: the quote that ``neutralise`` added is removed."""
    text = value or ""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_START) else text


def export_csv(store: Store, path: Path, flt: FindingFilter | None = None) -> int:
    """Write the findings to ``path`` (whole or not at all); return the row count."""
    rows = store.findings(flt)
    tmp = path.with_name(path.name + ".part")
    with tmp.open("w", newline="", encoding="utf-8-sig") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        for r in rows:
            writer.writerow({key: neutralise(value) for key, value in {
                "finding_id": r.id, "document": r.document, "page": r.page, "type": r.type,
                "text": r.decided_text or r.text, "score": round(r.score, 3),
                "recogniser": r.recogniser, "proposed": r.proposed_action,
                "policy_reason": r.policy_reason, "status": r.status,
                "exemption": r.decided_exemption or r.exemption, "decision_id": r.decision_id or "",
                "last_reviewer": r.reviewer or "", "last_decided_at": r.decided_at or "",
                "last_reason": r.reason or "", "action": "", "reason": "", "new_text": "", "new_exemption": "",
            }.items()})
    tmp.replace(path)
    return len(rows)


@dataclass
class ImportResult:
    """What an import did."""

    applied: int = 0
    unchanged: int = 0
    already: int = 0
    conflicts: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def read_worksheet(path: Path) -> list[dict[str, str]]:
    """The worksheet's rows, whatever encoding a spreadsheet saved it in."""
    if not path.is_file():
        raise CaseError(f"{path}: no such file")
    text = decode(path.read_bytes(), path.name)
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise CaseError(f"{path.name}: line {reader.line_num}: not readable as CSV ({exc})") from exc
    missing = {"finding_id", "action", "decision_id"} - set(reader.fieldnames or [])
    if missing:
        raise CaseError(f"{path.name}: not a review worksheet (missing columns: {', '.join(sorted(missing))})")
    return rows


def decode(data: bytes, name: str) -> str:
    """UTF-8 (with or without a BOM), UTF-16 with a BOM, or Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise CaseError(f"{name}: damaged UTF-16 at byte {exc.start}") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise CaseError(f"{name}: line {line}: not UTF-8, UTF-16 or Windows-1252 text; save it as "
                        "'CSV UTF-8'") from exc


def import_csv(store: Store, path: Path, reviewer: str) -> ImportResult:
    """Validate every row first; record all decisions in one transaction,
    under ``reviewer``, only when no row is invalid."""
    result = ImportResult()
    rows = read_worksheet(path)
    todo: list[tuple[int, str, Decision]] = []
    for n, row in enumerate(rows, start=2):
        action = (row.get("action") or "").strip().lower()
        if not action:
            result.unchanged += 1
            continue
        if action not in ACTIONS:
            result.errors.append(f"line {n}: action {action!r} is not approve, reject or edit")
            continue
        try:
            fid = int(row["finding_id"])
            store.finding(fid)
        except (ValueError, CaseError):
            result.errors.append(f"line {n}: unknown finding_id {row.get('finding_id')!r}")
            continue
        new_text = restore(row.get("new_text")).strip() or None
        new_code = restore(row.get("new_exemption")).strip() or None
        if action == "edit" and not (new_text or new_code):
            result.errors.append(f"line {n}: edit needs new_text or new_exemption")
            continue
        reason = restore(row.get("reason")).strip() if "last_reason" in row else ""
        decision = Decision(fid, action, reason or "imported from worksheet", new_text, new_code)
        todo.append((n, (row.get("decision_id") or "").strip(), decision))
    if result.errors:
        return result
    outcome = store.decide_rows(todo, reviewer)
    result.applied, result.already = outcome.applied, outcome.already
    result.conflicts = outcome.conflicts
    return result
