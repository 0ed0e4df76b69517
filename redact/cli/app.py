"""What every command shares: the ``cli`` group, its options in click's
context object (``state``), option decorators and output helpers.

stdout carries data (tables, or JSON with ``--json``); people-facing messages
and progress go to stderr.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.table import Table

from redact import __version__
from redact.config import Settings, load_settings

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


def state() -> Context:
    """The running command's shared options (click's context object)."""
    return click.get_current_context().ensure_object(Context)


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
    shared = state()
    shared.verbose, shared.quiet, shared.config, shared.rules = verbose, quiet, config, rules


# columns shown whole at any terminal width: the names and numbers a reviewer decides on
WHOLE_COLUMNS = {"text", "document", "name"}


# columns left out of a table on a terminal narrower than WIDE (the plain rows and --json keep them)
SPARE_COLUMNS = {"score", "found by", "proposed", "page/part", "recogniser", "public", "output"}
WIDE = 120


def _table(headers: list[str], rows: list[list[Any]], empty: str = "nothing to show") -> None:
    """Rows as a table on stdout, or one line on stderr saying there are none.

    Piped or redirected, the rows are plain tab-separated lines (for grep,
    cut and spreadsheets); at a terminal, a table whose cells fold rather
    than end in '…', so a name being decided is always shown whole."""
    if not rows:
        state().say(empty)
        return
    cells = [["" if v is None else str(v).replace("\t", " ").replace("\n", " ") for v in row] for row in rows]
    if not STDOUT.is_terminal:
        click.echo("\t".join(headers))
        for row in cells:
            click.echo("\t".join(row))
        return
    keep = [i for i, h in enumerate(headers) if STDOUT.width >= WIDE or h not in SPARE_COLUMNS]
    table = Table(show_lines=False)
    for i in keep:  # the names a reviewer decides on fold instead of ending in '…'
        table.add_column(headers[i], overflow="fold" if headers[i] in WHOLE_COLUMNS else "ellipsis")
    for row in cells:
        table.add_row(*(row[i] for i in keep))
    STDOUT.print(table, soft_wrap=False)
