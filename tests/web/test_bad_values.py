"""One bad value cannot take a compound, or the lists, down (docs/ranges.md).

* A value out of range is refused by every way in: the device page's form (error shown
  in the reader's language), the map's JSON route and the REST API (400 JSON naming it).
* A compound whose analysis fails — a value an old database holds, written here straight
  into the table past every check, or any error in the engine — answers 200 on every
  page with the reason, in Chinese and in English, and the other compounds stay listed.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from sqlalchemy import select, update

from camwatch.registry.models import Device, User
from camwatch.registry.users import issue_token
from tests.web.conftest import login, make_app
from web.cache import LRUCache
from web.db import new_session

JSON = {"Accept": "application/json"}
FOCAL_ZH = "焦距 focal_mm 应在 [0.5, 2000] 范围内，实际为 1e+308"
FOCAL_EN = "focal length focal_mm must be in [0.5, 2000], got 1e+308"
FAILED = {"zh": "本小区的覆盖分析失败", "en": "The analysis of this compound failed"}


def _write_raw(app, device_id: int, **props) -> None:
    """Change a device's properties in the table itself: no loader, no version, no audit."""
    s = new_session(app)
    try:
        old = s.scalar(select(Device.properties).where(Device.id == device_id)) or {}
        s.execute(update(Device).where(Device.id == device_id).values(properties={**old, **props}))
        s.commit()
    finally:
        s.close()


def _set_language(app, username: str, language: str) -> None:
    s = new_session(app)
    try:
        s.execute(update(User).where(User.username == username).values(language=language))
        s.commit()
    finally:
        s.close()


def _pages(ids) -> dict[str, str]:
    cid, dev = ids["own"], ids["own_cam"]
    return {
        "list": "/compounds/",
        "district": "/district/",
        "overview": f"/compounds/{cid}",
        "map": f"/compounds/{cid}/map",
        "analysis": f"/compounds/{cid}/analysis",
        "device": f"/devices/{dev}",
    }


def _text(resp) -> str:
    return html.unescape(resp.get_data(as_text=True))


@pytest.fixture
def broken(app, ids):
    """The manager's compound with a camera whose focal length an old database let through."""
    _write_raw(app, ids["own_cam"], focal_mm=1e308, sensor_width_mm=5.37, hfov_deg=None)
    return app


@pytest.mark.parametrize("language, cause", [("zh", FOCAL_ZH), ("en", FOCAL_EN)])
def test_every_page_answers_with_the_reason(broken, ids, language, cause):
    _set_language(broken, "admin", language)
    client = broken.test_client()
    login(client, "admin")
    for name, url in _pages(ids).items():
        resp = client.get(url)
        assert resp.status_code == 200, (name, resp.status_code)
        page = _text(resp)
        assert FAILED[language] in page and cause in page, name
        assert f"'{ids['own_cam_code']}'" in page, name  # names the camera
        if language == "zh":
            assert "must be in" not in page, name  # no English on a Chinese page
    # the other compound is still listed with its numbers
    listing = _text(client.get("/compounds/"))
    assert listing.count(FAILED[language]) == 1
    other = client.get(f"/compounds/{ids['other']}")
    assert other.status_code == 200 and FAILED[language] not in _text(other)


def test_map_data_and_json_answers(broken, ids):
    client = broken.test_client()
    login(client, "admin")
    cid = ids["own"]
    data = client.get(f"/compounds/{cid}/map.json")
    assert data.status_code == 200
    body = data.get_json()
    assert FOCAL_ZH in body["analysis_error"]
    assert body["devices"]["features"] and body["plan"]["features"]
    lo, hi = body["bounds"]
    assert lo[0] < hi[0] and lo[1] < hi[1]
    for url in (f"/compounds/{cid}/coverage.json", f"/compounds/{cid}/analysis"):
        resp = client.get(url, headers=JSON)
        assert resp.status_code == 422, url
        assert FOCAL_ZH in resp.get_json()["error"]["message"]
    device = client.get(f"/devices/{ids['own_cam']}", headers=JSON)
    assert (
        device.status_code == 200 and FOCAL_ZH in device.get_json()["properties"]["analysis_error"]
    )


def test_manager_lands_on_the_overview_with_the_reason(broken, ids):
    client = broken.test_client()
    login(client, "manager")
    resp = client.get("/compounds/", follow_redirects=True)
    assert resp.status_code == 200 and FOCAL_ZH in _text(resp)


