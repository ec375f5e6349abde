"""Browser checks of the small things and the phone layout (docs/web.md "The map",
"Navigation, help and phones"): legend follows the layers, names on the map, suggested
vs planned icons, map-added devices planned by default, one-row phone header with a
menu, the scroll-sideways hint of wide tables."""

from __future__ import annotations

from tests.web import test_browser as tb
from tests.web.test_browser import open_map, shot, wait_until

# the browser fixtures of test_browser.py (a live waitress server, Debian's chromium)
browser = tb.browser
live_server = tb.live_server
page_for = tb.page_for
pytestmark = tb.pytestmark


def _legend_row(page, key: str):
    return page.locator(f".legend [data-layer='{key}']")


def test_legend_says_which_layers_are_hidden_and_toggles_them(page_for, live_server, ids):
    base, _ = live_server
    page = page_for("technician", width=1366, height=900)
    open_map(page, base, ids["own"])
    wait_until(
        page, lambda: page.locator(".legend [data-layer='cov_observation'].off").count() == 1
    )
    # detection and identification are shown, observation and recognition hidden by default
    assert "off" not in (_legend_row(page, "cov_detection").get_attribute("class") or "")
    assert "off" not in (_legend_row(page, "cov_identification").get_attribute("class") or "")
    for hidden in ("cov_observation", "cov_recognition"):
        assert "已隐藏" in _legend_row(page, hidden).inner_text()
    _legend_row(page, "cov_observation").click()
    wait_until(
        page,
        lambda: "off" not in (_legend_row(page, "cov_observation").get_attribute("class") or ""),
    )
    assert "已隐藏" not in _legend_row(page, "cov_observation").inner_text()
    # the layer control follows: its checkbox is now ticked
    page.hover(".leaflet-control-layers")
    box = page.locator(".leaflet-control-layers-overlays label", has_text="观察").locator("input")
    assert box.is_checked()
    # the expanded layer control lies over the legend until the pointer leaves it
    page.mouse.move(5, 300)
    wait_until(page, lambda: page.locator(".leaflet-control-layers-expanded").count() == 0)
    _legend_row(page, "cov_detection").click()
    wait_until(
        page, lambda: "off" in (_legend_row(page, "cov_detection").get_attribute("class") or "")
    )


def test_names_on_the_map_and_new_devices_planned(page_for, live_server, ids):
    base, _ = live_server
    page = page_for("technician", width=1366, height=900)
    open_map(page, base, ids["own"])
    wait_until(page, lambda: page.locator(".maplabel.ml-spot").count() > 0)
    assert page.locator(".maplabel.ml-building").count() > 0
    spot_ids = page.locator(".maplabel.ml-spot").all_inner_texts()
    assert all(t.startswith("B") for t in spot_ids)
    # zoomed far out the names give way (features narrower than their names)
    page.evaluate(
        "window.camwatch.map.setZoom(window.camwatch.map.getZoom() - 3, {animate: false})"
    )
    wait_until(page, lambda: page.locator(".maplabel.ml-building").count() == 0)
    # and come back when zoomed in again
    page.evaluate(
        "window.camwatch.map.setZoom(window.camwatch.map.getZoom() + 4, {animate: false})"
    )
    wait_until(page, lambda: page.locator(".maplabel.ml-building").count() > 0)
    # the add tools start on "planned"
    assert page.locator("#add-status").input_value() == "planned"
    shot(page, "polish-map-labels")


def test_phone_header_is_one_row_with_a_menu(page_for, live_server, ids):
    base, _ = live_server
    page = page_for("admin", width=390, height=844)
    page.goto(f"{base}/compounds/{ids['own']}/analysis")
    box = page.locator("header.topbar").bounding_box()
    assert box is not None and box["height"] < 64
    assert not page.locator("nav.mainnav").is_visible()
    page.click(".navtoggle")
    assert page.locator("nav.mainnav").is_visible()
    assert page.locator(".navtoggle").get_attribute("aria-expanded") == "true"
    # the wide zone table says it scrolls; the hint is in Chinese
    hint = page.locator(".tablewrap.overflows .scrollhint").first
    assert hint.is_visible() and "左右滑动" in hint.inner_text()
    shot(page, "polish-phone-analysis")


def test_no_scroll_hint_where_nothing_overflows(page_for, live_server, ids):
    base, _ = live_server
    page = page_for("admin", width=1366, height=900)
    page.goto(f"{base}/compounds/{ids['own']}/analysis")
    assert page.locator(".scrollhint:visible").count() == 0
    assert page.locator(".navtoggle").is_visible() is False
