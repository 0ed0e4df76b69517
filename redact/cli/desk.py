"""``redact serve``: the review desk in the browser."""

from __future__ import annotations

import ipaddress
import socket
from pathlib import Path

import click

from redact.cli.app import cli, state


@cli.command()
@click.argument("case_dir", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="Port to listen on (0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--allow-remote", is_flag=True, help="Allow a --host other than this machine (the case's "
              "personal data is then reachable by anyone on that network who has the URL).")
@click.option("--no-browser", is_flag=True, help="Do not open a browser; just print the URL.")
@click.option("--reviewer", help="Who decides at the desk (default: setting 'reviewer', else the desk asks "
              "each browser on its first visit).")
def serve(case_dir: Path, port: int, host: str, allow_remote: bool, no_browser: bool, reviewer: str | None) -> None:
    """Open the review desk: each page with its proposed boxes, decided with the keyboard.

    The printed URL carries a random token made now; keep it to yourself.
    Every decision is recorded in the case with who, when and why.

    Example: redact serve cases/FOI-2025-0142
    """
    import webbrowser

    import uvicorn

    from redact.case import open_case
    from redact.desk.app import Desk, make_app
    from redact.detect.rules import load_rules

    if not _loopback(host):
        if not allow_remote:
            raise click.UsageError(f"--host {host} is not this machine; add --allow-remote to serve the case there")
        state().say(f"[yellow]warning: serving the case on {host}: anyone there with the URL can read it[/yellow]")
    settings = state().settings(case_dir)
    open_case(case_dir).close()  # not a case: say so now, not in the server
    desk = Desk(case_dir, settings, load_rules(settings.rules_dir), reviewer or settings.reviewer)
    # bound here, so the URL names the port even when the system chose it (--port 0)
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        raise click.UsageError(f"cannot listen on {host}:{port}: {exc.strerror}") from exc
    bound = sock.getsockname()[1]
    url = f"http://{'127.0.0.1' if _loopback(host) else host}:{bound}/?token={desk.token}"
    click.echo(url)
    who = desk.reviewer or "the name each browser gives on its first visit"
    state().say(f"review desk for {case_dir}, decisions recorded as {who}; Ctrl-C to stop")
    if not no_browser:
        webbrowser.open(url)
    uvicorn.Server(uvicorn.Config(make_app(desk), log_level="warning")).run(sockets=[sock])


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
