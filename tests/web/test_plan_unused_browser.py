"""Browser: the plan tab lists the mount spots a plan could not use, folded under a count
after the accept button, ten of them and "… and N more", in the page's language."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from tests.web import test_browser as tb
from tests.web.test_browser import CHROMIUM, open_map, shot
from tests.web.test_plan_unused_mounts import _court

# the browser, the live server and the signed-in page of tests/web/test_browser.py
browser = tb.browser
live_server = tb.live_server
page_for = tb.page_for

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} not installed"),
]
SAID = {
    "zh": ("未使用的安装位置：13", "……另有 3 条", "位于 (16, 12)，不在可通行空间内"),
    "en": ("Mount spots not used: 13", "… and 3 more", "at (16, 12) is not in free space"),
}


@pytest.fixture(scope="module")
def court(live_server) -> int:
    """The tiny court with a usable mount and 13 inside its building, in the live ledger."""
    from camwatch.registry.db import make_engine, session_scope
    from camwatch.registry.models import Compound
    from camwatch.registry.site_import import import_site
    from camwatch.sitefile import parse_site

    _base, app = live_server
    site = _court(True)
    for i in range(12):
        xy = [16 + (i % 6), 12 + 2 * (i // 6)]
        site["features"].append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": xy},
                "properties": {"kind": "mount"},
            }  # fmt: skip
        )
    engine = make_engine(app.config["DATABASE_URL"])
    try:
        with session_scope(engine, actor="tests") as s:
            import_site(s, parse_site(site), actor="tests")
            return s.scalar(select(Compound.id).where(Compound.code == "mount-court"))
    finally:
        engine.dispose()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_plan_tab_folds_the_unused_mounts(page_for, live_server, court, lang):
    base, _ = live_server
    page = page_for("admin")
    page.click(f".langswitch button[value={lang}]")
    page.wait_for_load_state("networkidle")
    open_map(page, base, court)
    page.click("#tab-plan-btn")
    page.fill("#plan-form input[name=k]", "1")
    page.click("#plan-form button[type=submit]")
    page.wait_for_selector("#plan-unused summary", timeout=60000)
    head, more, remark = SAID[lang]
    assert page.inner_text("#plan-unused summary").strip() == head
    assert not page.locator("#plan-unused li").first.is_visible()  # folded
    page.click("#plan-unused summary")
    items = [t.strip() for t in page.locator("#plan-unused li").all_inner_texts()]
    assert len(items) == 11 and items[-1] == more
    assert any(t.endswith(remark) for t in items)
    shot(page, f"map-plan-unused-mounts-{lang}")
