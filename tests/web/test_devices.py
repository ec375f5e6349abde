"""Technician work through the map's JSON routes: add, move, turn, edit, maintenance, conflicts."""

from __future__ import annotations

import pytest

from tests.web.conftest import login

JSON = {"Accept": "application/json"}


def _device(client, device_id):
    return client.get(f"/devices/{device_id}", headers=JSON).get_json()["properties"]


def _detection(client, cid):
    return client.get(f"/compounds/{cid}/coverage.json").get_json()["summary"]["levels"][
        "detection"
    ]


def test_add_camera_by_position_raises_coverage(client, ids):
    login(client, "technician")
    before = _detection(client, ids["own"])
    x, y = ids["free_xy"]
    resp = client.post(
        f"/compounds/{ids['own']}/devices",
        json={"kind": "camera", "x": x, "y": y, "heading_deg": 45, "hfov_deg": 100},
        headers=JSON,
    )
    assert resp.status_code == 201, resp.get_json()
    props = resp.get_json()["properties"]
    assert props["status"] == "active" and props["kind"] == "camera"
    assert props["properties"]["heading_deg"] == 45
    assert props["reach"]["detection"] > props["reach"]["identification"] > 0
    after = _detection(client, ids["own"])
    assert after["covered_m2"] > before["covered_m2"]  # it stands in a blind spot
    codes = [
        f["properties"]["code"]
        for f in client.get(f"/compounds/{ids['own']}/map.json").get_json()["devices"]["features"]
    ]
    assert props["code"] in codes


@pytest.mark.parametrize(
    "body, message",
    [
        ({"kind": "camera", "x": 1e9, "y": 0}, "1e"),  # far outside: the loader's coordinate rule
        ({"kind": "camera", "x": "{x}", "y": "{y}", "hfov_deg": 0}, "hfov_deg"),
        ({"kind": "camera", "x": "{x}", "y": "{y}", "tilt_deg": 120}, "tilt_deg"),
        ({"kind": "camera", "x": "{x}", "y": "{y}", "focal_mm": 4}, "sensor_width_mm"),
        ({"kind": "robot", "x": "{x}", "y": "{y}"}, "kind"),
        ({"kind": "camera"}, "position"),
        ({"kind": "camera", "x": "abc", "y": 1}, "x must be a number"),
        ({"kind": "gate", "x": "{x}", "y": "{y}", "access_control": "magic"}, "access_control"),
    ],
)
def test_invalid_device_is_refused_with_the_loader_message(client, ids, body, message):
    login(client, "technician")
    x, y = ids["free_xy"]
    body = {k: (x if v == "{x}" else y if v == "{y}" else v) for k, v in body.items()}
    n_before = len(
        client.get(f"/compounds/{ids['own']}/map.json").get_json()["devices"]["features"]
    )
    resp = client.post(f"/compounds/{ids['own']}/devices", json=body, headers=JSON)
    assert resp.status_code == 400
    assert message in resp.get_json()["error"]["message"]
    n_after = len(client.get(f"/compounds/{ids['own']}/map.json").get_json()["devices"]["features"])
    assert n_after == n_before  # nothing half-written


def test_camera_outside_the_boundary_is_refused(client, ids):
    login(client, "technician")
    plan = client.get(f"/compounds/{ids['own']}/map.json").get_json()
    (miny, minx), _ = plan["bounds"]
    resp = client.post(
        f"/compounds/{ids['own']}/devices",
        json={"kind": "camera", "x": minx - 50, "y": miny - 50},
        headers=JSON,
    )
    assert resp.status_code == 400
    assert "摄像机" in resp.get_json()["error"]["message"]  # the page language (zh by default)


def test_move_and_turn_with_version(client, ids):
    login(client, "technician")
    dev = _device(client, ids["own_cam"])
    x, y = ids["free_xy"]
    resp = client.patch(
        f"/devices/{ids['own_cam']}",
        json={"version": dev["version"], "heading_deg": 200},
        headers=JSON,
    )
    assert resp.status_code == 200
    moved = resp.get_json()["properties"]
    assert moved["properties"]["heading_deg"] == 200 and moved["version"] == dev["version"] + 1
    resp = client.patch(
        f"/devices/{ids['own_cam']}",
        json={"version": moved["version"], "x": x + 0.3, "y": y},
        headers=JSON,
    )
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json()["geometry"]["coordinates"] == [pytest.approx(x + 0.3), pytest.approx(y)]


def test_stale_edit_is_a_conflict_and_nothing_is_lost(client, ids):
    login(client, "technician")
    dev = _device(client, ids["own_cam"])
    first = client.patch(
        f"/devices/{ids['own_cam']}",
        json={"version": dev["version"], "name": "first editor"},
        headers=JSON,
    )
    assert first.status_code == 200
    stale = client.patch(
        f"/devices/{ids['own_cam']}",
        json={"version": dev["version"], "name": "second editor"},
        headers=JSON,
    )
    assert stale.status_code == 409
    body = stale.get_json()
    assert body["error"]["code"] == "conflict"
    assert body["current"]["properties"]["name"] == "first editor"  # the editor sees what won
    assert _device(client, ids["own_cam"])["name"] == "first editor"  # nothing overwritten
    retry = client.patch(
        f"/devices/{ids['own_cam']}",
        json={"version": body["current"]["properties"]["version"], "name": "second editor"},
        headers=JSON,
    )
    assert retry.status_code == 200  # re-applying on the fresh version works


