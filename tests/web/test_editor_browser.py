"""Browser test of the plan editor, in Chinese: a planner creates a compound from the sample
DXF, fixes one building in the editor, saves, adds a camera on the map and analyses; a bad
file and the image source; the image underlay is calibrated with two clicks. Screenshots of
every step at 1366×900 and 390×844 go to ``test-artifacts/editor-*.png``."""

from __future__ import annotations

import pytest

from tests.web import editor_browser as eb
from tests.web import test_browser as tb
from tests.web.editor_browser import DXF, SCAN, SIZES
from tests.web.test_browser import detection, open_map, shot, wait_until

# the browser fixtures of test_browser.py (a live waitress server, Debian's chromium)
browser = tb.browser
live_server = tb.live_server
page_for = eb.page_for
pytestmark = tb.pytestmark


def _free_point(app, code: str) -> tuple[float, float]:
    """Pole of the largest blind spot of the compound (shapely, from the ledger)."""
    from shapely.ops import polylabel

    from camwatch.geometry.coverage import analyze
    from camwatch.registry.compounds import export_site
    from web.db import new_session

    s = new_session(app)
    try:
        spots = sorted(analyze(export_site(s, code)).blind_spots, key=lambda b: -b.area_m2)
        pole = polylabel(spots[0].geometry, tolerance=0.1)
        return round(pole.x, 3), round(pole.y, 3)
    finally:
        s.close()


def _no_overflow(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1


def _create_from_dxf(page, base: str, code: str, size: str) -> None:
    page.goto(f"{base}/compounds/new")
    assert "新建小区" in page.inner_text("main")
    _no_overflow(page)
    shot(page, f"editor-1-new-{size}")
    page.fill("#new-code", code)
    page.fill("#new-name", "幸福里（CAD 导入）")
    page.set_input_files("#file-dxf", str(DXF))
    page.click("#btn-read")
    page.wait_for_selector("#layer-table", timeout=30000)
    assert page.locator("#draftmap path.leaflet-interactive").count() > 5
    assert "楼栋" in page.inner_text("#layer-table")
    _no_overflow(page)
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, f"editor-2-draft-{size}")
    page.click("#btn-create")
    page.wait_for_url("**/editor", timeout=30000)
    page.wait_for_selector("#map[data-ready='1']", timeout=30000)


@pytest.mark.parametrize("size", list(SIZES))
def test_new_compound_from_dxf_edit_save_add_camera_analyse(page_for, live_server, size):
    base, app = live_server
    width, height = SIZES[size]
    page = page_for("planner", width=width, height=height)
    code = f"xingfu-cad-{size}"
    _create_from_dxf(page, base, code, size)
    shot(page, f"editor-3-editor-{size}")
    body = page.inner_text("body")
    for english in ("Save plan", "Undo", "Draw", "Image underlay"):
        assert english not in body
    # Geoman's own toolbar speaks Chinese too
    titles = page.eval_on_selector_all(".leaflet-pm-toolbar a", "els => els.map(e => e.title)")
    assert titles and not any("Edit" in t or "Drag" in t for t in titles)

    # fix one building: click it, rename it, raise it
    point = page.evaluate(
        "(() => { const e = window.camwatchEditor;"
        " const l = e.state.layers.find(l => l.feature.properties.kind === 'building');"
        " const c = l.getBounds().getCenter(); return e.screenPoint(c.lng, c.lat); })()"
    )
    page.locator("#map").scroll_into_view_if_needed()
    page.locator("#map").click(position={"x": point[0], "y": point[1]})
    page.wait_for_selector("#prop-form")
    page.fill("#prop-form input[name=name]", "1号楼（已核对）")
    page.fill("#prop-form input[name=height_m]", "19.5")
    page.click("#prop-form button[type=submit]")
    assert page.inner_text("#dirty") == "有未保存的修改"
    assert not page.is_disabled("#btn-undo")
    page.click("#btn-save")
    page.wait_for_selector("#save-ok", timeout=60000)
    assert "已重新分析" in page.inner_text("#save-msg")
    assert page.inner_text("#dirty") == "所有修改已保存"
    shot(page, f"editor-4-saved-{size}")
    from camwatch.registry.compounds import get_compound
    from web.db import new_session

    s = new_session(app)
    try:
        compound = get_compound(s, code)
        cid = compound.id
        stored = [
            f["properties"]
            for f in compound.plan_json["features"]
            if f["properties"].get("name") == "1号楼（已核对）"
        ]
    finally:
        s.close()
    assert stored and stored[0]["height_m"] == 19.5

    # add a camera in the largest blind spot on the map, then analyse
    x, y = _free_point(app, code)
    open_map(page, base, cid)
    before = detection(page)
    page.click("#btn-add")
    px, py = page.evaluate(f"window.camwatch.screenPoint({x}, {y})")
    page.locator("#map").click(position={"x": px, "y": py})
    page.wait_for_selector("#device-panel .devhead")
    shot(page, f"editor-5-camera-{size}")
    # a planner adds planned cameras: count them in the analysis
    page.check("#opt-planned")
    page.click("#btn-analyze")
    wait_until(page, lambda: detection(page) > before)
    shot(page, f"editor-6-analysed-{size}")


