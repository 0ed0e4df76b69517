"""The ``redact`` command line: thin commands over ``redact.api``.

stdout carries data (tables, or JSON with ``--json``); people-facing messages
and progress go to stderr. Every known error becomes one line and a stable
exit code in ``main`` (a traceback only with ``-v``).
"""

from __future__ import annotations

import json
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.table import Table

from redact import __version__
from redact.config import Settings, load_settings
from redact.exceptions import (
    BatchFailuresError,
    CaseError,
    ExitCode,
    ImportConflictError,
    RedactError,
    VerificationError,
)

F = TypeVar("F", bound=Callable[..., Any])
STDOUT = Console(highlight=False, soft_wrap=True)
STDERR = Console(stderr=True, highlight=False)


@dataclass
class Context:
    """Options shared by every command."""

    verbose: bool = False
    quiet: bool = False
    config: Path | None = None
    rules: Path | None = None

    def settings(self, case_dir: Path | None = None) -> Settings:
        """Validated settings, with ``--rules`` applied last."""
        settings = load_settings(self.config, case_dir)
        if self.rules is not None:
            settings = settings.model_copy(update={"rules_dir": self.rules})
        return settings

    def say(self, message: str) -> None:
        """A message for people, on stderr, unless ``--quiet``."""
        if not self.quiet:
            STDERR.print(message)


STATE = Context()


def emit_json(data: Any) -> None:
    """JSON on stdout, nothing else."""
    click.echo(json.dumps(data, indent=2, default=str))


def json_option(f: F) -> F:
    """``--json``: print only JSON on stdout."""
    return click.option("--json", "as_json", is_flag=True, help="Print JSON on stdout.")(f)


def reviewer_options(f: F) -> F:
    """``--reviewer`` and ``--reason``."""
    f = click.option("--reason", default="", help="Why: recorded with the decision.")(f)
    f = click.option("--reviewer", help="Who decides (default: setting 'reviewer', else $USER).")(f)
    return f


def filter_options(f: F) -> F:
    """Options that select findings."""
    for opt in reversed([
        click.option("--document", "-d", help="Document name (or part of it)."),
        click.option("--page", "-p", type=int, help="Page number (1-based)."),
        click.option("--type", "-t", "etype", type=click.Choice(["PERSON", "EMAIL", "PHONE"], case_sensitive=False)),
        click.option("--status", "-s", type=click.Choice(["pending", "approved", "rejected"])),
        click.option("--text", help="Finding text contains this (case-insensitive)."),
        click.option("--rule", "recogniser", help="Found by this recogniser (see 'redact explain')."),
        click.option("--public/--personal", "public", default=None, help="Policy classification."),
    ]):
        f = opt(f)
    return f


def _filter(ids: tuple[int, ...] = (), document: str | None = None, page: int | None = None,
            etype: str | None = None, status: str | None = None, text: str | None = None,
            recogniser: str | None = None, public: bool | None = None) -> Any:
    from redact.store.db import FindingFilter

    return FindingFilter(ids=list(ids), document=document, page=page, type=etype, status=status, text=text,
                         recogniser=recogniser, public=public)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="redact")
@click.option("-v", "--verbose", is_flag=True, help="Show tracebacks for errors.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bars or messages on stderr.")
@click.option("--config", type=click.Path(path_type=Path, dir_okay=False), help="Settings file (YAML).")
@click.option("--rules", type=click.Path(path_type=Path, file_okay=False), help="Rules folder (rules/*.yaml).")
def cli(verbose: bool, quiet: bool, config: Path | None, rules: Path | None) -> None:
    """Find, review, remove and verify personal data in FOI disclosures.

    A case goes: init -> add -> scan -> review/approve/reject -> apply (verifies) -> out/.
    'redact batch IN --out OUT' does it all unattended with the s40 batch policy.
    """
    STATE.verbose, STATE.quiet, STATE.config, STATE.rules = verbose, quiet, config, rules


