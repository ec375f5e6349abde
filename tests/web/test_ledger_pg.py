"""The ledger list's SQL on SQLite and PostgreSQL alike: search, sorting (text by code
point), overdue maintenance, pages — against the Python oracle of ``test_ledger.py``."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from camwatch.registry.db import init_db, make_engine, session_scope
from camwatch.registry.demo import seed_demo
from tests.registry.conftest import PG_ENV, fresh_pg_database
from tests.web.conftest import SAMPLE_SITES, login, make_app
from tests.web.test_ledger import _backdate, _oracle_overdue, devices_of, every_page, keyed


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
def any_app(request, db_path: Path, shared_cache):
    if request.param == "sqlite":
        app = make_app(db_path, shared_cache)
    else:
        app = make_app(db_path, shared_cache, DATABASE_URL=request.getfixturevalue("pg_ledger"))
    yield app
    from web.db import engine

    engine(app).dispose()


def test_list_sql_matches_the_oracle_on_both_databases(any_app):
    app = any_app
    client = app.test_client()
    today = date.today()
    rows = devices_of(app)
    active = sorted(r["code"] for r in rows if r["status"] == "active")
    old = datetime.now(UTC) - timedelta(days=800)
    _backdate(
        app,
        [
            (active[0], "record", today - timedelta(days=400)),
            (active[1], "record", today - timedelta(days=365)),
            (active[2], "install", today - timedelta(days=500)),
            (active[3], "created", old),
        ],
    )
    login(client, "admin")
    rows = [r for r in devices_of(app) if r["status"] != "retired"]
    for sort in ("name", "model", "serial", "last", "install_date", "code"):
        desc = sort in ("name", "last")
        key = "last_maintenance" if sort == "last" else sort
        got = every_page(client, f"sort={key}&dir={'desc' if desc else 'asc'}", per=50)
        assert got == keyed(rows, sort, desc), sort
    assert every_page(client, "overdue=1") == keyed([r for r in rows if _oracle_overdue(r, today)])
    for q in ("c", "门", "Gate", "50%"):
        hit = [
            r
            for r in rows
            if any(q.lower() in (r[k] or "").lower() for k in ("code", "name", "model", "serial"))
        ]
        assert every_page(client, f"q={q.replace('%', '%25')}") == keyed(hit), q


def test_bulk_status_and_conflict_on_both_databases(any_app):
    from tests.web.test_ledger_status import flashes, post_status, state

    app = any_app
    client = app.test_client()
    login(client, "technician")
    from sqlalchemy import select

    from camwatch.registry.models import Device
    from web.db import new_session

    with app.app_context():
        s = new_session(app)
        picks = [
            (d.id, d.version)
            for d in s.scalars(
                select(Device).where(Device.status == "offline").order_by(Device.id).limit(2)
            )
        ]
        s.close()
    assert len(picks) == 2
    before = state(app, [i for i, _ in picks])
    resp = post_status(client, picks, status="active", kind="repair", follow_redirects=True)
    after = state(app, [i for i, _ in picks])
    assert all(after[i][0] == "active" and after[i][2] == before[i][2] + 1 for i, _ in picks)
    assert any(m.startswith("ok:") for m in flashes(resp)), flashes(resp)
    resp = post_status(client, picks, status="faulty", follow_redirects=True)  # stale versions
    assert state(app, [i for i, _ in picks]) == after
    assert any(m.startswith("error:冲突") for m in flashes(resp)), flashes(resp)
