"""The district report: the dashboard's notion of meeting the standard, ranking, overdue items."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta

import pytest
from click.testing import CliRunner

from camwatch.cli import cli
from camwatch.registry.db import make_engine, session_scope
from camwatch.report.district import DistrictSummary, district_csv, district_report, district_rows
from camwatch.sitefile import load_site
from tests.report.conftest import SAMPLE_FILES, pdf_text


@pytest.fixture(scope="module")
def with_problems(ledger_url):
    runner = CliRunner()
    res = runner.invoke(
        cli,
        ["problems", "from-analysis", "xingfu-li", "--deadline-days", "3", "--unit", "物业",
         "--db", ledger_url],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    return ledger_url


def _rows(url, today):
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            return district_rows(session, district=None, today=today)
    finally:
        engine.dispose()


def test_rows_follow_the_ledger_checklist_and_check(with_problems):
    from camwatch.geometry.coverage import analyze
    from camwatch.registry.checklist import checklist
    from camwatch.registry.compounds import export_site

    today = date.today()
    rows = {r.code: r for r in _rows(with_problems, today)}
    assert set(rows) == {load_site(f).id for f in SAMPLE_FILES}
    engine = make_engine(with_problems)
    with session_scope(engine) as session:
        for code, row in rows.items():
            summary = analyze(export_site(session, code)).to_dict()
            items = checklist(session, code, summary, today=today)
            score = sum(i["weight"] for i in items if i["passed"])
            coverage_ok = next(i for i in items if i["key"] == "coverage")["passed"]
            assert row.score == score
            assert score >= 0 and coverage_ok in (True, False)
            # 达标 is `camwatch check`'s verdict (docs/standards.md), not the checklist's
            res = CliRunner().invoke(cli, ["check", code, "--json", "--db", with_problems])
            assert res.exit_code == 0, res.output
            assert row.meets == json.loads(res.output)["meets_standard"]
            assert row.detection == summary["levels"]["detection"]["ratio"]
    engine.dispose()
    xingfu = rows["xingfu-li"]
    assert xingfu.open_problems > 0 and xingfu.overdue == ()  # due in 3 days


def test_overdue_and_ranking_later(with_problems):
    later = date.today() + timedelta(days=10)
    rows = _rows(with_problems, later)
    summary = DistrictSummary.of(rows, target=0.8, district=None, today=later)
    scores = [r.score for r in summary.rows]
    assert scores == sorted(scores, reverse=True)
    xingfu = next(r for r in summary.rows if r.code == "xingfu-li")
    assert xingfu.overdue and all(days == 7 for _, _, _, days, _ in xingfu.overdue)
    expected_share = sum(r.meets for r in rows) / len(rows)
    assert summary.share == expected_share
    assert summary.reached == (expected_share >= 0.8)
    broken = {(r.code, b[0]) for r in rows for b in r.broken}
    for path in SAMPLE_FILES:
        site = load_site(path)
        down = {(site.id, c.id) for c in site.cameras if c.status in ("faulty", "offline")}
        assert down <= broken
    table = list(csv.DictReader(io.StringIO(district_csv(summary).decode("utf-8-sig"))))
    assert [t["code"] for t in table] == [r.code for r in summary.rows]
    assert [int(t["rank"]) for t in table] == list(range(1, len(rows) + 1))
    assert next(t for t in table if t["code"] == "xingfu-li")["overdue_problems"] == str(
        len(xingfu.overdue)
    )
    text = district_report(summary, lang="zh").text()
    assert "逾期整改" in text and "幸福里小区" in text
    # the analysis's problems are described in the report's language, not as stored
    assert "盲区" in text and "Blind spot" not in text
    english = district_report(summary, lang="en").text()
    assert "Blind spot" in english and "盲区" not in english


def test_empty_district_has_no_share():
    summary = DistrictSummary.of([], target=0.8, district="无", today=date(2026, 1, 1))
    assert summary.share is None and not summary.reached
    assert "无逾期整改事项。" in district_report(summary, lang="zh").text()


@pytest.mark.slow
def test_district_pdf_and_csv_commands(run, with_problems, tmp_path):
    pdf = tmp_path / "d.pdf"
    run("district", "report", "-o", pdf, "--db", with_problems)
    text = pdf_text(pdf)
    for term in (
        "辖区平安小区建设情况报告",
        "达标小区",
        "目标",
        "80.00%",
        "锦绣华庭",
        "故障/离线摄像机",
    ):
        assert term in text, term
    out = tmp_path / "d.csv"
    run("district", "report", "-o", out, "--db", with_problems, "--district", "老城区 Old Town")
    table = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert [t["code"] for t in table] == ["xingfu-li"]
