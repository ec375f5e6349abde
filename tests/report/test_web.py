# ruff: noqa: F811 - the web fixtures are imported by name and used as parameters
"""Web downloads of the report and schedule: the compound's viewing rules, real files."""

from __future__ import annotations

import csv
import io

import pytest

from tests.report.conftest import pdf_text, squeeze
from tests.web.conftest import (  # noqa: F401 - fixtures used by name
    ROLES,
    ids,
    login,
    read_app,
    read_client,
    shared_cache,
    template_db,
)


def _pdf_text(data: bytes) -> str:
    import re

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return re.sub(r"[\s\x00]+", "", "".join(p.extract_text() for p in reader.pages))


@pytest.mark.slow
def test_manager_downloads_own_report_not_others(read_client, ids):
    login(read_client, "manager")
    own = read_client.get(f"/compounds/{ids['own']}/report.pdf?lang=en")
    assert own.status_code == 200 and own.mimetype == "application/pdf"
    disposition = own.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and "/" not in disposition.split("filename")[-1]
    text = _pdf_text(own.data)
    assert squeeze("CCTV coverage report") in text and "Prepared" in text and "manager" in text
    assert read_client.get(f"/compounds/{ids['other']}/report.pdf").status_code == 404
    assert read_client.get(f"/compounds/{ids['other']}/schedule.csv").status_code == 404


@pytest.mark.slow
def test_downloaded_report_carries_the_standards_check(read_client, ids, tmp_path):
    """The web's PDF has the findings `camwatch check` gives the same ledger compound."""
    import json

    from click.testing import CliRunner

    from camwatch.cli import cli

    login(read_client, "planner")
    page = read_client.get(f"/compounds/{ids['own']}")
    assert page.status_code == 200
    app = read_client.application
    with app.app_context():
        from camwatch.registry.models import Compound
        from web.db import db_session

        code = db_session().get(Compound, ids["own"]).code
    url = app.config["DATABASE_URL"]
    out = CliRunner().invoke(cli, ["check", code, "--json", "--db", url])
    assert out.exit_code == 0, out.output
    check = json.loads(out.output)
    assert check["findings"], "the sample compound has findings to show"
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(read_client.get(f"/compounds/{ids['own']}/report.pdf?lang=en").data)
    text = pdf_text(pdf)
    assert squeeze("Meets the standard: " + ("yes" if check["meets_standard"] else "no")) in text
    for rule in {f["rule"] for f in check["findings"]}:
        assert rule in text


@pytest.mark.parametrize("role", ROLES)
def test_every_role_that_sees_the_compound_gets_the_schedule(read_client, ids, role):
    login(read_client, role)
    res = read_client.get(f"/compounds/{ids['own']}/schedule.csv")
    assert res.status_code == 200 and res.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(res.data.decode("utf-8-sig"))))
    assert {r["compound"] for r in rows} == {ids["own_code"]}
    assert ids["own_cam_code"] in {r["code"] for r in rows}


def test_xlsx_and_bad_requests(read_client, ids):
    from openpyxl import load_workbook

    login(read_client, "district")
    res = read_client.get(f"/compounds/{ids['own']}/schedule.xlsx?lang=zh")
    assert res.status_code == 200
    book = load_workbook(io.BytesIO(res.data))
    assert book.worksheets[0].cell(1, 3).value == "编号"
    assert read_client.get(f"/compounds/{ids['own']}/schedule.txt").status_code == 404
    assert read_client.get(f"/compounds/{ids['own']}/schedule.csv?lang=fr").status_code == 400
    assert read_client.get("/compounds/999999/report.pdf").status_code == 404


def test_anonymous_is_sent_to_login(read_client, ids):
    res = read_client.get(f"/compounds/{ids['own']}/report.pdf")
    assert res.status_code == 302 and "/login" in res.headers["Location"]


def test_overview_links_to_the_downloads(read_client, ids):
    login(read_client, "planner")
    page = read_client.get(f"/compounds/{ids['own']}").get_data(as_text=True)
    assert f"/compounds/{ids['own']}/report.pdf" in page
    assert f"/compounds/{ids['own']}/schedule.xlsx" in page
    assert "小区评估报告" in page and "Compound report" not in page  # no English on Chinese pages


def test_district_downloads(read_client):
    login(read_client, "district")
    page = read_client.get("/district/").get_data(as_text=True)
    assert "/district/report.pdf" in page and "辖区报告" in page
    res = read_client.get("/district/report.csv")
    assert res.status_code == 200 and res.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(res.data.decode("utf-8-sig"))))
    assert [int(r["rank"]) for r in rows] == list(range(1, len(rows) + 1)) and rows
    pdf = read_client.get("/district/report.pdf?lang=en")
    assert pdf.status_code == 200 and "Districtreport" in _pdf_text(pdf.data)
    login(read_client, "manager")
    assert read_client.get("/district/report.csv").status_code == 403