# -- cases -------------------------------------------------------------------
@cli.command()
@click.argument("case_dir", type=click.Path(path_type=Path, file_okay=False))
@click.option("--reference", required=True, help="The request's reference, e.g. FOI-2025-0142.")
@click.option("--received", required=True, type=click.DateTime(["%Y-%m-%d"]), help="Date received (YYYY-MM-DD).")
@click.option("--request", "request_file", type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="YAML with the requester, questions and signatory to put in case.yaml.")
@json_option
def init(case_dir: Path, reference: str, received: Any, request_file: Path | None, as_json: bool) -> None:
    """Create a case folder.

    Example: redact init cases/FOI-2025-0142 --reference FOI-2025-0142 --received 2025-12-19
    """
    from redact.case import init_case

    case = init_case(case_dir, reference, received.date(), request_file)
    case.close()
    if as_json:
        emit_json({"case": str(case_dir), "reference": reference, "received": str(received.date())})
    else:
        STATE.say(f"created case {reference} in {case_dir}")


@cli.command()
@click.argument("case_dir", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, exists=True))
@json_option
def add(case_dir: Path, files: tuple[Path, ...], as_json: bool) -> None:
    """Copy original documents into a case (read-only, SHA-256 recorded).

    Folders are walked for PDF, TXT and EML files. The same file twice is one document.

    Example: redact add cases/FOI-2025-0142 policy.pdf letters/
    """
    from redact.case import add_file, open_case
    from redact.ingest import SUPPORTED_SUFFIXES

    settings = STATE.settings(case_dir)
    case = open_case(case_dir)
    paths: list[Path] = []
    for f in files:
        if f.is_dir():
            paths += sorted(p for p in f.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES)
        else:
            paths.append(f)
    out = []
    try:
        for p in paths:
            added = add_file(case, p, settings.max_file_mb)
            out.append({"source": str(p), "document_id": added.document_id, "name": added.name,
                        "duplicate": added.duplicate})
            STATE.say(f"{'duplicate of' if added.duplicate else 'added'} {added.name} (id {added.document_id})")
    finally:
        case.close()
    if as_json:
        emit_json(out)


@cli.command()
@click.argument("targets", nargs=-1, required=True, type=click.Path(path_type=Path, exists=True))
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table",
              help="Without a case: table on stdout, or one JSON line per finding.")
@click.option("--rescan", is_flag=True, help="In a case: scan documents again (decided findings are kept).")
@click.option("--password", help="Password for encrypted PDFs.")
@json_option
def scan(targets: tuple[Path, ...], fmt: str, rescan: bool, password: str | None, as_json: bool) -> None:
    """Detect personal data in a case, or in files and folders.

    Examples:

      redact scan cases/FOI-2025-0142

      redact scan docs/ --format jsonl > findings.jsonl
    """
    from redact.api import scan_case
    from redact.case import CASE_FILE, open_case
    from redact.detect.rules import load_rules

    if len(targets) == 1 and (targets[0] / CASE_FILE).is_file():
        settings = STATE.settings(targets[0])
        rules = load_rules(settings.rules_dir)
        case = open_case(targets[0])
        try:
            summary = scan_case(case, settings, rules, rescan=rescan, password=password,
                                on_doc=lambda name: STATE.say(f"scanned {name}"))
        finally:
            case.close()
        if as_json:
            emit_json(summary.documents)
        else:
            _table(["document", "pages", "findings", "public", "notes"],
                   [[d["document"], d.get("pages", ""), d.get("findings", d.get("skipped", "")), d.get("public", ""),
                     "; ".join(d.get("notes", []))] for d in summary.documents])
        return
    _scan_paths(targets, fmt, password, as_json)


def _scan_paths(targets: tuple[Path, ...], fmt: str, password: str | None, as_json: bool) -> None:
    from redact.detect.rules import load_rules
    from redact.detect.scan import Scanner
    from redact.ingest import SUPPORTED_SUFFIXES
    from redact.progress import progress_bar

    settings = STATE.settings()
    rules = load_rules(settings.rules_dir)
    files: list[Path] = []
    for t in targets:
        if t.is_dir():
            files += sorted(p for p in t.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES)
        else:
            files.append(t)
    scanner = Scanner(settings, rules)
    failures = 0
    rows = []
    with progress_bar(len(files), "scanning", quiet=STATE.quiet) as bar:
        for path in files:
            try:
                result = scanner.scan_file(path, password=password)
            except RedactError as exc:
                if len(files) == 1:
                    raise
                failures += 1
                click.echo(f"redact: error: {exc}", err=True)
                bar.advance()
                continue
            for f in result.findings:
                line = f.to_json(str(path), path.stem)
                if fmt == "jsonl" or as_json:
                    rows.append(line)
                    if fmt == "jsonl":
                        click.echo(json.dumps(line))
                else:
                    rows.append(line)
            bar.advance()
    if as_json and fmt != "jsonl":
        emit_json(rows)
    elif fmt == "table":
        _table(["file", "page", "type", "text", "score", "public", "recogniser"],
               [[Path(r["file"]).name, r["page"], r["type"], r["text"], r["score"], r["public"], r["recogniser"]]
                for r in rows])
    if failures:
        raise BatchFailuresError(f"{failures} of {len(files)} file(s) could not be scanned")


