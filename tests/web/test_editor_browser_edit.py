"""Browser tests of editing in the plan editor, in Chinese: drawing with snapping, Geoman's
edit mode and undo, a refused save, a conflict. Screenshots: ``test-artifacts/editor-*.png``."""

from __future__ import annotations

import pytest

from tests.web import editor_browser as eb
from tests.web import test_browser as tb
from tests.web.editor_browser import _free_spot, _px
from tests.web.test_browser import shot

# the browser fixtures of test_browser.py (a live waitress server, Debian's chromium)
browser = tb.browser
live_server = tb.live_server
page_for = eb.page_for
pytestmark = tb.pytestmark


def _saved_plan(app, code: str) -> list[dict]:
    """The compound's plan features as the ledger holds them."""
    from camwatch.registry.compounds import get_compound
    from web.db import new_session

    s = new_session(app)
    try:
        return get_compound(s, code).plan_json["features"]
    finally:
        s.close()


def test_draw_with_snapping_and_save(page_for, live_server, ids):
    """Draw a wall starting 6 px off a building corner (it snaps onto the corner) and an
    obstacle in a blind spot, save, and find both in the ledger."""
    base, app = live_server
    page = page_for("admin", width=1366, height=900)
    page.goto(f"{base}/compounds/{ids['jinxiu-huating']}/editor")
    page.wait_for_selector("#map[data-ready='1']", timeout=30000)
    n = page.evaluate("window.camwatchEditor.serialize().length")
    corner = page.evaluate(
        "(() => { const f = window.camwatchEditor.serialize().find("
        "f => f.properties.kind === 'building'); return f.geometry.coordinates[0][0]; })()"
    )
    cx, cy = _px(page, *corner)
    page.click("#draw-buttons [data-kind=wall]")
    box = page.locator("#map")
    box.click(position={"x": cx + 6, "y": cy + 4})
    box.dblclick(position={"x": cx + 80, "y": cy + 60})
    page.wait_for_selector("#prop-form")
    wall = page.evaluate("window.camwatchEditor.serialize().slice(-1)[0]")
    assert wall["properties"] == {"kind": "wall", "thickness_m": 0.2}
    assert wall["geometry"]["coordinates"][0] == pytest.approx(corner, abs=1e-3)
    # an obstacle: four clicks and the first point again
    x, y = _free_spot(page)
    page.click("#draw-buttons [data-kind=obstacle]")
    for dx, dy in ((-2, -2), (2, -2), (2, 2), (-2, 2), (-2, -2)):
        px, py = _px(page, x + dx, y + dy)
        box.click(position={"x": px, "y": py})
    page.wait_for_selector("#prop-form input[name=height_m]")
    page.fill("#prop-form input[name=name]", "新岗亭")
    page.click("#prop-form button[type=submit]")
    assert page.evaluate("window.camwatchEditor.serialize().length") == n + 2
    shot(page, "editor-8-drawn-desktop")
    page.click("#btn-save")
    page.wait_for_selector("#save-ok", timeout=60000)
    plan = _saved_plan(app, "jinxiu-huating")
    kinds = [f["properties"]["kind"] for f in plan]
    assert len(plan) == n + 2 and "新岗亭" in [f["properties"].get("name") for f in plan]
    walls = [f for f in plan if f["properties"]["kind"] == "wall"]
    assert any(w["geometry"]["coordinates"][0] == pytest.approx(corner, abs=1e-3) for w in walls)
    assert kinds.count("obstacle") >= 1


def test_refused_save_names_and_selects_the_feature(page_for, live_server, ids):
    base, _ = live_server
    page_for.allow.add("status of 400")  # the refused save, on purpose
    page = page_for("planner", width=390, height=844)
    page.goto(f"{base}/compounds/{ids['nangang-cun']}/editor")
    page.wait_for_selector("#map[data-ready='1']", timeout=30000)
    version = page.evaluate("window.camwatchEditor.state.version")
    index = page.evaluate(
        "window.camwatchEditor.serialize().findIndex(f => f.properties.kind === 'building')"
    )
    page.evaluate(f"window.camwatchEditor.state.layers[{index}].fire('click')")
    page.fill("#prop-form input[name=height_m]", "0")  # the form allows 0; the loader needs > 0
    page.click("#prop-form button[type=submit]")
    page.click("#btn-save")
    page.wait_for_selector("#save-error")
    text = page.inner_text("#save-error")
    assert (
        text.startswith("平面图未保存")
        and "高度（米）必须在 (0, 1000] 之内" in text
        and f"第 {index + 1} 个要素" in text
    )
    # the refused feature is the selected one, its form open with the bad value
    assert page.input_value("#prop-form input[name=height_m]") == "0"
    assert page.evaluate("window.camwatchEditor.state.version") == version
    assert page.inner_text("#dirty") == "有未保存的修改"
    shot(page, "editor-11-refused-phone")


