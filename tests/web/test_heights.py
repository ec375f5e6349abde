"""Heights on the web (docs/web.md, "Heights"): the compound's settings form and JSON,
the compare switch (?model=) against ``camwatch analyze --coverage-model``, the cache per
model, and wall heights / see_through through the plan editor."""

from __future__ import annotations

import copy
import io
import json
import subprocess
import sys

import pytest
from sqlalchemy import select

from camwatch.model import DEFAULT_COVERAGE_MODEL
from camwatch.registry.models import Compound
from tests.web.conftest import login
from tests.web.sites import _f, _rect, tiny_court
from web.db import new_session

JSON = {"Accept": "application/json"}


def tall_court(code: str = "tall-court") -> dict:
    """The tiny court in the standing model, with a hedge, a railing and a pole camera."""
    site = tiny_court(code)
    site["site"]["coverage_model"] = "standing"
    site["features"] += [
        _f("obstacle", _rect(10, 2, 11, 9), name="hedge", height_m=1.2),
        _f(
            "wall",
            {"type": "LineString", "coordinates": [[28, 2], [28, 12]]},
            height_m=1.1,
            see_through=True,
        ),
        _f(
            "camera",
            {"type": "Point", "coordinates": [1, 15]},
            id="C3",
            height_m=6,
            tilt_deg=35,
            heading_deg=90,
            hfov_deg=70,
        ),
    ]
    return site


def _import(app, client, site: dict) -> int:
    login(client, "planner")
    body = io.BytesIO(json.dumps(site).encode())
    data = {"site_file": (body, f"{site['site']['id']}.geojson")}
    resp = client.post("/compounds/import", data=data, content_type="multipart/form-data")
    assert resp.status_code == 302
    s = new_session(app)
    try:
        return s.scalar(select(Compound.id).where(Compound.code == site["site"]["id"]))
    finally:
        s.close()


@pytest.fixture
def tall(app, client) -> int:
    return _import(app, client, tall_court())


