"""The inspection page in Chinese in a real browser, desktop and phone: record with notes.

Screenshots go to ``test-artifacts/`` (looked at by hand: docs/web.md).
"""

from __future__ import annotations

import pytest

from tests.web.test_browser import ARTIFACTS, browser, live_server, page_for  # noqa: F401

pytestmark = [pytest.mark.browser]


@pytest.mark.parametrize("width, height", [(1366, 900), (390, 844)])
def test_record_an_inspection_in_chinese(page_for, live_server, ids, width, height):  # noqa: F811
    base, _ = live_server
    page = page_for("planner", width=width, height=height)
    page.goto(f"{base}/compounds/{ids['own']}/inspect")
    page.wait_for_load_state("networkidle")
    assert page.locator("nav.tabs a.on").inner_text() == "检查验收"
    rows = page.locator("tr.rule-result")
    assert rows.count() > 3
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, overflow  # the table scrolls inside its card, the page does not
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"inspect-zh-{width}x{height}.png"), full_page=False)
    note = f"门禁已报修 {width}"
    page.locator("textarea[name='note:rule:GATE-ACCESS']").fill(note)
    page.locator("textarea[name='notes']").fill("总体良好")
    page.locator("input[name='confirm']").check()
    page.locator("#inspection-form button.primary").click()
    page.wait_for_load_state("networkidle")
    assert "/inspections/" in page.url
    assert page.locator("tr[data-key='rule:GATE-ACCESS']").inner_text().count(note) == 1
    assert "总体良好" in page.locator("p.remark").inner_text()
    recorded = page.url
    page.reload()  # reloading the record is a GET: still the same one
    page.wait_for_load_state("networkidle")
    assert page.url == recorded
    page.screenshot(path=str(ARTIFACTS / f"inspection-zh-{width}x{height}.png"), full_page=False)
