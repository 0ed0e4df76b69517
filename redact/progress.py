"""Progress on stderr: a rich bar when stderr is a terminal, else nothing."""

from __future__ import annotations

import sys
from types import TracebackType
from typing import Protocol

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

STDERR = Console(stderr=True, highlight=False)


class ProgressBar(Protocol):
    """What the pipeline needs from a progress display."""

    def __enter__(self) -> ProgressBar: ...
    def __exit__(self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None) -> None: ...
    def advance(self, n: int = 1, note: str = "") -> None: ...


class NullBar:
    """No display (``--quiet``, or stderr is not a terminal)."""

    def __enter__(self) -> NullBar:
        return self

    def __exit__(self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None) -> None:
        return None

    def advance(self, n: int = 1, note: str = "") -> None:
        """Do nothing."""


class RichBar:
    """A rich progress bar with rate and ETA."""

    def __init__(self, total: int, what: str, unit: str) -> None:
        self.progress = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
            TextColumn(f"{unit} · {{task.fields[note]}}"), TimeRemainingColumn(), console=STDERR,
        )
        self.task = self.progress.add_task(what, total=total, note="")

    def __enter__(self) -> RichBar:
        self.progress.start()
        return self

    def __exit__(self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None) -> None:
        self.progress.stop()

    def advance(self, n: int = 1, note: str = "") -> None:
        """Move on ``n`` units."""
        self.progress.update(self.task, advance=n, note=note)


def progress_bar(total: int, what: str, unit: str = "files", quiet: bool = False) -> ProgressBar:
    """A bar if a person is watching, else a null one."""
    if quiet or not sys.stderr.isatty():
        return NullBar()
    return RichBar(total, what, unit)
