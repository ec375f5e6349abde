"""Jobs through ``dask.distributed``: a LocalCluster by default, or a running scheduler.

Each job is one Dask task (``retries`` times retried when it raises — a lost
worker, a crash; a compound's own error is an answer and is not retried).
Results are handed to ``on_result`` in the client process as they finish, in
completion order, so the caller stores each one at once: an interrupted batch
keeps what finished. Workers are processes with one thread each (the engine
is CPU-bound Python and GEOS), one per core by default.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from camwatch.batch.jobs import Job
from camwatch.batch.tasks import Task, run_task
from camwatch.errors import UsageError
from camwatch.i18n import Message, msg, text_of


@dataclass(frozen=True)
class Outcome:
    """What became of one job.

    ``error`` is the English text (stored in result files and snapshots, and in
    ``--json``); ``words`` the same error to word in the reader's language.
    """

    job: Job
    result: dict[str, Any] | None
    error: str | None
    seconds: float  # the task's own time on its worker
    words: Message | str | None = None


@dataclass
class Tally:
    """Counts of a batch run, and its rate."""

    done: int = 0
    failed: int = 0
    skipped: int = 0
    seconds: float = 0.0  # from the first job submitted to the last result
    startup_seconds: float = 0.0  # starting the cluster or connecting to it
    workers: int = 0

    def per_hour(self) -> float:
        """Compounds finished (done or failed) per hour of wall time."""
        n = self.done + self.failed
        return 3600.0 * n / self.seconds if self.seconds > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        """The JSON summary ``camwatch district … --json`` prints."""
        return {
            "done": self.done,
            "failed": self.failed,
            "skipped": self.skipped,
            "workers": self.workers,
            "seconds": round(self.seconds, 3),
            "startup_seconds": round(self.startup_seconds, 3),
            "compounds_per_hour": round(self.per_hour(), 1),
        }


def default_workers() -> int:
    """One worker per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


@contextmanager
def dask_client(
    workers: int | None, scheduler: str | None, *, timeout: float = 10.0
) -> Iterator[Any]:
    """A Dask client: on ``scheduler`` (an address) or on a new LocalCluster of processes."""
    from distributed import Client, LocalCluster

    if scheduler:
        try:
            client = Client(scheduler, timeout=f"{timeout}s")
        except (OSError, TimeoutError) as exc:
            raise UsageError(
                msg(
                    "cannot reach the Dask scheduler at %(address)s: %(detail)s",
                    address=scheduler,
                    detail=str(exc),
                )
            ) from None
        try:
            yield client
        finally:
            client.close()
        return
    cluster = LocalCluster(
        n_workers=workers or default_workers(),
        threads_per_worker=1,
        processes=True,
        dashboard_address=":0",  # its HTTP server on a free port, not a fixed one
        silence_logs=logging.ERROR,
    )
    try:
        with Client(cluster) as client:
            yield client
    finally:
        cluster.close()


def run_jobs(
    jobs: Sequence[Job],
    task: Task,
    on_result: Callable[[Outcome], None],
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    retries: int = 2,
    progress: Callable[[int, int], None] | None = None,
) -> Tally:
    """Run ``task`` on every job; call ``on_result`` for each as it finishes.

    ``progress(finished, total)`` is called after each job. Returns the tally
    (``skipped`` is left to the caller, who decided what not to run).
    """
    from distributed import as_completed

    tally = Tally()
    if not jobs:
        return tally
    begun = time.perf_counter()
    with dask_client(workers, scheduler) as client:
        start = time.perf_counter()
        tally.startup_seconds = start - begun
        tally.workers = len(client.scheduler_info().get("workers", {}))
        futures: dict[Any, Job] = {}
        for job in jobs:
            future = client.submit(
                run_task,
                task,
                job.source,
                job.devices,
                job.options,
                key=f"camwatch-{job.digest[:16]}-{len(futures)}",
                retries=retries,
                pure=False,
            )
            futures[future] = job
        for finished, future in enumerate(as_completed(list(futures)), start=1):
            job = futures.pop(future)
            words: Message | str | None
            try:
                result, raw, seconds = future.result()
                words = Message.from_json(raw) if isinstance(raw, dict) else raw
            except Exception as exc:  # the task failed on every retry
                result, seconds = None, 0.0
                words = msg("failed after %(n)s retries: %(detail)s", n=retries, detail=repr(exc))
            error = None if words is None else text_of(words, "en")
            if error is None:
                tally.done += 1
            else:
                tally.failed += 1
            on_result(Outcome(job, result, error, seconds, words))
            future.release()
            if progress is not None:
                progress(finished, len(jobs))
        tally.seconds = time.perf_counter() - start
    return tally
