"""SQLite review store: documents, findings, decisions, manual redactions, outputs.

Each decision is committed as it is made (WAL journal), so a crash or Ctrl-C
loses nothing already decided. A finding's status is its latest decision.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from redact.exceptions import CaseError
from redact.models import Finding, Veto
from redact.store.migrations import migrate, utc_now

STATUS_SQL = """
SELECT f.*, doc.name AS document,
       d.id AS decision_id, d.action AS action, d.text AS decided_text,
       d.exemption AS decided_exemption, d.reviewer AS reviewer,
       d.decided_at AS decided_at, d.reason AS reason,
       CASE WHEN d.action IS NULL THEN 'pending'
            WHEN d.action = 'reopen' THEN 'pending'
            WHEN d.action = 'reject' THEN 'rejected' ELSE 'approved' END AS status
FROM findings f
JOIN documents doc ON doc.id = f.document_id
LEFT JOIN decisions d ON d.id = (SELECT MAX(id) FROM decisions WHERE finding_id = f.id)
WHERE doc.removed_at IS NULL
"""


@dataclass(frozen=True)
class StoredFinding:
    """A finding as the case keeps it, with its latest decision (``status``:
    pending, approved or rejected; ``decided_text`` when a reviewer edited
    the text)."""

    id: int
    document_id: int
    document: str
    page: int | None
    type: str
    text: str
    start: int
    end: int
    boxes: list[list[float]]
    score: float
    recogniser: str
    explanation: dict[str, Any]
    public: int  # 0 or 1, as stored (and as `review --json` has always shown it)
    policy_reason: str
    proposed_action: str
    exemption: str
    created_at: str
    status: str
    decision_id: int | None = None
    action: str | None = None
    decided_text: str | None = None
    decided_exemption: str | None = None
    reviewer: str | None = None
    decided_at: str | None = None
    reason: str | None = None

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> StoredFinding:
        """From a row of ``STATUS_SQL``."""
        values = dict(row)
        values["boxes"] = json.loads(values["boxes"])
        values["explanation"] = json.loads(values["explanation"])
        return cls(**values)

    @property
    def shown_text(self) -> str:
        """The text as decided: a reviewer's edit, else as found."""
        return self.decided_text or self.text

    def to_json(self) -> dict[str, Any]:
        """The `redact review --json` record (the store's columns, in order)."""
        return {name: getattr(self, name) for name in _COLUMNS}


_COLUMNS = ("id", "document_id", "page", "type", "text", "start", "end", "boxes", "score", "recogniser",
            "explanation", "public", "policy_reason", "proposed_action", "exemption", "created_at", "document",
            "decision_id", "action", "decided_text", "decided_exemption", "reviewer", "decided_at", "reason",
            "status")


@dataclass(frozen=True)
class ManualMark:
    """A reviewer's own redaction, as the case keeps it: a string, a pattern, an area or a whole page."""

    kind: str  # text | regex | area | page
    exemption: str
    pattern: str | None = None
    page: int | None = None
    rect: tuple[float, float, float, float] | None = None
    id: int | None = None
    document_id: int | None = None  # None: every document of the case
    reviewer: str = ""

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> ManualMark:
        """From a row of ``manual_redactions``; the area as stored (a plan's digest must not change)."""
        rect = None
        if row["rect"]:
            x0, y0, x1, y1 = json.loads(row["rect"])
            rect = (x0, y0, x1, y1)
        return cls(row["kind"], row["exemption"], row["pattern"], row["page"], rect, row["id"],
                   row["document_id"], row["reviewer"])


@dataclass(frozen=True)
class DroppedSpan:
    """A span that a named check dropped, as the store keeps it."""

    document: str
    page: int | None
    text: str
    check: str
    reason: str


@dataclass(frozen=True)
class Decision:
    """One reviewer decision to record on a finding."""

    finding_id: int
    action: str
    reason: str = ""
    text: str | None = None
    exemption: str | None = None