def test_underlay_calibration_and_undo(page_for, live_server, ids):
    base, _ = live_server
    page = page_for("planner", width=1366, height=900)
    page.goto(f"{base}/compounds/{ids['nangang-cun']}/editor")
    page.wait_for_selector("#map[data-ready='1']", timeout=30000)
    page.set_input_files("#underlay-file", str(SCAN))
    page.wait_for_selector("#underlay-tools:not(.hidden)")
    page.wait_for_selector(".leaflet-image-layer")
    bounds = (
        "(() => { const b = window.camwatchEditor.state.underlay.getBounds();"
        " return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]; })()"
    )
    w0, s0, e0, n0 = page.evaluate(bounds)
    # calibrate: two points 10 m apart on the map are declared 25 m apart -> image 2.5x larger
    ax, ay = w0 + 5.0, s0 + 5.0
    pa = page.evaluate(f"window.camwatchEditor.screenPoint({ax}, {ay})")
    page.click("#btn-calibrate")
    page.locator("#map").click(position={"x": pa[0], "y": pa[1]})
    # the second point: 10 m to the east of the first, as the map draws it now
    first = page.evaluate(
        "(() => { const s = window.camwatchEditor.state; return s.clicks ? [s.clicks[0].lng, s.clicks[0].lat] : null; })()"
    )
    pb = page.evaluate(f"window.camwatchEditor.screenPoint({first[0] + 10.0}, {first[1]})")
    page.locator("#map").click(position={"x": pb[0], "y": pb[1]})
    second = page.evaluate(
        "(() => { const s = window.camwatchEditor.state; return [s.calib[1].lng, s.calib[1].lat]; })()"
    )
    measured = ((second[0] - first[0]) ** 2 + (second[1] - first[1]) ** 2) ** 0.5
    page.fill("#calib-metres", "25")
    page.click("#btn-calib-apply")
    w1, s1, e1, n1 = page.evaluate(bounds)
    factor = 25.0 / measured
    assert (e1 - w1) == pytest.approx((e0 - w0) * factor, rel=1e-6)
    assert (n1 - s1) == pytest.approx((n0 - s0) * factor, rel=1e-6)
    # the first clicked point stays where it was on the image
    assert w1 == pytest.approx(first[0] + (w0 - first[0]) * factor, abs=1e-6)
    page.fill("#underlay-opacity", "30")
    page.dispatch_event("#underlay-opacity", "input")
    opacity = page.evaluate("window.camwatchEditor.state.underlay.options.opacity")
    assert opacity == pytest.approx(0.3)
    shot(page, "editor-7-underlay-desktop")
    # undo: delete a feature with the form, then undo brings it back
    n = page.evaluate("window.camwatchEditor.serialize().length")
    page.evaluate(
        "(() => { const e = window.camwatchEditor; e.state.layers.find(l => l.feature.properties.kind === 'building').fire('click'); })()"
    )
    page.wait_for_selector("#prop-form")
    page.click("#prop-form button[type=button]")
    assert page.evaluate("window.camwatchEditor.serialize().length") == n - 1
    page.click("#btn-undo")
    assert page.evaluate("window.camwatchEditor.serialize().length") == n
    assert page.is_disabled("#btn-undo")


def test_bad_file_and_image_source(page_for, live_server):
    base, _ = live_server
    page_for.allow.add("status of 400")  # the bad file, on purpose
    page = page_for("planner", width=1366, height=900)
    page.goto(f"{base}/compounds/new")
    page.fill("#new-code", "scan-court")
    page.set_input_files("#file-dxf", str(SCAN))  # a PNG is not a DXF drawing
    page.click("#btn-read")
    page.wait_for_selector("#draft-error:not(.hidden)")
    message = page.inner_text("#draft-error")
    assert message.startswith("文件未能读取") and "\n" not in message.strip()
    assert page.is_hidden("#check")
    shot(page, "editor-9-bad-file-desktop")
    # the scan: click the scale bar's two ends on the shown image, type 50 m
    page.check("input[name=source][value=image]")
    page.set_input_files("#file-image", str(SCAN))
    page.wait_for_selector("#scalebox:not(.hidden)")
    wait_until(page, lambda: page.evaluate("document.getElementById('scale-img').naturalWidth") > 0)
    k = page.evaluate(
        "(() => { const i = document.getElementById('scale-img');"
        " return i.getBoundingClientRect().width / i.naturalWidth; })()"
    )
    img = page.locator("#scale-img")
    img.click(position={"x": 90.4 * k, "y": 892.6 * k})
    img.click(position={"x": 290.3 * k, "y": 885.6 * k})
    page.fill("#scale-metres", "50")
    x2 = float(page.input_value("input[name=x2]"))
    assert x2 == pytest.approx(290.3, abs=1.5 / k)
    page.click("#btn-read")
    page.wait_for_selector("#draft-ok", timeout=60000)
    assert page.locator("#draftmap .leaflet-image-layer").count() == 1
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, "editor-10-image-draft-desktop")
    page.click("#btn-create")
    page.wait_for_url("**/editor", timeout=30000)
    page.wait_for_selector("#map[data-ready='1']", timeout=30000)
