"""Signing in and out, rate limiting, the account page and API tokens, user admin."""

from __future__ import annotations

from sqlalchemy import select

from camwatch.registry.models import User
from tests.web.conftest import login, make_app
from web.db import new_session


def _login(client, username, password, **kw):
    return client.post("/login", data={"username": username, "password": password}, **kw)


def test_login_logout(client):
    resp = _login(client, "technician", "technician-demo")
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/compounds/")
    assert client.get("/account").status_code == 200
    client.post("/logout")
    assert client.get("/account").status_code == 302


def test_wrong_password_same_answer_for_unknown_user(client):
    a = _login(client, "technician", "nope-nope")
    b = _login(client, "nobody-at-all", "nope-nope")
    assert a.status_code == b.status_code == 401
    assert ("Wrong user name" in a.get_data(as_text=True)) or (
        "用户名或密码" in a.get_data(as_text=True)
    )


def test_next_only_follows_local_paths(client):
    resp = _login(client, "admin", "admin-demo", query_string={"next": "https://evil.example/"})
    assert resp.headers["Location"].endswith("/compounds/")
    client.post("/logout")
    resp = _login(client, "admin", "admin-demo", query_string={"next": "//evil.example/x"})
    assert "evil" not in resp.headers["Location"]
    client.post("/logout")
    resp = _login(client, "admin", "admin-demo", query_string={"next": "/problems/"})
    assert resp.headers["Location"].endswith("/problems/")


def test_rate_limit_per_user_name(db_path, shared_cache):
    app = make_app(db_path, shared_cache, LOGIN_MAX_FAILURES=3, LOGIN_WINDOW_S=300)
    client = app.test_client()
    for _ in range(3):
        assert _login(client, "planner", "bad-password").status_code == 401
    resp = _login(client, "planner", "planner-demo")  # even the right password waits
    assert resp.status_code == 429
    assert int(resp.headers["Retry-After"]) > 0
    # another user from another address is not blocked
    other = app.test_client()
    ok = _login(other, "admin", "admin-demo", environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert ok.status_code == 302


def test_rate_limit_per_address(db_path, shared_cache):
    app = make_app(db_path, shared_cache, LOGIN_MAX_FAILURES_PER_ADDRESS=2)
    client = app.test_client()
    env = {"REMOTE_ADDR": "10.1.1.1"}
    _login(client, "a1", "x-x-x-x-x", environ_base=env)
    _login(client, "a2", "x-x-x-x-x", environ_base=env)
    assert _login(client, "admin", "admin-demo", environ_base=env).status_code == 429


def test_deactivated_user_is_signed_out(app, client):
    login(client, "technician")
    assert client.get("/account").status_code == 200
    s = new_session(app)
    user = s.scalar(select(User).where(User.username == "technician"))
    user.active = False
    s.commit()
    s.close()
    assert client.get("/account").status_code == 302


def test_token_issue_and_use(client):
    login(client, "planner")
    page = client.post("/account", data={"action": "issue"}).get_data(as_text=True)
    import re

    token = re.search(r'<code id="api-token">([^<]+)</code>', page).group(1)
    api = client.application.test_client()
    resp = api.get("/api/v1/compounds", headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 200 and len(resp.get_json()["compounds"]) == 3
    client.post("/account", data={"action": "revoke"})
    assert (
        api.get("/api/v1/compounds", headers={"Authorization": f"Bearer {token}"}).status_code
        == 401
    )


def test_admin_creates_and_edits_users(app, client, ids):
    login(client, "admin")
    resp = client.post(
        "/users/new",
        data={"username": "mgr2", "password": "short", "role": "manager", "language": "zh"},
    )
    assert resp.status_code == 400  # password too short: message shown, nothing created
    resp = client.post(
        "/users/new",
        data={
            "username": "mgr2",
            "password": "long-enough-pw",
            "role": "manager",
            "language": "en",
            "compounds": [ids["other_code"]],
        },
    )
    assert resp.status_code == 302
    fresh = app.test_client()
    assert _login(fresh, "mgr2", "long-enough-pw").status_code == 302
    assert fresh.get(f"/compounds/{ids['other']}").status_code == 200
    assert fresh.get(f"/compounds/{ids['own']}").status_code == 404
    # admin cannot remove their own admin rights
    resp = client.post("/users/admin", data={"role": "planner", "language": "zh", "active": "y"})
    assert resp.status_code == 400


def test_stale_user_edit_is_refused(client):
    login(client, "admin")
    resp = client.post(
        "/users/manager",
        data={"role": "manager", "language": "zh", "active": "y", "version": "999"},
    )
    assert resp.status_code == 400
    assert "conflict" in resp.get_data(as_text=True) or "冲突" in resp.get_data(as_text=True)
