"""The ledger's own English lines inside free text (a retired device's notes line, the
note of a problem edit that came without one) are worded on the page in the reader's
language; what a person wrote stays as written (camwatch.registry.ledger_notes)."""

from __future__ import annotations

import html
from datetime import date

import pytest
from sqlalchemy import update

from camwatch.registry.models import Device, Problem, User
from tests.web.conftest import login
from web.db import new_session


def _set_language(app, language: str) -> None:
    s = new_session(app)
    try:
        s.execute(update(User).where(User.username == "admin").values(language=language))
        s.commit()
    finally:
        s.close()


def _version(app, model: type, row_id: int) -> int:
    s = new_session(app)
    try:
        return int(s.get(model, row_id).version)
    finally:
        s.close()


def _page(client, url: str) -> str:
    resp = client.get(url)
    assert resp.status_code == 200, url
    return html.unescape(resp.get_data(as_text=True))


@pytest.mark.parametrize(
    "language, retired, changed",
    [
        ("zh", "{day} 停用：moved to gate 2", "修改了责任单位、责任人"),
        ("en", "retired {day}: moved to gate 2", "changed responsible unit, responsible person"),
    ],
)
def test_ledger_lines_are_worded_for_the_reader(client, ids, language, retired, changed):
    app = client.application
    _set_language(app, language)
    login(client, "admin")
    dev, pid = ids["own_cam"], ids["own_problem"]
    client.post(
        f"/devices/{dev}/retire",
        data={"reason": "moved to gate 2", "version": str(_version(app, Device, dev))},
    )
    page = _page(client, f"/devices/{dev}")
    assert retired.format(day=date.today().isoformat()) in page
    if language == "zh":
        assert "retired 20" not in page
    client.post(
        f"/problems/{pid}/edit",
        data={
            "responsible_unit": "Estate office",
            "responsible_person": "Li",
            "version": str(_version(app, Problem, pid)),
        },
    )
    page = _page(client, f"/problems/{pid}")
    assert changed in page
    if language == "zh":
        assert "changed responsible" not in page
    # a person's note is shown as written
    client.post(
        f"/problems/{pid}/edit",
        data={
            "responsible_person": "Wang",
            "note": "changed my mind",
            "version": str(_version(app, Problem, pid)),
        },
    )
    assert "changed my mind" in _page(client, f"/problems/{pid}")


def test_a_standards_recheck_result_is_worded(client, ids):
    """As ``problems_from_findings`` stores it (tests/standards/test_from_findings.py)."""
    from camwatch.registry.ledger_notes import still_finds_result

    app = client.application
    s = new_session(app)
    try:
        s.execute(
            update(Problem)
            .where(Problem.id == ids["own_problem"])
            .values(
                recheck_date=date.today(),
                recheck_result=still_finds_result("national", "[GATE-FACE] no face capture"),
            )
        )
        s.commit()
    finally:
        s.close()
    login(client, "admin")  # a Chinese reader
    page = _page(client, f"/problems/{ids['own_problem']}")
    assert "标准检查（national）仍发现：[GATE-FACE] no face capture" in page
    assert "still finds" not in page