# -- review --------------------------------------------------------------------
@cli.command()
@click.argument("case_dir", type=click.Path(path_type=Path, file_okay=False, exists=True))
@filter_options
@click.option("--export", "export_path", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the (filtered) findings to a CSV worksheet.")
@click.option("--import", "import_path", type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="Apply the decisions filled in a CSV worksheet.")
@click.option("--reviewer", help="Reviewer for imported rows without one.")
@json_option
def review(case_dir: Path, document: str | None, page: int | None, etype: str | None, status: str | None,
           text: str | None, recogniser: str | None, public: bool | None, export_path: Path | None,
           import_path: Path | None, reviewer: str | None, as_json: bool) -> None:
    """List findings for review; export or import a CSV worksheet.

    Examples:

      redact review cases/FOI-2025-0142 --status pending --type PERSON

      redact review cases/FOI-2025-0142 --export review.csv   (fill 'action', then)

      redact review cases/FOI-2025-0142 --import review.csv --reviewer j.bloggs
    """
    from redact.case import open_case
    from redact.review.csvio import export_csv, import_csv

    settings = STATE.settings(case_dir)
    case = open_case(case_dir)
    try:
        flt = _filter(document=document, page=page, etype=etype, status=status, text=text,
                      recogniser=recogniser, public=public)
        if export_path:
            n = export_csv(case.store, export_path, flt)
            STATE.say(f"wrote {n} finding(s) to {export_path}")
            if as_json:
                emit_json({"exported": n, "path": str(export_path)})
            return
        if import_path:
            result = import_csv(case.store, import_path, reviewer or settings.default_reviewer())
            if as_json:
                emit_json(result.__dict__)
            for problem in result.errors + result.conflicts:
                STATE.say(f"[yellow]{problem}[/yellow]")
            if result.errors:
                raise CaseError(f"{len(result.errors)} invalid row(s) in {import_path.name}; nothing imported")
            STATE.say(f"imported {result.applied} decision(s); {result.unchanged} row(s) without an action")
            if result.conflicts:
                raise ImportConflictError(
                    f"{len(result.conflicts)} row(s) conflict with newer decisions and were not applied")
            return
        rows = case.store.findings(flt)
    finally:
        case.close()
    if as_json:
        emit_json([dict(r) | {"boxes": json.loads(r["boxes"]), "explanation": json.loads(r["explanation"])}
                   for r in rows])
        return
    _table(["id", "document", "page/part", "type", "text", "score", "found by", "proposed", "why", "status"],
           [[r["id"], r["document"], r["page"] or json.loads(r["explanation"]).get("part", ""), r["type"],
             r["decided_text"] or r["text"],
             f"{r['score']:.2f}", r["recogniser"], r["proposed_action"], r["policy_reason"], r["status"]]
            for r in rows])


def _decide(action: str, case_dir: Path, ids: tuple[int, ...], all_pending: bool, reviewer: str | None,
            reason: str, as_json: bool, **filters: Any) -> None:
    from redact.case import open_case

    if not ids and not all_pending and not any(v is not None for v in filters.values()):
        raise click.UsageError("say which findings: ids, a filter (--text, --type, --rule, ...) or --all-pending")
    settings = STATE.settings(case_dir)
    case = open_case(case_dir)
    try:
        if all_pending:
            filters["status"] = "pending"
        rows = case.store.findings(_filter(ids=ids, **filters))
        if ids:
            missing = set(ids) - {r["id"] for r in rows}
            if missing:
                raise CaseError(f"no finding with id {', '.join(map(str, sorted(missing)))} (or filtered out)")
        who = reviewer or settings.default_reviewer()
        n = case.store.decide([r["id"] for r in rows], action, who, reason)
    finally:
        case.close()
    if as_json:
        emit_json({"action": action, "count": n, "reviewer": who, "ids": [r["id"] for r in rows]})
    else:
        STATE.say(f"{action.rstrip('e')}ed {n} finding(s) as {who}")


@cli.command()
@click.argument("case_dir", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.argument("ids", nargs=-1, type=int)
@filter_options
@click.option("--all-pending", is_flag=True, help="Every pending finding (with the filters, if any).")
@reviewer_options
@json_option
def approve(case_dir: Path, ids: tuple[int, ...], all_pending: bool, reviewer: str | None, reason: str,
            as_json: bool, **filters: Any) -> None:
    """Approve findings for redaction, by id or by filter.

    Examples:

      redact approve cases/FOI-2025-0142 12 13 --reason "junior officer"

      redact approve cases/FOI-2025-0142 --all-pending --personal --reason "s40 policy"
    """
    _decide("approve", case_dir, ids, all_pending, reviewer, reason, as_json, **filters)


@cli.command()
@click.argument("case_dir", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.argument("ids", nargs=-1, type=int)
@filter_options
@click.option("--all-pending", is_flag=True, help="Every pending finding (with the filters, if any).")
@reviewer_options
@json_option
def reject(case_dir: Path, ids: tuple[int, ...], all_pending: bool, reviewer: str | None, reason: str,
           as_json: bool, **filters: Any) -> None:
    """Reject findings: they stay visible in the output.

    Example: redact reject cases/FOI-2025-0142 --text "Agenda" --reason "heading, not a person"
    """
    _decide("reject", case_dir, ids, all_pending, reviewer, reason, as_json, **filters)


@cli.command()
@click.argument("case_dir", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.argument("finding_id", type=int)
@click.option("--text", "new_text", help="The corrected text to redact (every occurrence).")
@click.option("--exemption", help="A different exemption code, e.g. 's31(1)(a)'.")
@reviewer_options
@json_option
def edit(case_dir: Path, finding_id: int, new_text: str | None, exemption: str | None, reviewer: str | None,
         reason: str, as_json: bool) -> None:
    """Approve a finding with a corrected text or exemption code.

    Example: redact edit cases/FOI-2025-0142 7 --text "Jane Holloway-Smith" --reason "name was cut short"
    """
    from redact.case import open_case

    if not new_text and not exemption:
        raise click.UsageError("give --text and/or --exemption")
    settings = STATE.settings(case_dir)
    case = open_case(case_dir)
    try:
        case.store.finding(finding_id)
        who = reviewer or settings.default_reviewer()
        case.store.decide([finding_id], "edit", who, reason, text=new_text, exemption=exemption)
    finally:
        case.close()
    if as_json:
        emit_json({"id": finding_id, "action": "edit", "text": new_text, "exemption": exemption, "reviewer": who})
    else:
        STATE.say(f"edited finding {finding_id} as {who}")


@cli.command()
@click.argument("case_dir", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option("--text", "text", help="Redact this text everywhere it occurs.")
@click.option("--regex", "pattern", help="Redact every match of this regular expression.")
@click.option("--area", nargs=5, type=float, metavar="PAGE X0 Y0 X1 Y1",
              help="Redact a rectangle (points, origin top-left) on a page.")
@click.option("--page", "whole_page", type=int, help="Withhold a whole page.")
@click.option("--document", "-d", help="Limit to one document (required for --area and --page).")
@click.option("--exemption", default=None, help="Exemption code (default: setting default_exemption).")
@reviewer_options
@json_option
def mark(case_dir: Path, text: str | None, pattern: str | None, area: tuple[float, ...] | None,
         whole_page: int | None, document: str | None, exemption: str | None, reviewer: str | None, reason: str,
         as_json: bool) -> None:
    """Add a manual redaction: a text or regex everywhere, an area, or a whole page.

    Examples:

      redact mark cases/FOI-2025-0142 --text "Operation Nightjar" --exemption "s31(1)(a)"

      redact mark cases/FOI-2025-0142 --page 3 -d policy.pdf --exemption "s31(1)(a)" --reason "tactics"
    """
    import regex as re_

    from redact.case import open_case

    chosen = [x is not None and x != () for x in (text, pattern, area, whole_page)]
    if sum(chosen) != 1:
        raise click.UsageError("give exactly one of --text, --regex, --area, --page")
    settings = STATE.settings(case_dir)
    case = open_case(case_dir)
    try:
        doc_id = None
        if document:
            docs = [d for d in case.store.documents() if d["name"] == document or document in d["name"]]
            if len(docs) != 1:
                raise CaseError(f"--document {document!r} matches {len(docs)} documents; give the exact name")
            doc_id = docs[0]["id"]
        elif area or whole_page is not None:
            raise click.UsageError("--area and --page need --document")
        code = exemption or settings.default_exemption
        who = reviewer or settings.default_reviewer()
        if pattern is not None:
            try:
                re_.compile(pattern)
            except re_.error as exc:
                raise click.UsageError(f"--regex is not a valid regular expression: {exc}") from exc
            mid = case.store.add_manual("regex", code, who, document_id=doc_id, pattern=pattern, reason=reason)
        elif text is not None:
            mid = case.store.add_manual("text", code, who, document_id=doc_id, pattern=text, reason=reason)
        elif area:
            page_no, x0, y0, x1, y1 = area
            if x1 <= x0 or y1 <= y0:
                raise click.UsageError("--area needs X1 > X0 and Y1 > Y0")
            mid = case.store.add_manual("area", code, who, document_id=doc_id, page=int(page_no),
                                        rect=[x0, y0, x1, y1], reason=reason)
        else:
            mid = case.store.add_manual("page", code, who, document_id=doc_id, page=whole_page, reason=reason)
    finally:
        case.close()
    if as_json:
        emit_json({"manual_id": mid, "exemption": code, "reviewer": who})
    else:
        STATE.say(f"added manual redaction {mid} ({code})")


@cli.command()
@click.argument("case_dir", type=click.Path(path_type=Path, file_okay=False, exists=True))
@json_option
def status(case_dir: Path, as_json: bool) -> None:
    """Pending, approved and rejected findings per document, and outputs.

    Example: redact status cases/FOI-2025-0142
    """
    from redact.case import open_case

    case = open_case(case_dir)
    try:
        counts = [dict(r) for r in case.store.status_counts()]
        outputs = {r["document_id"]: dict(r) for r in case.store.outputs()}
        info = case.info
    finally:
        case.close()
    try:
        from redact.pack.bundle import case_deadline

        settings = STATE.settings(case_dir)
        due, calendar = case_deadline(case, settings)
        from datetime import date as date_

        left = due.days_left(calendar, date_.today())
        deadline_info: dict[str, Any] = {"due": (due.pi_due or due.due).isoformat(), "working_days_left": left}
    except RedactError as exc:
        deadline_info = {"error": str(exc)}
    for c in counts:
        out = outputs.get(c["id"])
        c["output"] = out["path"] if out else None
        c["verified"] = bool(out["verified"]) if out else None
    if as_json:
        emit_json({"reference": info.reference, "received": str(info.received), "deadline": deadline_info,
                   "documents": counts})
        return
    STATE.say(f"case {info.reference}, received {info.received}")
    if "due" in deadline_info:
        left = deadline_info["working_days_left"]
        STATE.say(f"due {deadline_info['due']}: " + (f"{left} working day(s) left" if left >= 0
                                                     else f"[red]OVERDUE by {-left} working day(s)[/red]"))
    _table(["id", "document", "pages", "pending", "approved", "rejected", "output", "verified"],
           [[c["id"], c["name"], c["pages"] or "", c["pending"] or 0, c["approved"] or 0, c["rejected"] or 0,
             c["output"] or "-", {True: "yes", False: "FAILED", None: "-"}[c["verified"]]] for c in counts])


@cli.command()
@click.argument("case_dir", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.argument("finding_id", type=int)
@json_option
def explain(case_dir: Path, finding_id: int, as_json: bool) -> None:
    """Why a finding was made, and why the policy proposed redact or keep.

    Example: redact explain cases/FOI-2025-0142 12
    """
    from redact.api import explain as explain_finding
    from redact.case import open_case

    case = open_case(case_dir)
    try:
        data = explain_finding(case, finding_id)
    finally:
        case.close()
    if as_json:
        emit_json(data)
        return
    exp = data["explanation"]
    lines = [
        f"finding {data['id']}: {data['type']} {data['text']!r} in {data['document']} page {data['page']}",
        f"  found by:   {data['recogniser']} (score {data['score']:.2f})",
    ]
    if exp.get("pattern_name"):
        lines.append(f"  pattern:    {exp['pattern_name']}")
    if exp.get("textual_explanation"):
        lines.append(f"  because:    {exp['textual_explanation']}")
    if exp.get("supportive_context_word"):
        lines.append(f"  context:    {exp['supportive_context_word']}")
    if exp.get("also_found_by"):
        lines.append(f"  also found: {', '.join(exp['also_found_by'])}")
    if exp.get("title"):
        lines.append(f"  title kept visible: {exp['title']}")
    if exp.get("part"):
        lines.append(f"  part:       {exp['part']}")
    if exp.get("source") == "ocr":
        lines.append(f"  read by OCR (lowest line confidence on the page {exp.get('ocr_confidence')})")
    lines.append(f"  policy:     {data['policy_reason']}")
    lines.append(f"  proposed:   {data['proposed_action']} ({data['exemption']}); status {data['status']}")
    for d in data["decisions"]:
        lines.append(f"  decision:   {d['action']} by {d['reviewer']} at {d['decided_at']}: {d['reason']}")
    click.echo("\n".join(lines))


# -- apply and verify -----------------------------------------------------------
@cli.command()
@click.argument("case_dir", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option("--pending", type=click.Choice(["keep", "redact", "policy"]),
              help="What to do with undecided findings (default: refuse to apply).")
@click.option("--password", help="Password for encrypted PDFs.")
@json_option
def apply(case_dir: Path, pending: str | None, password: str | None, as_json: bool) -> None:
    """Apply approved redactions, verify every output, release the clean ones to out/.

    A document that fails verification is kept out of out/ and the command exits 9.

    Example: redact apply cases/FOI-2025-0142
    """
    from redact.api import apply_case
    from redact.case import open_case
    from redact.detect.rules import load_rules

    settings = STATE.settings(case_dir)
    rules = load_rules(settings.rules_dir)
    case = open_case(case_dir)
    try:
        result = apply_case(case, settings, rules, pending=pending, password=password,
                            on_doc=lambda name: STATE.say(f"applied and verified {name}"))
    finally:
        case.close()
    if as_json:
        emit_json(result.documents)
    else:
        _table(["document", "boxes", "verified", "output"],
               [[d["document"], d.get("boxes", 0), "yes" if d.get("verified") else "FAILED",
                 d.get("output") or d.get("error", "-")] for d in result.documents])
        STATE.say(f"outputs: {case_dir / 'out'}   reports: {case_dir / 'reports' / 'verification.txt'}")
    if result.failed:
        raise VerificationError(f"{len(result.failed)} document(s) failed verification and were not released: "
                                + ", ".join(result.failed))


@cli.command()
@click.argument("targets", nargs=-1, required=True, type=click.Path(path_type=Path, exists=True))
@click.option("--expect-gone", multiple=True, help="A string that must not survive (files mode; repeatable).")
@click.option("--report", "report_path", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the JSON report here.")
@json_option
def verify(targets: tuple[Path, ...], expect_gone: tuple[str, ...], report_path: Path | None,
           as_json: bool) -> None:
    """Re-check outputs: a case's out/ folder, or files against --expect-gone strings.

    Examples:

      redact verify cases/FOI-2025-0142

      redact verify redacted.pdf --expect-gone "Jane Holloway" --expect-gone "01632 960545"
    """
    from redact.api import verify_case, verify_files
    from redact.case import CASE_FILE, open_case

    if len(targets) == 1 and (targets[0] / CASE_FILE).is_file():
        case = open_case(targets[0])
        try:
            reports = verify_case(case)
        finally:
            case.close()
    else:
        reports = verify_files(list(targets), list(expect_gone))
    data = [r.to_json() for r in reports]
    if report_path:
        report_path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    if as_json:
        emit_json(data)
    else:
        for r in reports:
            click.echo(f"{'PASS' if r.ok else 'FAIL'}  {r.file}")
            for c in r.checks:
                if not c.ok:
                    click.echo(f"      {c.name}: {c.detail}")
    failed = [r.file for r in reports if not r.ok]
    if failed:
        raise VerificationError(f"{len(failed)} file(s) failed verification: {', '.join(failed)}")


@cli.command()
@click.argument("in_dir", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option("--out", "out_dir", required=True, type=click.Path(path_type=Path, file_okay=False),
              help="Output folder (same relative paths; reports in redact-reports/).")
@click.option("--workers", type=int, default=0, help="Worker processes (default: setting 'workers', else cores).")
@click.option("--password", help="Password for encrypted PDFs.")
@json_option
def batch(in_dir: Path, out_dir: Path, workers: int, password: str | None, as_json: bool) -> None:
    """Scan, redact by the s40 batch policy, and verify every file under a folder.

    Personal findings are redacted, public ones kept (rules/s40.yaml batch_policy).
    One bad file never stops the batch; the exit code is 10 if any file failed.

    Example: redact batch policies/ --out released/ --workers 2
    """
    from redact.batch import SUMMARY, run_batch
    from redact.progress import progress_bar

    settings = STATE.settings()
    if out_dir.resolve() == in_dir.resolve() or in_dir.resolve() in out_dir.resolve().parents:
        raise click.UsageError("--out must not be the input folder or inside it")
    from redact.batch import discover

    total = len(discover(in_dir))
    with progress_bar(total, "redacting", quiet=STATE.quiet) as bar:
        def on_file(r: Any) -> None:
            bar.advance(1, f"{r.file} {r.status}")
            if r.status != "ok":
                click.echo(f"redact: {r.status}: {r.file}: {r.message}", err=True)

        summary = run_batch(in_dir, out_dir, settings, workers=workers, password=password, on_file=on_file)
    if as_json:
        emit_json({k: v for k, v in summary.items() if k != "results"})
    else:
        click.echo(f"files {summary['files']}  ok {summary['ok']}  failed {summary['failed']}  "
                   f"pages {summary['pages']}  {summary['pages_per_second']} pages/s  "
                   f"findings {summary['findings']}  time {summary['seconds']}s")
        STATE.say(f"summary: {out_dir / SUMMARY}")
    if summary["failed"]:
        raise BatchFailuresError(f"{summary['failed']} of {summary['files']} file(s) failed; see {out_dir / SUMMARY}")


@cli.command()
@click.option("--received", type=click.DateTime(["%Y-%m-%d"]), help="Date the request arrived (day 0).")
@click.option("--clarified", type=click.DateTime(["%Y-%m-%d"]), help="Date a clarification arrived (restarts).")
@click.option("--fee-notice", type=click.DateTime(["%Y-%m-%d"]), help="Date a fees notice was given.")
@click.option("--fee-paid", type=click.DateTime(["%Y-%m-%d"]), help="Date the fee was paid.")
@click.option("--pi-extension", type=int, help="Public interest extension in working days (normally 20).")
@click.option("--review-received", type=click.DateTime(["%Y-%m-%d"]), help="Internal review request date.")
@click.option("--case", "case_dir", type=click.Path(path_type=Path, file_okay=False, exists=True),
              help="Take the dates from a case's case.yaml.")
@json_option
def deadline(received: Any, clarified: Any, fee_notice: Any, fee_paid: Any, pi_extension: int | None,
             review_received: Any, case_dir: Path | None, as_json: bool) -> None:
    """Statutory due dates in working days (UK-wide bank holidays excluded).

    Example: redact deadline --received 2025-12-19 --pi-extension 20
    """
    from redact.pack.authority import load_authority
    from redact.pack.deadline import Calendar, request_deadline, review_deadline

    settings = STATE.settings(case_dir)
    calendar = Calendar(load_authority(settings.authority_file).extra_non_working_days)
    dates = {name: _day(v) for name, v in [("received", received), ("clarified", clarified),
                                            ("fee_notice", fee_notice), ("fee_paid", fee_paid),
                                            ("review", review_received)]}
    if case_dir is not None:
        from redact.case import open_case

        case = open_case(case_dir)
        info = case.info
        case.close()
        from_case = {"received": info.received, "clarified": info.clarified, "fee_notice": info.fee_notice,
                     "fee_paid": info.fee_paid, "review": info.review.received if info.review else None}
        dates = {k: dates[k] or from_case[k] for k in dates}
        pi_extension = pi_extension if pi_extension is not None else info.pi_extension
    if dates["received"] is None and dates["review"] is None:
        raise click.UsageError("give --received (or --case, or --review-received)")
    out: dict[str, Any] = {}
    if dates["received"] is not None:
        try:
            result = request_deadline(calendar, dates["received"], clarified=dates["clarified"],
                                      fee_notice=dates["fee_notice"], fee_paid=dates["fee_paid"],
                                      pi_extension=pi_extension)
        except ValueError as exc:
            raise click.UsageError(str(exc)) from exc
        out.update(result.as_dict())
    if dates["review"] is not None:
        due, latest = review_deadline(calendar, dates["review"])
        out["review_due"], out["review_latest"] = due.isoformat(), latest.isoformat()
    if as_json:
        emit_json(out)
        return
    if "due" in out:
        click.echo(f"due (working day 20): {out['due']}")
        if out["pi_due"]:
            click.echo(f"public interest extension ({out['pi_extension_days']} working days): {out['pi_due']}")
        for note in out["notes"]:
            STATE.say(f"note: {note}")
    if "review_due" in out:
        click.echo(f"internal review due: {out['review_due']} (exceptionally {out['review_latest']})")


def _day(value: Any) -> Any:
    """A date from click's datetime (None stays None)."""
    return value.date() if value is not None else None


@cli.command()
@click.argument("case_dir", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option("--letter", "kind", help="Letter kind (default: chosen from the outcomes in case.yaml).")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="Date to print on the letter (default today).")
@json_option
def pack(case_dir: Path, kind: str | None, today: Any, as_json: bool) -> None:
    """Build the disclosure pack: letter, redacted documents, schedule, reports, manifest, zip.

    Refuses (exit 12) while anything is pending, unverified, unbalanced or would leak.

    Example: redact pack cases/FOI-2025-0142
    """
    from datetime import date as date_

    from redact.case import open_case
    from redact.detect.rules import load_rules
    from redact.pack.bundle import make_pack

    settings = STATE.settings(case_dir)
    rules = load_rules(settings.rules_dir)
    case = open_case(case_dir)
    try:
        result = make_pack(case, settings, rules, today.date() if today else date_.today(), kind)
    finally:
        case.close()
    if as_json:
        emit_json({"folder": str(result.folder), "zip": str(result.zip_path), "letter": result.letter,
                   "manifest": result.manifest})
        return
    click.echo(str(result.folder))
    STATE.say(f"{result.letter} letter, {len(result.manifest['files'])} files; zip: {result.zip_path}")


@cli.command()
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
def sample(folder: Path) -> None:
    """Write the synthetic sample documents (invented people) used by 'make demo'.

    Example: redact sample build/sample-inputs
    """
    from redact.sample import write_sample_case_inputs, write_sample_request

    for path in write_sample_case_inputs(folder):
        click.echo(str(path))
    click.echo(str(write_sample_request(folder.parent / "request.yaml")))


def _table(headers: list[str], rows: list[list[Any]]) -> None:
    table = Table(*headers, show_lines=False)
    for row in rows:
        table.add_row(*("" if v is None else str(v) for v in row))
    STDOUT.print(table)


def main(argv: list[str] | None = None) -> None:
    """Run the CLI: the one place where errors become messages and exit codes."""
    try:
        cli.main(args=argv, prog_name="redact", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("redact: interrupted", err=True)
        sys.exit(ExitCode.interrupted)
    except click.ClickException as exc:
        exc.show()
        sys.exit(ExitCode.usage if isinstance(exc, click.UsageError) else exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except RedactError as exc:
        if STATE.verbose:
            traceback.print_exc()
        click.echo(f"redact: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("redact: interrupted; nothing partial was written", err=True)
        sys.exit(ExitCode.interrupted)
    except Exception as exc:
        if STATE.verbose:
            traceback.print_exc()
        click.echo(f"redact: internal error: {type(exc).__name__}: {exc} (run with -v for the traceback "
                   "and please report it)", err=True)
        sys.exit(ExitCode.other_error)
    sys.exit(ExitCode.ok)


