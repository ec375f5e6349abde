"""Deployment settings: HTTPS (Secure cookies, HSTS), trusted proxies, the secret key's
minimum length, API answers not cached, a ledger file readable by its owner only."""

from __future__ import annotations

import os
import stat

import pytest
from sqlalchemy import text

from camwatch.errors import UsageError
from camwatch.registry.db import backup_db, make_engine
from tests.web.conftest import make_app


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def _sign_in(client, **kw):
    return client.post("/login", data={"username": "admin", "password": "admin-demo"}, **kw)


def test_https_setting_secures_cookie_and_sends_hsts(monkeypatch, db_path, shared_cache):
    monkeypatch.setenv("CAMWATCH_HTTPS", "1")
    app = make_app(db_path, shared_cache)
    client = app.test_client()
    resp = _sign_in(client, base_url="https://localhost")
    assert resp.status_code == 302
    cookie = resp.headers["Set-Cookie"]
    assert "camwatch_session=" in cookie and "; Secure" in cookie
    assert resp.headers["Strict-Transport-Security"] == "max-age=31536000"
    with app.test_request_context():
        from flask import url_for

        assert url_for("auth.login", _external=True).startswith("https://")


def test_plain_http_by_default(monkeypatch, db_path, shared_cache):
    monkeypatch.delenv("CAMWATCH_HTTPS", raising=False)
    monkeypatch.delenv("CAMWATCH_SECURE_COOKIES", raising=False)
    app = make_app(db_path, shared_cache)
    resp = _sign_in(app.test_client())
    assert "Secure" not in resp.headers["Set-Cookie"]
    assert "Strict-Transport-Security" not in resp.headers


def test_trusted_proxy_gives_the_throttle_the_client_address(monkeypatch, db_path, shared_cache):
    monkeypatch.setenv("CAMWATCH_PROXIES", "1")
    app = make_app(db_path, shared_cache, LOGIN_MAX_FAILURES=2)
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for _ in range(2):
        app.test_client().post(
            "/login",
            data={"username": "admin", "password": "wrong-password"},
            environ_base=proxy,
            headers={"X-Forwarded-For": "203.0.113.7"},
        )
    attacker = _sign_in(
        app.test_client(), environ_base=proxy, headers={"X-Forwarded-For": "203.0.113.7"}
    )
    assert attacker.status_code == 429
    # another client behind the same proxy is not throttled
    other = _sign_in(
        app.test_client(), environ_base=proxy, headers={"X-Forwarded-For": "198.51.100.2"}
    )
    assert other.status_code == 302


def test_bad_proxies_setting_is_refused(monkeypatch, db_path, shared_cache):
    monkeypatch.setenv("CAMWATCH_PROXIES", "one")
    with pytest.raises(UsageError, match="CAMWATCH_PROXIES"):
        make_app(db_path, shared_cache)


@pytest.mark.parametrize("key", ["x", "short-key", "k" * 31])
def test_short_secret_key_is_refused(db_path, shared_cache, key):
    with pytest.raises(UsageError, match="at least 32"):
        make_app(db_path, shared_cache, SECRET_KEY=key)


def test_secret_key_of_32_characters_is_accepted(db_path, shared_cache):
    assert make_app(db_path, shared_cache, SECRET_KEY="k" * 32).config["SECRET_KEY"] == "k" * 32


def test_serve_refuses_to_start_with_a_short_key(monkeypatch, capsys, tmp_path):
    import waitress

    from web import serve

    monkeypatch.setattr(waitress, "serve", lambda *a, **kw: pytest.fail("it served"))
    monkeypatch.setenv("CAMWATCH_SECRET_KEY", "guessable")
    code = serve.main(["--database", f"sqlite:///{tmp_path / 'x.db'}"])
    assert code == 2
    err = capsys.readouterr().err
    assert "secret key" in err and "9 characters" in err and "Traceback" not in err


def test_api_answers_are_not_cached(read_client):
    assert read_client.get("/api/v1/").headers["Cache-Control"] == "no-store"
    assert read_client.get("/api/v1/compounds").headers["Cache-Control"] == "no-store"  # 401


def test_new_sqlite_ledger_is_private(tmp_path):
    old = os.umask(0o022)
    try:
        path = tmp_path / "ledger" / "camwatch.db"
        engine = make_engine(f"sqlite:///{path}")
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE t (x INTEGER)"))
            conn.execute(text("INSERT INTO t VALUES (1)"))
            assert _mode(path) == 0o600
            for extra in ("-wal", "-shm"):
                assert _mode(f"{path}{extra}") == 0o600
        backup = backup_db(engine, tmp_path / "copy.db")
        assert _mode(backup) == 0o600
        engine.dispose()
    finally:
        os.umask(old)


def test_serve_makes_an_existing_world_readable_ledger_private(tmp_path):
    from web.serve import prepare_database

    path = tmp_path / "old.db"
    prepare_database(f"sqlite:///{path}", seed=False)
    path.chmod(0o644)  # as made by an earlier camwatch under umask 022
    lines = prepare_database(f"sqlite:///{path}", seed=False)
    assert _mode(path) == 0o600
    assert any("mode 0600, was 644" in line for line in lines)
