"""Problems: list, filters, overdue, the full life cycle with history; inspections."""

from __future__ import annotations

import re
from datetime import date, timedelta

from tests.web.conftest import login


def _rows(page: str) -> list[str]:
    return re.findall(r'<tr class="(overdue|)">', page)


def test_list_overdue_in_red_and_filters(client, ids):
    login(client, "district")
    page = client.get("/problems/").get_data(as_text=True)
    assert "Gate camera faulty" in page and "Perimeter fence broken" in page
    assert _rows(page).count("overdue") == 1
    assert "逾期 3 天" in page
    only = client.get("/problems/?overdue=1").get_data(as_text=True)
    assert "Gate camera faulty" in only and "Bike shed unlit" not in only
    by_compound = client.get(f"/problems/?compound={ids['other_code']}").get_data(as_text=True)
    assert "Perimeter fence broken" in by_compound and "Gate camera faulty" not in by_compound
    by_source = client.get("/problems/?source=resident_report").get_data(as_text=True)
    assert "Bike shed unlit" in by_source and "Gate camera faulty" not in by_source
    assert client.get("/problems/?status=bogus").status_code == 400


def test_manager_sees_only_own_problems(client, ids):
    login(client, "manager")
    page = client.get("/problems/").get_data(as_text=True)
    assert "Gate camera faulty" in page and "Perimeter fence broken" not in page
    assert client.get(f"/problems/?compound={ids['other_code']}").status_code == 404


def test_life_cycle_open_fixed_reopened_verified(client, ids):
    pid = ids["overdue_problem"]
    login(client, "manager")  # the responsible side moves it along
    assert (
        client.post(
            f"/problems/{pid}/status", data={"status": "in_progress", "note": "ordered parts"}
        ).status_code
        == 302
    )
    client.post(f"/problems/{pid}/status", data={"status": "fixed", "note": "camera replaced"})
    page = client.get(f"/problems/{pid}").get_data(as_text=True)
    assert "已整改，待复查" in page and "camera replaced" in page
    assert "recheck-form" not in page  # managers do not re-check their own work
    login(client, "planner")
    new_deadline = (date.today() + timedelta(days=7)).isoformat()
    client.post(
        f"/problems/{pid}/recheck",
        data={"passed": "no", "result": "still blind at night", "new_deadline": new_deadline},
    )
    page = client.get(f"/problems/{pid}").get_data(as_text=True)
    assert "重新整改" in page and "still blind at night" in page
    login(client, "technician")
    client.post(f"/problems/{pid}/status", data={"status": "fixed", "note": "IR lamp added"})
    login(client, "planner")
    client.post(f"/problems/{pid}/recheck", data={"passed": "yes", "result": "works at night"})
    page = client.get(f"/problems/{pid}").get_data(as_text=True)
    assert "已核实" in page
    history = re.findall(r"<li><b>", page)
    assert len(history) == 6  # opened, in progress, fixed, reopened, fixed, verified
    # a verified problem accepts no more steps
    resp = client.post(
        f"/problems/{pid}/status", data={"status": "in_progress"}, follow_redirects=True
    )
    assert "status-form" not in resp.get_data(as_text=True)


def test_invalid_transition_and_recheck_messages(client, ids):
    login(client, "planner")
    pid = ids["own_problem"]
    resp = client.post(
        f"/problems/{pid}/recheck", data={"passed": "yes", "result": "ok"}, follow_redirects=True
    )
    # ledger errors are worded in the page language (zh here; docs/registry.md)
    assert "只有已整改的问题才能复查" in resp.get_data(as_text=True)
    client.post(f"/problems/{pid}/status", data={"status": "fixed"})
    resp = client.post(
        f"/problems/{pid}/recheck",
        data={"passed": "no", "result": "not done"},
        follow_redirects=True,
    )
    assert "复查不合格须给出新的整改期限" in resp.get_data(as_text=True)


