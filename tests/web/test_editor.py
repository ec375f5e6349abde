"""The plan editor's save endpoint: valid, invalid (400 naming the feature), stale (409),
role denied (403), audit row, coverage analysed again (docs/web.md, "Plan editor")."""

from __future__ import annotations

import copy

import pytest
from shapely.geometry import shape
from sqlalchemy import select

from camwatch.registry.models import AuditLog, Compound
from tests.web.conftest import ROLES, login


def _plan(client, cid):
    resp = client.get(f"/compounds/{cid}/editor/plan.json")
    assert resp.status_code == 200, resp.get_data(as_text=True)[:300]
    return resp.get_json()


def _save(client, cid, version, features):
    return client.post(
        f"/compounds/{cid}/editor/plan", json={"version": version, "features": features}
    )


def _first(features, kind):
    return next(i for i, f in enumerate(features) if f["properties"]["kind"] == kind)


def _free_square(data, size=6.0):
    """A small square in free space far from every device (an oracle by shapely alone)."""
    boundary = shape(
        next(f for f in data["plan"]["features"] if f["properties"]["kind"] == "boundary")[
            "geometry"
        ]
    )
    blocked = [
        shape(f["geometry"]).buffer(1.0)
        for f in data["plan"]["features"]
        if f["properties"]["kind"] in ("building", "obstacle", "wall")
    ] + [shape(f["geometry"]).buffer(8.0) for f in data["devices"]["features"]]
    minx, miny, maxx, maxy = boundary.bounds
    step = 2.0
    y = miny + step
    while y < maxy - size:
        x = minx + step
        while x < maxx - size:
            sq = shape(
                {
                    "type": "Polygon",
                    "coordinates": [
                        [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
                    ],
                }
            )
            if boundary.buffer(-1.0).contains(sq) and not any(b.intersects(sq) for b in blocked):
                return sq
            x += step
        y += step
    raise AssertionError("no free square found")


@pytest.fixture
def planner(client):
    login(client, "planner")
    return client


def test_save_valid_plan_renames_building_and_bumps_version(app, planner, ids):
    cid = ids["own"]
    data = _plan(planner, cid)
    features = data["plan"]["features"]
    i = _first(features, "building")
    features[i]["properties"]["name"] = "改名楼"
    features[i]["properties"]["height_m"] = 21.5
    resp = _save(planner, cid, data["compound"]["version"], features)
    assert resp.status_code == 200, resp.get_data(as_text=True)
    body = resp.get_json()
    assert body["version"] == data["compound"]["version"] + 1
    names = [f["properties"].get("name") for f in body["plan"]["features"]]
    assert "改名楼" in names
    again = _plan(planner, cid)
    stored = next(f for f in again["plan"]["features"] if f["properties"].get("name") == "改名楼")
    assert stored["properties"]["height_m"] == 21.5
    assert again["compound"]["version"] == body["version"]


def test_save_writes_an_audit_row_naming_the_user(app, planner, ids):
    cid = ids["own"]
    data = _plan(planner, cid)
    features = data["plan"]["features"]
    features[_first(features, "building")]["properties"]["name"] = "审计楼"
    assert _save(planner, cid, data["compound"]["version"], features).status_code == 200
    from web.db import new_session

    with app.app_context():
        s = new_session(app)
        try:
            row = s.scalars(
                select(AuditLog)
                .where(AuditLog.entity == "compounds", AuditLog.entity_id == str(cid))
                .order_by(AuditLog.id.desc())
            ).first()
        finally:
            s.close()
    assert row is not None and row.action == "update" and row.actor == "planner"
    assert "plan_json" in row.after
    names = [f["properties"].get("name") for f in row.after["plan_json"]["features"]]
    assert "审计楼" in names
    assert "审计楼" not in [
        f["properties"].get("name") for f in row.before["plan_json"]["features"]
    ]


def test_new_obstacle_changes_the_analysis(planner, ids):
    cid = ids["own"]
    data = _plan(planner, cid)
    before = planner.get(f"/compounds/{cid}/coverage.json").get_json()["summary"]
    square = _free_square(data)
    features = data["plan"]["features"] + [
        {
            "type": "Feature",
            "properties": {"kind": "obstacle", "name": "新车棚", "height_m": 2.5},
            "geometry": {
                "type": "Polygon",
                "coordinates": [list(map(list, square.exterior.coords))],
            },
        }
    ]
    resp = _save(planner, cid, data["compound"]["version"], features)
    assert resp.status_code == 200, resp.get_data(as_text=True)
    after = resp.get_json()["summary"]
    # the monitored area (free space) loses exactly the square (shapely oracle, 1 cm² tolerance)
    assert after["monitored_area_m2"] == pytest.approx(
        before["monitored_area_m2"] - square.area, abs=0.01
    )
    # and the map's coverage route serves the new analysis
    served = planner.get(f"/compounds/{cid}/coverage.json").get_json()["summary"]
    assert served["monitored_area_m2"] == pytest.approx(after["monitored_area_m2"], abs=1e-6)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_invalid_plan_is_refused_naming_the_feature(app, client, ids, lang):
    login(client, "planner")
    client.post("/language", data={"lang": lang})
    cid = ids["own"]
    data = _plan(client, cid)
    features = data["plan"]["features"]
    i = _first(features, "building")
    name = features[i]["properties"]["name"]
    ring = features[i]["geometry"]["coordinates"][0]
    (x0, y0), (x1, y1) = ring[0], ring[2]
    # a bow tie: the outline crosses itself
    features[i]["geometry"]["coordinates"] = [[[x0, y0], [x1, y1], [x1, y0], [x0, y1], [x0, y0]]]
    resp = _save(client, cid, data["compound"]["version"], features)
    assert resp.status_code == 400
    err = resp.get_json()["error"]
    assert err["feature"] == i
    assert name in err["message"]
    if lang == "zh":
        assert "轮廓自相交" in err["message"] and "未保存" in err["message"]
        assert "self-intersecting" not in err["message"]
    else:
        assert "crosses itself" in err["message"]
    # nothing was written
    assert _plan(client, cid)["compound"]["version"] == data["compound"]["version"]


def test_building_over_a_camera_is_refused_naming_the_camera(planner, ids):
    cid = ids["own"]
    data = _plan(planner, cid)
    x, y = ids["own_cam_xy"]
    ring = [[x - 3, y - 3], [x + 3, y - 3], [x + 3, y + 3], [x - 3, y + 3], [x - 3, y - 3]]
    features = data["plan"]["features"] + [
        {
            "type": "Feature",
            "properties": {"kind": "building", "name": "压住摄像机"},
            "geometry": {"type": "Polygon", "coordinates": [ring]},
        }
    ]
    resp = _save(planner, cid, data["compound"]["version"], features)
    assert resp.status_code == 400
    err = resp.get_json()["error"]
    assert err["device"] == ids["own_cam_code"]
    assert ids["own_cam_code"] in err["message"] and "压住摄像机" in err["message"]
    # nothing was written
    assert _plan(planner, cid)["compound"]["version"] == data["compound"]["version"]


def test_second_boundary_and_device_kinds_are_refused(planner, ids):
    cid = ids["own"]
    data = _plan(planner, cid)
    features = data["plan"]["features"]
    b = copy.deepcopy(features[_first(features, "boundary")])
    resp = _save(planner, cid, data["compound"]["version"], features + [b])
    assert resp.status_code == 400
    assert resp.get_json()["error"]["feature"] == len(features)
    cam = {
        "type": "Feature",
        "properties": {"kind": "camera", "id": "X"},
        "geometry": {"type": "Point", "coordinates": [0, 0]},
    }
    resp = _save(planner, cid, data["compound"]["version"], features + [cam])
    assert resp.status_code == 400


def test_stale_version_is_409_with_the_current_plan(planner, ids):
    cid = ids["own"]
    data = _plan(planner, cid)
    features = data["plan"]["features"]
    features[_first(features, "building")]["properties"]["name"] = "第一次"
    first = _save(planner, cid, data["compound"]["version"], features)
    assert first.status_code == 200
    features[_first(features, "building")]["properties"]["name"] = "第二次"
    resp = _save(planner, cid, data["compound"]["version"], features)
    assert resp.status_code == 409
    body = resp.get_json()
    assert body["error"]["status"] == 409
    assert body["current"]["compound"]["version"] == first.get_json()["version"]
    names = [f["properties"].get("name") for f in body["current"]["plan"]["features"]]
    assert "第一次" in names and "第二次" not in names


@pytest.mark.parametrize("role", ROLES)
def test_roles(client, ids, role):
    cid = ids["own"]
    login(client, role)
    allowed = role in ("admin", "planner")
    assert client.get(f"/compounds/{cid}/editor").status_code == (200 if allowed else 403)
    resp = _save(client, cid, 1, [])
    if allowed:
        assert resp.status_code in (400, 409)
    else:
        assert resp.status_code == 403
        assert resp.get_json()["error"]["status"] == 403


def test_bad_bodies(planner, ids):
    cid = ids["own"]
    assert planner.post(f"/compounds/{cid}/editor/plan", data="x").status_code == 400
    assert _save(planner, cid, "1", []).status_code == 400
    resp = planner.post(f"/compounds/{cid}/editor/plan", json={"version": 1})
    assert resp.status_code == 400


def test_editor_page_is_chinese(planner, ids):
    planner.post("/language", data={"lang": "zh"})
    html = planner.get(f"/compounds/{ids['own']}/editor").get_data(as_text=True)
    assert "编辑平面图" in html and "保存平面图" in html
    for english in ("Save plan", "Edit plan", "Image underlay", "Calibrate"):
        assert english not in html


def test_compound_in_ledger_untouched_by_failed_save(app, planner, ids):
    cid = ids["own"]
    from web.db import new_session

    with app.app_context():
        s = new_session(app)
        before = copy.deepcopy(s.get(Compound, cid).plan_json)
        s.close()
    data = _plan(planner, cid)
    features = data["plan"]["features"]
    features[_first(features, "building")]["properties"]["height_m"] = -3
    assert _save(planner, cid, data["compound"]["version"], features).status_code == 400
    with app.app_context():
        s = new_session(app)
        assert s.get(Compound, cid).plan_json == before
        s.close()


def test_loader_details_are_worded_in_chinese(app):
    from camwatch.errors import SiteFormatError
    from web.editor_messages import plan_error

    with app.test_request_context(headers={"Accept-Language": "zh"}):
        inside = SiteFormatError(
            "camera 'C01': camera at (82, 3) is inside building '压住' (feature #42), "
            "3.00 m from free space (allowed 0.05 m)"
        )
        worded = plan_error(inside)
        assert worded["message"] == "摄像机 «C01»：将位于楼栋 «压住»内部"
        assert worded["device"] == "C01" and worded["feature"] is None
        rng = SiteFormatError("height_m must be > 0, got -3", index=4, kind="building", ident="A")
        assert (
            plan_error(rng)["message"] == "楼栋 «A»（第 5 个要素）：高度（米）必须大于 0，现为 -3"
        )
        unknown = SiteFormatError("something new", index=0, kind="zone", ident=None)
        assert plan_error(unknown)["message"] == "区域（第 1 个要素）：something new"
