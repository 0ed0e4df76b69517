"""Export findings to a CSV worksheet and import decisions from it.

Reviewers fill the ``action`` column (approve, reject, edit) and, for edits,
``new_text`` or ``new_exemption``. On import each row is validated; a row
whose finding was decided again after the export (its ``decision_id`` is no
longer the latest) is a conflict: it is reported and not applied.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from redact.exceptions import CaseError
from redact.store.db import FindingFilter, Store

COLUMNS = ["finding_id", "document", "page", "type", "text", "score", "recogniser", "proposed", "policy_reason",
           "status", "exemption", "decision_id", "reviewer", "decided_at", "reason",
           "action", "new_text", "new_exemption"]
ACTIONS = {"approve", "reject", "edit"}


def export_csv(store: Store, path: Path, flt: FindingFilter | None = None) -> int:
    """Write the findings to ``path``; return the row count."""
    rows = store.findings(flt)
    tmp = path.with_name(path.name + ".part")
    with tmp.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        for r in rows:
            writer.writerow({
                "finding_id": r["id"], "document": r["document"], "page": r["page"], "type": r["type"],
                "text": r["decided_text"] or r["text"], "score": round(r["score"], 3),
                "recogniser": r["recogniser"], "proposed": r["proposed_action"],
                "policy_reason": r["policy_reason"], "status": r["status"],
                "exemption": r["decided_exemption"] or r["exemption"], "decision_id": r["decision_id"] or "",
                "reviewer": r["reviewer"] or "", "decided_at": r["decided_at"] or "", "reason": r["reason"] or "",
                "action": "", "new_text": "", "new_exemption": "",
            })
    tmp.replace(path)
    return len(rows)


@dataclass
class ImportResult:
    """What an import did."""

    applied: int = 0
    unchanged: int = 0
    conflicts: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def import_csv(store: Store, path: Path, reviewer: str) -> ImportResult:
    """Validate every row first; apply only when no row is invalid."""
    result = ImportResult()
    if not path.is_file():
        raise CaseError(f"{path}: no such file")
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        missing = {"finding_id", "action", "decision_id"} - set(reader.fieldnames or [])
        if missing:
            raise CaseError(f"{path.name}: not a review worksheet (missing columns: {', '.join(sorted(missing))})")
        rows = list(reader)
    todo = []
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
            current = store.finding(fid)
        except (ValueError, CaseError):
            result.errors.append(f"line {n}: unknown finding_id {row.get('finding_id')!r}")
            continue
        exported = (row.get("decision_id") or "").strip()
        latest = str(current["decision_id"] or "")
        if exported != latest:
            result.conflicts.append(
                f"finding {fid}: decided again at {current['decided_at']} by {current['reviewer']} "
                "after this worksheet was exported; row not applied")
            continue
        new_text = (row.get("new_text") or "").strip() or None
        new_code = (row.get("new_exemption") or "").strip() or None
        if action == "edit" and not (new_text or new_code):
            result.errors.append(f"line {n}: edit needs new_text or new_exemption")
            continue
        todo.append((fid, action, new_text, new_code, (row.get("reason") or "").strip(),
                     (row.get("reviewer") or "").strip()))
    if result.errors:
        return result
    for fid, action, new_text, new_code, reason, row_reviewer in todo:
        store.decide([fid], action, row_reviewer if row_reviewer and action else reviewer,
                     reason or "imported from worksheet", text=new_text, exemption=new_code)
        result.applied += 1
    return result
