"""A compound under edits: its page-started background work waits for a pause
(web.cache.LRUCache.get_or_start ``settle_s``; docs/web.md, "Performance")."""

from __future__ import annotations

import threading

import pytest

from web.cache import LRUCache, Pending


def test_a_group_under_edits_waits_and_a_waiting_caller_starts_it():
    done: list[str] = []
    ran = threading.Event()

    def job(name: str):
        def compute() -> str:
            done.append(name)
            ran.set()
            return name

        return compute

    cache = LRUCache(10_000)
    # a lone state: started at once
    assert cache.get_or_start("v1", job("v1"), wait_s=30, group="A", settle_s=60) == "v1"
    # the next states of the group within the settle time: not started
    for state in ("v2", "v3"):
        with pytest.raises(Pending):
            cache.get_or_start(state, job(state), wait_s=0, group="A", settle_s=60)
    ran.clear()
    assert not ran.wait(0.5)
    assert done == ["v1"]
    # another group is not held back
    assert cache.get_or_start("b1", job("b1"), wait_s=30, group="B", settle_s=60) == "b1"
    # a caller that waits for v3 (the JSON answers) starts it; v2 is skipped as stale
    assert cache.get_or_start("v3", job("v3"), wait_s=30) == "v3"
    assert done == ["v1", "b1", "v3"]
    assert cache.skipped == 1


def test_settled_job_starts_after_the_pause():
    cache = LRUCache(10_000)
    assert cache.get_or_start("v1", lambda: 1, wait_s=30, group="A", settle_s=0.2) == 1
    with pytest.raises(Pending):
        cache.get_or_start("v2", lambda: 2, wait_s=0, group="A", settle_s=0.2)
    assert cache.get_or_start("v2", lambda: 2, wait_s=30, group="A", settle_s=0.2) == 2


def test_stop_lets_the_running_job_finish_and_drops_the_queued_ones():
    """At interpreter exit every cache is stopped (web.cache): the worker ends its job —
    it may be inside GEOS — and starts no other; callers of a dropped job are not left
    waiting."""
    started, release = threading.Event(), threading.Event()
    done: list[str] = []

    def slow() -> str:
        started.set()
        release.wait(10)
        done.append("slow")
        return "slow"

    def quick() -> str:
        done.append("quick")
        return "quick"

    cache = LRUCache(10_000)
    with pytest.raises(Pending):
        cache.get_or_start("slow", slow, wait_s=0)
    assert started.wait(10)
    with pytest.raises(Pending):
        cache.get_or_start("quick", quick, wait_s=0)
    # the worker is busy: stop waits at most its timeout for the job
    assert cache.stop(timeout=0.2) is False
    answers: list[str] = []

    def wait_for_quick() -> None:
        try:
            cache.get_or_start("quick", quick, wait_s=30)
        except Pending:
            answers.append("pending")

    waiter = threading.Thread(target=wait_for_quick)
    release.set()
    assert cache.stop(timeout=10) is True
    assert done == ["slow"]  # finished; the queued job never ran
    assert cache.get_or_start("slow", slow, wait_s=0) == "slow"  # its value was kept
    # a job asked for after the stop is not run: the caller gets Pending, not a hang
    with pytest.raises(Pending):
        cache.get_or_start("later", quick, wait_s=0.2)
    waiter.start()
    waiter.join(5)
    assert not waiter.is_alive() and answers == ["pending"]
    assert done == ["slow"]
