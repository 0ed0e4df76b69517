"""One plain function per case stage; the CLI and the tests call these."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from redact import __version__
from redact.apply import Plan
from redact.apply.plan import plan_from_rows
from redact.case import Case
from redact.config import Settings
from redact.detect.census import census
from redact.detect.policy import NumberContext
from redact.detect.rules import RuleSet
from redact.detect.scan import Scanner, ScanResult
from redact.exceptions import PendingError, RedactError
from redact.ingest import sha256_file
from redact.process import redact_and_verify, verify_output, write_json
from redact.store.db import FindingFilter
from redact.verify import Expectation, VerifyReport
from redact.verify.second_look import SecondLook


@dataclass
class ScanSummary:
    """Per-document scan results."""

    documents: list[dict[str, Any]] = field(default_factory=list)
    errors: list[RedactError] = field(default_factory=list)


def scan_case(case: Case, settings: Settings, rules: RuleSet, *, rescan: bool = False,
              password: str | None = None, on_doc: Callable[[str], None] | None = None) -> ScanSummary:
    """Scan every document not yet scanned (all of them with ``rescan``)."""
    summary = ScanSummary()
    scanner: Scanner | None = None
    documents = case.store.documents()
    to_scan = [doc for doc in documents if rescan or not doc["scanned_at"]]
    shared: dict[str, int] = {}
    if to_scan:  # numbers are counted over the whole case, scanned before or not
        _, shared = census([case.original_path(d["path"]) for d in documents], settings,
                           rules.s40.shared_number_min_documents, password)
    numbers = NumberContext(shared=shared, scope="case")
    for doc in documents:
        if doc["scanned_at"] and not rescan:
            summary.documents.append({"document": doc["name"], "skipped": "already scanned"})
            continue
        scanner = scanner or Scanner(settings, rules)
        try:
            result = scanner.scan_file(case.original_path(doc["path"]), password=password, numbers=numbers)
        except RedactError as exc:  # one bad document never stops the rest: it is reported and left unscanned
            summary.documents.append({"document": doc["name"], "error": str(exc), "exit_code": int(exc.exit_code)})
            summary.errors.append(exc)
            continue
        added = case.store.save_scan(doc["id"], result.pages, result.findings, result.notes, result.vetoes)
        summary.documents.append({
            "document": doc["name"], "pages": result.pages, "findings": len(result.findings), "new": added,
            "public": sum(f.public for f in result.findings), "notes": result.notes,
        })
        if on_doc:
            on_doc(doc["name"])
    return summary


@dataclass
class ApplyResult:
    """Per-document apply results; ``failed`` lists documents kept out of ``out/``."""

    documents: list[dict[str, Any]] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    errors: list[RedactError] = field(default_factory=list)  # the documents that could not be processed at all


def scan_files(files: list[Path], settings: Settings, rules: RuleSet,
               password: str | None = None) -> Iterator[tuple[Path, ScanResult | RedactError]]:
    """Scan files outside a case (``redact scan FOLDER``): the phone numbers
    they share are counted first, then each file is scanned in turn; a file
    that cannot be read yields its error and the rest go on."""
    _, shared = census(files, settings, rules.s40.shared_number_min_documents, password)
    numbers = NumberContext(shared=shared, scope="folder")
    scanner = Scanner(settings, rules)
    for path in files:
        try:
            yield path, scanner.scan_file(path, password=password, numbers=numbers)
        except RedactError as exc:
            yield path, exc


def document_plan(case: Case, document_id: int, pending: str | None) -> Plan:
    """The plan of one case document from its latest decisions and manual
    redactions: the one place apply, status and pack build it."""
    rows = case.store.findings(FindingFilter(document_id=document_id))
    return plan_from_rows(rows, case.store.manual_redactions(document_id), pending)


def _current(case: Case, output: sqlite3.Row, plan: Plan, rules: RuleSet) -> bool:
    """The output was made from this plan and these rules, passed
    verification and is still the file that was verified."""
    path = case.root / output["path"]
    return (bool(output["verified"]) and output["plan_digest"] == plan.digest()
            and output["rules_digest"] == rules.digest and output["tool_version"] == __version__
            and path.is_file() and sha256_file(path) == output["sha256"])


def clear_scratch(work: Path) -> int:
    """Remove what a killed run left in the case's scratch folder (one case is
    applied by one process at a time); return how many files went."""
    gone = 0
    for leftover in work.glob("*") if work.is_dir() else []:
        if leftover.is_file():
            leftover.unlink(missing_ok=True)
            gone += 1
    return gone


def stale_documents(case: Case) -> list[str]:
    """Documents whose latest output predates a decision, an edit or a
    manual mark (its plan would differ now), or predates this record."""
    stale = []
    names = {d["id"]: d["name"] for d in case.store.documents()}
    for out in case.store.outputs():
        plan = document_plan(case, out["document_id"], out["pending_mode"])
        if out["plan_digest"] != plan.digest():
            stale.append(names[out["document_id"]])
    return stale


def apply_case(case: Case, settings: Settings, rules: RuleSet, *, pending: str | None = None,
               password: str | None = None, on_doc: Callable[[str], None] | None = None,
               redo_all: bool = False) -> ApplyResult:
    """Apply decisions to every document whose output is missing, failed or
    stale (``redo_all``: every document), verify, and release the clean ones."""
    waiting = case.store.findings(FindingFilter(status="pending"))
    if waiting and pending is None:
        raise PendingError(
            f"{len(waiting)} finding(s) still pending review; decide them ('redact review', 'redact approve',"
            " 'redact reject') or pass --pending keep|redact|policy")
    unscanned = [d["name"] for d in case.store.documents() if not d["scanned_at"]]
    if unscanned:
        raise PendingError(f"{len(unscanned)} document(s) not scanned yet ({', '.join(unscanned[:3])}); "
                           "run 'redact scan' first")
    result = ApplyResult()
    scanner = Scanner(settings, rules)  # the second look's reader
    reports_dir = case.root / "reports"
    clear_scratch(case.work)
    outputs = {o["document_id"]: o for o in case.store.outputs()}
    for doc in case.store.documents():
        plan = document_plan(case, doc["id"], pending)
        previous = outputs.get(doc["id"])
        if not redo_all and previous is not None and _current(case, previous, plan, rules):
            # made from the same decisions and rules, verified, untouched: kept as it is
            result.documents.append({**json.loads(previous["report"]), "unchanged": True})
            continue
        source = case.original_path(doc["path"])
        destination = case.out / doc["name"]
        if destination.exists():
            destination.unlink()
        try:
            outcome = redact_and_verify(source, plan, destination, case.work, settings, password=password,
                                        second_look=_second_look(case, doc["id"], scanner))
        except RedactError as exc:
            result.failed.append(doc["name"])
            result.errors.append(exc)
            result.documents.append({"document": doc["name"], "verified": False, "error": str(exc)})
            continue
        summary = {"document": doc["name"], **outcome.summary(), "for_review": outcome.report.for_review()}
        write_json(reports_dir / f"{doc['name']}.verify.json", summary)
        case.store.record_output(doc["id"], f"out/{doc['name']}", outcome.sha256, outcome.ok,
                                 summary, rules.digest, __version__, plan.digest(), pending)
        if not outcome.ok:
            result.failed.append(doc["name"])
        result.documents.append(summary)
        if on_doc:
            on_doc(doc["name"])
    write_verification_summary(reports_dir, result.documents)
    return result


def _second_look(case: Case, document_id: int, scanner: Scanner) -> SecondLook:
    """A case's second look: whatever the scan found (decided by a reviewer
    or pending under ``--pending``), dropped or a reviewer marked is decided;
    anything else personal is listed for the reviewer, not refused."""
    doc = case.store.document(document_id)
    decided = [(f.text, f.type) for f in case.store.findings(FindingFilter(document_id=document_id))]
    decided += [(d.text, "PERSON") for d in case.store.dropped_spans(document=doc["name"])]
    decided += [(m.pattern, "PERSON") for m in case.store.manual_redactions(document_id)
                if m.kind == "text" and m.pattern]
    return SecondLook.of(scanner, decided, blocking=False)


def write_verification_summary(reports_dir: Path, documents: list[dict[str, Any]]) -> Path:
    """A readable summary of every document's checks."""
    lines = ["redact verification summary", ""]
    for d in documents:
        status = "PASS" if d.get("verified") else "FAIL"
        lines.append(f"{status}  {d['document']}  boxes={d.get('boxes', 0)}  sha256={d.get('sha256', '-')}")
        checks = d.get("verification", {}).get("checks", [])
        for c in checks:
            lines.append(f"      {'ok  ' if c['ok'] else 'FAIL'} {c['name']}: {c['detail']}")
        if d.get("error"):
            lines.append(f"      error: {d['error']}")
    path = reports_dir / "verification.txt"
    reports_dir.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def case_expectations(case: Case, document_id: int) -> list[Expectation]:
    """Expected-gone strings for a document, from its approved findings."""
    rows = case.store.findings(FindingFilter(document_id=document_id, status="approved"))
    return [Expectation(text=r.decided_text or r.text, type=r.type) for r in rows
            if not _kept_elsewhere(case, document_id, r.decided_text or r.text)]


