"""The Dask runner: retries of failing tasks, results as they finish, an unreachable scheduler."""

from __future__ import annotations

import pytest

from camwatch.batch.jobs import FileSource, Job
from camwatch.batch.runner import Outcome, Tally, dask_client, run_jobs
from camwatch.errors import UsageError
from tests.batch.conftest import SAMPLES
from tests.batch.flaky import always_fails, fails_once


def _jobs(options: dict) -> list[Job]:
    return [
        Job(p.name, FileSource(p.name, p.read_bytes()), f"{i:064d}", options=options)
        for i, p in enumerate(sorted(SAMPLES.glob("*.geojson")))
    ]


def test_a_task_that_fails_once_succeeds_on_its_retry(scheduler, tmp_path):
    seen: list[Outcome] = []
    jobs = _jobs({"marker_dir": str(tmp_path)})
    tally = run_jobs(jobs, fails_once, seen.append, scheduler=scheduler, retries=1)
    assert (tally.done, tally.failed) == (3, 0)
    assert sorted(o.job.key for o in seen) == sorted(j.key for j in jobs)
    assert all(o.result["attempts"] == 2 for o in seen)
    assert len(list(tmp_path.iterdir())) == 3  # each failed exactly once first


def test_without_retries_the_failure_is_the_jobs_outcome(scheduler, tmp_path):
    seen: list[Outcome] = []
    tally = run_jobs(_jobs({"marker_dir": str(tmp_path)}), fails_once, seen.append,
                     scheduler=scheduler, retries=0)  # fmt: skip
    assert (tally.done, tally.failed) == (0, 3)
    assert all(o.result is None and "worker lost" in (o.error or "") for o in seen)


def test_a_task_failing_every_time_is_reported_after_its_retries(scheduler):
    seen: list[Outcome] = []
    tally = run_jobs(_jobs({}), always_fails, seen.append, scheduler=scheduler, retries=2)
    assert tally.failed == 3
    assert all((o.error or "").startswith("failed after 2 retries") for o in seen)


def test_no_jobs_start_no_cluster():
    assert run_jobs([], always_fails, lambda o: None) == Tally()


def test_an_unreachable_scheduler_is_a_usage_error():
    message = "cannot reach the Dask scheduler at tcp://127.0.0.1:9"
    with (
        pytest.raises(UsageError, match=message),
        dask_client(None, "tcp://127.0.0.1:9", timeout=1),
    ):
        pass
