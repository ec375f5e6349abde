"""Small things of the web view (docs/web.md): navigation, counts, zone requirement, help."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from camwatch.model import ZONE_PASS_RATIO
from camwatch.registry.compounds import compound_summary, live_and_down
from camwatch.registry.models import Compound

from .conftest import login


def _active_nav(html: str) -> list[str]:
    nav = html.split('<nav class="mainnav"', 1)[1].split("</nav>", 1)[0]
    return [h.rstrip("/") for h in re.findall(r"<a href=\"([^\"]+)\" class=\"on\"", nav)]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/compounds/{cid}/inspect", "/inspections"),
        ("/inspections/", "/inspections"),
        ("/problems/", "/problems"),
        ("/compounds/{cid}/findings", "/compounds"),
        ("/compounds/{cid}/analysis", "/compounds"),
        ("/compounds/", "/compounds"),
    ],
)
def test_one_top_tab_is_on_and_it_is_the_right_one(read_client, ids, path, expected):
    login(read_client, "admin")
    cid = ids["own"]
    page = read_client.get(path.format(cid=cid), follow_redirects=True)
    assert page.status_code == 200, path
    assert _active_nav(page.get_data(as_text=True)) == [expected]


def test_compound_cards_count_cameras_as_the_cli_does(read_client, read_app):
    """The card shows every non-retired camera and names faulty and offline apart."""
    from web.db import engine

    login(read_client, "admin")
    html = read_client.get("/compounds/", follow_redirects=True).get_data(as_text=True)
    from sqlalchemy.orm import Session

    with Session(engine(read_app)) as s:
        from datetime import date

        for c in s.scalars(select(Compound)):
            by = compound_summary(s, c, today=date.today())["devices"]["camera"]
            # an oracle apart from live_and_down: count the rows by hand
            live = sum(1 for d in c.devices if d.kind == "camera" and d.status != "retired")
            assert live_and_down(by)[0] == live
            card = html.split(f">{c.name or c.code}</a></h2>", 1)[1].split("</article>", 1)[0]
            shown = re.findall(r'title="[^"]*">[^<]*<b>(\d+)</b>', card)
            assert shown and int(shown[0]) == live
    assert "停运" not in html and " down<" not in html


def test_zone_tables_show_the_required_share(read_client, ids):
    login(read_client, "admin")
    cid = ids["own"]
    want = f"≥ {ZONE_PASS_RATIO * 100:.0f} %"
    for path in (f"/compounds/{cid}", f"/compounds/{cid}/analysis"):
        html = read_client.get(path).get_data(as_text=True)
        assert want in html, path
        assert 'class="help"' in html


def test_help_is_in_both_languages(read_client, ids):
    login(read_client, "admin")
    cid = ids["own"]
    zh = read_client.get(f"/compounds/{cid}/analysis").get_data(as_text=True)
    assert "DORI 等级与像素密度" in zh and "重点区域如何才算达标" in zh
    read_client.post("/language", data={"lang": "en", "next": "/"})
    en = read_client.get(f"/compounds/{cid}/analysis").get_data(as_text=True)
    assert "What DORI levels and px/m mean" in en and "What a zone needs to pass" in en
    read_client.post("/language", data={"lang": "zh", "next": "/"})


@pytest.mark.parametrize(
    ("table", "values"),
    [
        ("ZONE_TYPE_LABELS", "ZONE_TYPES"),
        ("LEVEL_LABELS", "LEVELS"),
        ("STATUS_LABELS", "DEVICE_STATUSES"),
        ("KIND_LABELS", "DEVICE_KINDS"),
        ("PROBLEM_STATUS_LABELS", "PROBLEM_STATUSES"),
        ("SOURCE_LABELS", "PROBLEM_SOURCES"),
        ("MAINTENANCE_LABELS", "MAINTENANCE_KINDS"),
        ("ACCESS_LABELS", "ACCESS_CONTROL_TYPES"),
        ("ALARM_LABELS", "ALARM_TYPES"),
    ],
)
def test_every_enumerated_value_has_a_label(table, values):
    """A value without a label is shown raw — English words on a Chinese page."""
    import camwatch.model
    import web.templating

    labels = getattr(web.templating, table)
    missing = [v for v in getattr(camwatch.model, values) if v not in labels]
    assert missing == []
