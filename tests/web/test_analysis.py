"""Planner work: analysis page, problems from findings, Plan K cameras and accepting them."""

from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import select

from camwatch.geometry.coverage import analyze
from camwatch.registry.models import Compound
from camwatch.sitefile import parse_site
from tests.web.conftest import login
from tests.web.sites import tiny_court
from web.db import new_session

JSON = {"Accept": "application/json"}


@pytest.fixture
def tiny(app, client):
    """Import the tiny compound through the web (as a planner); return its row id."""
    login(client, "planner")
    data = {"site_file": (io.BytesIO(json.dumps(tiny_court()).encode()), "tiny-court.geojson")}
    resp = client.post("/compounds/import", data=data, content_type="multipart/form-data")
    assert resp.status_code == 302
    s = new_session(app)
    try:
        return s.scalar(select(Compound.id).where(Compound.code == "tiny-court"))
    finally:
        s.close()


def test_import_bad_file_writes_nothing(app, client):
    login(client, "planner")
    bad = tiny_court("bad-court")
    bad["features"][4]["properties"]["hfov_deg"] = 0
    resp = client.post(
        "/compounds/import",
        data={"site_file": (io.BytesIO(json.dumps(bad).encode()), "bad.geojson")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "hfov_deg" in resp.get_data(as_text=True)
    s = new_session(app)
    assert s.scalar(select(Compound.id).where(Compound.code == "bad-court")) is None
    s.close()
    resp = client.post(
        "/compounds/import",
        data={"site_file": (io.BytesIO(b"{not json"), "x.geojson")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "JSON" in resp.get_data(as_text=True)


def test_analysis_matches_the_engine(client, tiny):
    resp = client.get(f"/compounds/{tiny}/analysis", headers=JSON)
    expected = analyze(parse_site(tiny_court())).to_dict()
    assert resp.get_json() == expected
    page = client.get(f"/compounds/{tiny}/analysis").get_data(as_text=True)
    for zone in expected["zones"]:
        assert zone["name"] in page
    for spot in expected["blind_spots"]:
        assert f"<b>{spot['id']}</b>" in page


def test_coverage_layers_are_geojson_in_site_metres(client, tiny):
    data = client.get(f"/compounds/{tiny}/coverage.json").get_json()
    det = data["levels"]["detection"]
    assert det["type"] in ("Polygon", "MultiPolygon")
    # GeoJSON positions are [x, y] in site metres, exactly the engine's geometry (x not swapped)
    from shapely.geometry import shape

    engine = analyze(parse_site(tiny_court())).levels["detection"].geometry
    assert shape(det).bounds == pytest.approx(engine.bounds, abs=0.01)
    assert shape(det).area == pytest.approx(engine.area, rel=1e-3)
    spots = data["blind_spots"]["features"]
    assert spots and all("area_m2" in f["properties"] for f in spots)
    assert data["summary"]["levels"]["detection"]["ratio"] < 1
    with_planned = client.get(f"/compounds/{tiny}/coverage.json?planned=1").get_json()
    assert with_planned["summary"] == data["summary"]  # no planned cameras yet


def test_map_json_bounds_and_devices(client, tiny):
    data = client.get(f"/compounds/{tiny}/map.json").get_json()
    assert data["bounds"] == [[0, 0], [30, 40]]  # [[min y, min x], [max y, max x]] for Leaflet
    kinds = sorted(f["properties"]["kind"] for f in data["devices"]["features"])
    assert kinds == ["alarm", "camera", "camera", "gate", "intercom"]
    assert data["can"]["plan"] and not data["can"]["edit"]
    plan_kinds = {f["properties"]["kind"] for f in data["plan"]["features"]}
    assert plan_kinds == {"boundary", "building", "zone"}


def test_problem_from_blind_spot_and_zone(client, tiny):
    spot = client.get(f"/compounds/{tiny}/analysis", headers=JSON).get_json()["blind_spots"][0]
    resp = client.post(
        f"/compounds/{tiny}/problems/new", json={"blind_spot": spot["id"]}, headers=JSON
    )
    assert resp.status_code == 201
    problem = client.get(resp.get_json()["url"]).get_data(as_text=True)
    assert f"{spot['area_m2']:,.1f}" in problem
    form = client.get(f"/compounds/{tiny}/problems/new?zone=gate").get_data(as_text=True)
    assert "gate" in form
    resp = client.post(
        f"/compounds/{tiny}/problems/new?zone=gate",
        data={
            "description": "Gate not identified",
            "deadline": "2099-01-01",
            "responsible_unit": "Property",
        },
    )
    assert resp.status_code == 302
    page = client.get(f"/compounds/{tiny}/analysis").get_data(as_text=True)
    assert 'href="/problems/' in page  # the failing zone now links to its open problem
    resp = client.post(f"/compounds/{tiny}/problems/new", json={"blind_spot": "B99"}, headers=JSON)
    assert resp.status_code == 400 and "B99" in resp.get_json()["error"]["message"]
    resp = client.post(f"/compounds/{tiny}/problems/new", json={"zone": "nowhere"}, headers=JSON)
    assert resp.status_code == 400


def test_plan_accept_and_coverage_rises(client, tiny):
    before = client.get(f"/compounds/{tiny}/coverage.json?planned=1").get_json()["summary"]
    resp = client.post(
        f"/compounds/{tiny}/plan", json={"k": 2, "hfov": 90, "height": 3, "tilt": 15}, headers=JSON
    )
    assert resp.status_code == 200, resp.get_json()
    plan = resp.get_json()
    assert len(plan["suggestions"]) == 2
    assert plan["before"]["detection"] == pytest.approx(
        before["levels"]["detection"]["ratio"], abs=1e-6
    )
    assert plan["after"]["detection"] > plan["before"]["detection"]
    for s in plan["suggestions"]:
        assert s["gain_m2"] > 0 and s["footprints"]["detection"]["type"] in (
            "Polygon",
            "MultiPolygon",
        )
    # the same request is answered from the cache
    assert (
        client.post(
            f"/compounds/{tiny}/plan", json={"k": 2, "hfov": 90, "height": 3, "tilt": 15}
        ).get_json()
        == plan
    )
    accepted = client.post(
        f"/compounds/{tiny}/plan/accept", json={"suggestions": plan["suggestions"]}, headers=JSON
    )
    assert accepted.status_code == 201
    assert len(accepted.get_json()["added"]) == 2
    after = client.get(f"/compounds/{tiny}/coverage.json?planned=1").get_json()["summary"]
    assert after["levels"]["detection"]["ratio"] == pytest.approx(
        plan["after"]["detection"], abs=1e-6
    )
    statuses = {c["id"]: c["status"] for c in after["cameras"]}
    assert sorted(statuses[c] for c in accepted.get_json()["added"]) == ["planned", "planned"]
    # installed-only coverage is unchanged: planned cameras are not installed yet
    installed = client.get(f"/compounds/{tiny}/coverage.json").get_json()["summary"]
    assert installed["levels"]["detection"]["ratio"] == before["levels"]["detection"]["ratio"]


@pytest.mark.parametrize(
    "body, field",
    [
        ({"k": 0}, "k"),
        ({"k": 50}, "k"),
        ({"k": 2, "hfov": 0}, "hfov"),
        ({"k": 1, "level": "x"}, "level"),
        ({"k": 1, "resolution": "big"}, "resolution"),
        ({"k": 1, "tilt": 91}, "tilt"),
        ([1, 2], "JSON object"),
    ],
)
def test_plan_bad_options(client, tiny, body, field):
    resp = client.post(f"/compounds/{tiny}/plan", json=body, headers=JSON)
    assert resp.status_code == 400 and field in resp.get_json()["error"]["message"]


def test_accept_validates_suggestions(client, tiny):
    resp = client.post(
        f"/compounds/{tiny}/plan/accept",
        json={"suggestions": [{"id": "P1", "position": [500, 500]}]},
        headers=JSON,
    )
    assert resp.status_code == 400  # outside the boundary: refused by the ledger, nothing added
    data = client.get(f"/compounds/{tiny}/map.json").get_json()
    assert len([f for f in data["devices"]["features"] if f["properties"]["kind"] == "camera"]) == 2
    resp = client.post(
        f"/compounds/{tiny}/plan/accept", json={"suggestions": [{"id": "P1"}]}, headers=JSON
    )
    assert resp.status_code == 400 and "position" in resp.get_json()["error"]["message"]


def test_export_round_trip(client, tiny):
    resp = client.get(f"/compounds/{tiny}/site.geojson")
    assert resp.headers["Content-Disposition"].endswith('tiny-court.geojson"')
    site = parse_site(json.loads(resp.get_data(as_text=True)))
    assert analyze(site).to_dict() == analyze(parse_site(tiny_court())).to_dict()


def test_analysis_cache_follows_changes(app, client, tiny):
    first = client.get(f"/compounds/{tiny}/coverage.json").get_json()
    again = client.get(f"/compounds/{tiny}/coverage.json").get_json()
    assert again["key"] == first["key"]
    login(client, "technician")
    dev = next(
        f["properties"]
        for f in client.get(f"/compounds/{tiny}/map.json").get_json()["devices"]["features"]
        if f["properties"]["code"] == "C2"
    )
    client.patch(
        f"/devices/{dev['id']}", json={"version": dev["version"], "status": "active"}, headers=JSON
    )
    changed = client.get(f"/compounds/{tiny}/coverage.json").get_json()
    assert changed["key"] != first["key"]
    assert (
        changed["summary"]["levels"]["detection"]["ratio"]
        > first["summary"]["levels"]["detection"]["ratio"]
    )


def test_delete_compound_needs_code(app, client, tiny):
    login(client, "admin")
    client.post(f"/compounds/{tiny}/delete", data={"confirm": "wrong"})
    assert client.get(f"/compounds/{tiny}").status_code == 200
    resp = client.post(f"/compounds/{tiny}/delete", data={"confirm": "tiny-court"})
    assert resp.status_code == 302
    assert client.get(f"/compounds/{tiny}").status_code == 404


def test_plan_runaway_is_stopped(app, client, tiny):
    app.config["PLAN_TIMEOUT_S"] = 0.001
    resp = client.post(f"/compounds/{tiny}/plan", json={"k": 1}, headers=JSON)
    assert resp.status_code == 422
    assert "did not finish" in resp.get_json()["error"]["message"]


def test_plan_options_from_the_schema():
    """Short names win over their long forms; defaults as documented; ranges from the schema."""
    from web.errors import FieldError
    from web.planning import PlanOptions

    opts = PlanOptions.from_json(
        {
            "k": 4,
            "hfov": 60,
            "hfov_deg": 100,
            "height_m": 5,
            "tilt_deg": -10,
            "resolution": "2560x1440",
        }
    )
    assert (opts.k, opts.hfov_deg, opts.height_m, opts.tilt_deg) == (4, 60.0, 5.0, -10.0)
    assert (opts.resolution, opts.range_m, opts.level, opts.method) == (
        (2560, 1440),
        None,
        "detection",
        "greedy",
    )
    assert PlanOptions.from_json({}) == PlanOptions()
    for body, field, words in (
        ({"height": 0.05}, "height", "[0.1, 100]"),  # the core's range (docs/ranges.md)
        ({"range_m": 2500}, "range_m", "(0, 2000]"),
        ({"hfov": 0.5}, "hfov", "[1, 360]"),  # the web's narrower limit
    ):
        with pytest.raises(FieldError) as err:
            PlanOptions.from_json(body)
        assert err.value.field == field and words in str(err.value), str(err.value)


def test_problem_from_finding_json_keeps_its_fields(client, tiny):
    spot = client.get(f"/compounds/{tiny}/analysis", headers=JSON).get_json()["blind_spots"][0]
    resp = client.post(
        f"/compounds/{tiny}/problems/new",
        json={"blind_spot": spot["id"], "deadline": "2031-02-03", "responsible_unit": "物业"},
        headers=JSON,
    )
    assert resp.status_code == 201, resp.get_data(as_text=True)
    page = client.get(resp.get_json()["url"]).get_data(as_text=True)
    assert "2031-02-03" in page and "物业" in page
