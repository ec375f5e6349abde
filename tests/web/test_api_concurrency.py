"""A real edit conflict: 20 PATCHes of one device with the same version at once.

Exactly one wins (200); the 19 others are clean 409s carrying the current state
(the winner's edit), on the API and on the map's JSON route, on SQLite and
PostgreSQL. Each request has its own test client (own cookies) in its own
thread; a barrier releases them together.
"""

from __future__ import annotations

import os
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from camwatch.registry.db import init_db, make_engine, session_scope
from camwatch.registry.demo import seed_demo
from camwatch.registry.models import Device
from camwatch.registry.users import issue_token
from tests.registry.conftest import PG_ENV, fresh_pg_database
from tests.web.conftest import SAMPLE_SITES, login, make_app
from web.cache import LRUCache
from web.db import new_session

N = 20
# + thread index: differs from every sample heading and between the tests (which may share a
# PostgreSQL ledger), so every edit really changes the row
API_HEADING = 100.25
MAP_HEADING = 200.75


@pytest.fixture(scope="module")
def pg_ledger() -> Iterator[str]:
    """A PostgreSQL ledger seeded with the sample compounds (skips without a server)."""
    server = os.environ.get(PG_ENV)
    if not server:
        pytest.skip(f"set {PG_ENV} (e.g. from .ci/postgres.sh start) to run on PostgreSQL")
    with fresh_pg_database(server) as url:
        engine = make_engine(url)
        init_db(engine)
        with session_scope(engine, actor="tests") as s:
            seed_demo(s, sites_dir=SAMPLE_SITES, actor="tests")
        engine.dispose()
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def race_app(request, db_path: Path, shared_cache: LRUCache):
    if request.param == "sqlite":
        app = make_app(db_path, shared_cache)
    else:
        app = make_app(db_path, shared_cache, DATABASE_URL=request.getfixturevalue("pg_ledger"))
    yield app
    from web.db import engine

    engine(app).dispose()


def _camera(app) -> tuple[int, str, str, int]:
    """A fresh camera for this test (id, compound code, device code, version)."""
    s = new_session(app, actor="tests")
    try:
        taken = set(s.scalars(select(Device.code)))
        cam = s.scalars(
            select(Device)
            .where(Device.kind == "camera", Device.status == "active")
            .order_by(Device.id)
        ).first()
        assert cam is not None and "RACE" not in taken
        return cam.id, cam.compound.code, cam.code, cam.version
    finally:
        s.close()


def _race(app, send) -> list:
    """Run ``send(client, i)`` in N threads released together; return the responses."""
    clients = [app.test_client() for _ in range(N)]
    barrier = threading.Barrier(N)
    out: list = [None] * N
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            out[i] = send(clients[i], i)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(N)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    return out


def _check(responses, heading_of, base: float) -> None:
    statuses = Counter(r.status_code for r in responses)
    assert statuses == {200: 1, 409: N - 1}, (
        statuses,
        [
            (r.get_json() or {}).get("properties", {}).get("version")
            for r in responses
            if r.status_code != 409
        ],
    )
    winner = next(i for i, r in enumerate(responses) if r.status_code == 200)
    for r in responses:
        assert r.is_json and r.headers.get("Content-Type", "").startswith("application/json")
        if r.status_code == 409:
            body = r.get_json()
            assert body["error"]["code"] == "conflict"
            # the current state is the winner's edit
            assert heading_of(body["current"]) == base + winner


def test_api_same_version_patches(race_app):
    _id, compound, code, version = _camera(race_app)
    s = new_session(race_app)
    token = issue_token(s, "admin", actor="tests")
    s.commit()
    s.close()
    headers = {"Authorization": f"Bearer {token}"}

    def send(client, i):
        return client.patch(
            f"/api/v1/compounds/{compound}/devices/{code}",
            json={"version": version, "heading_deg": API_HEADING + i},
            headers=headers,
        )

    responses = _race(race_app, send)
    _check(responses, lambda cur: cur["properties"]["heading_deg"], API_HEADING)
    after = race_app.test_client().get(
        f"/api/v1/compounds/{compound}/devices/{code}", headers=headers
    )
    assert after.get_json()["version"] == version + 1


def test_map_same_version_patches(race_app):
    device_id, _compound, _code, version = _camera(race_app)
    clients = [race_app.test_client() for _ in range(N)]
    for c in clients:
        login(c, "technician")

    def send(_client, i):
        return clients[i].patch(
            f"/devices/{device_id}", json={"version": version, "heading_deg": MAP_HEADING + i}
        )

    responses = _race(race_app, send)
    _check(responses, lambda cur: cur["properties"]["heading"], MAP_HEADING)


def test_api_same_version_patches_over_a_real_server(db_path: Path, shared_cache: LRUCache):
    """The same race through waitress (the production server), as a client sees it."""
    import json
    import urllib.error
    import urllib.request

    from web.serve import BackgroundServer

    app = make_app(db_path, shared_cache, TESTING=False)
    _id, compound, code, version = _camera(app)
    s = new_session(app)
    token = issue_token(s, "admin", actor="tests")
    s.commit()
    s.close()
    server = BackgroundServer(app, threads=8).start()
    url = f"{server.url}/api/v1/compounds/{compound}/devices/{code}"
    barrier = threading.Barrier(N)
    results: list = [None] * N

    def run(i: int) -> None:
        body = json.dumps({"version": version, "heading_deg": API_HEADING + 50 + i}).encode()
        req = urllib.request.Request(
            url,
            data=body,
            method="PATCH",
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        barrier.wait(timeout=30)
        try:
            with urllib.request.urlopen(req, timeout=60) as resp:
                status, ctype, raw = resp.status, resp.headers["Content-Type"], resp.read()
        except urllib.error.HTTPError as exc:
            status, ctype, raw = exc.code, exc.headers["Content-Type"], exc.read()
        results[i] = (status, ctype, json.loads(raw) if ctype == "application/json" else raw)

    try:
        threads = [threading.Thread(target=run, args=(i,)) for i in range(N)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
    finally:
        server.stop()
        from web.db import engine

        engine(app).dispose()
    assert Counter(r[0] for r in results) == {200: 1, 409: N - 1}, results
    assert all(r[1] == "application/json" for r in results)
    winner = next(r[2] for r in results if r[0] == 200)
    assert all(r[2]["current"] == winner for r in results if r[0] == 409)
