"""``python -m web.serve``: database preparation, demo seeding, printed users; the test server."""

from __future__ import annotations

import urllib.request

from sqlalchemy import func, select

from camwatch.registry.db import make_engine, session_scope
from camwatch.registry.models import Compound, User
from tests.web.conftest import SAMPLE_SITES, make_app
from web.cache import LRUCache
from web.serve import BackgroundServer, prepare_database


def test_prepare_creates_seeds_and_prints_users(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    lines = prepare_database(url, sites_dir=SAMPLE_SITES)
    text = "\n".join(lines)
    assert "seeded 3 sample compounds" in text
    for role in ("admin", "district", "planner", "technician", "manager"):
        assert f"{role}-demo" in text
    engine = make_engine(url)
    with session_scope(engine) as s:
        assert s.scalar(select(func.count(Compound.id))) == 3
        assert s.scalar(select(func.count(User.id))) == 5
    engine.dispose()
    # a second start upgrades nothing, seeds nothing, still prints the users
    again = "\n".join(prepare_database(url, sites_dir=SAMPLE_SITES))
    assert "seeded" not in again and "admin-demo" in again


def test_prepare_without_seed(tmp_path):
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    lines = prepare_database(url, sites_dir=SAMPLE_SITES, seed=False)
    assert not any("seeded" in line for line in lines)


def test_background_server_serves_and_stops(db_path):
    app = make_app(db_path, LRUCache(10))
    server = BackgroundServer(app).start()
    try:
        with urllib.request.urlopen(f"{server.url}/login", timeout=10) as resp:
            assert resp.status == 200
            assert resp.headers["X-Frame-Options"] == "DENY"
    finally:
        server.stop()
    assert server.url.startswith("http://127.0.0.1:")
