"""The browser and the command line deciding on one case at the same time:
every decision is kept and nobody is told 'database is locked' (WAL, short
transactions, a busy timeout)."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

from redact.case import open_case
from redact.store.db import FindingFilter
from tests.desk_server import serve

ROUNDS = 60


def test_desk_and_cli_deciding_at_once_lose_nothing(case: Path) -> None:
    with open_case(case) as c:
        ids = [f.id for f in c.store.findings(FindingFilter())]
        before = len(c.store.decisions())
    desk_ids, cli_ids = ids[::2], ids[1::2]
    failures: list[str] = []
    with serve(case, "Tamsin Oakshott") as desk:
        def browser() -> None:
            for n in range(ROUNDS):
                fid = desk_ids[n % len(desk_ids)]
                status, body = desk.request("POST", "/api/decisions",
                                            {"finding_id": fid, "action": "approve" if n % 2 else "reject"})
                if status != 200:
                    failures.append(f"desk: {status} {body}")

        def command_line() -> None:  # another process, as `redact approve` is
            for n in range(3):
                done = subprocess.run([sys.executable, "-m", "redact", "approve", str(case), str(cli_ids[n]),
                                       "--reviewer", "Peregrine Quillfeather"], capture_output=True, text=True)
                if done.returncode != 0:
                    failures.append(f"cli: {done.stderr}")

        threads = [threading.Thread(target=browser), threading.Thread(target=command_line)]
        for t in threads:
            t.start()
        with open_case(case) as c:  # and a third writer, in a tight loop
            for n in range(ROUNDS):
                c.store.decide([cli_ids[n % len(cli_ids)]], "reject", "Orla Penhallow", "kept")
        for t in threads:
            t.join()
        desk.process.terminate()
        _, err = desk.process.communicate(timeout=10)
    assert not failures, failures
    assert "locked" not in err
    with open_case(case) as c:
        log = c.store.decisions()
    assert len(log) - before == ROUNDS + 3 + ROUNDS
    assert sum(d["reviewer"] == "Tamsin Oakshott" for d in log) == ROUNDS
    assert sum(d["reviewer"] == "Peregrine Quillfeather" for d in log) == 3
