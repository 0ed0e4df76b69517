"""A time limit on one file's work, so a page that costs minutes (a
content-stream bomb, a pathological drawing) cannot hold a batch worker.

The limit is ``max_seconds_per_page`` times the file's pages, armed with an
interval timer in the worker process: it interrupts Python code at once and
MuPDF as soon as its current call returns. Signals reach only a process's
main thread, so where work runs in another thread (a Dask worker) the limit
is not armed and the file runs to its end. The output is renamed into place
last: a limit that expires in the instant after that rename reports the file
refused although its verified output was written whole (a re-run redoes it)."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from redact.exceptions import TooLargeError


@contextmanager
def time_limit(seconds: float, what: str) -> Iterator[None]:
    """Raise ``TooLargeError`` (exit 5) if the block takes more than
    ``seconds`` (0: no limit)."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(signum: int, frame: FrameType | None) -> None:
        raise TooLargeError(f"{what}: took longer than {seconds:.0f} s (setting max_seconds_per_page)")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
