"""In the browser: after a reload, the map shows a blind spot's open problem instead of the button."""

from __future__ import annotations

from tests.web.test_browser import (  # noqa: F401  (fixtures and the module's browser marks)
    browser,
    live_server,
    open_map,
    page_for,
    pytestmark,
    wait_until,
)

HELD = "#spot-list a.problem-held"
BUTTON = "#spot-list button.problem-new"


def test_map_shows_the_held_problem_after_a_reload(page_for, live_server, ids):  # noqa: F811
    base, _ = live_server
    page = page_for("planner")
    open_map(page, base, ids["own"])
    page.wait_for_load_state("networkidle")  # the held-problem look-up has answered
    held_before = page.locator(HELD).count()
    buttons_before = page.locator(BUTTON).count()
    assert buttons_before >= 1
    page.locator(BUTTON).first.click()
    page.locator("#spot-list a[href^='/problems/']").first.wait_for()
    page.reload()
    page.wait_for_selector("#map[data-ready='1']", timeout=30000)
    wait_until(page, lambda: page.locator(HELD).count() == held_before + 1)
    assert page.locator(BUTTON).count() == buttons_before - 1
    assert page.locator(HELD).first.inner_text().startswith("已列入问题清单 (#")