@dataclass
class DecideOutcome:
    """What a batch of worksheet decisions did."""

    applied: int = 0
    already: int = 0
    conflicts: list[str] = field(default_factory=list)


@dataclass
class FindingFilter:
    """Which findings a review command acts on; empty fields match all."""

    ids: Sequence[int] = ()
    document_id: int | None = None
    document: str | None = None
    page: int | None = None
    type: str | None = None
    status: str | None = None
    text: str | None = None
    recogniser: str | None = None
    public: bool | None = None

    def sql(self) -> tuple[str, list[Any]]:
        """A WHERE clause over STATUS_SQL's columns and its parameters."""
        where: list[str] = []
        params: list[Any] = []
        if self.ids:
            where.append(f"id IN ({','.join('?' * len(self.ids))})")
            params.extend(self.ids)
        if self.document_id is not None:
            where.append("document_id = ?")
            params.append(self.document_id)
        if self.document:
            where.append("(document = ? OR document LIKE ?)")
            params += [self.document, f"%{self.document}%"]
        if self.page is not None:
            where.append("page = ?")
            params.append(self.page)
        if self.type:
            where.append("type = ?")
            params.append(self.type.upper())
        if self.status:
            where.append("status = ?")
            params.append(self.status)
        if self.text:
            where.append("lower(text) LIKE ?")
            params.append(f"%{self.text.lower()}%")
        if self.recogniser:
            where.append("recogniser = ?")
            params.append(self.recogniser)
        if self.public is not None:
            where.append("public = ?")
            params.append(int(self.public))
        return (" WHERE " + " AND ".join(where)) if where else "", params