def _cli_analyze(path, model: str) -> dict:
    """``camwatch analyze FILE --json --coverage-model MODEL`` in its own process."""
    out = subprocess.run(
        [sys.executable, "-m", "camwatch", "analyze", str(path), "--json"]
        + ["--coverage-model", model],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def _export(client, cid: int, tmp_path) -> object:
    resp = client.get(f"/compounds/{cid}/site.geojson")
    assert resp.status_code == 200
    path = tmp_path / "exported.geojson"
    path.write_bytes(resp.data)
    return path


def _lang(client, lang: str) -> None:
    assert client.post("/language", data={"lang": lang}).status_code == 302


def test_compare_switch_gives_the_cli_numbers_of_both_models(client, tall, tmp_path):
    path = _export(client, tall, tmp_path)
    cli = {m: _cli_analyze(path, m) for m in ("ground", "standing")}
    assert cli["ground"]["levels"] != cli["standing"]["levels"]  # the site tells them apart
    own = client.get(f"/compounds/{tall}/analysis", headers=JSON).get_json()
    assert own == cli["standing"]
    ground = client.get(f"/compounds/{tall}/analysis?model=ground", headers=JSON).get_json()
    assert ground == cli["ground"]
    standing = client.get(f"/compounds/{tall}/analysis?model=standing", headers=JSON).get_json()
    assert standing == cli["standing"]
    # the map's data: footprints of the chosen model, the ratios of both
    cov = client.get(f"/compounds/{tall}/coverage.json?model=ground").get_json()
    assert cov["summary"] == cli["ground"]
    assert cov["model"] == {
        "model": "ground",
        "levels": {lv: v["ratio"] for lv, v in cli["ground"]["levels"].items()},
    }
    assert cov["compare"] == {
        "model": "standing",
        "levels": {lv: v["ratio"] for lv, v in cli["standing"]["levels"].items()},
    }
    plain = client.get(f"/compounds/{tall}/coverage.json").get_json()
    assert plain["summary"] == cli["standing"] and plain["compare"] is None
    fp_g = client.get(f"/compounds/{tall}/footprint.json?camera=C3&model=ground").get_json()
    fp_s = client.get(f"/compounds/{tall}/footprint.json?camera=C3").get_json()
    c3 = {m: next(c for c in cli[m]["cameras"] if c["id"] == "C3") for m in cli}
    assert fp_g["footprint_m2"] == c3["ground"]["footprint_m2"]
    assert fp_s["footprint_m2"] == c3["standing"]["footprint_m2"]


@pytest.mark.parametrize("lang, words", [("en", "Compare with the ground model"), ("zh", "对比")])
def test_the_analysis_page_shows_both_models(client, tall, lang, words):
    _lang(client, lang)
    page = client.get(f"/compounds/{tall}/analysis").get_data(as_text=True)
    assert words in page and 'id="model-other"' in page
    assert "compare-ratio" not in page
    page = client.get(f"/compounds/{tall}/analysis?model=ground").get_data(as_text=True)
    assert page.count('class="num compare-ratio"') == 4
    # findings of another model than the compound's own open no problems
    assert "/problems/new?" not in page


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_unknown_model_is_a_400_in_the_page_language(client, tall, lang):
    _lang(client, lang)
    resp = client.get(f"/compounds/{tall}/coverage.json?model=flying", headers=JSON)
    assert resp.status_code == 400
    assert "flying" in resp.get_json()["error"]["message"]
    page = client.get(f"/compounds/{tall}/analysis?model=%3Cb%3E")
    assert page.status_code == 400
    text = page.get_data(as_text=True)
    assert "<b>" not in text.split("<main", 1)[-1].split("</main>")[0]
    assert ("模型" in text) == (lang == "zh")


def _settings_form(client, cid: int, **fields: str):
    page = client.get(f"/compounds/{cid}/settings")
    assert page.status_code == 200
    version = client.get(f"/compounds/{cid}/settings", headers=JSON).get_json()["version"]
    return client.post(f"/compounds/{cid}/settings", data={"version": str(version), **fields})


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_settings_form_saves_and_the_analysis_follows(client, tall, tmp_path, lang):
    _lang(client, lang)
    # analysed (and cached) before the change: the change must not be served stale
    before = client.get(f"/compounds/{tall}/analysis", headers=JSON).get_json()
    assert before["target_height_m"]["detection"] == 1.6
    targets = {f"target_height_m.{lv}": "1.2" for lv in ("detection", "observation")}
    resp = _settings_form(
        client,
        tall,
        coverage_model="standing",
        **targets,
        **{"max_depression_deg.identification": "40"},
    )
    assert resp.status_code == 302
    data = client.get(f"/compounds/{tall}/settings", headers=JSON).get_json()
    assert data["coverage_model"] == "standing"
    assert data["target_height_m"] == {"detection": 1.2, "observation": 1.2}
    assert data["max_depression_deg"] == {"identification": 40.0}
    path = _export(client, tall, tmp_path)
    exported = json.loads(path.read_text())["site"]
    assert exported["target_height_m"] == {"detection": 1.2, "observation": 1.2}
    got = client.get(f"/compounds/{tall}/analysis", headers=JSON).get_json()
    assert got == _cli_analyze(path, "standing")
    assert got["target_height_m"]["detection"] == 1.2
    # four equal heights are one number; the ground model is then the compound's own
    every = {f"target_height_m.{lv}": "1.5" for lv in ("detection", "observation")}
    every |= {f"target_height_m.{lv}": "1.5" for lv in ("recognition", "identification")}
    assert _settings_form(client, tall, coverage_model="ground", **every).status_code == 302
    data = client.get(f"/compounds/{tall}/settings", headers=JSON).get_json()
    assert (data["coverage_model"], data["target_height_m"]) == ("ground", 1.5)
    assert data["max_depression_deg"] is None
    got = client.get(f"/compounds/{tall}/analysis", headers=JSON).get_json()
    assert got == _cli_analyze(_export(client, tall, tmp_path), "ground")


@pytest.mark.parametrize(
    "fields, field, en, zh",
    [
        ({"target_height_m.detection": "500"}, "target_height_m.detection", "[0, 100]", "目标高度"),
        ({"target_height_m.recognition": "abc"}, "target_height_m.recognition", "number", "数"),
        ({"target_height_m.detection": "nan"}, "target_height_m.detection", "[0, 100]", "目标高度"),
        (
            {"max_depression_deg.identification": "0"},
            "max_depression_deg.identification",
            "(0, 90]",
            "俯角",
        ),
        (
            {"max_depression_deg.observation": "1e400"},
            "max_depression_deg.observation",
            "(0, 90]",
            "俯角",
        ),
        ({"coverage_model": "flying"}, "coverage_model", "flying", "模型"),
    ],
)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_settings_form_refuses_bad_values_in_the_page_language(
    client, tall, fields, field, en, zh, lang
):
    _lang(client, lang)
    before = client.get(f"/compounds/{tall}/settings", headers=JSON).get_json()
    resp = _settings_form(client, tall, **fields)
    assert resp.status_code == 400
    page = resp.get_data(as_text=True)
    box = page.split('id="settings-errors"', 1)[1].split("</div>", 1)[0]
    assert f'data-field="{field}"' in box
    assert (zh if lang == "zh" else en) in box
    if lang == "zh":
        assert "must be" not in box
    after = client.get(f"/compounds/{tall}/settings", headers=JSON).get_json()
    assert after == before


def _post_json(client, cid: int, body: object):
    return client.post(
        f"/compounds/{cid}/settings",
        data=json.dumps(body, allow_nan=True),
        content_type="application/json",
    )


def test_settings_json_good_and_hostile_bodies(client, tall):
    cur = client.get(f"/compounds/{tall}/settings", headers=JSON).get_json()
    good = {
        "version": cur["version"],
        "coverage_model": "standing",
        "target_height_m": {"identification": 1.7},
        "max_depression_deg": {"identification": 25},
    }
    resp = _post_json(client, tall, good)
    assert resp.status_code == 200, resp.get_data(as_text=True)
    saved = resp.get_json()
    assert saved["target_height_m"] == {"identification": 1.7}
    assert saved["version"] == cur["version"] + 1
    # the same version again is stale: 409 with the settings as they are now
    stale = _post_json(client, tall, good)
    assert stale.status_code == 409
    assert stale.get_json()["current"]["max_depression_deg"] == {"identification": 25.0}
    version = saved["version"]
    hostile = [
        ({"target_height_m": float("inf")}, "target_height_m"),
        ({"target_height_m": {"detection": 10**400}}, "target_height_m"),
        ({"target_height_m": {"everywhere": 1}}, "target_height_m"),
        ({"target_height_m": True}, "target_height_m"),
        ({"target_height_m": "1.6"}, "target_height_m"),
        ({"max_depression_deg": 30}, "max_depression_deg"),
        ({"max_depression_deg": {"identification": -5}}, "max_depression_deg"),
        ({"coverage_model": "ground\ud800"}, "coverage_model"),
        ({"coverage_model": ["standing"]}, "coverage_model"),
        ({"colour": "red"}, "colour"),
    ]
    for extra, field in hostile:
        resp = _post_json(client, tall, {"version": version, **extra})
        assert resp.status_code == 400, (extra, resp.get_data(as_text=True))
        assert resp.get_json()["error"]["field"] == field, extra
    resp = _post_json(client, tall, {"coverage_model": "ground"})
    assert resp.status_code == 400 and resp.get_json()["error"]["field"] == "version"
    after = client.get(f"/compounds/{tall}/settings", headers=JSON).get_json()
    assert after == saved


def test_only_planners_and_admins_change_settings(app, client, tall):
    login(client, "technician")
    assert client.get(f"/compounds/{tall}/settings").status_code in (403, 404)
    resp = _post_json(client, tall, {"version": 1, "coverage_model": "ground"})
    assert resp.status_code in (403, 404)


def test_walls_heights_and_see_through_from_the_editor(client, tall, tmp_path):
    plan = client.get(f"/compounds/{tall}/editor/plan.json").get_json()
    features = copy.deepcopy(plan["plan"]["features"])
    railing = next(f for f in features if f["properties"]["kind"] == "wall")
    assert railing["properties"]["see_through"] is True
    railing["properties"].update(see_through=False, height_m=2.5)
    hedge = next(f for f in features if f["properties"].get("name") == "hedge")
    hedge["properties"]["height_m"] = 0.8
    resp = client.post(
        f"/compounds/{tall}/editor/plan",
        json={"version": plan["compound"]["version"], "features": features},
    )
    assert resp.status_code == 200, resp.get_data(as_text=True)
    site = json.loads(_export(client, tall, tmp_path).read_text())
    walls = [f["properties"] for f in site["features"] if f["properties"]["kind"] == "wall"]
    assert walls[0]["height_m"] == 2.5 and not walls[0].get("see_through", False)
    assert (
        next(f for f in site["features"] if f["properties"].get("name") == "hedge")["properties"][
            "height_m"
        ]
        == 0.8
    )
    assert resp.get_json()["summary"] == _cli_analyze(tmp_path / "exported.geojson", "standing")
    # a hostile height or see_through is refused, naming the feature
    version = resp.get_json()["version"]
    for bad in ({"height_m": -1}, {"height_m": 1e309}, {"see_through": "yes"}):
        broken = copy.deepcopy(features)
        next(f for f in broken if f["properties"]["kind"] == "wall")["properties"].update(bad)
        resp = client.post(
            f"/compounds/{tall}/editor/plan", json={"version": version, "features": broken}
        )
        assert resp.status_code == 400, bad
        assert "feature" in resp.get_json()["error"]


def test_api_settings_and_analysis_per_model(app, client, tall, tmp_path):
    from camwatch.registry.users import issue_token

    s = new_session(app)
    try:
        tokens = {r: issue_token(s, r, actor="tests") for r in ("planner", "technician")}
        s.commit()
    finally:
        s.close()

    def call(method, path, role="planner", **kw):
        headers = {"Authorization": f"Bearer {tokens[role]}"}
        return client.open(f"/api/v1{path}", method=method, headers=headers, **kw)

    path = _export(client, tall, tmp_path)
    for model in ("ground", "standing"):
        got = call("GET", f"/compounds/tall-court/analysis?coverage_model={model}").get_json()
        assert got == _cli_analyze(path, model)
    bad = call("GET", "/compounds/tall-court/analysis?coverage_model=flying")
    assert bad.status_code == 400
    cur = call("GET", "/compounds/tall-court/settings").get_json()
    assert cur["coverage_model"] == "standing" and cur["target_height_m"] is None
    assert call("GET", "/compounds/tall-court").get_json()["coverage_model"] == "standing"
    # a member left out stays; null resets to the default
    body = {"version": cur["version"], "target_height_m": 1.4}
    assert (
        call("PATCH", "/compounds/tall-court/settings", role="technician", json=body).status_code
        == 403
    )
    resp = call("PATCH", "/compounds/tall-court/settings", json=body)
    assert resp.status_code == 200, resp.get_data(as_text=True)
    assert resp.get_json()["coverage_model"] == "standing"
    assert resp.get_json()["target_height_m"] == 1.4
    stale = call("PATCH", "/compounds/tall-court/settings", json=body)
    assert stale.status_code == 409 and stale.get_json()["current"]["target_height_m"] == 1.4
    version = resp.get_json()["version"]
    for extra, field in (
        ({"target_height_m": 100.5}, "target_height_m"),
        ({"max_depression_deg": {"identification": 90.01}}, "max_depression_deg"),
        ({"coverage_model": "sky"}, "coverage_model"),
        ({"max_depression_deg": {"everywhere": 10}}, "max_depression_deg"),
    ):
        resp = call("PATCH", "/compounds/tall-court/settings", json={"version": version, **extra})
        assert resp.status_code == 400 and resp.get_json()["error"]["field"] == field, extra
    resp = call(
        "PATCH",
        "/compounds/tall-court/settings",
        json={"version": version, "coverage_model": None, "target_height_m": None},
    )
    assert resp.get_json()["coverage_model"] is None
    got = call("GET", "/compounds/tall-court/analysis").get_json()
    assert got == _cli_analyze(_export(client, tall, tmp_path), DEFAULT_COVERAGE_MODEL)


def test_ghost_footprints_follow_the_compounds_model(client, tall, tmp_path):
    """A suggestion's footprints on the map are those of the same camera, planned, analysed
    under the compound's model (here standing) by ``camwatch analyze``."""
    from shapely.geometry import shape

    resp = client.post(f"/compounds/{tall}/plan", json={"k": 1, "height": 5, "tilt": 30})
    assert resp.status_code == 200, resp.get_data(as_text=True)
    ghost = resp.get_json()["suggestions"][0]
    site = json.loads(_export(client, tall, tmp_path).read_text())
    props = {k: ghost[k] for k in ("heading_deg", "tilt_deg", "height_m", "hfov_deg")}
    props |= {"resolution": ghost["resolution"]}
    site["features"].append(
        _f(
            "camera",
            {"type": "Point", "coordinates": ghost["position"]},
            id=ghost["id"],
            status="planned",
            **props,
        )
    )
    path = tmp_path / "with-ghost.geojson"
    path.write_text(json.dumps(site))
    for model in ("standing", "ground"):
        cams = {c["id"]: c for c in _cli_analyze(path, model)["cameras"]}
        areas = cams[ghost["id"]]["footprint_m2"]
        drawn = {lv: shape(g).area if g else 0.0 for lv, g in ghost["footprints"].items()}
        same = all(abs(drawn[lv] - areas[lv]) <= max(0.01, 0.005 * areas[lv]) for lv in areas)
        assert same == (model == "standing"), (model, drawn, areas)


def _c3(app, tall: int):
    from camwatch.registry.models import Device

    s = new_session(app)
    try:
        d = s.scalar(select(Device).where(Device.compound_id == tall, Device.code == "C3"))
        return d.id, d.version, dict(d.properties)
    finally:
        s.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_device_form_mounting_height_and_tilt(app, client, tall, tmp_path, lang):
    login(client, "technician")
    _lang(client, lang)
    dev, version, props = _c3(app, tall)
    assert (props["height_m"], props["tilt_deg"]) == (6.0, 35.0)
    before = client.get(f"/compounds/{tall}/analysis", headers=JSON).get_json()
    resp = client.post(
        f"/devices/{dev}/edit",
        data={"version": str(version), "height_m": "9.5", "tilt_deg": "48"},
        follow_redirects=True,
    )
    assert ("已保存" if lang == "zh" else "Saved.") in resp.get_data(as_text=True)
    _dev, version, props = _c3(app, tall)
    assert (props["height_m"], props["tilt_deg"]) == (9.5, 48.0)
    after = client.get(f"/compounds/{tall}/analysis", headers=JSON).get_json()
    assert after != before
    assert after == _cli_analyze(_export(client, tall, tmp_path), "standing")
    for field, value, zh, en in (
        ("height_m", "0", "应在 [0.1, 100]", "must be in [0.1, 100]"),
        ("height_m", "-3", "应在 [0.1, 100]", "must be in [0.1, 100]"),
        ("tilt_deg", "91", "应在 [-90, 90]", "must be in [-90, 90]"),
    ):
        resp = client.post(
            f"/devices/{dev}/edit",
            data={"version": str(version), field: value},
            follow_redirects=True,
        )
        page = resp.get_data(as_text=True)
        assert (zh if lang == "zh" else en) in page, (field, value)
        if lang == "zh":
            assert "must be" not in page
        assert _c3(app, tall)[1:] == (version, props)  # nothing saved
