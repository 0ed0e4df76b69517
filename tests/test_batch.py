"""`redact batch` end to end, in subprocesses: bad files never stop the batch."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pymupdf
import pytest

from redact.batch import run_batch
from redact.exceptions import ExitCode
from tests.pdfs import NAME, adversarial_pdf, encrypted_pdf, image_only_pdf, many_pages_pdf, text_pdf


def redact_cmd(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "redact", *args], capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def batch_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, subprocess.CompletedProcess[str]]:
    root = tmp_path_factory.mktemp("batch")
    src = root / "in"
    (src / "sub").mkdir(parents=True)
    text_pdf(src / "memo.pdf", [f"Memo from PC {NAME} about the rota.", "Call 101 for non-emergencies."])
    adversarial_pdf(src / "sub" / "statement.pdf")
    encrypted_pdf(src / "locked.pdf")
    (src / "empty.pdf").write_bytes(b"")
    (src / "fake.pdf").write_text("plain text pretending to be a PDF")
    (src / "broken.pdf").write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 50)
    image_only_pdf(src / "scan.pdf")
    (src / "note.txt").write_text(f"Spoke to {NAME} on 01632 960545 about the request.\n")
    out = root / "out"
    result = redact_cmd("batch", str(src), "--out", str(out), "--workers", "2", "--json")
    return src, out, result


def test_batch_exit_code_and_summary(batch_run) -> None:
    src, out, result = batch_run
    assert result.returncode == ExitCode.batch_failures, result.stderr
    summary = json.loads(result.stdout)
    assert summary["files"] == 8 and summary["ok"] == 4 and summary["failed"] == 4
    codes = {f["file"]: f["exit_code"] for f in summary["failures"]}
    assert codes == {"locked.pdf": ExitCode.encrypted, "empty.pdf": ExitCode.bad_input,
                     "fake.pdf": ExitCode.bad_input, "broken.pdf": ExitCode.bad_input}
    assert "Traceback" not in result.stderr
    assert json.loads((out / "redact-summary.json").read_text())["files"] == 8


def test_batch_outputs_are_verified_and_clean(batch_run) -> None:
    src, out, _ = batch_run
    for rel in ["memo.pdf", "sub/statement.pdf", "scan.pdf", "note.txt"]:
        assert (out / rel).is_file(), rel
        report = json.loads((out / "redact-reports" / f"{rel}.json").read_text())
        assert report["verified"] is True, report
    for rel in ["locked.pdf", "empty.pdf", "fake.pdf", "broken.pdf"]:
        assert not (out / rel).exists()
    memo = pymupdf.open(out / "memo.pdf")[0].get_text()
    assert "Vandersloot" not in memo and "101" in memo and "PC" in memo
    statement = pymupdf.open(out / "sub" / "statement.pdf")
    assert "Vandersloot" not in "".join(p.get_text() for p in statement)
    assert b"andersloot" not in (out / "sub" / "statement.pdf").read_bytes()
    assert "Vandersloot" not in (out / "note.txt").read_text()
    assert not any(p.name.endswith(".part") or p.name.startswith(".redact-work") for p in out.rglob("*"))


def test_originals_untouched_by_batch(batch_run) -> None:
    src, _, _ = batch_run
    assert "Vandersloot" in pymupdf.open(src / "memo.pdf")[0].get_text()


def test_image_only_page_noted(batch_run) -> None:
    _, out, _ = batch_run
    report = json.loads((out / "redact-reports" / "scan.pdf.json").read_text())
    assert any("without a text layer" in n for n in report["notes"])


def test_traceback_only_with_verbose(tmp_path: Path) -> None:
    missing_model = tmp_path / "config.yaml"
    missing_model.write_text("spacy_model: no_such_model_pkg\n")
    pdf = text_pdf(tmp_path / "a.pdf", ["hello"])
    quiet = redact_cmd("--config", str(missing_model), "scan", str(pdf))
    assert quiet.returncode == ExitCode.bad_config
    assert "Traceback" not in quiet.stderr and "not installed" in quiet.stderr
    loud = redact_cmd("-v", "--config", str(missing_model), "scan", str(pdf))
    assert "Traceback" in loud.stderr


def test_two_thousand_page_file(tmp_path: Path, settings) -> None:
    src = tmp_path / "in"
    src.mkdir()
    many_pages_pdf(src / "long.pdf", 2000)
    summary = run_batch(src, tmp_path / "out", settings, workers=1)
    assert summary["ok"] == 1 and summary["pages"] == 2000
    doc = pymupdf.open(tmp_path / "out" / "long.pdf")
    assert doc.page_count == 2000 and "Vandersloot" not in doc[-1].get_text()


def test_interrupt_leaves_nothing_partial(tmp_path: Path, settings, monkeypatch) -> None:
    import redact.worker as worker

    src = tmp_path / "in"
    src.mkdir()
    for i in range(3):
        text_pdf(src / f"doc{i}.pdf", [f"Officer {NAME} number {i}."])
    real = worker.process_file
    calls = []

    def interrupted(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(worker, "process_file", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run_batch(src, tmp_path / "out", settings, workers=1)
    left = sorted(p.name for p in (tmp_path / "out").rglob("*") if p.is_file() and p.suffix == ".pdf")
    assert len(left) == 1  # the finished file, whole; nothing partial
    assert not [p for p in (tmp_path / "out").iterdir() if p.name.startswith(".redact-work")]


def test_rerun_skips_unchanged_files_and_redoes_the_rest(tmp_path: Path, settings) -> None:
    src = tmp_path / "in"
    src.mkdir()
    text_pdf(src / "a.pdf", [f"Officer {NAME} wrote this."])
    text_pdf(src / "b.pdf", [f"Officer {NAME} wrote that, differently."])
    shutil_copy = __import__("shutil").copyfile
    shutil_copy(src / "a.pdf", src / "a-copy.pdf")
    out = tmp_path / "out"
    first = run_batch(src, out, settings, workers=1)
    assert first["ok"] == 3 and first["identical"] == 1 and first["unchanged"] == 0
    assert "Vandersloot" not in pymupdf.open(out / "a-copy.pdf")[0].get_text()
    stamp = (out / "a.pdf").stat().st_mtime_ns
    text_pdf(src / "b.pdf", [f"Officer {NAME} changed this file."])
    second = run_batch(src, out, settings, workers=1)
    by_file = {r["file"]: r for r in second["results"]}
    assert by_file["a.pdf"]["reused"] == "unchanged" and by_file["b.pdf"]["reused"] is None
    assert (out / "a.pdf").stat().st_mtime_ns == stamp
    assert "changed this file" in pymupdf.open(out / "b.pdf")[0].get_text()
    # a tampered output is not trusted: it is made again
    (out / "a.pdf").write_bytes(b"tampered")
    third = run_batch(src, out, settings, workers=1)
    assert {r["file"]: r["reused"] for r in third["results"]}["a.pdf"] is None
    assert pymupdf.open(out / "a.pdf").page_count == 1


def test_changed_rules_redo_every_file(tmp_path: Path, settings) -> None:
    import shutil

    from redact.config import DEFAULT_RULES_DIR

    src = tmp_path / "in"
    src.mkdir()
    text_pdf(src / "a.pdf", [f"Officer {NAME} wrote this."])
    out = tmp_path / "out"
    run_batch(src, out, settings, workers=1)
    rules = tmp_path / "rules"
    shutil.copytree(DEFAULT_RULES_DIR, rules)
    with (rules / "lists.yaml").open("a") as fh:
        fh.write("# a force's edit\n")
    again = run_batch(src, out, settings.model_copy(update={"rules_dir": rules}), workers=1)
    assert again["unchanged"] == 0 and again["ok"] == 1


def _children(pid: int) -> list[int]:
    """Process ids whose parent is ``pid`` (from /proc)."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc")