def test_any_engine_failure_is_shown_not_raised(db_path: Path, ids, monkeypatch):
    """Not only range errors: whatever the engine raises is named on the pages (fresh cache)."""
    import web.ledger

    def fails(*args, **kwargs):
        raise ZeroDivisionError("float division by zero")

    monkeypatch.setattr(web.ledger, "analyze", fails)
    app = make_app(db_path, LRUCache(100))
    client = app.test_client()
    login(client, "admin")
    for name, url in _pages(ids).items():
        resp = client.get(url)
        assert resp.status_code == 200, (name, resp.status_code)
        assert "ZeroDivisionError: float division by zero" in _text(resp), name


# -- the ways in refuse the value ------------------------------------------------------------


def _device(app, device_id: int) -> tuple[int, dict]:
    s = new_session(app)
    try:
        d = s.get(Device, device_id)
        return d.version, dict(d.properties)
    finally:
        s.close()


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("focal_mm", "1e308", FOCAL_ZH),
        ("height_m", "250", "高度 height_m 应在 [0.1, 100] 范围内，实际为 250"),
        ("tilt_deg", "nan", "tilt_deg 应在 [-90, 90] 范围内，实际为 nan"),
        ("range_m", "abc", "range_m 应在 (0, 2000] 范围内，实际为 'abc'"),
    ],
)
def test_device_form_refuses_with_a_chinese_message(client, ids, field, value, message):
    login(client, "technician")
    dev = ids["own_cam"]
    version, props = _device(client.application, dev)
    form = {"version": str(version), field: value}
    if field == "focal_mm":
        form["sensor_width_mm"] = "5.37"
    resp = client.post(f"/devices/{dev}/edit", data=form, follow_redirects=True)
    page = _text(resp)
    assert resp.status_code == 200
    assert message in page, re.findall(r'class="flash[^"]*"[^>]*>([^<]*)<', page)
    assert "must be" not in page
    assert _device(client.application, dev) == (version, props)  # nothing saved


def test_map_json_route_answers_400_naming_the_field(client, ids):
    login(client, "technician")
    dev = ids["own_cam"]
    version, props = _device(client.application, dev)
    resp = client.patch(
        f"/devices/{dev}",
        json={"version": version, "focal_mm": 1e308, "sensor_width_mm": 5.37},
        headers=JSON,
    )
    assert resp.status_code == 400
    # the page language (zh by default), the field named as written
    assert "focal_mm 应在 [0.5, 2000] 范围内，实际为 1e+308" in resp.get_json()["error"]["message"]
    assert _device(client.application, dev) == (version, props)


def test_api_answers_400_naming_the_field(app, client, ids):
    s = new_session(app)
    try:
        token = issue_token(s, "technician", actor="tests")
        s.commit()
    finally:
        s.close()
    dev = ids["own_cam"]
    version, props = _device(app, dev)
    resp = client.patch(
        f"/api/v1/compounds/{ids['own_code']}/devices/{ids['own_cam_code']}",
        json={"version": version, "focal_mm": 1e308, "sensor_width_mm": 5.37},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert resp.status_code == 400, resp.get_data(as_text=True)
    # the user's language (docs/web.md, "Languages"), the field named as written
    assert "focal_mm 应在 [0.5, 2000] 范围内，实际为 1e+308" in resp.get_json()["error"]["message"]
    assert resp.get_json()["error"]["field"] == "focal_mm"
    assert _device(app, dev) == (version, props)


def test_the_broken_camera_can_be_repaired_from_its_page(broken, ids):
    """The device page answers, and saving a sensible focal length there heals the compound."""
    client = broken.test_client()
    login(client, "technician")
    dev = ids["own_cam"]
    version, _ = _device(broken, dev)
    page = client.get(f"/devices/{dev}")
    assert page.status_code == 200 and FOCAL_ZH in _text(page)
    resp = client.post(
        f"/devices/{dev}/edit",
        data={"version": str(version), "focal_mm": "4", "sensor_width_mm": "5.37"},
        follow_redirects=True,
    )
    assert resp.status_code == 200 and FAILED["zh"] not in _text(resp)
    assert _device(broken, dev)[1]["focal_mm"] == 4
    for name, url in _pages(ids).items():
        assert FAILED["zh"] not in _text(client.get(url)), name
