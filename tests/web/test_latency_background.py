"""Background computation in the web cache (web.cache.LRUCache.get_or_start) and the
analysis page that uses it for the intruder and patrol routes; no timing asserted."""

from __future__ import annotations

import contextlib
import threading

import pytest

from web.cache import LRUCache, Pending

from .conftest import login, make_app


def _gate() -> tuple[threading.Event, threading.Event]:
    return threading.Event(), threading.Event()


def test_pending_then_value_computed_once():
    started, release = _gate()
    calls: list[int] = []

    def compute() -> str:
        calls.append(1)
        started.set()
        release.wait(30)
        return "routes"

    cache = LRUCache(10_000)
    with pytest.raises(Pending):
        cache.get_or_start("k", compute, wait_s=0)
    assert started.wait(30)
    for _ in range(5):  # asked again while it runs: not queued again
        with pytest.raises(Pending):
            cache.get_or_start("k", compute, wait_s=0)
    release.set()
    assert cache.get_or_start("k", compute, wait_s=30) == "routes"
    assert cache.get_or_start("k", compute, wait_s=0) == "routes"
    assert calls == [1]


def _busy_worker():
    """A cache whose worker runs a job "busy" until ``release`` is set; ``job(name)`` makes a
    job that notes its name in ``done`` when it runs."""
    started, release = _gate()
    done: list[str] = []

    def job(name: str):
        def compute() -> str:
            if name == "busy":
                started.set()
                release.wait(30)
            done.append(name)
            return name

        return compute

    cache = LRUCache(10_000)
    with pytest.raises(Pending):
        cache.get_or_start("busy", job("busy"), wait_s=0)
    return cache, job, done, started, release


def test_only_the_newest_state_of_a_group_is_computed():
    cache, job, done, started, release = _busy_worker()
    assert started.wait(30)  # the worker is busy: the next ones queue
    for state in ("v1", "v2", "v3"):
        with pytest.raises(Pending):
            cache.get_or_start(("routes", state), job(state), wait_s=0, group="compound A")
    release.set()
    assert cache.get_or_start(("routes", "v3"), job("v3"), wait_s=30) == "v3"
    assert done == ["busy", "v3"] and cache.skipped == 2


def test_an_urgent_job_starts_before_the_queued_ones():
    """A list row queued after a write (``urgent``) does not wait behind queued routes."""
    cache, job, done, started, release = _busy_worker()
    assert started.wait(30)
    for name in ("routes A", "routes B"):
        with pytest.raises(Pending):
            cache.get_or_start(name, job(name), wait_s=0, group=name)
    with pytest.raises(Pending):
        cache.get_or_start("row", job("row"), wait_s=0, group="row", urgent=True)
    release.set()
    assert cache.get_or_start("routes B", job("routes B"), wait_s=30) == "routes B"
    assert done == ["busy", "row", "routes A", "routes B"]


def test_the_page_waits_for_its_planner_parts_once_in_all(db_path, ids, monkeypatch):
    """``PLANNER_WAIT_S`` is one budget for the analysis page's routes and patrol together:
    the part asked second waits only for what the first left of it."""
    import planners.patrol
    import planners.routes

    release = threading.Event()
    for module, name in ((planners.routes, "intruder_routes"), (planners.patrol, "patrol_route")):
        real = getattr(module, name)

        def slow(*args, _real=real, **kwargs):
            release.wait(30)
            return _real(*args, **kwargs)

        monkeypatch.setattr(module, name, slow)
    cache = LRUCache(256 * 2**20)
    waits: list[float] = []
    real_start = cache.get_or_start

    def spy(key, compute, **kwargs):
        waits.append(kwargs["wait_s"])
        return real_start(key, compute, **kwargs)

    monkeypatch.setattr(cache, "get_or_start", spy)
    app = make_app(db_path, cache, PLANNER_WAIT_S=0.2)
    client = app.test_client()
    login(client, "planner")
    try:
        html = client.get(f"/compounds/{ids['own']}/analysis").get_data(as_text=True)
    finally:
        release.set()
    assert 'id="planner-pending"' in html
    assert len(waits) == 2 and 0.15 < waits[0] <= 0.2  # routes: (nearly) the whole budget
    assert waits[1] < 0.05  # patrol: what routes left of it, not another 0.2 s


def test_a_job_held_back_by_settle_is_not_waited_for():
    """Under edits a page-started job starts only ``settle_s`` after it was queued: a caller
    that could wait less than that is told Pending at once instead of waiting for nothing."""
    cache = LRUCache(10_000)
    with contextlib.suppress(Pending):  # the first state of the group: queued at once
        cache.get_or_start(("routes", "v1"), lambda: "v1", wait_s=0, group="A", settle_s=600)
    answered = threading.Event()

    def ask() -> None:
        with pytest.raises(Pending):  # the next state within settle_s: held back 600 s
            cache.get_or_start(("routes", "v2"), lambda: "v2", wait_s=60, group="A", settle_s=600)
        answered.set()

    threading.Thread(target=ask, daemon=True).start()
    assert answered.wait(20)  # not the 60 s it may wait: the job cannot be done by then


def test_an_error_is_raised_to_every_caller_and_the_worker_lives_on():
    def broken() -> str:
        raise ZeroDivisionError("boom")

    cache = LRUCache(10_000)
    for _ in range(2):
        with pytest.raises(ZeroDivisionError, match="boom"):
            cache.get_or_start("bad", broken, wait_s=30)
    assert cache.get_or_start("good", lambda: "ok", wait_s=30) == "ok"


def test_analysis_page_says_pending_then_shows_the_routes(db_path, ids, monkeypatch):
    """While the routes are computed the page answers at once and says so; once they are
    done the page lists them."""
    import planners.routes

    started, release = _gate()
    real = planners.routes.intruder_routes

    def slow_routes(*args, **kwargs):
        started.set()
        release.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(planners.routes, "intruder_routes", slow_routes)
    app = make_app(db_path, LRUCache(256 * 2**20), PLANNER_WAIT_S=0.0)
    client = app.test_client()
    login(client, "planner")
    client.post("/language", data={"lang": "en"})
    page = f"/compounds/{ids['own']}/analysis"
    resp = client.get(page)
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert 'id="planner-pending"' in html and "Still being computed" in html
    assert started.wait(30)
    release.set()
    routes = client.get(
        f"/compounds/{ids['own']}/routes.json", headers={"Accept": "application/json"}
    )
    assert routes.status_code == 200
    patrol = client.get(
        f"/compounds/{ids['own']}/patrol.json", headers={"Accept": "application/json"}
    )
    assert patrol.status_code == 200  # queued by the first page too: waited for here
    html = client.get(page).get_data(as_text=True)
    assert 'id="planner-pending"' not in html
    assert routes.get_json()["routes"]
    for route in routes.get_json()["routes"]:
        assert route["id"] in html
