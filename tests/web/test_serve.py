"""``python -m web.serve``: database preparation, demo seeding, printed users; the test server."""

from __future__ import annotations

import urllib.request

import pytest
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
    app = make_app(db_path, LRUCache(2**20))
    server = BackgroundServer(app).start()
    try:
        with urllib.request.urlopen(f"{server.url}/login", timeout=10) as resp:
            assert resp.status == 200
            assert resp.headers["X-Frame-Options"] == "DENY"
    finally:
        server.stop()
    assert server.url.startswith("http://127.0.0.1:")


def _counts(url: str) -> tuple[int, int]:
    engine = make_engine(url)
    try:
        with session_scope(engine) as s:
            return (
                s.scalar(select(func.count(User.id))),
                s.scalar(select(func.count(Compound.id))),
            )
    finally:
        engine.dispose()


def _start(monkeypatch, capsys, *argv: str) -> str:
    """Run ``python -m web.serve ARGV`` up to the point where it would serve."""
    import waitress

    from web import serve

    served = []
    monkeypatch.setattr(waitress, "serve", lambda app, **kw: served.append(kw))
    # the test process keeps its own collector settings; the call itself is checked
    monkeypatch.setattr(serve, "tune_collector", lambda: served.append("tuned"))
    monkeypatch.setenv("CAMWATCH_SECRET_KEY", "k" * 40)
    assert serve.main(list(argv)) == 0
    assert served[0] == "tuned"  # tuned once, before serving
    assert served[1]["host"] == argv[argv.index("--host") + 1]
    return capsys.readouterr().out


def test_tune_collector_freezes_the_heap_and_raises_the_young_threshold():
    import gc

    from web.serve import GC_THRESHOLDS, tune_collector

    before = gc.get_threshold()
    try:
        tune_collector()
        assert gc.get_threshold() == GC_THRESHOLDS != before
        assert gc.get_freeze_count() > 10_000  # the modules imported so far, at least
        assert len(gc.get_objects()) < gc.get_freeze_count()  # frozen: not scanned again
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


def test_public_start_on_empty_database_creates_no_demo_users(tmp_path, monkeypatch, capsys):
    url = f"sqlite:///{tmp_path / 'public.db'}"
    out = _start(monkeypatch, capsys, "--host", "0.0.0.0", "--database", url)
    assert _counts(url) == (0, 0)
    assert "admin-demo" not in out
    assert "camwatch users add NAME --role admin" in out and url in out


def test_loopback_start_seeds_demo(tmp_path, monkeypatch, capsys):
    url = f"sqlite:///{tmp_path / 'local.db'}"
    out = _start(monkeypatch, capsys, "--host", "127.0.0.1", "--database", url)
    assert _counts(url) == (5, 3)
    assert "admin-demo" in out


def test_demo_flag_seeds_on_any_address(tmp_path, monkeypatch, capsys):
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    out = _start(monkeypatch, capsys, "--host", "0.0.0.0", "--demo", "--database", url)
    assert _counts(url) == (5, 3)
    assert "admin-demo" in out


def test_no_seed_on_loopback(tmp_path, monkeypatch, capsys):
    url = f"sqlite:///{tmp_path / 'none.db'}"
    out = _start(monkeypatch, capsys, "--host", "127.0.0.1", "--no-seed", "--database", url)
    assert _counts(url) == (0, 0) and "users add" in out


@pytest.mark.parametrize(
    "host, loopback",
    [
        ("127.0.0.1", True),
        ("127.1.2.3", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.10", False),
        ("camwatch.example", False),
        ("", False),
    ],
)
def test_is_loopback(host, loopback):
    from web.serve import is_loopback

    assert is_loopback(host) is loopback
