"""Target planning as a background job: "fewest cameras to reach X %" (docs/web.md).

A target plan can take much longer than a request should, so the web starts it
as a **job** and answers at once; the page polls the job's status (phase,
progress) and may cancel it.

Decisions (docs/web.md, "Target planning jobs"):

* A job is a **thread in the web process** (no broker, no extra process to
  run); the jobs live in a small in-memory table per app
  (``app.extensions["plan_jobs"]``). A restart forgets them — the page then
  reports the job as gone and the planner starts it again.
* **Cancel is cooperative**: :func:`planners.plan.plan_cameras` calls the
  job's ``progress`` callback between phases and before every greedy
  evaluation; once cancel is asked for (or the job's wall-clock limit
  ``JOB_TIMEOUT_S`` has passed) the callback raises and the planner stops
  there. The local search and the exact programme run between two
  callbacks; they are bounded by the planner's ``time_limit``
  (``web.planning.TIME_LIMIT_S``), so a cancel takes effect within that.
* **One running job per compound** (a second start is 409 naming the running
  job) and at most ``MAX_RUNNING`` jobs in the whole process (503 beyond): the
  planner is CPU-bound.
* Finished jobs are kept ``KEEP_S`` seconds for their status, then dropped.
"""

from __future__ import annotations

import atexit
import threading
import time
import uuid
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from camwatch.errors import CamwatchError
from camwatch.model import Site
from web.cache import (
    STOP_WAIT_S,  # the one wait of the interpreter's exit, as for the cache's worker
)

JOB_TIMEOUT_S = 180.0  # a job still running after this is stopped at its next checkpoint
MAX_RUNNING = 2  # jobs computing at once in one server process
KEEP_S = 900.0  # finished jobs answer their status this long

# share of the progress bar each phase of plan_cameras ends at (greedy fills its span)
PHASES: dict[str, tuple[float, float]] = {
    "queued": (0.0, 0.0),
    "analysis": (0.0, 0.05),
    "candidates": (0.05, 0.3),
    "greedy": (0.3, 0.8),
    "optimise": (0.8, 0.9),
    "after": (0.9, 0.98),
}


class JobStopped(Exception):
    """Raised inside the planner (by the progress callback) to stop a job."""


class JobRunning(Exception):
    """A second job for a compound that has one running (409)."""

    def __init__(self, job: PlanJob) -> None:
        super().__init__(f"a target plan is already running for this compound (job {job.id})")
        self.job = job


class JobsBusy(Exception):
    """Too many jobs computing at once (503)."""


@dataclass
class PlanJob:
    """One target plan: its state, progress and, when done, the plan or the error."""

    id: str
    compound_id: int
    user: str
    options: dict[str, Any]
    state: str = "running"  # running | done | failed | cancelled
    phase: str = "queued"
    fraction: float = 0.0  # of the whole job, 0..1
    started: float = field(default_factory=time.monotonic)
    finished: float | None = None
    result: dict[str, Any] | None = None
    error: str | None = None
    error_kind: str | None = None  # timeout | planner | crash (the web words it)
    cancelled_by: str | None = None
    cancel_event: threading.Event = field(default_factory=threading.Event)

    def status(self) -> dict[str, Any]:
        """The job as the status endpoint answers it (no result while running)."""
        end = self.finished if self.finished is not None else time.monotonic()
        out: dict[str, Any] = {
            "id": self.id,
            "state": self.state,
            "phase": self.phase,
            "progress": round(self.fraction, 4),
            "seconds": round(end - self.started, 2),
            "options": self.options,
            "cancel_requested": self.cancel_event.is_set(),
        }
        if self.error is not None:
            out["error"] = self.error
            out["error_kind"] = self.error_kind
        if self.cancelled_by is not None:
            out["cancelled_by"] = self.cancelled_by
        if self.result is not None:
            out["result"] = self.result
        return out

    def checkpoint(self, phase: str, fraction: float) -> None:
        """The planner's progress callback: record progress, stop when asked or overdue."""
        if self.cancel_event.is_set():
            raise JobStopped("cancelled")
        if time.monotonic() - self.started > JOB_TIMEOUT_S:
            raise JobStopped("timeout")
        low, high = PHASES.get(phase, (self.fraction, self.fraction))
        self.phase = phase
        self.fraction = max(self.fraction, low + (high - low) * min(max(fraction, 0.0), 1.0))


Runner = Callable[[Site, dict[str, Any], Callable[[str, float], None]], dict[str, Any]]