def _kept_elsewhere(case: Case, document_id: int, text: str) -> bool:
    rejected = case.store.findings(FindingFilter(document_id=document_id, status="rejected"))
    return any(r.text.casefold() == text.casefold() for r in rejected)


def verify_case(case: Case) -> list[VerifyReport]:
    """Re-verify every released output of the case from its recorded decisions."""
    reports = []
    for out in case.store.outputs():
        path = case.root / out["path"]
        if not path.exists():
            report = VerifyReport(file=str(path))
            why = "it failed verification at apply" if not out["verified"] else "it was removed after apply"
            report.add("output", [f"{out['document']} has no released output: {why}"])
            reports.append(report)
            continue
        exps = case_expectations(case, out["document_id"])
        report = verify_output(path, exps)
        if sha256_file(path) != out["sha256"]:
            report.add("checksum", ["file changed since it was verified at apply"])
        reports.append(report)
    return reports


def verify_files(paths: list[Path], expect_gone: list[str]) -> list[VerifyReport]:
    """Verify any files against strings that must be gone."""
    exps = [Expectation(text=t, type="PHONE" if sum(c.isdigit() for c in t) >= 6 else "PERSON")
            for t in expect_gone]
    return [verify_output(p, exps) for p in paths]




def explain(case: Case, finding_id: int) -> dict[str, Any]:
    """Why a finding was made and what the policy proposed."""
    row = case.store.finding(finding_id)
    return {
        "id": row.id, "document": row.document, "page": row.page, "type": row.type,
        "text": row.text, "score": row.score, "recogniser": row.recogniser,
        "explanation": row.explanation, "public": bool(row.public),
        "policy_reason": row.policy_reason, "proposed_action": row.proposed_action,
        "exemption": row.exemption, "status": row.status,
        "decisions": [dict(d) for d in case.store.decisions(finding_id)],
    }
