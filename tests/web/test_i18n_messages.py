"""The core's messages on web pages: in the page language, from the one catalogue (docs/web.md)."""

from __future__ import annotations

import re

import pytest
from shapely.geometry import shape

import web.i18n
from tests.web.conftest import login

JSON = {"Accept": "application/json"}
CJK = re.compile(r"[\u4e00-\u9fff]")


def _inside_a_building(client, cid: int) -> tuple[float, float, str]:
    plan = client.get(f"/compounds/{cid}/map.json").get_json()["plan"]
    for feature in plan["features"]:
        if feature["properties"]["kind"] == "building":
            poly = shape(feature["geometry"])
            point = poly.buffer(-0.5).representative_point()  # well inside, past the 0.05 m slack
            return point.x, point.y, feature["properties"].get("name") or ""
    raise AssertionError("the sample compound has no building")


@pytest.mark.parametrize(
    "lang, expected, foreign",
    [
        (
            "zh",
            ["摄像机「", "在建筑「", "内部", "距可安装空间", "米（允许 0.05 米）"],
            "inside building",
        ),
        (
            "en",
            ["camera '", "is inside building '", "m from free space (allowed 0.05 m)"],
            "摄像机",
        ),
    ],
)
def test_camera_inside_a_building_is_refused_in_the_page_language(
    client, ids, lang, expected, foreign
):
    login(client, "technician")
    client.post("/language", data={"lang": lang})
    x, y, building = _inside_a_building(client, ids["own"])
    resp = client.post(
        f"/compounds/{ids['own']}/devices",
        json={"kind": "camera", "x": x, "y": y},
        headers={**JSON, "Accept-Language": lang},
    )
    assert resp.status_code == 400
    message = resp.get_json()["error"]["message"]
    for part in expected:
        assert part in message, message
    assert building in message  # a proper name stays as written
    assert foreign not in message
    if lang == "en":
        assert not CJK.search(message.replace(building, ""))


def test_english_is_the_key_and_every_language_reads_the_same_error(app):
    """One error object, worded at the moment it is read: zh in a zh request, en in an en one."""
    from camwatch.errors import SiteFormatError
    from camwatch.i18n import msg

    exc = SiteFormatError(msg("polygon is empty"), index=3, kind="zone", ident="Z")
    with app.test_request_context(headers={"Accept-Language": "zh"}):
        assert str(exc) == "要素 #3（区域「Z」）：多边形为空"
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert str(exc) == "feature #3 (zone 'Z'): polygon is empty"
    assert str(exc) == "feature #3 (zone 'Z'): polygon is empty"  # outside a request: English


def _page(client, url: str, lang: str) -> str:
    client.post("/language", data={"lang": lang})
    return client.get(url, headers={"Accept-Language": lang}).get_data(as_text=True)


def test_a_problem_from_the_map_is_shown_in_the_readers_language(client, ids):
    login(client, "planner")
    zone = ids["own_zone"]
    resp = client.post(f"/compounds/{ids['own']}/problems/new", json={"zone": zone}, headers=JSON)
    assert resp.status_code == 201, resp.get_json()
    url = resp.get_json()["url"]
    zh = _page(client, url, "zh")
    en = _page(client, url, "en")
    assert f"区域「{zone}」（" in zh and "要求不低于 98.0 %" in zh
    assert f"Zone &#39;{zone}&#39; (" in en and "at least 98.0 % is required" in en
    assert "at least 98.0 % is required" not in zh
    assert "要求不低于" not in en
    listing = _page(client, "/problems/", "zh")
    assert f"区域「{zone}」" in listing


def test_a_plain_text_problem_is_shown_as_written(client, ids):
    login(client, "planner")
    for lang in ("zh", "en"):
        assert "Bike shed unlit" in _page(client, f"/problems/{ids['own_problem']}", lang)


@pytest.mark.parametrize(
    "lang, expected",
    [
        (
            "zh",
            "未导入任何内容：要素 #4（摄像机「C1」）：摄像机位于 (20, 15)，在建筑「Block A」（要素 #1）内部",
        ),
        (
            "en",
            "feature #4 (camera &#39;C1&#39;): camera at (20, 15) is inside building &#39;Block A&#39;",
        ),
    ],
)
def test_import_page_error_in_the_page_language(client, lang, expected):
    import io
    import json

    from tests.web.sites import tiny_court

    login(client, "planner")
    client.post("/language", data={"lang": lang})
    bad = tiny_court("bad-court")
    camera = next(f for f in bad["features"] if f["properties"]["kind"] == "camera")
    camera["geometry"]["coordinates"] = [20, 15]  # inside Block A (15..25 × 11..19)
    resp = client.post(
        "/compounds/import",
        data={"site_file": (io.BytesIO(json.dumps(bad).encode()), "bad.geojson")},
        content_type="multipart/form-data",
        headers={"Accept-Language": lang},
        follow_redirects=True,
    )
    page = resp.get_data(as_text=True)
    assert expected in page, page[page.find("flash") : page.find("flash") + 600]


def test_templates_look_the_translations_up_once_per_request(client, ids, monkeypatch):
    """The page's hundreds of strings (templates and web code) share one lookup of the catalogue,
    and the next request, in another language, gets its own."""
    looked_up = []
    real = web.i18n.get_translations

    def spy():
        looked_up.append(1)
        return real()

    monkeypatch.setattr(web.i18n, "get_translations", spy)
    login(client, "planner")
    url = f"/compounds/{ids['own']}/analysis"
    zh = _page(client, url, "zh")
    assert len(looked_up) == 1
    assert "盲区" in zh and "Blind spots" not in zh
    en = _page(client, url, "en")
    assert len(looked_up) == 2
    assert "Blind spots" in en and "盲区" not in en