class JobTable:
    """The app's plan jobs (thread-safe)."""

    def __init__(self, *, max_running: int = MAX_RUNNING, keep_s: float = KEEP_S) -> None:
        self._lock = threading.Lock()
        self._jobs: dict[str, PlanJob] = {}
        self.max_running = max_running
        self.keep_s = keep_s
        self._threads: dict[str, threading.Thread] = {}
        _TABLES.add(self)

    def _prune(self) -> None:
        now = time.monotonic()
        for jid in [
            j.id
            for j in self._jobs.values()
            if j.finished is not None and now - j.finished > self.keep_s
        ]:
            del self._jobs[jid]

    def running_for(self, compound_id: int) -> PlanJob | None:
        """The compound's running job, if any."""
        with self._lock:
            return next(
                (
                    j
                    for j in self._jobs.values()
                    if j.compound_id == compound_id and j.state == "running"
                ),
                None,
            )

    def start(
        self, compound_id: int, site: Site, options: dict[str, Any], user: str, run: Runner
    ) -> PlanJob:
        """Start ``run(site, options, progress)`` in a thread; JobRunning/JobsBusy otherwise."""
        with self._lock:
            self._prune()
            running = [j for j in self._jobs.values() if j.state == "running"]
            held = next((j for j in running if j.compound_id == compound_id), None)
            if held is not None:
                raise JobRunning(held)
            if len(running) >= self.max_running:
                raise JobsBusy("the planner is busy with other target plans; try again shortly")
            job = PlanJob(uuid.uuid4().hex, compound_id, user, dict(options))
            self._jobs[job.id] = job
        thread = threading.Thread(
            target=self._work, args=(job, site, run), name=f"plan-job-{job.id[:8]}", daemon=True
        )
        with self._lock:
            self._threads = {j: t for j, t in self._threads.items() if t.is_alive()}
            self._threads[job.id] = thread
        thread.start()
        return job

    def stop(self, timeout: float = STOP_WAIT_S) -> bool:
        """Cancel every running job and wait (at most ``timeout`` in all) for their threads:
        called at interpreter exit, as the cache's worker is stopped (web.cache), so that no
        planner is inside GEOS while the interpreter tears down. True if all ended."""
        with self._lock:
            jobs = [j for j in self._jobs.values() if j.state == "running"]
            threads = list(self._threads.values())
        for job in jobs:
            self.cancel(job, "server exit")
        deadline = time.monotonic() + timeout
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        return not any(t.is_alive() for t in threads)

    def get(self, compound_id: int, job_id: str) -> PlanJob | None:
        """The job, only if it belongs to the compound."""
        with self._lock:
            job = self._jobs.get(job_id)
        return job if job is not None and job.compound_id == compound_id else None

    def cancel(self, job: PlanJob, user: str) -> None:
        """Ask the job to stop at its next checkpoint (nothing happens once it has finished)."""
        if job.state == "running" and not job.cancel_event.is_set():
            job.cancelled_by = user
            job.cancel_event.set()

    @staticmethod
    def _work(job: PlanJob, site: Site, run: Runner) -> None:
        try:
            result = run(site, job.options, job.checkpoint)
        except JobStopped as exc:
            job.state = "cancelled" if str(exc) == "cancelled" else "failed"
            if job.state == "failed":
                job.error = f"the target plan did not finish within {JOB_TIMEOUT_S:g} s"
                job.error_kind = "timeout"
        except CamwatchError as exc:
            job.state, job.error, job.error_kind = "failed", str(exc), "planner"
        except Exception as exc:  # reported in the status, never a dead thread with no answer
            job.state, job.error_kind = "failed", "crash"
            job.error = f"planner failed: {type(exc).__name__}: {exc}"
        else:
            if job.cancel_event.is_set():  # asked after the last checkpoint: still honoured
                job.state = "cancelled"
            else:
                job.result, job.state, job.fraction, job.phase = result, "done", 1.0, "done"
        finally:
            job.finished = time.monotonic()


_TABLES: weakref.WeakSet[JobTable] = weakref.WeakSet()


@atexit.register
def _stop_jobs() -> None:
    for table in list(_TABLES):
        table.stop()


def jobs_of(app: Any) -> JobTable:
    """The app's job table (made on first use)."""
    table = app.extensions.get("plan_jobs")
    if table is None:
        table = app.extensions.setdefault(
            "plan_jobs", JobTable(max_running=int(app.config.get("PLAN_JOBS_MAX", MAX_RUNNING)))
        )
    return table
