"""Shared by the plan editor's browser tests: the signed-in page fixture and map helpers."""

from __future__ import annotations

import pytest

from tests.web.conftest import SAMPLE_SITES


@pytest.fixture
def page_for(browser, live_server):
    """As test_browser.py's ``page_for`` (signed in, zh-CN, no script errors at the end),
    except that a test may name failed-request messages it provokes: ``page_for.allow``."""
    base, _app = live_server
    contexts = []
    problems: list[str] = []

    def open_as(username: str, *, width: int = 1366, height: int = 900):
        ctx = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
        contexts.append(ctx)
        page = ctx.new_page()
        page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        page.on(
            "console",
            lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None,
        )
        page.goto(f"{base}/login")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", f"{username}-demo")
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        return page

    open_as.allow = set()  # type: ignore[attr-defined]
    yield open_as
    for ctx in contexts:
        ctx.close()
    allowed = open_as.allow  # type: ignore[attr-defined]
    assert [p for p in problems if not any(a in p for a in allowed)] == []


DXF = SAMPLE_SITES / "old_residential_plan.dxf"
SCAN = SAMPLE_SITES / "modern_gated_scan.png"
SIZES = {"desktop": (1366, 900), "phone": (390, 844)}


def _px(page, x: float, y: float) -> tuple[float, float]:
    return tuple(page.evaluate(f"window.camwatchEditor.screenPoint({x}, {y})"))


def _free_spot(page) -> tuple[float, float]:
    """The label point of the largest blind spot the editor shows."""
    page.wait_for_selector("#summary .sumline", timeout=30000)
    return tuple(
        page.evaluate(
            "(() => { let best = null; window.camwatchEditor.state.spots.eachLayer(l => {"
            " const b = l.getBounds(); const a = (b.getEast() - b.getWest()) * (b.getNorth() - b.getSouth());"
            " if (!best || a > best[0]) best = [a, l.feature.properties.label_point]; });"
            " return best[1]; })()"
        )
    )
