"""``redact batch``: scan, decide by the batch policy, apply and verify every
file under a folder, with worker processes that each load the model once.

One bad file never stops the batch: it is reported with its exit code and
reason, and the batch's own exit code says whether anything failed.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import ExitStack
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from redact import __version__, worker
from redact.config import Settings
from redact.detect.census import census, shared_in
from redact.detect.policy import NumberContext
from redact.detect.rules import RuleSet, load_rules
from redact.exceptions import ExitCode
from redact.ingest import sha256_file, supported_files
from redact.process import write_json
from redact.worker import REPORTS, SCANNERS, FileResult, Job

SUMMARY = "redact-summary.json"
WORK_PREFIX = ".redact-work-"  # scratch folder inside the output folder (one batch per output folder at a time)


def _init_pool_worker(settings: Settings, rules: RuleSet, batch_pid: int) -> None:
    """A pool worker: an exit when the batch process is gone (killed with
    SIGKILL, it cannot stop its workers itself), then the scanner."""

    def watch() -> None:
        while os.getppid() == batch_pid:
            time.sleep(1)
        os._exit(1)

    threading.Thread(target=watch, name="redact-parent-watch", daemon=True).start()
    SCANNERS.get(settings, rules)


def discover(in_dir: Path) -> list[Path]:
    """Every supported file under ``in_dir``, largest first (so the long
    ones start early and the workers finish together)."""
    return sorted(supported_files([in_dir]), key=lambda p: (-p.stat().st_size, str(p)))


def run_batch(
    in_dir: Path,
    out_dir: Path,
    settings: Settings,
    *,
    workers: int = 0,
    password: str | None = None,
    on_file: Callable[[FileResult], None] | None = None,
    executor: str = "local",
    scheduler: str | None = None,
) -> dict[str, Any]:
    """Process every file under ``in_dir`` into ``out_dir``; return the summary.

    ``executor`` is ``local`` (worker processes on this machine) or ``dask``
    (a Dask ``LocalCluster`` of ``workers`` processes, or the cluster at
    ``scheduler``); the work per file and the results are the same."""
    rules = load_rules(settings.rules_dir)  # validated before any document is opened
    files = discover(in_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for stale in out_dir.glob(f"{WORK_PREFIX}*"):  # scratch of a batch that was killed
        shutil.rmtree(stale, ignore_errors=True)
    work_dir = out_dir / f"{WORK_PREFIX}{uuid.uuid4().hex[:8]}"
    n = workers or settings.workers or os.cpu_count() or 1
    n = max(1, min(n, len(files) or 1))
    started = time.perf_counter()
    results: list[FileResult] = []

    def done(r: FileResult) -> None:
        results.append(r)
        if on_file:
            on_file(r)

    with ExitStack() as stack:
        stack.callback(shutil.rmtree, work_dir, ignore_errors=True)
        pool = None
        if executor == "local" and n > 1 and not (out_dir / REPORTS).exists():
            # a fresh batch: the workers load the model while the numbers are counted
            pool = stack.enter_context(_start_pool(n, settings, rules))
        # phone numbers shared across the batch's files (team lines) are counted first
        per_file, shared = census(files, settings, rules.s40.shared_number_min_documents, password)
        jobs: list[Job] = []
        first_of: dict[str, str] = {}
        copies: list[tuple[str, str]] = []
        for path in files:
            rel = path.relative_to(in_dir).as_posix()
            digest = sha256_file(path)
            numbers = NumberContext(shared=shared_in(per_file.get(path, set()), shared))
            kept = _unchanged(out_dir, rel, digest, rules.digest, sorted(numbers.shared))
            if kept is not None:
                done(kept)
            elif digest in first_of:
                copies.append((rel, first_of[digest]))
            else:
                first_of[digest] = rel
                jobs.append(Job(path, rel, digest, numbers))
        if not jobs:
            pass  # everything is unchanged or a copy: no model to load
        elif executor == "dask":
            from redact.dask_executor import run_on_dask

            run_on_dask(jobs, settings, rules, out_dir, work_dir, password, done, workers=n, scheduler=scheduler)
        elif pool is None and (n == 1 or len(jobs) == 1):
            for job in jobs:
                done(worker.run_job(settings, rules, job, out_dir, work_dir, password))
        else:
            pool = pool or stack.enter_context(_start_pool(n, settings, rules))
            _run_pool(pool, jobs, n, settings, rules, out_dir, work_dir, password, done)
    by_file = {r.file: r for r in results}
    for rel, original in copies:
        done(_copy_result(out_dir, rel, original, by_file.get(original)))
    elapsed = time.perf_counter() - started
    pages = sum(r.pages for r in results)
    findings: Counter[str] = Counter()
    for r in results:
        findings.update(r.findings)
    summary = {
        "tool_version": __version__,
        "rules_digest": rules.digest,
        "input": str(in_dir),
        "output": str(out_dir),
        "workers": n,
        "executor": executor if not scheduler else f"dask at {scheduler}",
        "files": len(results),
        "ok": sum(r.status == "ok" for r in results),
        "unchanged": sum(r.reused == "unchanged" for r in results),
        "identical": sum(bool(r.reused and r.reused.startswith("identical")) for r in results),
        "failed": sum(r.status != "ok" for r in results),
        "pages": pages,
        "seconds": round(elapsed, 2),
        "pages_per_second": round(pages / elapsed, 2) if elapsed else None,
        "findings": dict(findings),
        # numbers in at least s40.shared_number_min_documents files: team lines unless a person is beside them
        "shared_numbers": dict(sorted(shared.items())),
        "failures": [{"file": r.file, "exit_code": r.exit_code, "message": r.message}
                     for r in results if r.status != "ok"],
        "results": [r.__dict__ for r in sorted(results, key=lambda r: r.file)],
    }
    write_json(out_dir / SUMMARY, summary)
    return summary


def _unchanged(out_dir: Path, rel: str, input_sha256: str, rules_digest: str,
               shared_numbers: list[str]) -> FileResult | None:
    """The earlier result for ``rel`` if its input, rules, tool version and
    shared phone numbers are the same and its verified output is still
    there, untouched."""
    report_path = out_dir / REPORTS / f"{rel}.json"
    output = out_dir / rel
    try:
        report = json.loads(report_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if (report.get("input_sha256") != input_sha256 or report.get("rules_digest") != rules_digest
            or report.get("tool_version") != __version__ or not report.get("verified")
            or report.get("shared_numbers", []) != shared_numbers
            or not output.is_file() or sha256_file(output) != report.get("sha256")):
        return None
    return FileResult(file=rel, status="ok", exit_code=int(ExitCode.ok), pages=int(report.get("pages", 0)),
                      findings=dict(report.get("findings_by_type", {})), boxes=int(report.get("boxes", 0)),
                      output=str(output), sha256=report.get("sha256"), reused="unchanged",
                      notes=["unchanged since an earlier run (same input, rules and version): kept"])


def _copy_result(out_dir: Path, rel: str, original: str, first: FileResult | None) -> FileResult:
    """A file identical to one already processed in this batch gets its output."""
    if first is None or first.status != "ok":
        reason = first.message if first else "the identical file was not processed"
        return FileResult(file=rel, status="failed", exit_code=first.exit_code if first else int(ExitCode.other_error),
                          message=f"identical to {original}: {reason}", reused=f"identical to {original}")
    target = out_dir / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".part")
    shutil.copyfile(out_dir / original, tmp)
    tmp.replace(target)
    report = json.loads((out_dir / REPORTS / f"{original}.json").read_text(encoding="utf-8"))
    report["file"] = rel
    report["notes"] = [*report.get("notes", []), f"identical to {original}: its redacted output is reused"]
    write_json(out_dir / REPORTS / f"{rel}.json", report)
    return FileResult(file=rel, status="ok", exit_code=int(ExitCode.ok), pages=first.pages,
                      findings=dict(first.findings), boxes=first.boxes, output=str(target), sha256=first.sha256,
                      reused=f"identical to {original}", notes=[f"identical to {original}"])


def _start_pool(n: int, settings: Settings, rules: RuleSet) -> ProcessPoolExecutor:
    """``n`` worker processes, started now: each loads the model at once."""
    pool = ProcessPoolExecutor(max_workers=n, mp_context=get_context("spawn"), initializer=_init_pool_worker,
                               initargs=(settings, rules, os.getpid()))
    for _ in range(n):
        pool.submit(_ready)
    return pool


def _ready() -> None:
    """A first task that makes the pool start a worker."""


def _run_pool(pool: ProcessPoolExecutor, jobs: list[Job], n: int, settings: Settings, rules: RuleSet,
              out_dir: Path, work_dir: Path, password: str | None, done: Callable[[FileResult], None]) -> None:
    pending: dict[Future[FileResult], str] = {}
    queue = list(jobs)
    try:
        while queue or pending:
            while queue and len(pending) < n * 2:
                job = queue.pop(0)
                pending[pool.submit(worker.run_job, settings, rules, job, out_dir, work_dir, password)] = job.rel
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for fut in finished:
                rel = pending.pop(fut)
                try:
                    done(fut.result())
                except Exception as exc:  # a worker died: report the file, keep going
                    done(FileResult(file=rel, status="failed", exit_code=int(ExitCode.other_error),
                                    message=f"worker failed: {type(exc).__name__}: {exc}"))
    except KeyboardInterrupt:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
