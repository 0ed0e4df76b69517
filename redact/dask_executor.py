"""Run a batch's files on Dask: a ``LocalCluster`` by default, or an existing
cluster given by its scheduler address.

The work per file is exactly the local executor's (``worker.run_job``);
only the dealing differs. Each Dask worker process builds the scanner (and
loads the spaCy model) on its first file and keeps it for the rest, so a
long-lived cluster pays for the model once per worker, not once per file.
Workers read the inputs and write outputs and reports themselves, so on a
remote cluster the input and output folders must be on a file system every
worker sees under the same paths, with ``redact`` installed on each worker.

Dask is an optional extra: ``pip install 'redact[dask]'``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from redact.config import Settings
from redact.detect.rules import RuleSet
from redact.exceptions import ConfigError, ExitCode
from redact.worker import FileResult, Job, run_job


def run_on_dask(jobs: list[Job], settings: Settings, rules: RuleSet, out_dir: Path, work_dir: Path,
                password: str | None, done: Callable[[Any], None], *, workers: int,
                scheduler: str | None = None) -> None:
    """Process ``jobs`` on Dask, calling ``done`` with each file's result as it arrives."""
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError as exc:
        raise ConfigError("--executor dask needs Dask: pip install 'redact[dask]'") from exc

    for name in ("distributed", "tornado", "bokeh"):
        logging.getLogger(name).setLevel(logging.ERROR)
    cluster = None
    if scheduler:
        client = _connect(Client, scheduler)
    else:
        # loopback only; its HTTP server on a free port, no dashboard
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                               dashboard_address="127.0.0.1:0", scheduler_kwargs={"dashboard": False})
        client = Client(cluster)
    try:
        shared = client.scatter([settings, rules], broadcast=True)
        futures = {}
        for rank, job in enumerate(jobs):
            # largest files first (jobs come sorted): earlier submissions get higher priority
            future = client.submit(run_job, shared[0], shared[1], job, out_dir, work_dir, password,
                                   pure=False, priority=len(jobs) - rank, retries=0)
            futures[future] = job.rel
        try:
            for future in as_completed(futures):
                rel = futures[future]
                try:
                    done(future.result())
                except Exception as exc:  # a worker died or the task failed: report the file, keep going
                    done(FileResult(file=rel, status="failed", exit_code=int(ExitCode.other_error),
                                    message=f"dask worker failed: {type(exc).__name__}: {exc}"))
        except KeyboardInterrupt:
            client.cancel(list(futures))
            raise
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _connect(client_class: Any, scheduler: str) -> Any:
    try:
        return client_class(scheduler, timeout="10s")
    except (OSError, TimeoutError) as exc:
        raise ConfigError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from exc
