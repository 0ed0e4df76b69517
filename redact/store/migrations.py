"""Schema changes, applied in order and recorded in ``schema_migrations``.

Never edit a migration that has shipped: add a new one. Decisions are
append-only; triggers refuse UPDATE and DELETE on them.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

MIGRATIONS: list[tuple[str, str]] = [
    (
        "0001_initial",
        """
        CREATE TABLE documents (
            id INTEGER PRIMARY KEY,
            sha256 TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            path TEXT NOT NULL,
            kind TEXT NOT NULL,
            pages INTEGER,
            size INTEGER NOT NULL,
            added_at TEXT NOT NULL,
            scanned_at TEXT,
            scan_notes TEXT NOT NULL DEFAULT '[]'
        );
        CREATE TABLE findings (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES documents(id),
            page INTEGER,
            type TEXT NOT NULL,
            text TEXT NOT NULL,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            boxes TEXT NOT NULL DEFAULT '[]',
            score REAL NOT NULL,
            recogniser TEXT NOT NULL,
            explanation TEXT NOT NULL DEFAULT '{}',
            public INTEGER NOT NULL DEFAULT 0,
            policy_reason TEXT NOT NULL DEFAULT '',
            proposed_action TEXT NOT NULL CHECK (proposed_action IN ('redact', 'keep')),
            exemption TEXT NOT NULL DEFAULT 's40(2)',
            created_at TEXT NOT NULL,
            UNIQUE (document_id, page, start, end, type)
        );
        CREATE INDEX findings_document ON findings(document_id, page);
        CREATE TABLE decisions (
            id INTEGER PRIMARY KEY,
            finding_id INTEGER NOT NULL REFERENCES findings(id),
            action TEXT NOT NULL CHECK (action IN ('approve', 'reject', 'edit')),
            text TEXT,
            exemption TEXT,
            reviewer TEXT NOT NULL,
            decided_at TEXT NOT NULL,
            reason TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX decisions_finding ON decisions(finding_id, id);
        CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions
            BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;
        CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
            BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;
        CREATE TABLE manual_redactions (
            id INTEGER PRIMARY KEY,
            document_id INTEGER REFERENCES documents(id),
            kind TEXT NOT NULL CHECK (kind IN ('text', 'regex', 'area', 'page')),
            pattern TEXT,
            page INTEGER,
            rect TEXT,
            exemption TEXT NOT NULL,
            reviewer TEXT NOT NULL,
            created_at TEXT NOT NULL,
            reason TEXT NOT NULL DEFAULT '',
            withdrawn_at TEXT
        );
        CREATE TABLE outputs (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES documents(id),
            path TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            verified INTEGER NOT NULL,
            report TEXT NOT NULL,
            rules_digest TEXT NOT NULL,
            tool_version TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        """,
    ),
    (
        "0002_dropped_spans",
        """
        CREATE TABLE dropped_spans (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES documents(id),
            page INTEGER,
            text TEXT NOT NULL,
            check_name TEXT NOT NULL,
            reason TEXT NOT NULL
        );
        CREATE INDEX dropped_spans_document ON dropped_spans(document_id, page);
        """,
    ),
    (
        "0003_output_plan",
        """
        ALTER TABLE outputs ADD COLUMN plan_digest TEXT NOT NULL DEFAULT '';
        ALTER TABLE outputs ADD COLUMN pending_mode TEXT;
        """,
    ),
    (
        "0004_removed_documents",
        """
        ALTER TABLE documents ADD COLUMN removed_at TEXT;
        ALTER TABLE documents ADD COLUMN removed_by TEXT;
        ALTER TABLE documents ADD COLUMN removed_reason TEXT NOT NULL DEFAULT '';
        """,
    ),
    (
        # undo at the review desk appends a decision too: 'reopen' makes a finding pending again;
        # a manual mark undone is withdrawn (who and why kept), never deleted
        "0005_reopen_and_withdraw",
        """
        DROP TRIGGER decisions_no_update;
        DROP TRIGGER decisions_no_delete;
        ALTER TABLE decisions RENAME TO decisions_0004;
        CREATE TABLE decisions (
            id INTEGER PRIMARY KEY,
            finding_id INTEGER NOT NULL REFERENCES findings(id),
            action TEXT NOT NULL CHECK (action IN ('approve', 'reject', 'edit', 'reopen')),
            text TEXT,
            exemption TEXT,
            reviewer TEXT NOT NULL,
            decided_at TEXT NOT NULL,
            reason TEXT NOT NULL DEFAULT ''
        );
        INSERT INTO decisions SELECT * FROM decisions_0004;
        DROP TABLE decisions_0004;
        CREATE INDEX decisions_finding ON decisions(finding_id, id);
        CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions
            BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;
        CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
            BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;
        ALTER TABLE manual_redactions ADD COLUMN withdrawn_by TEXT;
        ALTER TABLE manual_redactions ADD COLUMN withdrawn_reason TEXT NOT NULL DEFAULT '';
        CREATE TRIGGER manual_withdraw_only BEFORE UPDATE ON manual_redactions
            WHEN OLD.withdrawn_at IS NOT NULL OR NEW.kind IS NOT OLD.kind OR NEW.pattern IS NOT OLD.pattern
              OR NEW.page IS NOT OLD.page OR NEW.rect IS NOT OLD.rect OR NEW.exemption IS NOT OLD.exemption
              OR NEW.reviewer IS NOT OLD.reviewer OR NEW.created_at IS NOT OLD.created_at
              OR NEW.document_id IS NOT OLD.document_id
            BEGIN SELECT RAISE(ABORT, 'a manual redaction can only be withdrawn, once'); END;
        CREATE TRIGGER manual_no_delete BEFORE DELETE ON manual_redactions
            BEGIN SELECT RAISE(ABORT, 'manual redactions are withdrawn, not deleted'); END;
        """,
    ),
    (
        # what each reviewer did, undid and redid at the review desk, so that undo and redo
        # survive a restart of `redact serve`; replayed in order, never rewritten
        "0006_desk_undo_events",
        """
        CREATE TABLE undo_events (
            id INTEGER PRIMARY KEY,
            reviewer TEXT NOT NULL,
            event TEXT NOT NULL CHECK (event IN ('do', 'undo', 'redo')),
            step TEXT NOT NULL,
            at TEXT NOT NULL
        );
        CREATE INDEX undo_events_reviewer ON undo_events(reviewer, id);
        CREATE TRIGGER undo_events_no_update BEFORE UPDATE ON undo_events
            BEGIN SELECT RAISE(ABORT, 'undo events are append-only'); END;
        CREATE TRIGGER undo_events_no_delete BEFORE DELETE ON undo_events
            BEGIN SELECT RAISE(ABORT, 'undo events are append-only'); END;
        """,
    ),
]


def utc_now() -> str:
    """An ISO 8601 UTC timestamp with seconds."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def migrate(conn: sqlite3.Connection) -> list[str]:
    """Apply every migration not yet recorded; return the names applied."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
    )
    done = {row[0] for row in conn.execute("SELECT name FROM schema_migrations")}
    applied = []
    for name, sql in MIGRATIONS:
        if name in done:
            continue
        # explicit: the store runs in autocommit mode, where ``with conn`` opens no transaction
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in _statements(sql):
                conn.execute(statement)
            conn.execute("INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)", (name, utc_now()))
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        applied.append(name)
    return applied


def _statements(sql: str) -> list[str]:
    """Split a migration into statements, keeping trigger bodies whole."""
    out, buf = [], []
    for line in sql.strip().splitlines():
        buf.append(line)
        joined = "\n".join(buf).strip()
        if joined.endswith(";") and sqlite3.complete_statement(joined):
            out.append(joined)
            buf = []
    if "\n".join(buf).strip():
        out.append("\n".join(buf))
    return out
