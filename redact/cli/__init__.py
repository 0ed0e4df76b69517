"""The ``redact`` command line: thin commands over ``redact.api``.

``app`` holds what every command shares (the group, options, output); the
commands live in ``cases``, ``review``, ``output`` and ``pack``; this module
holds the one error boundary, ``main``.

Every known error becomes one line and a stable exit code in ``main`` (a
traceback only with ``-v``).
"""

from __future__ import annotations

import sys
import traceback

import click

from redact.cli import cases, desk, output, pack, review  # noqa: F401 - the commands register on ``cli``
from redact.cli.app import Context, cli
from redact.exceptions import ExitCode, RedactError

__all__ = ["cli", "main"]


def main(argv: list[str] | None = None) -> None:
    """Run the CLI: the one place where errors become messages and exit codes."""
    shared = Context()
    try:
        cli.main(args=argv, prog_name="redact", standalone_mode=False, obj=shared)
    except click.exceptions.Abort:
        click.echo("redact: interrupted", err=True)
        sys.exit(ExitCode.interrupted)
    except click.ClickException as exc:
        exc.show()
        sys.exit(ExitCode.usage if isinstance(exc, click.UsageError) else exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except RedactError as exc:
        if shared.verbose:
            traceback.print_exc()
        click.echo(f"redact: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("redact: interrupted; nothing partial was written", err=True)
        sys.exit(ExitCode.interrupted)
    except Exception as exc:
        if shared.verbose:
            traceback.print_exc()
        click.echo(f"redact: internal error: {type(exc).__name__}: {exc} (run with -v for the traceback "
                   "and please report it)", err=True)
        sys.exit(ExitCode.other_error)
    sys.exit(ExitCode.ok)


