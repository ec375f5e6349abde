"""One schema layer: the API and the map validate a device alike; the document follows the
model's enumerations; errors from the ledger are 400s naming the field."""

from __future__ import annotations

import pytest

from camwatch.model import (
    ACCESS_CONTROL_TYPES,
    ALARM_TYPES,
    DEVICE_KINDS,
    LEVELS,
    LIVE_DEVICE_STATUSES,
    MAINTENANCE_KINDS,
    PROBLEM_SOURCES,
)
from camwatch.registry.users import issue_token
from tests.web.conftest import login
from web.api import openapi_document
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


BAD_NEW_DEVICES = [
    ({"y": 2}, "x"),
    ({"x": 1, "y": 2, "kind": "robot"}, "kind"),
    ({"x": 1, "y": 2, "status": "retired"}, "status"),
    ({"x": True, "y": 2}, "x"),
    ({"x": 1, "y": 2, "name": 7}, "name"),
    ({"x": 1, "y": 2, "name": "n" * 201}, "name"),
    ({"x": 1, "y": 2, "install_date": "2024-13-01"}, "install_date"),
    ({"x": 1, "y": 2, "resolution": "1920"}, "resolution"),
    ({"x": 1, "y": 2, "access_control": "laser"}, "access_control"),
    ({"x": 1, "y": 2, "intercom": "yes"}, "intercom"),
    ({"x": 1, "y": 2, "properties": [1]}, "properties"),
    ({"x": 1, "y": 2, "properties": {"a": float("nan")}}, "properties"),  # NaN: not finite
    ({"geometry": {"type": "Polygon", "coordinates": []}}, "geometry"),
    ({"geometry": {"type": "LineString", "coordinates": ["ab", [1]]}}, "geometry"),
    ({"x": 1, "y": 2, "colour": "red"}, "colour"),
]


@pytest.mark.parametrize("body, field", BAD_NEW_DEVICES)
def test_api_and_map_refuse_a_new_device_alike(client, auth, ids, body, field):
    """The same body gets the same 400 (same field, same message) from both routes."""
    import json

    data = json.dumps(body)  # NaN is written as NaN (Python reads it back)
    api = client.post(
        f"/api/v1/compounds/{ids['own_code']}/devices",
        data=data,
        content_type="application/json",
        headers=auth,
    )
    login(client, "admin")
    web = client.post(
        f"/compounds/{ids['own']}/devices", data=data, content_type="application/json"
    )
    for resp in (api, web):
        assert resp.status_code == 400, resp.get_data(as_text=True)
        assert resp.get_json()["error"].get("field") == (field or "body")
    assert api.get_json()["error"] == web.get_json()["error"]


def test_document_enumerations_are_the_models(app):
    schemas = openapi_document(app)["components"]["schemas"]
    new = schemas["DeviceCreate"]["properties"]
    assert new["kind"]["enum"] == list(DEVICE_KINDS)
    assert new["status"]["enum"] == list(LIVE_DEVICE_STATUSES)
    assert new["access_control"]["enum"] == list(ACCESS_CONTROL_TYPES)
    assert new["alarm_type"]["enum"] == list(ALARM_TYPES)
    assert schemas["PlanInput"]["properties"]["level"]["enum"] == list(LEVELS)
    assert schemas["MaintenanceInput"]["properties"]["kind"]["enum"] == list(MAINTENANCE_KINDS)
    assert schemas["ProblemInput"]["properties"]["source"]["enum"] == list(PROBLEM_SOURCES)


def test_ledger_rule_violation_is_400_naming_the_field(client, auth, ids):
    """Passing the schema but breaking the site format's rules (the ledger's check)."""
    x, y = ids["free_xy"]
    resp = client.post(
        f"/api/v1/compounds/{ids['own_code']}/devices",
        json={"x": x, "y": y, "hfov_deg": 0},
        headers=auth,
    )
    assert resp.status_code == 400
    err = resp.get_json()["error"]
    assert err["field"] == "hfov_deg" and "hfov_deg" in err["message"]


@pytest.mark.parametrize("exc", [ValueError, OverflowError])
def test_value_error_from_the_ledger_is_400(client, auth, ids, monkeypatch, exc):
    from camwatch.registry import devices as devices_service

    def refuse(*_a, **_k):
        raise exc("focal_mm must be at most 2000 mm, got 1e308")

    monkeypatch.setattr(devices_service, "update_device", refuse)
    resp = client.patch(
        f"/api/v1/compounds/{ids['own_code']}/devices/{ids['own_cam_code']}",
        json={"version": 1, "focal_mm": 1e308},
        headers=auth,
    )
    assert resp.status_code == 400 and resp.get_json()["error"]["field"] == "focal_mm"
    login(client, "admin")
    resp = client.patch(f"/devices/{ids['own_cam']}", json={"version": 1, "focal_mm": 1e308})
    assert resp.status_code == 400 and resp.get_json()["error"]["field"] == "focal_mm"
