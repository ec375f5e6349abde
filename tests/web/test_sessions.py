"""Sessions that end: signing out and a new password end every session of the user
(copies of the cookie included), and a new password revokes the API token."""

from __future__ import annotations

import re

from sqlalchemy import select

from camwatch.registry import users as users_service
from camwatch.registry.models import User
from tests.web.conftest import login
from web.db import new_session

COOKIE = "camwatch_session"


def _login(client, username, password):
    return client.post("/login", data={"username": username, "password": password})


def _copy_cookie(source, target) -> None:
    """Give ``target`` the session cookie of ``source`` (a second browser, a stolen cookie)."""
    cookie = source.get_cookie(COOKIE)
    assert cookie is not None
    target.set_cookie(COOKIE, cookie.value)


def _signed_in(client) -> bool:
    return client.get("/account").status_code == 200


def test_cookie_copy_does_not_survive_logout(app):
    browser, thief = app.test_client(), app.test_client()
    assert _login(browser, "technician", "technician-demo").status_code == 302
    _copy_cookie(browser, thief)
    assert _signed_in(thief)  # the copy works while the session lives
    browser.post("/logout")
    assert not _signed_in(browser)
    assert not _signed_in(thief)


def test_logout_ends_sessions_on_other_devices(app):
    laptop, phone = app.test_client(), app.test_client()
    assert _login(laptop, "planner", "planner-demo").status_code == 302
    assert _login(phone, "planner", "planner-demo").status_code == 302
    laptop.post("/logout")
    assert not _signed_in(phone)
    assert _login(phone, "planner", "planner-demo").status_code == 302  # signing in again works
    assert _signed_in(phone)


def test_password_change_ends_sessions_and_revokes_token(app, client):
    victim = app.test_client()
    assert _login(victim, "technician", "technician-demo").status_code == 302
    page = victim.post("/account", data={"action": "issue"}).get_data(as_text=True)
    token = re.search(r'<code id="api-token">([^<]+)</code>', page).group(1)
    api = app.test_client()
    bearer = {"Authorization": f"Bearer {token}"}
    assert api.get("/api/v1/compounds", headers=bearer).status_code == 200

    login(client, "admin")
    resp = client.post(
        "/users/technician",
        data={"role": "technician", "language": "zh", "active": "y", "password": "new-pass-123"},
    )
    assert resp.status_code == 302
    assert not _signed_in(victim)
    assert api.get("/api/v1/compounds", headers=bearer).status_code == 401
    assert _login(app.test_client(), "technician", "technician-demo").status_code == 401
    assert _login(app.test_client(), "technician", "new-pass-123").status_code == 302


def test_admin_changing_own_password_stays_signed_in(app, client):
    other = app.test_client()
    assert _login(client, "admin", "admin-demo").status_code == 302
    assert _login(other, "admin", "admin-demo").status_code == 302
    resp = client.post(
        "/users/admin",
        data={"role": "admin", "language": "zh", "active": "y", "password": "admin-new-pw"},
    )
    assert resp.status_code == 302
    assert _signed_in(client)  # the session that made the change goes on
    assert not _signed_in(other)  # every other one ends


def test_registry_password_change_revokes_token_and_moves_session_version(app):
    s = new_session(app)
    try:
        users_service.issue_token(s, "manager", actor="tests")
        before = s.scalar(select(User).where(User.username == "manager")).session_version
        user = users_service.set_password(s, "manager", "another-pw-1", actor="tests")
        assert user.api_token_hash is None
        assert user.session_version == before + 1
        assert users_service.end_sessions(s, "manager").session_version == before + 2
    finally:
        s.rollback()
        s.close()


def test_cookie_without_session_version_is_refused(app):
    """A cookie issued before session versions existed (or forged without one) is not
    accepted."""
    client = app.test_client()
    login(client, "district")
    assert _signed_in(client)
    with client.session_transaction() as sess:
        del sess["sv"]
    assert not _signed_in(client)
