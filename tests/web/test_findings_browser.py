"""The findings tab in Chinese in a real browser, desktop and phone; "show on map" focuses.

Screenshots go to ``test-artifacts/`` (looked at by hand: docs/web.md).
"""

from __future__ import annotations

import pytest

from tests.web.test_browser import ARTIFACTS, browser, live_server, page_for  # noqa: F401

pytestmark = [pytest.mark.browser]


@pytest.mark.parametrize("width, height", [(1366, 900), (390, 844)])
def test_findings_tab_in_chinese(page_for, live_server, ids, width, height):  # noqa: F811
    base, _ = live_server
    page = page_for("planner", width=width, height=height)
    page.goto(f"{base}/compounds/{ids['own']}/findings")
    page.wait_for_load_state("networkidle")
    assert page.locator("nav.tabs a.on").inner_text() == "标准检查"
    assert page.locator("#verdict").is_visible()
    assert page.locator("li.finding").count() > 0
    # nothing wider than the screen
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, overflow
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"findings-zh-{width}x{height}.png"), full_page=False)
    # the first finding's map link opens the map fitted to its geometry
    page.locator("li.finding a.button").first.click()
    page.wait_for_selector("#map[data-focus='1']", timeout=15000)
    page.wait_for_selector("#map[data-ready='1']", timeout=30000)
    page.screenshot(path=str(ARTIFACTS / f"findings-focus-zh-{width}x{height}.png"))
