"""One file of a batch, in whichever process runs it.

The local process pool and Dask both run ``run_job``; neither reaches into
the other's state. A process keeps the scanner it built for a batch's
settings and rules in a cache keyed by them, so a worker loads the model
once however many files it is given.
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from redact import __version__
from redact.apply.plan import plan_from_findings
from redact.config import Settings
from redact.detect.policy import NumberContext
from redact.detect.rules import RuleSet
from redact.detect.scan import Scanner, ScanResult
from redact.exceptions import ExitCode, RedactError
from redact.limits import time_limit
from redact.pipeline import Document
from redact.process import release, write_json
from redact.verify.second_look import SecondLook

REPORTS = "redact-reports"


@dataclass(frozen=True)
class Job:
    """One file to process: where it is, its path under the input folder,
    its SHA-256 and the phone numbers it shares with the batch's other files."""

    path: Path
    rel: str
    input_sha256: str
    numbers: NumberContext


@dataclass
class FileResult:
    """The outcome for one input file."""

    file: str
    status: str  # ok | failed | leak
    exit_code: int
    message: str = ""
    pages: int = 0
    findings: dict[str, int] = field(default_factory=dict)
    redacted: int = 0
    kept_public: int = 0
    boxes: int = 0
    seconds: float = 0.0
    output: str | None = None
    sha256: str | None = None
    notes: list[str] = field(default_factory=list)
    reused: str | None = None  # "unchanged" (kept from an earlier run) or "identical to <file>"




def process_file(scanner: Scanner, job: Job, out_dir: Path, work_dir: Path, password: str | None) -> FileResult:
    """Scan, decide (by the batch policy), apply and verify one file."""
    path, rel, input_sha256, numbers = job.path, job.rel, job.input_sha256, job.numbers
    settings = scanner.settings
    start = time.perf_counter()
    result = FileResult(file=rel, status="ok", exit_code=int(ExitCode.ok))
    try:
        with Document.open(path, settings, password) as document:
            pages = document.pdf.page_count if document.pdf is not None else 1
            with time_limit(settings.max_seconds_per_page * pages, path.name):
                scan = scanner.scan(document, numbers=numbers)
                plan = plan_from_findings(scan.findings, scanner.rules.s40.batch_policy.personal,
                                          scanner.rules.s40.batch_policy.public)
                outcome = release(document, plan, out_dir / rel, work_dir, second_look=_second_look(scanner, scan))
        result.pages = scan.pages
        result.findings = dict(Counter(f.type for f in scan.findings))
        result.kept_public = sum(1 for f in scan.findings if f.public)
        result.redacted = len(scan.findings) - result.kept_public
        result.boxes = sum(len(b) for b in outcome.applied.boxes.values())
        result.notes = scan.notes + outcome.applied.notes
        result.sha256 = outcome.sha256
        report = {"file": rel, "tool_version": __version__, "rules_digest": scanner.rules.digest,
                  "input_sha256": input_sha256, "shared_numbers": sorted(numbers.shared),
                  "pages": result.pages, "findings_by_type": result.findings,
                  "findings": [f.to_json(rel, Path(rel).stem) for f in scan.findings],
                  **outcome.summary(), "notes": result.notes}
        write_json(out_dir / REPORTS / f"{rel}.json", report)
        if outcome.ok:
            result.output = str(outcome.output)
        else:
            result.status = "leak"
            result.exit_code = int(ExitCode.verify_failed)
            result.message = "verification failed: " + "; ".join(
                f"{c.name}: {c.detail}" for c in outcome.report.failures())
    except RedactError as exc:
        result.status = "failed"
        result.exit_code = int(exc.exit_code)
        result.message = str(exc)
    except Exception as exc:  # one bad file never stops the batch
        result.status = "failed"
        result.exit_code = int(ExitCode.other_error)
        result.message = f"internal error: {type(exc).__name__}: {exc}"
    result.seconds = round(time.perf_counter() - start, 3)
    return result


def _second_look(scanner: Scanner, scan: ScanResult) -> SecondLook:
    """A batch's second look: everything the scan found or dropped is decided
    (by the batch policy); anything else personal withholds the output."""
    decided = [(f.text, f.type) for f in scan.findings] + [(v.text, "PERSON") for v in scan.vetoes]
    return SecondLook.of(scanner, decided, blocking=True)


class ScannerCache:
    """The scanners this process has built, by settings and rules (a cache:
    a long-lived Dask worker may serve batches with other settings)."""

    def __init__(self) -> None:
        self._scanners: dict[str, Scanner] = {}

    @staticmethod
    def key(settings: Settings, rules: RuleSet) -> str:
        """What identifies a scanner: the settings and the rules' digest."""
        return hashlib.sha256(f"{settings.model_dump_json()}|{rules.digest}".encode()).hexdigest()

    def get(self, settings: Settings, rules: RuleSet) -> Scanner:
        """The scanner for ``settings`` and ``rules``, built on first use."""
        key = self.key(settings, rules)
        if key not in self._scanners:
            self._scanners.clear()  # one at a time: a scanner holds the model
            self._scanners[key] = Scanner(settings, rules)
        return self._scanners[key]


SCANNERS = ScannerCache()


def run_job(settings: Settings, rules: RuleSet, job: Job, out_dir: Path, work_dir: Path,
            password: str | None) -> FileResult:
    """``process_file`` with this process's scanner for ``settings`` and ``rules``."""
    return process_file(SCANNERS.get(settings, rules), job, out_dir, work_dir, password)

