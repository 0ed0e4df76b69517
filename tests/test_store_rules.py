"""Review store (migrations, WAL, append-only decisions) and rule validation."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from redact.detect.rules import load_rules
from redact.exceptions import ConfigError
from redact.models import Finding
from redact.store.db import FindingFilter, Store
from redact.store.migrations import MIGRATIONS


def _store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "review.db")
    store.add_document("abc", "a.pdf", "originals/a.pdf", "pdf", 10)
    return store


def test_migrations_recorded_and_wal(tmp_path: Path) -> None:
    store = _store(tmp_path)
    names = [r[0] for r in store.conn.execute("SELECT name FROM schema_migrations")]
    assert names == [m[0] for m in MIGRATIONS]
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    store.close()
    again = Store(tmp_path / "review.db")  # re-opening applies nothing twice
    assert len(list(again.conn.execute("SELECT name FROM schema_migrations"))) == len(MIGRATIONS)


def test_a_failing_migration_leaves_nothing_applied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from redact.store import migrations

    Store(tmp_path / "review.db").close()
    broken = ("9999_broken", "CREATE TABLE half_done (id INTEGER);\nCREATE TABLE half_done (id INTEGER);")
    monkeypatch.setattr(migrations, "MIGRATIONS", [*MIGRATIONS, broken])
    with pytest.raises(sqlite3.OperationalError):
        Store(tmp_path / "review.db")
    conn = sqlite3.connect(tmp_path / "review.db")
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'half_done'").fetchone()[0] == 0
    assert "9999_broken" not in {r[0] for r in conn.execute("SELECT name FROM schema_migrations")}


def test_a_rescan_replaces_the_dropped_spans(tmp_path: Path) -> None:
    from redact.models import Veto

    store = _store(tmp_path)
    store.save_scan(1, 1, [], [], [Veto("Kingsmere", 1, "place", "a UK place")])
    store.save_scan(1, 1, [], [], [Veto("Westshire", 1, "place", "a UK place")])
    assert [s.text for s in store.dropped_spans()] == ["Westshire"]
    assert store.dropped_spans(text="kings") == [] and store.dropped_spans(document="a.pdf")


def test_same_file_twice_is_one_document(tmp_path: Path) -> None:
    store = _store(tmp_path)
    doc_id, added = store.add_document("abc", "copy.pdf", "originals/copy.pdf", "pdf", 10)
    assert not added and len(store.documents()) == 1 and doc_id == 1


def test_decisions_are_append_only_and_latest_wins(tmp_path: Path) -> None:
    store = _store(tmp_path)
    store.save_scan(1, 1, [Finding("PERSON", "Ann Example", 1, 0, 11, 0.9, "t")], [])
    fid = store.findings()[0].id
    assert store.findings()[0].status == "pending"
    store.decide([fid], "approve", "alice", "junior officer")
    store.decide([fid], "reject", "bob", "actually a chief officer")
    row = store.finding(fid)
    assert row.status == "rejected" and row.reviewer == "bob"
    assert [d["action"] for d in store.decisions(fid)] == ["approve", "reject"]
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.conn.execute("UPDATE decisions SET reviewer = 'mallory'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.conn.execute("DELETE FROM decisions")


def test_rescan_keeps_decided_findings(tmp_path: Path) -> None:
    store = _store(tmp_path)
    store.save_scan(1, 1, [Finding("PERSON", "Ann Example", 1, 0, 11, 0.9, "t"),
                           Finding("PERSON", "Bo Sample", 1, 20, 29, 0.9, "t")], [])
    first = store.findings()[0].id
    store.decide([first], "approve", "alice")
    store.save_scan(1, 1, [Finding("PERSON", "Bo Sample", 1, 20, 29, 0.9, "t")], [])
    rows = store.findings()
    assert {r.text for r in rows} == {"Ann Example", "Bo Sample"}
    assert store.finding(first).status == "approved"
    assert len(store.findings(FindingFilter(status="pending"))) == 1


def test_rules_load_and_digest(rules) -> None:
    assert rules.digest and any(r.name == "titled_name" for r in rules.recognizers)
    assert "ACC" in rules.s40.public_ranks()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("recognizers: [{name: x, entity: PERSON, patterns: [{name: p, regex: '(', score: 0.5}]}]", "invalid regex"),
        ("recognizers: [{name: x, entity: ALIEN, patterns: [{name: p, regex: 'a', score: 0.5}]}]", "entity"),
        ("recognizers: [{name: x, entity: PERSON, patterns: [{name: p, regex: '{nope}', score: 0.5}]}]",
         "unknown vocabulary"),
        ("surprise: 1", "unknown section"),
        ("vocabularies: {titels: [Mr]}", "titels"),
        # context words would be switched off by the score enhancer: refused, not ignored
        ("recognizers: [{name: x, entity: PERSON, context: [officer], patterns: [{name: p, regex: 'a', score: 0.5}]}]",
         "context"),  # a misspelt list is an error, not a list that does nothing
        ("s40: {public_from_rank: admiral}", "not one of rank_order"),
        ("recognizers: [oops", "not valid YAML"),
    ],
)
def test_bad_rules_fail_at_load(tmp_path: Path, content: str, message: str) -> None:
    (tmp_path / "bad.yaml").write_text(content)
    with pytest.raises(ConfigError, match=message):
        load_rules(tmp_path)


def test_missing_rules_folder(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_rules(tmp_path / "nowhere")
