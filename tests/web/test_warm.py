"""After a write the changed compound's list row is computed on the worker (web.warm)."""

from __future__ import annotations

import threading

import pytest

import web.summary
from web.cache import LRUCache

from .conftest import login, make_app

JSON = {"Accept": "application/json"}


def _watch_checks(monkeypatch) -> tuple[list[str], threading.Event]:
    """Record which thread runs each standards check; an event set by the worker's."""
    threads: list[str] = []
    by_worker = threading.Event()
    real = web.summary.check_report

    def check_report(*args, **kwargs):
        name = threading.current_thread().name
        threads.append(name)
        result = real(*args, **kwargs)
        if name == "camwatch-cache-worker":
            by_worker.set()
        return result

    monkeypatch.setattr(web.summary, "check_report", check_report)
    return threads, by_worker


def _turn(client, device_id: int, heading: float):
    dev = client.get(f"/devices/{device_id}", headers=JSON).get_json()["properties"]
    return client.patch(
        f"/devices/{device_id}",
        json={"version": dev["version"], "heading_deg": heading},
        headers=JSON,
    )


@pytest.mark.parametrize("warm", [True, False])
def test_a_write_computes_the_list_row_before_anyone_asks(db_path, ids, monkeypatch, warm):
    app = make_app(db_path, LRUCache(256 * 2**20), WARM_AFTER_WRITE=warm)
    client = app.test_client()
    login(client, "technician")
    assert client.get("/compounds/").status_code == 200  # every row computed once
    threads, by_worker = _watch_checks(monkeypatch)
    assert _turn(client, ids["own_cam"], 123.0).status_code == 200
    if warm:
        assert by_worker.wait(60)  # the new state's check, on the worker
    else:
        assert not by_worker.wait(0.5)
    assert client.get("/compounds/").status_code == 200
    in_requests = [t for t in threads if t != "camwatch-cache-worker"]
    # warmed: the list finds the changed row ready; else the list computes it
    assert len(in_requests) == (0 if warm else 1)


def test_a_refused_write_warms_nothing(db_path, ids, monkeypatch):
    app = make_app(db_path, LRUCache(256 * 2**20), WARM_AFTER_WRITE=True)
    client = app.test_client()
    login(client, "technician")
    threads, by_worker = _watch_checks(monkeypatch)
    dev = client.get(f"/devices/{ids['own_cam']}", headers=JSON).get_json()["properties"]
    stale = client.patch(
        f"/devices/{ids['own_cam']}",
        json={"version": dev["version"] - 1, "heading_deg": 10.0},
        headers=JSON,
    )
    assert stale.status_code in (400, 409)  # refused: nothing committed
    assert not by_worker.wait(0.5) and threads == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_list_says_a_row_is_being_computed_instead_of_computing_it(
    db_path, ids, monkeypatch, held_warm_rows, lang
):
    """While the worker computes the changed row, the list waits ``LIST_WAIT_S`` for it,
    then lists the compound as being computed (never the older state's numbers) without
    computing the row in the request; once the worker is done the numbers are listed."""
    import web.warm

    release = held_warm_rows
    app = make_app(db_path, LRUCache(256 * 2**20), WARM_AFTER_WRITE=True, LIST_WAIT_S=0.0)
    client = app.test_client()
    login(client, "technician")
    client.post("/language", data={"lang": lang})
    first = client.get("/compounds/").get_data(as_text=True)
    assert "list-pending" not in first  # nothing queued: every row computed in the request
    threads, _by_worker = _watch_checks(monkeypatch)
    try:
        assert _turn(client, ids["own_cam"], 77.0).status_code == 200
        page = client.get("/compounds/").get_data(as_text=True)
        assert page.count('class="muted list-pending"') == 1  # only the changed compound
        assert ("计算中" in page) == (lang == "zh") and ("Being computed" in page) == (lang == "en")
        assert threads == []  # nothing computed in the request
    finally:
        release.set()
    with app.app_context():
        event = web.warm.warming(ids["own"])
        assert event is None or event.wait(60)
    page = client.get("/compounds/").get_data(as_text=True)
    assert "list-pending" not in page
    assert [t for t in threads if t != "camwatch-cache-worker"] == []  # the worker's row


def test_the_list_waits_for_rows_being_computed_once_in_all(db_path, monkeypatch):
    """``LIST_WAIT_S`` is one budget for the whole list: with several rows being computed,
    the second waits only for what the first left of it, not ``LIST_WAIT_S`` again."""
    import time

    import web.list_rows

    waits: list[float] = []

    class Computing:  # a row the worker never finishes: each wait runs out
        def wait(self, timeout: float) -> bool:
            waits.append(timeout)
            time.sleep(timeout)
            return False

    monkeypatch.setattr(web.list_rows, "warming", lambda cid: Computing())
    app = make_app(db_path, LRUCache(256 * 2**20), LIST_WAIT_S=0.2)
    client = app.test_client()
    login(client, "technician")
    page = client.get("/compounds/").get_data(as_text=True)
    assert page.count('class="muted list-pending"') == len(waits) >= 2
    assert 0.15 < waits[0] <= 0.2 and all(w < 0.05 for w in waits[1:])