class Store:
    """The case's review database."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.conn = sqlite3.connect(path, timeout=30, isolation_level=None)
        except sqlite3.Error as exc:
            raise CaseError(f"cannot open review store {path}: {exc}") from exc
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA foreign_keys=ON")
        self.conn.execute("PRAGMA synchronous=FULL")
        migrate(self.conn)

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All or nothing."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    # documents -----------------------------------------------------------
    def add_document(self, sha256: str, name: str, path: str, kind: str, size: int) -> tuple[int, bool]:
        """Record a document; return (id, added) where added is False for a duplicate."""
        row = self.conn.execute("SELECT id FROM documents WHERE sha256 = ?", (sha256,)).fetchone()
        if row:
            return int(row["id"]), False
        cur = self.conn.execute(
            "INSERT INTO documents (sha256, name, path, kind, size, added_at) VALUES (?, ?, ?, ?, ?, ?)",
            (sha256, name, path, kind, size, utc_now()),
        )
        return int(cur.lastrowid or 0), True

    def documents(self) -> list[sqlite3.Row]:
        """Every document still in the case, in the order added."""
        return list(self.conn.execute("SELECT * FROM documents WHERE removed_at IS NULL ORDER BY id"))

    def remove_document(self, doc_id: int, reviewer: str, reason: str) -> None:
        """Take a document out of the case: it, its findings and their
        decisions stay in the store as a record; who, when and why are kept."""
        with self.transaction() as conn:
            conn.execute("UPDATE documents SET removed_at = ?, removed_by = ?, removed_reason = ? "
                         "WHERE id = ? AND removed_at IS NULL", (utc_now(), reviewer, reason, doc_id))

    def sha256_of(self, name: str) -> str | None:
        """The content digest of the document called ``name``, if there is one."""
        row = self.conn.execute("SELECT sha256 FROM documents WHERE name = ?", (name,)).fetchone()
        return None if row is None else str(row["sha256"])

    def document(self, doc_id: int) -> sqlite3.Row:
        """One document by id."""
        row = self.conn.execute("SELECT * FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            raise CaseError(f"no document with id {doc_id}")
        return row

    def name_taken(self, name: str) -> bool:
        """True when a document of this name is already in the case."""
        return self.conn.execute("SELECT 1 FROM documents WHERE name = ?", (name,)).fetchone() is not None

    # findings ------------------------------------------------------------
    def save_scan(self, doc_id: int, pages: int, findings: Iterable[Finding], notes: list[str],
                  dropped: Iterable[Veto] = ()) -> int:
        """Store a scan: undecided findings are replaced, decided ones kept;
        the spans that named checks dropped replace those of the last scan.

        Returns the number of new findings.
        """
        added = 0
        now = utc_now()
        with self.transaction() as conn:
            conn.execute(
                "DELETE FROM findings WHERE document_id = ? AND id NOT IN (SELECT finding_id FROM decisions)",
                (doc_id,),
            )
            for f in findings:
                cur = conn.execute(
                    """INSERT OR IGNORE INTO findings (document_id, page, type, text, start, end, boxes, score,
                       recogniser, explanation, public, policy_reason, proposed_action, exemption, created_at)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    (doc_id, f.page, f.type, f.text, f.start, f.end, json.dumps(f.boxes), f.score, f.recogniser,
                     json.dumps(f.explanation), int(f.public), f.policy_reason, f.proposed_action, f.exemption,
                     now),
                )
                added += cur.rowcount
            conn.execute("DELETE FROM dropped_spans WHERE document_id = ?", (doc_id,))
            conn.executemany(
                "INSERT INTO dropped_spans (document_id, page, text, check_name, reason) VALUES (?, ?, ?, ?, ?)",
                [(doc_id, v.page, v.text, v.check, v.reason) for v in dropped],
            )
            conn.execute(
                "UPDATE documents SET pages = ?, scanned_at = ?, scan_notes = ? WHERE id = ?",
                (pages, now, json.dumps(notes), doc_id),
            )
        return added

    def dropped_spans(self, text: str | None = None, document: str | None = None) -> list[DroppedSpan]:
        """Spans a recogniser proposed and a named check dropped, optionally
        only those holding ``text`` (case-insensitive) or of one document."""
        sql = ("SELECT d.name AS document, s.page, s.text, s.check_name, s.reason FROM dropped_spans s "
               "JOIN documents d ON d.id = s.document_id WHERE 1 = 1")
        params: list[Any] = []
        if text:
            sql += " AND instr(lower(s.text), lower(?)) > 0"
            params.append(text)
        if document:
            sql += " AND d.name = ?"
            params.append(document)
        rows = self.conn.execute(sql + " ORDER BY s.document_id, s.page, s.id", params)
        return [DroppedSpan(r["document"], r["page"], r["text"], r["check_name"], r["reason"]) for r in rows]

    def findings(self, flt: FindingFilter | None = None) -> list[StoredFinding]:
        """Findings with their current status, filtered."""
        where, params = (flt or FindingFilter()).sql()
        sql = f"SELECT * FROM ({STATUS_SQL}){where} ORDER BY document_id, page, start"
        return [StoredFinding.from_row(r) for r in self.conn.execute(sql, params)]

    def finding(self, finding_id: int) -> StoredFinding:
        """One finding with its status."""
        rows = self.findings(FindingFilter(ids=[finding_id]))
        if not rows:
            raise CaseError(f"no finding with id {finding_id}")
        return rows[0]

    def decide(
        self,
        finding_ids: Sequence[int],
        action: str,
        reviewer: str,
        reason: str = "",
        text: str | None = None,
        exemption: str | None = None,
    ) -> int:
        """Append one decision per finding, all in one transaction."""
        decided = [Decision(fid, action, reason, text, exemption) for fid in finding_ids]
        return len(self.append_decisions(decided, reviewer))

    def append_decisions(self, decisions: Sequence[Decision], reviewer: str) -> list[int]:
        """Append one decision per record, all in one transaction; return the
        new decisions' ids (the desk's undo names them)."""
        now = utc_now()
        ids = []
        with self.transaction() as conn:
            for d in decisions:
                cur = conn.execute(
                    "INSERT INTO decisions (finding_id, action, text, exemption, reviewer, decided_at, reason)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (d.finding_id, d.action, d.text, d.exemption, reviewer, now, d.reason))
                ids.append(int(cur.lastrowid or 0))
        return ids

    def latest_decision(self, finding_id: int) -> sqlite3.Row | None:
        """A finding's latest decision (None: never decided)."""
        return self.conn.execute("SELECT * FROM decisions WHERE finding_id = ? ORDER BY id DESC LIMIT 1",
                                 (finding_id,)).fetchone()

    def decision(self, decision_id: int) -> sqlite3.Row:
        """One decision by id."""
        row = self.conn.execute("SELECT * FROM decisions WHERE id = ?", (decision_id,)).fetchone()
        if row is None:
            raise CaseError(f"no decision with id {decision_id}")
        return row

    def decision_before(self, decision_id: int) -> sqlite3.Row | None:
        """The decision on the same finding just before this one (None: it was the first)."""
        return self.conn.execute(
            "SELECT * FROM decisions WHERE finding_id = (SELECT finding_id FROM decisions WHERE id = ?)"
            " AND id < ? ORDER BY id DESC LIMIT 1", (decision_id, decision_id)).fetchone()

    def decide_rows(self, rows: Sequence[tuple[int, str, Decision]], reviewer: str) -> DecideOutcome:
        """Record worksheet rows (line, the decision id exported, the decision)
        in one transaction. A finding decided again since the export is a
        conflict, unless its latest decision already is the row's (a re-run)."""
        outcome = DecideOutcome()
        now = utc_now()
        with self.transaction() as conn:
            for line, exported, d in rows:
                latest = conn.execute(
                    "SELECT id, action, text, exemption, reviewer, decided_at FROM decisions WHERE finding_id = ?"
                    " ORDER BY id DESC LIMIT 1", (d.finding_id,)).fetchone()
                if str(latest["id"] if latest else "") != exported:
                    if latest and (latest["action"], latest["text"], latest["exemption"]) == (
                            d.action, d.text, d.exemption):
                        outcome.already += 1
                        continue
                    outcome.conflicts.append(
                        f"line {line}: finding {d.finding_id} was decided again at {latest['decided_at']} by "
                        f"{latest['reviewer']} after this worksheet was exported; row not applied"
                        if latest else f"line {line}: finding {d.finding_id}: its decision was not found")
                    continue
                conn.execute(
                    "INSERT INTO decisions (finding_id, action, text, exemption, reviewer, decided_at, reason)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (d.finding_id, d.action, d.text, d.exemption, reviewer, now, d.reason))
                outcome.applied += 1
        return outcome

    def decisions(self, finding_id: int | None = None) -> list[sqlite3.Row]:
        """The decision log, oldest first."""
        if finding_id is None:
            return list(self.conn.execute("SELECT * FROM decisions ORDER BY id"))
        return list(self.conn.execute("SELECT * FROM decisions WHERE finding_id = ? ORDER BY id", (finding_id,)))

    # manual redactions ---------------------------------------------------
    def add_manual(
        self, kind: str, exemption: str, reviewer: str, *, document_id: int | None = None,
        pattern: str | None = None, page: int | None = None, rect: list[float] | None = None, reason: str = "",
    ) -> int:
        """Record a redaction a reviewer added by hand."""
        cur = self.conn.execute(
            "INSERT INTO manual_redactions (document_id, kind, pattern, page, rect, exemption, reviewer,"
            " created_at, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (document_id, kind, pattern, page, json.dumps(rect) if rect else None, exemption, reviewer,
             utc_now(), reason),
        )
        return int(cur.lastrowid or 0)

    def withdraw_manual(self, mark_id: int, reviewer: str, reason: str) -> bool:
        """Withdraw a manual redaction (it stays in the store with who, when
        and why); False when it was already withdrawn."""
        cur = self.conn.execute(
            "UPDATE manual_redactions SET withdrawn_at = ?, withdrawn_by = ?, withdrawn_reason = ?"
            " WHERE id = ? AND withdrawn_at IS NULL", (utc_now(), reviewer, reason, mark_id))
        return cur.rowcount == 1

    def append_undo_event(self, reviewer: str, event: str, step: dict[str, Any]) -> None:
        """Record that ``reviewer`` did, undid or redid ``step`` at the review desk."""
        self.conn.execute("INSERT INTO undo_events (reviewer, event, step, at) VALUES (?, ?, ?, ?)",
                          (reviewer, event, json.dumps(step), utc_now()))

    def undo_events(self, reviewer: str) -> list[tuple[str, dict[str, Any]]]:
        """``reviewer``'s desk events in order: (do | undo | redo, the step)."""
        rows = self.conn.execute("SELECT event, step FROM undo_events WHERE reviewer = ? ORDER BY id", (reviewer,))
        return [(str(r["event"]), json.loads(r["step"])) for r in rows]

    def manual_mark(self, mark_id: int) -> sqlite3.Row:
        """One manual redaction by id, withdrawn or not."""
        row = self.conn.execute("SELECT * FROM manual_redactions WHERE id = ?", (mark_id,)).fetchone()
        if row is None:
            raise CaseError(f"no manual redaction with id {mark_id}")
        return row

    def manual_redactions(self, document_id: int | None = None) -> list[ManualMark]:
        """Active manual redactions for a document (including case-wide ones)."""
        if document_id is None:
            rows = self.conn.execute("SELECT * FROM manual_redactions WHERE withdrawn_at IS NULL ORDER BY id")
        else:
            rows = self.conn.execute(
                "SELECT * FROM manual_redactions WHERE withdrawn_at IS NULL"
                " AND (document_id IS NULL OR document_id = ?) ORDER BY id", (document_id,))
        return [ManualMark.from_row(r) for r in rows]

    # outputs -------------------------------------------------------------
    def record_output(
        self, document_id: int, path: str, sha256: str, verified: bool, report: dict[str, Any],
        rules_digest: str, tool_version: str, plan_digest: str = "", pending_mode: str | None = None,
    ) -> None:
        """Record an output file, its verification result and the digest of
        the plan it was made from (so a later decision marks it stale)."""
        self.conn.execute(
            "INSERT INTO outputs (document_id, path, sha256, verified, report, rules_digest, tool_version,"
            " created_at, plan_digest, pending_mode) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (document_id, path, sha256, int(verified), json.dumps(report), rules_digest, tool_version, utc_now(),
             plan_digest, pending_mode),
        )

    def outputs(self) -> list[sqlite3.Row]:
        """Latest output per document."""
        return list(self.conn.execute(
            "SELECT o.*, d.name AS document FROM outputs o JOIN documents d ON d.id = o.document_id"
            " WHERE d.removed_at IS NULL AND o.id IN (SELECT MAX(id) FROM outputs GROUP BY document_id)"
            " ORDER BY o.document_id"))

    def pending_pages(self) -> list[tuple[int, int]]:
        """(document id, page) of every page with a pending finding, in order
        (text and Word documents are page 1): the desk's "next pending" on
        every page view, so counted in SQL rather than from the findings."""
        return [(int(r[0]), int(r[1])) for r in self.conn.execute(
            f"SELECT DISTINCT document_id, COALESCE(page, 1) FROM ({STATUS_SQL}) WHERE status = 'pending' "
            "ORDER BY 1, 2")]

    def status_counts(self) -> list[sqlite3.Row]:
        """Pending / approved / rejected counts per document."""
        return list(self.conn.execute(
            f"""SELECT doc.id, doc.name, doc.pages, doc.scanned_at, doc.scan_notes,
                   SUM(s.status = 'pending') AS pending, SUM(s.status = 'approved') AS approved,
                   SUM(s.status = 'rejected') AS rejected, COUNT(s.id) AS total
                FROM documents doc LEFT JOIN ({STATUS_SQL}) s ON s.document_id = doc.id
                WHERE doc.removed_at IS NULL GROUP BY doc.id ORDER BY doc.id"""))