def test_deadline_change_needs_reason(client, ids):
    login(client, "planner")
    pid = ids["own_problem"]
    later = (date.today() + timedelta(days=40)).isoformat()
    resp = client.post(f"/problems/{pid}/edit", data={"deadline": later}, follow_redirects=True)
    assert "修改整改期限须填写说明原因" in resp.get_data(as_text=True)
    client.post(
        f"/problems/{pid}/edit",
        data={"deadline": later, "note": "contractor delayed", "responsible_person": "Li"},
    )
    page = client.get(f"/problems/{pid}").get_data(as_text=True)
    assert "contractor delayed" in page and "Li" in page


def test_stale_problem_update_is_refused(client, ids):
    login(client, "technician")
    pid = ids["own_problem"]
    resp = client.post(
        f"/problems/{pid}/status",
        data={"status": "in_progress", "version": "99"},
        follow_redirects=True,
    )
    text = resp.get_data(as_text=True)
    assert "冲突：问题 #" in text  # the ledger's conflict, in the page language
    assert "整改中" not in re.sub(r"<option.*?</option>", "", text)


def test_new_problem_form(client, ids):
    login(client, "planner")
    page = client.get(f"/problems/new?compound={ids['own_code']}").get_data(as_text=True)
    assert f'<option selected value="{ids["own_code"]}">' in page
    past = (date.today() - timedelta(days=1)).isoformat()
    resp = client.post(
        "/problems/new",
        data={
            "compound": ids["own_code"],
            "description": "x",
            "source": "patrol",
            "deadline": past,
        },
    )
    assert resp.status_code == 400  # a deadline in the past is refused with a message
    resp = client.post(
        "/problems/new",
        data={
            "compound": ids["own_code"],
            "description": "Hedge blocks camera C3",
            "source": "patrol",
            "deadline": (date.today() + timedelta(days=3)).isoformat(),
            "responsible_unit": "Greening team",
        },
    )
    assert resp.status_code == 302
    assert "Hedge blocks camera C3" in client.get(resp.headers["Location"]).get_data(as_text=True)


def test_inspection_record(client, ids):
    login(client, "planner")
    page = client.get(f"/compounds/{ids['own']}/inspect").get_data(as_text=True)
    assert "ZONE-LEVEL" in page and "人行出入口门禁" in page  # rule results (test_inspections.py)
    fields = dict(re.findall(r'name="(token|digest)"[^>]*value="([^"]*)"', page))
    resp = client.post(
        f"/compounds/{ids['own']}/inspect",
        data={"confirm": "y", "notes": "spring check", **fields},
    )
    assert resp.status_code == 302
    record = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "spring check" in record
    listing = client.get("/inspections/").get_data(as_text=True)
    assert listing.count("/inspections/") >= 2
    assert (
        client.post(f"/compounds/{ids['own']}/inspect", data={}).status_code == 200
    )  # unconfirmed: nothing recorded


def test_overview_for_manager(client, ids):
    login(client, "manager")
    resp = client.get("/compounds/")
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/compounds/{ids['own']}")
    page = client.get(f"/compounds/{ids['own']}").get_data(as_text=True)
    for words in (
        "探测覆盖率",
        "盲区",
        "设备完好情况",
        "未整改问题",
        "Gate camera faulty",
        "平安小区检查清单",
    ):
        assert words in page
    assert 'class="overdue"' in page
    assert "删除此小区" not in page  # only admins delete


def test_district_dashboard(client, ids):
    login(client, "district")
    page = client.get("/district/").get_data(as_text=True)
    assert page.count("<svg") >= 2
    assert "目标 80 %" in page
    ranking = re.findall(r'<tr><td>(\d+)</td><td><a href="/compounds/(\d+)"', page)
    assert [r[0] for r in ranking] == ["1", "2", "3"]
    overdue = page[page.index('id="overdue"') :]
    assert (
        f"compound={ids['own_code']}" in overdue and f"compound={ids['other_code']}" not in overdue
    )
    filtered = client.get("/district/?district=nowhere").get_data(as_text=True)
    assert "0/0" in filtered
