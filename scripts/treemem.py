"""Run a command and report the peak memory of its whole process tree.

`harness.py` reports the largest single process (from `wait4`); a batch with
worker processes uses the sum. This samples every process of the tree every
0.5 s with psutil and prints one JSON line: wall seconds, exit code, peak RSS
and peak PSS (PSS splits pages shared between processes fairly) of the tree.

Usage: python scripts/treemem.py -- COMMAND ...
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

import psutil


def tree_memory(root: psutil.Process) -> tuple[float, float]:
    """(RSS, PSS) of ``root`` and its descendants, in MiB."""
    rss = pss = 0.0
    for proc in [root, *root.children(recursive=True)]:
        try:
            info = proc.memory_full_info()
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
        rss += info.rss
        pss += getattr(info, "pss", info.rss)
    return rss / 2**20, pss / 2**20


def main(argv: list[str]) -> int:
    cmd = argv[argv.index("--") + 1:] if "--" in argv else argv
    start = time.perf_counter()
    proc = subprocess.Popen(cmd)
    root = psutil.Process(proc.pid)
    peak_rss = peak_pss = 0.0
    while proc.poll() is None:
        rss, pss = tree_memory(root)
        peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
        time.sleep(0.5)
    print(json.dumps({"cmd": " ".join(cmd), "exit_code": proc.returncode,
                      "wall_s": round(time.perf_counter() - start, 2),
                      "tree_peak_rss_mib": round(peak_rss, 1), "tree_peak_pss_mib": round(peak_pss, 1)}))
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
