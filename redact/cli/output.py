"""Output commands: apply, verify, batch."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from redact.cli.app import _table, cli, emit_json, json_option, state
from redact.exceptions import (
    BatchFailuresError,
    VerificationError,
)


# -- apply and verify -----------------------------------------------------------
@cli.command()
@click.argument("case_dir", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option("--pending", type=click.Choice(["keep", "redact", "policy"]),
              help="What to do with undecided findings (default: refuse to apply).")
@click.option("--password", help="Password for encrypted PDFs.")
@click.option("--all", "redo_all", is_flag=True,
              help="Redo every document, not only those whose output is missing, failed or stale.")
@click.option("--accept-repaired", is_flag=True,
              help="Apply to PDFs MuPDF had to repair (check them against the original first).")
@json_option
def apply(case_dir: Path, pending: str | None, password: str | None, redo_all: bool, accept_repaired: bool,
          as_json: bool) -> None:
    """Apply approved redactions, verify every output, release the clean ones to out/.

    Only documents without a current output are redone: a decision, edit or
    manual mark after the last apply makes a document's output stale.
    A document that fails verification is kept out of out/ and the command exits 9.

    Example: redact apply cases/FOI-2025-0142
    """
    from redact.api import apply_case
    from redact.case import open_case
    from redact.detect.rules import load_rules

    settings = state().settings(case_dir)
    if accept_repaired:
        settings = settings.model_copy(update={"accept_repaired": True})
    rules = load_rules(settings.rules_dir)
    with open_case(case_dir) as case:
        result = apply_case(case, settings, rules, pending=pending, password=password, redo_all=redo_all,
                            on_doc=lambda name: state().say(f"applied and verified {name}"))
    if as_json:
        emit_json(result.documents)
    else:
        _table(["document", "boxes", "verified", "output"],
               [[d["document"], d.get("boxes", 0),
                 ("yes (unchanged)" if d.get("unchanged") else "yes") if d.get("verified") else "FAILED",
                 d.get("output") or d.get("error", "-")] for d in result.documents])
        for d in result.documents:
            for item in d.get("for_review") or []:
                state().say(f"for review in {d['document']}: {item}")
        state().say(f"outputs: {case_dir / 'out'}   reports: {case_dir / 'reports' / 'verification.txt'}")
    if result.errors and len(result.errors) == len(result.failed):
        # nothing failed verification: the documents could not be opened; say why, with that error's code
        first = result.errors[0]
        raise type(first)(f"{len(result.failed)} document(s) not applied: " + "; ".join(str(e) for e in result.errors))
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
        with open_case(targets[0]) as case:
            reports = verify_case(case)
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
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="local: worker processes here; dask: a Dask LocalCluster, or --scheduler (needs redact[dask]).")
@click.option("--scheduler", metavar="ADDRESS",
              help="Existing Dask scheduler, e.g. tcp://host:8786 (implies --executor dask).")
@click.option("--accept-repaired", is_flag=True,
              help="Release PDFs MuPDF had to repair (damaged or truncated; their scan notes say so).")
@json_option
def batch(in_dir: Path, out_dir: Path, workers: int, password: str | None, executor: str, scheduler: str | None,
          accept_repaired: bool, as_json: bool) -> None:
    """Scan, redact by the s40 batch policy, and verify every file under a folder.

    Personal findings are redacted, public ones kept (rules/s40.yaml batch_policy).
    One bad file never stops the batch; the exit code is 10 if any file failed.

    Example: redact batch policies/ --out released/ --workers 2

    A re-run keeps files whose input, rules and tool version are unchanged and
    whose verified output is untouched, and redoes the rest.
    """
    from redact.batch import SUMMARY, run_batch
    from redact.progress import progress_bar

    settings = state().settings()
    if accept_repaired:
        settings = settings.model_copy(update={"accept_repaired": True})
    if out_dir.resolve() == in_dir.resolve() or in_dir.resolve() in out_dir.resolve().parents:
        raise click.UsageError("--out must not be the input folder or inside it")
    from redact.batch import discover

    total = len(discover(in_dir))
    with progress_bar(total, "redacting", quiet=state().quiet) as bar:
        def on_file(r: Any) -> None:
            bar.advance(1, f"{r.file} {r.status}")
            if r.status != "ok":
                click.echo(f"redact: {r.status}: {r.file}: {r.message}", err=True)

        summary = run_batch(in_dir, out_dir, settings, workers=workers, password=password, on_file=on_file,
                            executor="dask" if scheduler else executor, scheduler=scheduler)
    if as_json:
        emit_json({k: v for k, v in summary.items() if k != "results"})
    else:
        click.echo(f"files {summary['files']}  ok {summary['ok']}  failed {summary['failed']}  "
                   f"pages {summary['pages']}  {summary['pages_per_second']} pages/s  "
                   f"findings {summary['findings']}  time {summary['seconds']}s")
        if summary["shared_numbers"]:
            state().say("numbers shared by several files (team lines unless a person is beside them): "
                      + ", ".join(f"{n} ({c} files)" for n, c in summary["shared_numbers"].items()))
        state().say(f"summary: {out_dir / SUMMARY}")
    if summary["failed"]:
        raise BatchFailuresError(f"{summary['failed']} of {summary['files']} file(s) failed; see {out_dir / SUMMARY}")
