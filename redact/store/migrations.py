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
