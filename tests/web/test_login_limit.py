"""Login throttling: failures count per client address and per address + user name, in
Flask-Limiter's storage; nobody can lock a user out from another address."""

from __future__ import annotations

import time

import pytest

from tests.web.conftest import make_app
from web.security import LoginLimiter


def _login(client, username, password, address):
    return client.post(
        "/login",
        data={"username": username, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def test_wrong_passwords_from_many_addresses_do_not_lock_out_admin(db_path, shared_cache):
    """Five wrong passwords from five addresses once locked ``admin`` for everyone."""
    app = make_app(db_path, shared_cache)  # defaults: 5 per address + user, 20 per address
    client = app.test_client()
    for i in range(5):
        assert _login(client, "admin", "wrong-password", f"10.9.0.{i}").status_code == 401
    assert _login(client, "admin", "admin-demo", "10.9.0.99").status_code == 302
    # and from an address that tried a wrong one before: it has one failure of five
    assert _login(app.test_client(), "admin", "admin-demo", "10.9.0.0").status_code == 302


def test_flood_from_one_address_blocks_only_that_address(db_path, shared_cache):
    app = make_app(db_path, shared_cache)
    client = app.test_client()
    for _ in range(5):
        assert _login(client, "admin", "wrong-password", "10.7.0.1").status_code == 401
    blocked = _login(client, "admin", "admin-demo", "10.7.0.1")
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) > 0
    # the same address may still sign in someone else (until the per-address limit) ...
    assert _login(app.test_client(), "planner", "planner-demo", "10.7.0.1").status_code == 302
    # ... and the right password from elsewhere always works
    assert _login(app.test_client(), "admin", "admin-demo", "10.7.0.2").status_code == 302


def test_per_address_limit_covers_user_name_spraying(db_path, shared_cache):
    app = make_app(db_path, shared_cache, LOGIN_MAX_FAILURES_PER_ADDRESS=4)
    client = app.test_client()
    for i in range(4):
        assert _login(client, f"user{i}", "wrong-password", "10.6.0.1").status_code == 401
    assert _login(client, "admin", "admin-demo", "10.6.0.1").status_code == 429
    assert _login(client, "admin", "admin-demo", "10.6.0.2").status_code == 302


def test_success_forgets_the_address_user_count(db_path, shared_cache):
    app = make_app(db_path, shared_cache, LOGIN_MAX_FAILURES=3)
    client = app.test_client()
    for _ in range(2):
        _login(client, "planner", "wrong-password", "10.5.0.1")
    assert _login(client, "planner", "planner-demo", "10.5.0.1").status_code == 302
    client.post("/logout")
    for _ in range(2):  # two more failures: would be 4 > 3 if the count had not been reset
        assert _login(client, "planner", "wrong-password", "10.5.0.1").status_code == 401
    assert _login(client, "planner", "planner-demo", "10.5.0.1").status_code == 302


@pytest.mark.slow
def test_window_moves_on(db_path, shared_cache):
    app = make_app(db_path, shared_cache, LOGIN_MAX_FAILURES=2, LOGIN_WINDOW_S=1)
    client = app.test_client()
    for _ in range(2):
        _login(client, "district", "wrong-password", "10.4.0.1")
    assert _login(client, "district", "district-demo", "10.4.0.1").status_code == 429
    time.sleep(1.2)
    assert _login(client, "district", "district-demo", "10.4.0.1").status_code == 302


def test_counts_live_in_the_limiter_storage(db_path, shared_cache, monkeypatch):
    """The counts live in Flask-Limiter's storage, named by CAMWATCH_RATELIMIT_STORAGE_URI:
    two apps (two server processes) on one storage count together."""
    monkeypatch.setenv("CAMWATCH_RATELIMIT_STORAGE_URI", "memory://")
    first = make_app(db_path, shared_cache, LOGIN_MAX_FAILURES=2)
    second = make_app(db_path, shared_cache, LOGIN_MAX_FAILURES=2)
    assert first.config["RATELIMIT_STORAGE_URI"] == "memory://"
    # a shared store (redis://...) is one storage seen by both; memory:// is per process,
    # so hand the second app the first one's limiter to stand for it
    shared = first.extensions["camwatch_login_limiter"].flask_limiter
    second.extensions["camwatch_login_limiter"] = LoginLimiter(
        shared, max_failures=2, max_failures_per_address=20, window_s=300
    )
    _login(first.test_client(), "manager", "wrong-password", "10.3.0.1")
    _login(second.test_client(), "manager", "wrong-password", "10.3.0.1")
    assert _login(first.test_client(), "manager", "manager-demo", "10.3.0.1").status_code == 429
    assert _login(second.test_client(), "manager", "manager-demo", "10.3.0.1").status_code == 429
