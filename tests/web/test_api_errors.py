"""The error answers themselves cannot fail: a last-resort JSON 500 for the API."""

from __future__ import annotations

import pytest

import web.api.compound_routes as routes
import web.errors as errors
from camwatch.registry.users import issue_token
from web.db import new_session


@pytest.fixture
def auth(app) -> dict[str, str]:
    s = new_session(app)
    try:
        token = issue_token(s, "admin", actor="tests")
        s.commit()
        return {"Authorization": f"Bearer {token}"}
    finally:
        s.close()


def _boom(*_a, **_k):
    raise RuntimeError("a bug")


def test_unexpected_error_is_json_500(client, auth, monkeypatch):
    monkeypatch.setattr(routes, "compounds_for", _boom)
    resp = client.get("/api/v1/compounds", headers=auth)
    assert resp.status_code == 500 and resp.is_json
    assert resp.get_json()["error"]["code"] == "internal_error"
    assert resp.headers["Cache-Control"] == "no-store"
    assert "a bug" not in resp.get_data(as_text=True)


def test_error_handler_that_fails_still_answers_json_500(client, auth, monkeypatch):
    monkeypatch.setattr(routes, "compounds_for", _boom)
    monkeypatch.setattr(errors, "error_response", _boom)  # the normal answer fails too
    resp = client.get("/api/v1/compounds", headers=auth)
    assert resp.status_code == 500 and resp.is_json
    assert resp.get_json()["error"] == {
        "code": "internal_error",
        "status": 500,
        "message": "Something went wrong on the server.",
    }
    # a 4xx whose answer fails is still an answer, never an exception
    resp = client.get("/api/v1/compounds/nope", headers=auth)
    assert resp.status_code == 500 and resp.is_json
