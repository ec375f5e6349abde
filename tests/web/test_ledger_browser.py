"""In the browser: the ledger's filters and bulk status change, on a desktop and a phone.

Screenshots: ``test-artifacts/ledger-*.png``.
"""

from __future__ import annotations

import pytest

from tests.web.test_browser import (  # noqa: F401  (fixtures and the module's browser marks)
    browser,
    live_server,
    page_for,
    pytestmark,
    shot,
)

SIZES = {"desktop": (1366, 900), "phone": (390, 844)}


def codes(page) -> list[str]:
    return page.eval_on_selector_all(
        "#ledger-table tbody tr[data-code]", "rows => rows.map(r => r.dataset.code)"
    )


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_filter_and_bulk_status(page_for, live_server, ids, size):  # noqa: F811
    base, _app = live_server
    width, height = SIZES[size]
    page = page_for("technician", width=width, height=height)
    page.goto(f"{base}/ledger/")
    assert page.locator("nav.mainnav a.on").inner_text() == "台账"
    # filter: cameras of the manager's compound that are active
    page.select_option("select[name=kind]", "camera")
    page.select_option("select[name=status]", "active")
    page.select_option("select[name=compound]", ids["own_code"])
    page.click("#ledger-filters button.primary")
    page.wait_for_load_state("networkidle")
    listed = codes(page)
    assert len(listed) >= 3
    badges = page.locator("#ledger-table tbody .badge.active").count()
    assert badges == len(listed), "every listed device is active"
    assert page.locator("#ledger-table tbody tr").count() == len(listed)
    shot(page, f"ledger-{size}-filtered")
    if size == "phone":
        # the page itself does not scroll sideways; the table does, and says so
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1
        assert page.locator(".scrollhint").first.is_visible()
        wrap = page.locator(".ledger-wrap").first
        assert wrap.evaluate("w => w.scrollWidth > w.clientWidth")
        # no cell wraps one character per line: every cell but the name stays on one line,
        # and a name wraps only in a column at least 8 characters wide
        most_lines = page.eval_on_selector_all(
            "#ledger-table tr:nth-child(-n+10) > :not(.ledger-name)",
            """cells => Math.max(...cells.map(c => {
                const tops = [];
                const walk = document.createTreeWalker(c, NodeFilter.SHOW_TEXT);
                while (walk.nextNode()) {
                    if (!walk.currentNode.textContent.trim()) continue;
                    const r = document.createRange();
                    r.selectNodeContents(walk.currentNode);
                    for (const x of r.getClientRects()) tops.push(x.top);
                }
                tops.sort((a, b) => a - b);
                return tops.filter((t, i) => i === 0 || t - tops[i - 1] > 8).length;
            }))""",
        )
        assert most_lines == 1, most_lines
        narrowest = page.eval_on_selector_all(
            "#ledger-table td.ledger-name",
            "cells => Math.min(...cells.map(c => c.getBoundingClientRect().width))",
        )
        assert narrowest >= 120, narrowest
    else:
        assert not page.locator(".scrollhint").first.is_visible()
    # "select all" counts, then select two devices by hand
    page.check("#ledger-all")
    assert str(len(listed)) in page.inner_text("#ledger-picked")
    page.uncheck("#ledger-all")
    assert page.inner_text("#ledger-picked") == ""
    chosen = listed[:2]
    for code in chosen:
        page.check(f"#ledger-table tr[data-code='{code}'] input[name=device]")
    assert "2" in page.inner_text("#ledger-picked")
    page.select_option("#ledger-bulk select[name=status]", "faulty")
    page.fill("#ledger-bulk textarea[name=notes]", f"browser test {size}")
    page.click("#ledger-apply")
    page.wait_for_load_state("networkidle")
    assert "已将 2 台设备的状态改为故障并登记维护" in page.inner_text(".flashes")
    # the list kept its filters: the two are no longer active
    assert page.input_value("select[name=status]") == "active"
    assert codes(page) == [c for c in listed if c not in chosen]
    shot(page, f"ledger-{size}-after-bulk")
    # a reload repeats nothing
    page.reload()
    page.wait_for_load_state("networkidle")
    assert codes(page) == [c for c in listed if c not in chosen]
    # they are faulty, with the change in their maintenance history
    page.select_option("select[name=status]", "faulty")
    page.fill("input[name=q]", chosen[0])
    page.click("#ledger-filters button.primary")
    page.wait_for_load_state("networkidle")
    assert chosen[0] in codes(page)
    page.click(f"#ledger-table tr[data-code='{chosen[0]}'] a")
    page.wait_for_load_state("networkidle")
    history = page.inner_text("#maintenance-table")
    assert f"browser test {size}" in history and "正常" in history and "故障" in history
    shot(page, f"ledger-{size}-device-history")
