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
