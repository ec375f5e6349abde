"""Load shedding (web.overload): a request that finds every slot busy for longer than
``REQUEST_QUEUE_WAIT_S`` gets 503 with Retry-After, JSON for the API; no timing asserted."""

from __future__ import annotations

import threading

import pytest

from camwatch.errors import UsageError
from web import create_app
from web.overload import BUSY_ZH, RequestGate

from .conftest import make_app


@pytest.fixture
def held(db_path, shared_cache):
    """An app with one slot and a route that holds it until released."""
    app = make_app(db_path, shared_cache, REQUEST_SLOTS=1, REQUEST_QUEUE_WAIT_S=0.1)
    inside, release = threading.Event(), threading.Event()

    def hold():
        inside.set()
        release.wait(30)
        return "done"

    app.add_url_rule("/_hold", "hold", hold)
    answers: list[int] = []

    def ask() -> None:
        answers.append(app.test_client().get("/_hold").status_code)

    worker = threading.Thread(target=ask)
    worker.start()
    assert inside.wait(30)
    yield app, release, answers
    release.set()
    worker.join(30)


def test_busy_api_request_gets_503_json_with_retry_after(held):
    app, release, answers = held
    resp = app.test_client().get("/api/v1/compounds")
    assert resp.status_code == 503
    assert resp.headers["Retry-After"] == "2"
    body = resp.get_json()
    assert body["error"]["code"] == "busy" and body["error"]["retry_after_s"] == 2
    assert app.extensions["camwatch_gate"].shed == 1
    release.set()  # the slot comes back once the held request is answered
    for _ in range(100):
        if answers:
            break
        threading.Event().wait(0.05)
    assert answers == [200]
    assert app.test_client().get("/login").status_code == 200


def test_busy_page_is_bilingual_html(held):
    app, _release, _answers = held
    resp = app.test_client().get("/login", headers={"Accept": "text/html"})
    assert resp.status_code == 503 and resp.headers["Retry-After"] == "2"
    text = resp.get_data(as_text=True)
    assert BUSY_ZH in text and "busy" in text and resp.mimetype == "text/html"
    assert '<meta http-equiv="refresh" content="2">' in text  # a person's browser retries


def test_slot_released_when_the_app_raises():
    def boom(environ, start_response):
        raise RuntimeError("boom")

    gate = RequestGate(boom, slots=1, max_wait_s=0.0, retry_after_s=1)
    for _ in range(3):  # a leaked slot would make the second call a 503 answer
        with pytest.raises(RuntimeError):
            gate({}, lambda *a: None)
    assert gate.active == 0 and gate.shed == 0


def test_slots_zero_means_no_gate(db_path, shared_cache):
    app = make_app(db_path, shared_cache, REQUEST_SLOTS=0)
    assert "camwatch_gate" not in app.extensions
    assert app.test_client().get("/login").status_code == 200


@pytest.mark.parametrize(
    ("name", "value"),
    [("CAMWATCH_REQUEST_SLOTS", "-1"), ("CAMWATCH_REQUEST_QUEUE_WAIT_S", "soon")],
)
def test_bad_settings_are_refused(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(UsageError, match=name):
        create_app({"SECRET_KEY": "x" * 32, "DATABASE_URL": "sqlite://"})