def test_move_a_vertex_in_edit_mode_then_undo(page_for, live_server, ids):
    """Geoman's edit mode: drag a building's corner 40 px; the plan changes by that much
    (in metres at the map's scale); undo puts the corner back."""
    base, _ = live_server
    page = page_for("planner", width=1366, height=900)
    page.goto(f"{base}/compounds/{ids['nangang-cun']}/editor")
    page.wait_for_selector("#map[data-ready='1']", timeout=30000)
    index = page.evaluate(
        "window.camwatchEditor.serialize().findIndex(f => f.properties.kind === 'building')"
    )
    corner = page.evaluate(f"window.camwatchEditor.serialize()[{index}].geometry.coordinates[0][0]")
    page.click(".leaflet-pm-icon-edit")
    page.wait_for_selector(".marker-icon")
    x, y = _px(page, *corner)
    box = page.locator("#map").bounding_box()
    page.mouse.move(box["x"] + x, box["y"] + y)
    page.mouse.down()
    page.mouse.move(box["x"] + x + 20, box["y"] + y, steps=4)
    page.mouse.move(box["x"] + x + 40, box["y"] + y, steps=4)
    page.mouse.up()
    moved = page.evaluate(f"window.camwatchEditor.serialize()[{index}].geometry.coordinates[0][0]")
    metres_per_px = page.evaluate(
        "(() => { const m = window.camwatchEditor.map; return 1 / Math.pow(2, m.getZoom()); })()"
    )
    assert moved[0] - corner[0] == pytest.approx(40 * metres_per_px, rel=0.1)
    assert moved[1] == pytest.approx(corner[1], abs=2 * metres_per_px)
    assert page.inner_text("#dirty") == "有未保存的修改"
    shot(page, "editor-12-vertex-desktop")
    page.click("#btn-undo")
    back = page.evaluate(f"window.camwatchEditor.serialize()[{index}].geometry.coordinates[0][0]")
    assert back == pytest.approx(corner, abs=1e-3)
    assert page.inner_text("#dirty") == "所有修改已保存"


def test_conflict_shows_theirs_and_can_bring_mine_back(page_for, live_server, ids):
    base, app = live_server
    page_for.allow.add("status of 409")  # the stale save, on purpose
    page = page_for("planner", width=1366, height=900)
    cid = ids["xingfu-li"]
    page.goto(f"{base}/compounds/{cid}/editor")
    page.wait_for_selector("#map[data-ready='1']", timeout=30000)
    index = page.evaluate(
        "window.camwatchEditor.serialize().findIndex(f => f.properties.kind === 'building')"
    )
    # someone else saves the plan meanwhile (renames every building)
    from camwatch.registry.compounds import get_compound
    from camwatch.registry.site_import import update_plan
    from web.db import new_session

    s = new_session(app)
    try:
        compound = get_compound(s, "xingfu-li")
        theirs = [dict(f, properties=dict(f["properties"])) for f in compound.plan_json["features"]]
        for f in theirs:
            if f["properties"]["kind"] == "building":
                f["properties"]["name"] = "他们改的"
        update_plan(s, compound, theirs, expected_version=compound.version, actor="admin")
        s.commit()
    finally:
        s.close()
    page.evaluate(f"window.camwatchEditor.state.layers[{index}].fire('click')")
    page.fill("#prop-form input[name=name]", "我改的")
    page.click("#prop-form button[type=submit]")
    page.click("#btn-save")
    page.wait_for_selector("#save-conflict")
    names = page.evaluate(
        "window.camwatchEditor.serialize().filter(f => f.properties.kind === 'building')"
        ".map(f => f.properties.name)"
    )
    assert set(names) == {"他们改的"}
    shot(page, "editor-13-conflict-desktop")
    page.click("#btn-reapply")
    page.click("#btn-save")
    page.wait_for_selector("#save-ok", timeout=60000)
    saved = [
        f["properties"]["name"]
        for f in _saved_plan(app, "xingfu-li")
        if f["properties"]["kind"] == "building"
    ]
    assert "我改的" in saved and "他们改的" not in saved


def test_a_mount_line_is_drawn_and_saved(page_for, live_server, ids):
    """The "mount line" button draws a LineString mount (a fence or a wall top: the planner
    samples spots along it), beside the point mount its kind's own button draws."""
    base, app = live_server
    page = page_for("planner", width=1366, height=900)
    page.goto(f"{base}/compounds/{ids['nangang-cun']}/editor")
    page.wait_for_selector("#map[data-ready='1']", timeout=30000)
    n = page.evaluate("window.camwatchEditor.serialize().length")
    assert page.inner_text("#draw-buttons [data-shape=Line]").strip() == "＋ 安装线"
    x, y = _free_spot(page)
    box = page.locator("#map")
    page.click("#draw-buttons [data-kind=mount][data-shape=Line]")
    assert page.get_attribute("#draw-buttons [data-shape=Line]", "class").endswith("on")
    for dx in (-1.5, 1.5):
        px, py = _px(page, x + dx, y)
        (box.dblclick if dx > 0 else box.click)(position={"x": px, "y": py})
    page.wait_for_selector("#prop-form")
    mount = page.evaluate("window.camwatchEditor.serialize().slice(-1)[0]")
    assert mount["properties"]["kind"] == "mount"
    assert mount["geometry"]["type"] == "LineString"
    assert "on" not in (page.get_attribute("#draw-buttons [data-shape=Line]", "class") or "")
    page.fill("#prop-form input[name=name]", "新围栏")
    page.click("#prop-form button[type=submit]")
    page.click("#btn-save")
    page.wait_for_selector("#save-ok", timeout=60000)
    plan = _saved_plan(app, "nangang-cun")
    assert len(plan) == n + 1
    (line,) = [f for f in plan if f["properties"].get("name") == "新围栏"]
    assert (line["properties"]["kind"], line["geometry"]["type"]) == ("mount", "LineString")
    shot(page, "editor-mount-line")
