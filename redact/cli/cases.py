"""Case commands: init, add, remove, scan, status, explain, sample."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import click

from redact.cli.app import _table, cli, emit_json, json_option, state
from redact.exceptions import (
    BatchFailuresError,
    RedactError,
)


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

    init_case(case_dir, reference, received.date(), request_file).close()
    if as_json:
        emit_json({"case": str(case_dir), "reference": reference, "received": str(received.date())})
    else:
        state().say(f"created case {reference} in {case_dir}")


@cli.command()
@click.argument("case_dir", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, exists=True))
@json_option
def add(case_dir: Path, files: tuple[Path, ...], as_json: bool) -> None:
    """Copy original documents into a case (read-only, SHA-256 recorded).

    Folders are walked for PDF, DOCX, TXT and EML files. The same file twice is one document.

    Example: redact add cases/FOI-2025-0142 policy.pdf letters/
    """
    from redact.case import add_file, open_case
    from redact.ingest import supported_files

    settings = state().settings(case_dir)
    paths = supported_files(list(files))
    out: list[dict[str, Any]] = []
    refused: list[RedactError] = []
    with open_case(case_dir) as case:
        for p in paths:
            try:
                added = add_file(case, p, settings.max_file_mb)
            except RedactError as exc:  # one bad file never stops the rest
                refused.append(exc)
                out.append({"source": str(p), "refused": str(exc), "exit_code": int(exc.exit_code)})
                state().say(f"[red]refused[/red] {p.name}: {exc}")
                continue
            out.append({"source": str(p), "document_id": added.document_id, "name": added.name,
                        "duplicate": added.duplicate})
            state().say(f"{'duplicate of' if added.duplicate else 'added'} {added.name} (id {added.document_id})")
    if as_json:
        emit_json(out)
    if refused:
        raise type(refused[0])(f"{len(refused)} of {len(paths)} file(s) refused, the rest added: "
                               + "; ".join(str(e) for e in refused))


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
        settings = state().settings(targets[0])
        rules = load_rules(settings.rules_dir)
        with open_case(targets[0]) as case:
            summary = scan_case(case, settings, rules, rescan=rescan, password=password,
                                on_doc=lambda name: state().say(f"scanned {name}"))
        if as_json:
            emit_json(summary.documents)
        else:
            _table(["document", "pages", "findings", "public", "notes"],
                   [[d["document"], d.get("pages", ""), d.get("findings", d.get("skipped", "")), d.get("public", ""),
                     d.get("error") or "; ".join(d.get("notes", []))] for d in summary.documents])
        if summary.errors:
            raise type(summary.errors[0])(
                f"{len(summary.errors)} document(s) not scanned, the rest were: "
                + "; ".join(str(e) for e in summary.errors) + " ('redact remove' takes a document out)")
        return
    _scan_paths(targets, fmt, password, as_json)


def _scan_paths(targets: tuple[Path, ...], fmt: str, password: str | None, as_json: bool) -> None:
    from redact.api import scan_files
    from redact.detect.rules import load_rules
    from redact.ingest import supported_files
    from redact.progress import progress_bar

    settings = state().settings()
    rules = load_rules(settings.rules_dir)
    files = supported_files(list(targets))
    failures = 0
    rows = []
    with progress_bar(len(files), "scanning", quiet=state().quiet) as bar:
        for path, result in scan_files(files, settings, rules, password):
            bar.advance()
            if isinstance(result, RedactError):
                if len(files) == 1:
                    raise result
                failures += 1
                click.echo(f"redact: error: {result}", err=True)
                continue
            for f in result.findings:
                line = f.to_json(str(path), path.stem)
                rows.append(line)
                if fmt == "jsonl":
                    click.echo(json.dumps(line))
    if as_json and fmt != "jsonl":
        emit_json(rows)
    elif fmt == "table":
        _table(["file", "page", "type", "text", "score", "public", "recogniser"],
               [[Path(r["file"]).name, r["page"], r["type"], r["text"], r["score"], r["public"], r["recogniser"]]
                for r in rows])
    if failures:
        raise BatchFailuresError(f"{failures} of {len(files)} file(s) could not be scanned")


@cli.command()
@click.argument("case_dir", type=click.Path(path_type=Path, file_okay=False, exists=True))
@json_option
def status(case_dir: Path, as_json: bool) -> None:
    """Pending, approved and rejected findings per document, and outputs.

    Example: redact status cases/FOI-2025-0142
    """
    from redact.api import stale_documents
    from redact.case import open_case

    with open_case(case_dir) as case:
        counts = [dict(r) for r in case.store.status_counts()]
        outputs = {r["document_id"]: dict(r) for r in case.store.outputs()}
        stale = set(stale_documents(case))
        info = case.info
    try:
        from redact.pack.bundle import case_deadline

        settings = state().settings(case_dir)
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
        c["stale"] = c["name"] in stale
        c["repaired"] = any(note.startswith("damaged PDF") for note in json.loads(c.pop("scan_notes") or "[]"))
    if as_json:
        emit_json({"reference": info.reference, "received": str(info.received), "deadline": deadline_info,
                   "documents": counts})
        return
    state().say(f"case {info.reference}, received {info.received}")
    if "due" in deadline_info:
        left = deadline_info["working_days_left"]
        state().say(f"due {deadline_info['due']}: " + (f"{left} working day(s) left" if left >= 0
                                                     else f"[red]OVERDUE by {-left} working day(s)[/red]"))
    _table(["id", "document", "pages", "pending", "approved", "rejected", "output", "verified"],
           [[c["id"], c["name"] + (" (damaged, repaired)" if c["repaired"] else ""), c["pages"] or "",
             c["pending"] or 0, c["approved"] or 0, c["rejected"] or 0,
             c["output"] or "-",
             "STALE: apply again" if c["stale"] else {True: "yes", False: "FAILED", None: "-"}[c["verified"]]]
            for c in counts])


@cli.command()
@click.argument("case_dir", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.argument("document")
@click.option("--reason", required=True, help="Why it leaves the case (recorded).")
@click.option("--reviewer", help="Who takes it out (default: setting reviewer, else $USER).")
@json_option
def remove(case_dir: Path, document: str, reason: str, reviewer: str | None, as_json: bool) -> None:
    """Take a document out of a case: it is no longer scanned, applied or packed,
    its released output is withdrawn from out/, and the document, its findings
    and their decisions stay in the store with who removed it, when and why.

    Example: redact remove cases/FOI-2025-0142 scan-0001.pdf --reason "not in scope"
    """
    from redact.case import open_case
    from redact.exceptions import CaseError

    settings = state().settings(case_dir)
    with open_case(case_dir) as case:
        docs = [d for d in case.store.documents() if d["name"] == document]
        if len(docs) != 1:
            raise CaseError(f"no document named {document!r} in the case ('redact status' lists them)")
        who = reviewer or settings.default_reviewer()
        case.store.remove_document(docs[0]["id"], who, reason)
        released = case.out / docs[0]["name"]
        released.unlink(missing_ok=True)
    if as_json:
        emit_json({"removed": document, "reviewer": who, "reason": reason})
    else:
        state().say(f"removed {document} from the case ({who}: {reason}); its output withdrawn")


@cli.command()
@click.argument("case_dir", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.argument("finding_id", type=int, required=False)
@click.option("--dropped", is_flag=True,
              help="Instead: the spans a recogniser proposed and a named check dropped, and why.")
@click.option("--text", "text", help="With --dropped: only spans holding this text (case-insensitive).")
@click.option("--document", help="With --dropped: only this document (its name in 'redact status').")
@json_option
def explain(case_dir: Path, finding_id: int | None, dropped: bool, text: str | None, document: str | None,
            as_json: bool) -> None:
    """Why a finding was made, and why the policy proposed redact or keep;
    with --dropped, why a word was not proposed at all.

    Examples: redact explain cases/FOI-2025-0142 12;
    redact explain cases/FOI-2025-0142 --dropped --text Kingsmere
    """
    from redact.api import explain as explain_finding
    from redact.case import open_case

    if dropped:
        with open_case(case_dir) as case:
            spans = case.store.dropped_spans(text=text, document=document)
        if as_json:
            emit_json([dataclasses.asdict(s) for s in spans])
            return
        if not spans:
            state().say("no dropped span" + (f" holds {text!r}" if text else "") + "; the scan may predate this "
                      "record ('redact scan CASE --rescan')")
            return
        _table(["document", "page", "text", "check", "why"],
               [[s.document, s.page or "", s.text, s.check, s.reason] for s in spans])
        return
    if finding_id is None:
        raise click.UsageError("give a FINDING_ID, or --dropped")
    with open_case(case_dir) as case:
        data = explain_finding(case, finding_id)
    if as_json:
        emit_json(data)
        return
    exp = data["explanation"]
    lines = [
        f"finding {data['id']}: {data['type']} {data['text']!r} in {data['document']} page {data['page']}",
        f"  found by:   {data['recogniser']} (score {data['score']:.2f})",
    ]
    for key, label in [("pattern_name", "pattern"), ("textual_explanation", "because"),
                       ("supportive_context_word", "context"), ("also_found_by", "also found"),
                       ("title", "title kept visible"), ("part", "part")]:
        value = exp.get(key)
        if value:
            text = ", ".join(value) if isinstance(value, list) else value
            lines.append(f"  {label + ':':11} {text}")
    if exp.get("source") == "ocr":
        lines.append(f"  read by OCR (mean confidence on the page {exp.get('ocr_confidence')})")
    lines.append(f"  policy:     {data['policy_reason']}")
    if exp.get("policy_rule"):
        from redact.detect.policy import RULE_SETTINGS

        setting = RULE_SETTINGS.get(exp["policy_rule"])
        lines.append(f"  rule:       {exp['policy_rule']}" + (f" (set by s40.{setting} in rules/s40.yaml)"
                                                               if setting else ""))
    lines.append(f"  proposed:   {data['proposed_action']} ({data['exemption']}); status {data['status']}")
    for d in data["decisions"]:
        lines.append(f"  decision:   {d['action']} by {d['reviewer']} at {d['decided_at']}: {d['reason']}")
    click.echo("\n".join(lines))


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
