"""A real `redact serve` for the desk's end-to-end tests: started as a
user starts it (a separate process, port chosen by the system), its URL
read from stdout, stopped with the test."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass
class Served:
    """The running desk: its URL with the token, its base, and a client for the JSON API."""

    url: str
    base: str
    token: str
    process: subprocess.Popen[str]
    csrf: str = ""

    def request(self, method: str, path: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
        """A call as the desk's page makes it: the session cookie, the CSRF header, this origin."""
        headers = {"Cookie": f"redact_desk={self.token}", "Origin": self.base}
        data = None
        if body is not None:
            headers.update({"Content-Type": "application/json", "X-CSRF-Token": self.csrf})
            data = json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=60) as response:
                raw = response.read()
                status = response.status
        except urllib.error.HTTPError as exc:
            raw, status = exc.read(), exc.code
        try:
            return status, json.loads(raw)
        except ValueError:
            return status, raw.decode("utf-8", "replace")


@contextmanager
def serve(case_dir: Path, reviewer: str) -> Iterator[Served]:
    """`redact serve CASE --no-browser --port 0 --reviewer R` until the block ends."""
    process = subprocess.Popen(
        [sys.executable, "-m", "redact", "serve", str(case_dir), "--no-browser", "--port", "0", "--reviewer", reviewer],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        match = re.fullmatch(r"(http://127\.0\.0\.1:\d+)/\?token=([\w-]+)", url)
        assert match, f"redact serve printed {url!r}; stderr: {process.stderr.read() if process.stderr else ''}"
        served = Served(url, match.group(1), match.group(2), process)
        for _ in range(100):  # the server listens once uvicorn has started
            try:
                status, page = served.request("GET", "/case")
                break
            except OSError:
                time.sleep(0.1)
        assert status == 200, page
        csrf = re.search(r'<meta name="csrf" content="([^"]+)">', page)
        assert csrf
        served.csrf = csrf.group(1)
        yield served
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
