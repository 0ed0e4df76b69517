"""kill -9 at random moments of scan, worksheet import and apply: the review
store stays whole, no partial file is ever in out/, and a re-run completes.
Decisions are append-only and every output is written to a scratch file,
verified and renamed, so a killed run loses nothing already recorded."""

from __future__ import annotations

import csv
import io
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pymupdf

from redact.sample import write_sample_case_inputs

REDACT = [sys.executable, "-m", "redact"]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*REDACT, "-q", *args], capture_output=True, text=True, timeout=300)


def _kill_after(delay: float, *args: str) -> None:
    proc = subprocess.Popen([*REDACT, "-q", *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)


def _store_whole(case_dir: Path) -> None:
    conn = sqlite3.connect(case_dir / "review.db")
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def _out_whole(case_dir: Path) -> None:
    for path in (case_dir / "out").glob("*"):
        assert not path.name.endswith(".part"), path
        if path.suffix == ".pdf":
            doc = pymupdf.open(path)
            assert not doc.is_repaired and doc.page_count > 0, path


def test_kill_nine_loses_nothing(tmp_path: Path) -> None:
    rng = random.Random(20261130)
    inputs = write_sample_case_inputs(tmp_path / "inputs")
    case_dir = tmp_path / "case"
    assert _run("init", str(case_dir), "--reference", "K1", "--received", "2025-12-19").returncode == 0
    assert _run("add", str(case_dir), *map(str, inputs)).returncode == 0
    for _ in range(2):  # scan
        _kill_after(rng.uniform(0.5, 3.0), "scan", str(case_dir), "--rescan")
        _store_whole(case_dir)
    assert _run("scan", str(case_dir)).returncode == 0
    # a worksheet approving everything, imported and killed
    sheet = tmp_path / "review.csv"
    assert _run("review", str(case_dir), "--export", str(sheet)).returncode == 0
    rows = list(csv.DictReader(io.StringIO(sheet.read_text(encoding="utf-8-sig"))))
    for row in rows:
        row["action"] = "approve"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    sheet.write_text(buffer.getvalue(), encoding="utf-8")
    for _ in range(2):
        _kill_after(rng.uniform(0.3, 2.0), "review", str(case_dir), "--import", str(sheet), "--reviewer", "k")
        _store_whole(case_dir)
        count = sqlite3.connect(case_dir / "review.db").execute("SELECT count(*) FROM decisions").fetchone()[0]
        assert count in (0, len(rows))  # one transaction: all or nothing
    assert _run("review", str(case_dir), "--import", str(sheet), "--reviewer", "k").returncode == 0
    for _ in range(2):  # apply
        _kill_after(rng.uniform(0.5, 4.0), "apply", str(case_dir), "--all")
        _store_whole(case_dir)
        _out_whole(case_dir)
    result = _run("apply", str(case_dir))
    assert result.returncode == 0, result.stderr
    _out_whole(case_dir)
    assert _run("verify", str(case_dir)).returncode == 0
