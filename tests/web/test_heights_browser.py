"""Browser test of heights (docs/web.md, "Heights"): a planner sets the compound's model to
standing on the settings page, then toggles the map's compare switch and sees the ground
model's footprints with the coverage of both models — the numbers the server computes."""

from __future__ import annotations

from tests.web import test_browser as tb
from tests.web.test_browser import open_map, shot, wait_until

# the browser fixtures of test_browser.py (a live waitress server, Debian's chromium)
browser = tb.browser
live_server = tb.live_server
page_for = tb.page_for
pytestmark = tb.pytestmark


def _ratio_cells(page, selector: str) -> dict[str, str]:
    return {
        lv: page.inner_text(f"#level-table tr[data-level={lv}] {selector}")
        for lv in ("detection", "observation", "recognition", "identification")
    }


def _pct(r: float) -> str:
    return f"{r * 100:.1f} %"


def test_settings_then_the_compare_switch(page_for, live_server, ids):
    base, _app = live_server
    cid = ids["own"]
    page = page_for("planner")
    page.goto(f"{base}/compounds/{cid}/settings")
    page.select_option("#coverage_model", "standing")
    page.fill("input[name='target_height_m.identification']", "1.7")
    page.click("#settings-form button.primary")
    page.wait_for_load_state("networkidle")
    assert page.input_value("#coverage_model") == "standing"
    assert page.input_value("input[name='target_height_m.identification']") == "1.7"

    open_map(page, base, cid)
    label = page.inner_text("label:has(#opt-model)")
    assert "对比地面模型" in label
    assert page.locator("#level-table .compare-ratio").count() == 0
    standing = page.request.get(f"{base}/compounds/{cid}/coverage.json").json()
    assert standing["model"]["model"] == "standing"
    assert _ratio_cells(page, ".ratio") == {
        lv: _pct(r) for lv, r in standing["model"]["levels"].items()
    }

    page.check("#opt-model")
    wait_until(page, lambda: page.locator("#level-table .compare-ratio").count() == 4)
    ground = page.request.get(f"{base}/compounds/{cid}/coverage.json?model=ground").json()
    assert ground["model"]["model"] == "ground"
    assert ground["model"]["levels"] != standing["model"]["levels"]
    # drawn: the ground model; beside it: the compound's own (standing) numbers
    assert _ratio_cells(page, ".ratio") == {
        lv: _pct(r) for lv, r in ground["model"]["levels"].items()
    }
    assert _ratio_cells(page, ".compare-ratio") == {
        lv: _pct(r) for lv, r in standing["model"]["levels"].items()
    }
    assert page.get_attribute("#model-note", "data-model") == "ground"
    # problems are opened from the compound's own model only: no buttons while comparing
    assert page.locator("#coverage-summary .problem-new").count() == 0
    shot(page, "heights-compare-ground")

    page.uncheck("#opt-model")
    wait_until(page, lambda: page.locator("#level-table .compare-ratio").count() == 0)
    assert page.get_attribute("#model-note", "data-model") == "standing"
    assert page.locator("#coverage-summary .problem-new").count() > 0


def test_editor_sets_a_wall_see_through(page_for, live_server, ids):
    """The plan editor's wall form: a height and the see-through box, saved to the ledger."""
    base, app = live_server
    page = page_for("planner")
    page.goto(f"{base}/compounds/{ids['xingfu-li']}/editor")
    page.wait_for_selector("#map[data-ready='1']", timeout=30000)
    index = page.evaluate(
        "window.camwatchEditor.serialize().findIndex(f => f.properties.kind === 'wall')"
    )
    assert index >= 0
    page.evaluate(f"window.camwatchEditor.state.layers[{index}].fire('click')")
    page.wait_for_selector("#prop-form input[name=see_through]")
    assert page.get_attribute("#prop-form input[name=height_m]", "placeholder") == "2.2"
    assert "可透视" in page.inner_text("#prop-form")
    page.fill("#prop-form input[name=height_m]", "1.1")
    page.check("#prop-form input[name=see_through]")
    page.click("#prop-form button[type=submit]")
    wall = page.evaluate(f"window.camwatchEditor.serialize()[{index}]")
    assert wall["properties"]["see_through"] is True and wall["properties"]["height_m"] == 1.1
    page.click("#btn-save")
    page.wait_for_selector("#save-ok", timeout=60000)
    from camwatch.registry.compounds import get_compound
    from web.db import new_session

    s = new_session(app)
    try:
        walls = [
            f["properties"]
            for f in get_compound(s, "xingfu-li").plan_json["features"]
            if f["properties"]["kind"] == "wall"
        ]
    finally:
        s.close()
    assert {"see_through": True, "height_m": 1.1}.items() <= max(
        walls, key=lambda p: p.get("see_through", False)
    ).items()
