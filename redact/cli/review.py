"""Review commands: review (list, CSV worksheet), approve, reject, edit, mark."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from redact.cli.app import F, _filter, _table, cli, emit_json, filter_options, json_option, reviewer_options, state
from redact.exceptions import (
    CaseError,
    ImportConflictError,
)


# -- review --------------------------------------------------------------------
@cli.command()
@click.argument("case_dir", type=click.Path(path_type=Path, file_okay=False, exists=True))
@filter_options
@click.option("--export", "export_path", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the (filtered) findings to a CSV worksheet.")
@click.option("--import", "import_path", type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="Apply the decisions filled in a CSV worksheet.")
@click.option("--reviewer", help="Who is importing: every imported decision is recorded under this name.")
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

    settings = state().settings(case_dir)
    with open_case(case_dir) as case:
        flt = _filter(document=document, page=page, etype=etype, status=status, text=text,
                      recogniser=recogniser, public=public)
        if export_path:
            n = export_csv(case.store, export_path, flt)
            state().say(f"wrote {n} finding(s) to {export_path}")
            if as_json:
                emit_json({"exported": n, "path": str(export_path)})
            return
        if import_path:
            result = import_csv(case.store, import_path, reviewer or settings.default_reviewer())
            if as_json:
                emit_json(result.__dict__)
            for problem in result.errors + result.conflicts:
                state().say(f"[yellow]{problem}[/yellow]")
            if result.errors:
                raise CaseError(f"{len(result.errors)} invalid row(s) in {import_path.name}; nothing imported")
            state().say(f"imported {result.applied} decision(s) as {reviewer or settings.default_reviewer()}; "
                      f"{result.already} already recorded; {result.unchanged} row(s) without an action")
            if result.conflicts:
                raise ImportConflictError(
                    f"{len(result.conflicts)} row(s) conflict with newer decisions and were not applied")
            return
        rows = case.store.findings(flt)
    if as_json:
        emit_json([r.to_json() for r in rows])
        return
    _table(["id", "document", "page/part", "type", "text", "score", "found by", "proposed", "why", "status"],
           [[r.id, r.document, r.page or r.explanation.get("part", ""), r.type,
             r.decided_text or r.text,
             f"{r.score:.2f}", r.recogniser, r.proposed_action, r.policy_reason, r.status]
            for r in rows], empty="no findings match")


def _check_exemption(code: str, settings: Any) -> None:
    from redact.detect.rules import load_rules
    from redact.review.marks import check_exemption

    check_exemption(load_rules(settings.rules_dir), code)


def _decide(action: str, case_dir: Path, ids: tuple[int, ...], all_pending: bool, reviewer: str | None,
            reason: str, as_json: bool, **filters: Any) -> None:
    from redact.case import open_case

    if not ids and not all_pending and not any(v is not None for v in filters.values()):
        raise click.UsageError("say which findings: ids, a filter (--text, --type, --rule, ...) or --all-pending")
    settings = state().settings(case_dir)
    with open_case(case_dir) as case:
        if all_pending:
            filters["status"] = "pending"
        rows = case.store.findings(_filter(ids=ids, **filters))
        if ids:
            missing = set(ids) - {r.id for r in rows}
            if missing:
                raise CaseError(f"no finding with id {', '.join(map(str, sorted(missing)))} (or filtered out)")
        who = reviewer or settings.default_reviewer()
        n = case.store.decide([r.id for r in rows], action, who, reason)
    if as_json:
        emit_json({"action": action, "count": n, "reviewer": who, "ids": [r.id for r in rows]})
    else:
        state().say(f"{action.rstrip('e')}ed {n} finding(s) as {who}")


def _decision_options(f: F) -> F:
    """CASE, finding ids, the filters, --all-pending, --reviewer/--reason and --json."""
    for option in reversed([
        click.argument("case_dir", type=click.Path(path_type=Path, file_okay=False, exists=True)),
        click.argument("ids", nargs=-1, type=int),
        filter_options,
        click.option("--all-pending", is_flag=True, help="Every pending finding (with the filters, if any)."),
        reviewer_options,
        json_option,
    ]):
        f = option(f)
    return f


@cli.command()
@_decision_options
def approve(case_dir: Path, ids: tuple[int, ...], all_pending: bool, reviewer: str | None, reason: str,
            as_json: bool, **filters: Any) -> None:
    """Approve findings for redaction, by id or by filter.

    Examples:

      redact approve cases/FOI-2025-0142 12 13 --reason "junior officer"

      redact approve cases/FOI-2025-0142 --all-pending --personal --reason "s40 policy"
    """
    _decide("approve", case_dir, ids, all_pending, reviewer, reason, as_json, **filters)


@cli.command()
@_decision_options
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
    settings = state().settings(case_dir)
    if exemption:
        _check_exemption(exemption, settings)
    with open_case(case_dir) as case:
        case.store.finding(finding_id)
        who = reviewer or settings.default_reviewer()
        case.store.decide([finding_id], "edit", who, reason, text=new_text, exemption=exemption)
    if as_json:
        emit_json({"id": finding_id, "action": "edit", "text": new_text, "exemption": exemption, "reviewer": who})
    else:
        state().say(f"edited finding {finding_id} as {who}")


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
    from redact.case import open_case
    from redact.detect.rules import load_rules
    from redact.review.marks import MarkRequest, add_mark

    chosen = [x is not None and x != () for x in (text, pattern, area, whole_page)]
    if sum(chosen) != 1:
        raise click.UsageError("give exactly one of --text, --regex, --area, --page")
    if (area or whole_page is not None) and not document:
        raise click.UsageError("--area and --page need --document")
    settings = state().settings(case_dir)
    code = exemption or settings.default_exemption
    who = reviewer or settings.default_reviewer()
    with open_case(case_dir) as case:
        doc_id = None
        if document:
            docs = [d for d in case.store.documents() if d["name"] == document or document in d["name"]]
            if len(docs) != 1:
                raise CaseError(f"--document {document!r} matches {len(docs)} documents; give the exact name")
            doc_id = docs[0]["id"]
        if area:
            page_no, x0, y0, x1, y1 = area
            request = MarkRequest("area", code, who, reason, doc_id, page=int(page_no), rect=(x0, y0, x1, y1))
        elif whole_page is not None:
            request = MarkRequest("page", code, who, reason, doc_id, page=whole_page)
        else:
            request = MarkRequest("regex" if pattern is not None else "text", code, who, reason, doc_id,
                                  pattern=pattern if pattern is not None else text)
        mid = add_mark(case, load_rules(settings.rules_dir), request)
    if as_json:
        emit_json({"manual_id": mid, "exemption": code, "reviewer": who})
    else:
        state().say(f"added manual redaction {mid} ({code})")
