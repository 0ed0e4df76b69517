"""`redact batch --executor dask` on a two-worker LocalCluster on loopback:
the same findings and boxes as the local executor, and a re-run after a
kill that finishes only the rest."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pymupdf
import pytest

from redact.batch import REPORTS, SUMMARY, run_batch
from redact.config import Settings
from tests.pdfs import policy_folder

pytest.importorskip("distributed")


def black_boxes(pdf: Path) -> dict[int, list[tuple[float, ...]]]:
    """The filled black rectangles on each page of a redacted PDF."""
    out = {}
    with pymupdf.open(pdf) as doc:
        for page in doc:
            rects = [tuple(round(v, 1) for v in d["rect"]) for d in page.get_drawings()
                     if d.get("fill") == (0.0, 0.0, 0.0)]
            out[page.number + 1] = sorted(rects)
    return out


def findings(out: Path, rel: str) -> list[dict[str, object]]:
    report = json.loads((out / REPORTS / f"{rel}.json").read_text())
    return sorted(report["findings"], key=lambda f: json.dumps(f, sort_keys=True))


def test_dask_gives_the_same_findings_and_boxes_as_local(tmp_path: Path, settings: Settings) -> None:
    src = tmp_path / "in"
    files = policy_folder(src, documents=4, pages=3)
    local = run_batch(src, tmp_path / "local", settings, workers=1)
    dask = run_batch(src, tmp_path / "dask", settings, workers=2, executor="dask")
    assert local["ok"] == dask["ok"] == len(files)
    assert dask["executor"] == "dask"
    assert local["findings"] == dask["findings"] and local["findings"]["PERSON"] > 0
    for path in files:
        rel = path.name
        assert findings(tmp_path / "local", rel) == findings(tmp_path / "dask", rel)
        boxes = black_boxes(tmp_path / "dask" / rel)
        assert boxes == black_boxes(tmp_path / "local" / rel)
        assert all(boxes.values())  # every page has its boxes


def test_dask_rerun_after_a_kill_finishes_only_the_rest(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    files = policy_folder(src, documents=14, pages=4)
    cmd = [sys.executable, "-m", "redact", "-q", "batch", str(src), "--out", str(out), "--workers", "2",
           "--executor", "dask", "--json"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    reports = out / REPORTS
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and proc.poll() is None:
        if reports.is_dir() and len(list(reports.glob("*.json"))) >= 3:
            break
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)  # the client, the cluster and its workers, mid-batch
    proc.wait(timeout=60)
    time.sleep(1)  # let any orphaned writer finish its rename
    done_before = {p.name[: -len(".json")] for p in reports.glob("*.json")}
    assert 0 < len(done_before) < len(files), "the kill did not land mid-batch"
    assert not list(out.glob("*.part")), "a partial output was left in the release folder"

    rerun = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    summary = json.loads(rerun.stdout)
    assert summary["ok"] == summary["files"] == len(files)
    assert summary["unchanged"] == len(done_before)
    redone = {r["file"] for r in json.loads((out / SUMMARY).read_text())["results"] if not r["reused"]}
    assert redone == {p.name for p in files} - done_before
    assert not list(out.glob(".redact-work-*"))
