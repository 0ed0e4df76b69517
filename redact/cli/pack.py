"""Disclosure commands: deadline, pack."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from redact.cli.app import cli, emit_json, json_option, state


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

    settings = state().settings(case_dir)
    calendar = Calendar(load_authority(settings.authority_file).extra_non_working_days)
    dates = {name: _day(v) for name, v in [("received", received), ("clarified", clarified),
                                            ("fee_notice", fee_notice), ("fee_paid", fee_paid),
                                            ("review", review_received)]}
    if case_dir is not None:
        from redact.case import open_case

        with open_case(case_dir) as case:
            info = case.info
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
            state().say(f"note: {note}")
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

    settings = state().settings(case_dir)
    rules = load_rules(settings.rules_dir)
    with open_case(case_dir) as case:
        result = make_pack(case, settings, rules, today.date() if today else date_.today(), kind)
    if as_json:
        emit_json({"folder": str(result.folder), "zip": str(result.zip_path), "letter": result.letter,
                   "manifest": result.manifest})
        return
    click.echo(str(result.folder))
    state().say(f"{result.letter} letter, {len(result.manifest['files'])} files; zip: {result.zip_path}")
