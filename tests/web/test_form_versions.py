"""A form's hidden ``version`` (the optimistic lock) that is not a whole number is refused
with a message naming it, in the reader's language; never a 500, nothing saved
(docs/web.md, "One schema layer").

Each form is first posted with the row's right version, which must save (so the hostile
rows fail on the version alone, not on some other field left out).
"""

from __future__ import annotations

import html

import pytest

from camwatch.registry.models import Compound, Device, Problem, User
from tests.web.conftest import login
from web.db import new_session

HOSTILE = ["abc", "1.5", "²", "9" * 20, "-1", "0x10"]
MESSAGE_ZH = "version 应为整数"


def _forms(ids) -> dict[str, tuple[str, type, object, dict[str, str]]]:
    """name -> (path, model, row key, form fields besides the version)."""
    return {
        "device edit": (
            f"/devices/{ids['own_cam']}/edit",
            Device,
            ids["own_cam"],
            {"height_m": "3.5"},
        ),
        "device retire": (
            f"/devices/{ids['own_cam']}/retire",
            Device,
            ids["own_cam"],
            {"reason": "gone"},
        ),
        "problem status": (
            f"/problems/{ids['own_problem']}/status",
            Problem,
            ids["own_problem"],
            {"status": "in_progress", "note": "started"},
        ),
        "problem edit": (
            f"/problems/{ids['own_problem']}/edit",
            Problem,
            ids["own_problem"],
            {"responsible_unit": "Property office", "deadline": "2031-01-01", "note": "later"},
        ),
        "user edit": (
            "/users/manager",
            User,
            "manager",
            {"username": "manager", "role": "manager", "language": "en", "active": "y"},
        ),
        "compound settings": (
            f"/compounds/{ids['own']}/settings",
            Compound,
            ids["own"],
            {"coverage_model": "ground"},
        ),
    }


def _version(app, model: type, key: object) -> int:
    s = new_session(app)
    try:
        row = s.query(model).filter_by(username=key).one() if model is User else s.get(model, key)
        return int(row.version)
    finally:
        s.close()


NAMES = list(_forms({"own_cam": 0, "own_problem": 0, "own": 0}))


@pytest.mark.parametrize("name", NAMES)
def test_the_right_version_saves(client, ids, name):
    login(client, "admin")
    path, model, key, fields = _forms(ids)[name]
    before = _version(client.application, model, key)
    resp = client.post(path, data={**fields, "version": str(before)})
    assert resp.status_code in (200, 302), resp.status_code
    assert _version(client.application, model, key) > before


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("name", NAMES)
def test_a_version_that_is_not_a_whole_number_is_refused(client, ids, name, value):
    login(client, "admin")  # a Chinese reader (docs/web.md, "Languages")
    path, model, key, fields = _forms(ids)[name]
    before = _version(client.application, model, key)
    resp = client.post(path, data={**fields, "version": value}, follow_redirects=True)
    assert 400 <= resp.status_code < 500 or resp.status_code == 200, resp.status_code
    page = html.unescape(resp.get_data(as_text=True))
    assert MESSAGE_ZH in page and repr(value) in page, name
    assert _version(client.application, model, key) == before  # nothing saved


def test_restore_refuses_it_too(client, ids):
    login(client, "admin")
    dev = ids["own_cam"]
    version = _version(client.application, Device, dev)
    client.post(f"/devices/{dev}/retire", data={"reason": "gone", "version": str(version)})
    retired = _version(client.application, Device, dev)
    assert retired > version
    resp = client.post(f"/devices/{dev}/restore", data={"version": "abc"}, follow_redirects=True)
    assert resp.status_code < 500 and MESSAGE_ZH in html.unescape(resp.get_data(as_text=True))
    assert _version(client.application, Device, dev) == retired
    client.post(f"/devices/{dev}/restore", data={"version": str(retired)})
    assert _version(client.application, Device, dev) > retired