def test_workers_exit_when_the_batch_process_is_killed(tmp_path: Path) -> None:
    import os
    import signal
    import time

    from tests.pdfs import policy_folder

    src, out = tmp_path / "in", tmp_path / "out"
    policy_folder(src, documents=12, pages=4)
    proc = subprocess.Popen([sys.executable, "-m", "redact", "-q", "batch", str(src), "--out", str(out),
                             "--workers", "2"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and not list((out / "redact-reports").glob("*.json")):
        time.sleep(0.05)
    workers = _children(proc.pid)
    assert workers, "the batch started no workers"
    os.kill(proc.pid, signal.SIGKILL)  # the batch process only, as an OOM killer would
    proc.wait(timeout=30)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(Path(f"/proc/{w}").exists() and
                                              "Z" not in Path(f"/proc/{w}/stat").read_text().split()[2]
                                              for w in workers):
        time.sleep(0.2)
    alive = [w for w in workers if Path(f"/proc/{w}").exists()
             and Path(f"/proc/{w}/stat").read_text().split()[2] != "Z"]
    if alive:  # do not leave them behind whatever the outcome
        for w in alive:
            os.kill(w, signal.SIGKILL)
    assert not alive, "workers outlived the killed batch process"


def test_a_repaired_pdf_is_said_and_held_back_unless_accepted(tmp_path: Path) -> None:
    from tests.test_cli import invoke

    src = tmp_path / "in"
    src.mkdir()
    whole = text_pdf(tmp_path / "whole.pdf", [f"Statement taken by {NAME}.", "Second line of the page."])
    data = whole.read_bytes()
    (src / "truncated.pdf").write_bytes(data[: int(len(data) * 0.8)])
    text_pdf(src / "fine.pdf", [f"Reviewed by {NAME}."])
    code, out, err = invoke("batch", str(src), "--out", str(tmp_path / "out"), "--workers", "1")
    assert code == ExitCode.batch_failures and "truncated.pdf" in err and "repair" in err
    assert (tmp_path / "out" / "fine.pdf").is_file() and not (tmp_path / "out" / "truncated.pdf").exists()
    code, out, err = invoke("batch", str(src), "--out", str(tmp_path / "out2"), "--workers", "1", "--accept-repaired")
    assert code == 0, err
    assert (tmp_path / "out2" / "truncated.pdf").is_file()


def test_a_file_over_its_time_limit_is_refused_and_the_limit_is_cleared(tmp_path: Path, settings) -> None:
    import signal

    from redact.exceptions import ExitCode

    src = tmp_path / "in"
    src.mkdir()
    many_pages_pdf(src / "long.pdf", 3)
    before = signal.getsignal(signal.SIGALRM)
    hurried = settings.model_copy(update={"max_seconds_per_page": 0.0005})
    summary = run_batch(src, tmp_path / "out", hurried, workers=1)
    (result,) = summary["results"]
    assert result["exit_code"] == int(ExitCode.too_large) and "max_seconds_per_page" in result["message"]
    assert not (tmp_path / "out" / "long.pdf").exists()
    assert signal.getsignal(signal.SIGALRM) == before and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
