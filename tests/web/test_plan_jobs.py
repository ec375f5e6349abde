"""The job table of target plans (web/plan_jobs.py): states, one job per compound, cancel."""

from __future__ import annotations

import threading
import time

import pytest

from camwatch.errors import PlanningError
from web import plan_jobs
from web.plan_jobs import JobRunning, JobsBusy, JobTable


def _wait(job, timeout=10.0):
    end = time.monotonic() + timeout
    while job.state == "running" and time.monotonic() < end:
        time.sleep(0.01)
    return job.state


def _looping(release: threading.Event):
    """A runner that reports greedy progress until ``release`` is set, then answers."""

    def run(site, options, progress):
        k = 0
        while not release.is_set():
            progress("greedy", min(k / 100, 1.0))
            k += 1
            time.sleep(0.005)
        return {"suggestions": [], "k": k}

    return run


def test_done_job_has_its_result_and_full_progress():
    table = JobTable()
    release = threading.Event()
    job = table.start(1, None, {"target": 0.9}, "planner", _looping(release))
    time.sleep(0.05)
    assert job.status()["state"] == "running" and 0.3 <= job.fraction <= 0.8
    release.set()
    assert _wait(job) == "done"
    status = job.status()
    assert status["progress"] == 1.0 and status["result"]["k"] > 0


def test_cancel_stops_at_the_next_checkpoint():
    table = JobTable()
    release = threading.Event()
    job = table.start(1, None, {}, "planner", _looping(release))
    table.cancel(job, "admin")
    assert _wait(job) == "cancelled"
    assert job.result is None and job.status()["cancelled_by"] == "admin"
    release.set()


def test_one_running_job_per_compound_and_a_global_cap():
    table = JobTable(max_running=2)
    release = threading.Event()
    first = table.start(1, None, {}, "planner", _looping(release))
    with pytest.raises(JobRunning) as held:
        table.start(1, None, {}, "admin", _looping(release))
    assert held.value.job is first
    table.start(2, None, {}, "planner", _looping(release))
    with pytest.raises(JobsBusy):
        table.start(3, None, {}, "planner", _looping(release))
    assert table.get(2, first.id) is None and table.get(1, first.id) is first
    release.set()


def test_planner_errors_and_crashes_are_reported(monkeypatch):
    table = JobTable()

    def refuse(site, options, progress):
        raise PlanningError("no candidate adds coverage")

    def crash(site, options, progress):
        raise ZeroDivisionError("boom")

    a = table.start(1, None, {}, "planner", refuse)
    assert _wait(a) == "failed" and a.error == "no candidate adds coverage"
    b = table.start(1, None, {}, "planner", crash)
    assert _wait(b) == "failed" and "ZeroDivisionError" in b.error


def test_overdue_job_stops(monkeypatch):
    monkeypatch.setattr(plan_jobs, "JOB_TIMEOUT_S", 0.05)
    table = JobTable()
    release = threading.Event()
    job = table.start(1, None, {}, "planner", _looping(release))
    assert _wait(job) == "failed" and "did not finish" in job.error
    release.set()


def test_stop_cancels_every_running_plan_and_waits_for_its_thread():
    """At interpreter exit every job table is stopped (web.plan_jobs): no planner is left
    inside GEOS while the interpreter tears down."""
    table = JobTable()
    release = threading.Event()
    jobs = [table.start(cid, None, {}, "planner", _looping(release)) for cid in (1, 2)]
    assert all(j.state == "running" for j in jobs)
    assert table.stop(timeout=10) is True
    assert [j.state for j in jobs] == ["cancelled", "cancelled"]
    assert jobs[0].status()["cancelled_by"] == "server exit"
    release.set()
