"""The factory's wiring: configuration, secret key, headers, cookies, CSRF, errors, languages."""

from __future__ import annotations

import os
import stat

import pytest

from tests.web.conftest import login, make_app
from web.config import secret_key
from web.security import PERMISSIONS


def test_secret_key_generated_once_and_private(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("CAMWATCH_SECRET_KEY", raising=False)
    first = secret_key(tmp_path)
    assert len(first) == 64
    assert secret_key(tmp_path) == first  # kept in the instance file
    mode = stat.S_IMODE(os.stat(tmp_path / "secret_key").st_mode)
    assert mode == 0o600


def test_secret_key_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("CAMWATCH_SECRET_KEY", "from-env")
    assert secret_key(tmp_path) == "from-env"
    assert not (tmp_path / "secret_key").exists()


def test_database_url_from_environment(monkeypatch, db_path, shared_cache):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{db_path}")
    from web import create_app

    app = create_app({"SECRET_KEY": "x" * 32})
    assert app.config["DATABASE_URL"] == f"sqlite:///{db_path}"


def test_secure_cookie_flag_from_environment(monkeypatch, db_path, shared_cache):
    monkeypatch.setenv("CAMWATCH_SECURE_COOKIES", "1")
    app = make_app(db_path, shared_cache)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    resp = app.test_client().get("/login")
    assert "Strict-Transport-Security" in resp.headers


def test_security_headers(client):
    resp = client.get("/login")
    h = resp.headers
    assert "default-src 'self'" in h["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in h["Content-Security-Policy"]
    assert "unsafe-inline" not in h["Content-Security-Policy"]
    assert h["X-Frame-Options"] == "DENY"
    assert h["X-Content-Type-Options"] == "nosniff"
    assert h["Referrer-Policy"] == "same-origin"


def test_session_cookie_flags(app, client):
    login(client, "admin")
    resp = client.post("/language", data={"lang": "en"})
    cookie = resp.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert app.config["SESSION_COOKIE_SECURE"] is False  # default; HTTPS deployments set it


def test_signed_in_pages_not_cached(client):
    login(client, "admin")
    assert client.get("/account").headers["Cache-Control"] == "no-store"


def test_csrf_required_on_forms(db_path, shared_cache):
    app = make_app(db_path, shared_cache, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    login(client, "admin")
    resp = client.post("/users/technician/deactivate", data={})
    assert resp.status_code == 400
    assert "form expired" in resp.get_data(as_text=True) or "表单" in resp.get_data(as_text=True)
    # JSON edits from the map need the X-CSRFToken header too
    resp = client.post(
        "/compounds/1/devices", json={"x": 1, "y": 1}, headers={"Accept": "application/json"}
    )
    assert resp.status_code == 400
    assert resp.get_json()["error"]["code"] == "bad_request"


def test_csrf_token_accepted(db_path, shared_cache):
    import re

    app = make_app(db_path, shared_cache, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    resp = client.post(
        "/login", data={"csrf_token": token, "username": "admin", "password": "admin-demo"}
    )
    assert resp.status_code == 302


def test_api_is_csrf_exempt(db_path, shared_cache):
    app = make_app(db_path, shared_cache, WTF_CSRF_ENABLED=True)
    resp = app.test_client().post("/api/v1/compounds/x/devices", json={})
    assert resp.status_code == 401  # token auth answers, not the CSRF check


def test_unknown_page_html_and_json(client):
    login(client, "admin")
    resp = client.get("/no/such/page")
    assert resp.status_code == 404 and resp.mimetype == "text/html"
    resp = client.get("/no/such/page", headers={"Accept": "application/json"})
    assert resp.status_code == 404 and resp.get_json()["error"]["code"] == "not_found"


def test_unexpected_error_is_plain_500(app, client, monkeypatch):
    import web.compounds

    def boom(*_a, **_k):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(web.compounds, "list_rows", boom)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    login(client, "admin")
    resp = client.get("/compounds/")
    assert resp.status_code == 500
    assert "secret internals" not in resp.get_data(as_text=True)
    assert "Traceback" not in resp.get_data(as_text=True)


@pytest.mark.parametrize(
    "accept, expected",
    [("en-GB,en;q=0.9", "en"), ("zh-CN,zh;q=0.9", "zh"), ("fr-FR", "zh"), ("", "zh")],
)
def test_locale_from_browser(client, accept, expected):
    resp = client.get("/login", headers={"Accept-Language": accept} if accept else {})
    assert f'<html lang="{"zh-CN" if expected == "zh" else "en"}">' in resp.get_data(as_text=True)


def test_language_switcher_and_user_preference(client):
    client.post("/language", data={"lang": "en", "next": "/login"})
    assert 'lang="en"' in client.get("/login").get_data(as_text=True)
    login(client, "planner")  # the user's saved language (zh) wins once signed in
    assert 'lang="zh-CN"' in client.get("/account").get_data(as_text=True)
    client.post("/language", data={"lang": "en"})
    assert 'lang="en"' in client.get("/account").get_data(as_text=True)
    assert "Sign out" in client.get("/account").get_data(as_text=True)


def test_chinese_interface(client):
    login(client, "admin")
    page = client.get("/compounds/").get_data(as_text=True)
    assert "小区" in page and "盲区" in page and "退出" in page


def test_leaflet_served_locally(client):
    resp = client.get("/vendor/leaflet/leaflet.css")
    assert resp.status_code == 200 and b".leaflet-container" in resp.data
    resp.close()
    resp = client.get("/vendor/leaflet/../../../../etc/passwd")
    assert resp.status_code == 404
    resp.close()


def test_permission_table_roles_are_known():
    for roles in PERMISSIONS.values():
        assert roles <= {"admin", "district", "planner", "technician", "manager"}
    assert PERMISSIONS["compound.delete"] == {"admin"}
    assert PERMISSIONS["user.manage"] == {"admin"}
    district = {p for p, roles in PERMISSIONS.items() if "district" in roles}
    assert district <= {
        p for p in PERMISSIONS if p.endswith(".view") or p in ("analysis.run", "token.own")
    }