def test_patch_needs_version(client, ids):
    login(client, "technician")
    resp = client.patch(f"/devices/{ids['own_cam']}", json={"name": "x"}, headers=JSON)
    assert resp.status_code == 400 and "version" in resp.get_json()["error"]["message"]


def test_planner_edits_planned_cameras_only(client, ids):
    login(client, "planner")
    x, y = ids["free_xy"]
    resp = client.post(
        f"/compounds/{ids['own']}/devices", json={"kind": "camera", "x": x, "y": y}, headers=JSON
    )
    assert resp.status_code == 201
    planned = resp.get_json()["properties"]
    assert planned["status"] == "planned"
    ok = client.patch(
        f"/devices/{planned['id']}",
        json={"version": planned["version"], "heading_deg": 90},
        headers=JSON,
    )
    assert ok.status_code == 200
    promote = client.patch(
        f"/devices/{planned['id']}",
        json={"version": planned["version"] + 1, "status": "active"},
        headers=JSON,
    )
    assert promote.status_code == 403
    gate = client.post(
        f"/compounds/{ids['own']}/devices",
        json={"kind": "gate", "x": x, "y": y, "status": "active"},
        headers=JSON,
    )
    assert gate.status_code == 403


def test_maintenance_changes_status_and_history(client, ids):
    login(client, "technician")
    resp = client.post(
        f"/devices/{ids['own_cam']}/maintenance",
        json={"kind": "repair", "status_after": "faulty", "notes": "lens cracked"},
        headers=JSON,
    )
    assert resp.status_code == 201
    props = resp.get_json()["properties"]
    assert props["status"] == "faulty"
    assert props["maintenance"][0]["notes"] == "lens cracked"
    assert props["maintenance"][0]["status_before"] == "active"
    # the faulty camera no longer counts: analysis follows the ledger
    cams = client.get(f"/compounds/{ids['own']}/coverage.json").get_json()["summary"]["cameras"]
    assert {c["id"]: c["status"] for c in cams}[ids["own_cam_code"]] == "faulty"
    resp = client.post(
        f"/devices/{ids['own_cam']}/maintenance", json={"kind": "teleport"}, headers=JSON
    )
    message = resp.get_json()["error"]["message"]
    assert resp.status_code == 400 and message.startswith("kind") and "teleport" in message
    future = client.post(
        f"/devices/{ids['own_cam']}/maintenance",
        json={"kind": "repair", "date": "2999-01-01"},
        headers=JSON,
    )
    assert future.status_code == 400


def test_maintenance_form_and_device_page(client, ids):
    login(client, "technician")
    resp = client.post(
        f"/devices/{ids['own_cam']}/maintenance",
        data={"kind": "cleaning", "on": "2024-03-01", "status_after": "", "notes": "dusty dome"},
    )
    assert resp.status_code == 302
    page = client.get(f"/devices/{ids['own_cam']}").get_data(as_text=True)
    assert "dusty dome" in page and "2024-03-01" in page


def test_edit_form_and_retire(client, ids):
    login(client, "technician")
    dev = _device(client, ids["own_cam"])
    resp = client.post(
        f"/devices/{ids['own_cam']}/edit",
        data={"version": str(dev["version"]), "tilt_deg": "25", "model": "DS-2CD"},
        follow_redirects=True,
    )
    assert resp.status_code == 200
    after = _device(client, ids["own_cam"])
    assert after["properties"]["tilt_deg"] == 25 and after["model"] == "DS-2CD"
    stale = client.post(
        f"/devices/{ids['own_cam']}/edit",
        data={"version": str(dev["version"]), "tilt_deg": "30"},
        follow_redirects=True,
    )
    assert "conflict" in stale.get_data(as_text=True) or "冲突" in stale.get_data(as_text=True)
    assert _device(client, ids["own_cam"])["properties"]["tilt_deg"] == 25
    bad = client.post(
        f"/devices/{ids['own_cam']}/edit",
        data={"version": str(after["version"]), "tilt_deg": "95"},
        follow_redirects=True,
    )
    assert "tilt_deg" in bad.get_data(as_text=True)
    resp = client.post(
        f"/devices/{ids['own_cam']}/retire",
        data={"reason": "replaced by C99", "version": str(after["version"])},
    )
    assert resp.status_code == 302
    codes = [
        f["properties"]["code"]
        for f in client.get(f"/compounds/{ids['own']}/map.json").get_json()["devices"]["features"]
    ]
    assert ids["own_cam_code"] not in codes  # retired devices leave the map and the analysis


def test_footprint_of_one_camera(client, ids):
    login(client, "manager")
    data = client.get(
        f"/compounds/{ids['own']}/footprint.json?camera={ids['own_cam_code']}"
    ).get_json()
    assert data["levels"]["detection"]["type"] in ("Polygon", "MultiPolygon")
    assert data["footprint_m2"]["detection"] >= data["footprint_m2"]["identification"]
    assert client.get(f"/compounds/{ids['own']}/footprint.json?camera=nope").status_code == 404
