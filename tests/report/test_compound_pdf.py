"""The compound report PDF read back: real text with the analysis's figures (both languages)."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from camwatch.geometry.coverage import analyze
from camwatch.report.content import compound_report
from camwatch.report.pdf import report_pdf
from camwatch.sitefile import load_site
from tests.report.conftest import SAMPLES, analyze_json, pdf_text, squeeze

LEVEL_ZH = {
    "detection": "探测",
    "observation": "观察",
    "recognition": "识别",
    "identification": "辨认",
}


def _figures(expected: dict) -> list[str]:
    """The analysis's figures as the report prints them (written here, not imported)."""
    out = [f"{expected['monitored_area_m2']:,.2f}"]
    for cov in expected["levels"].values():
        out += [f"{cov['covered_m2']:,.2f}", f"{cov['ratio'] * 100:.2f}%"]
    for zone in expected["zones"]:
        out += [f"{zone['area_m2']:,.2f}", f"{zone['covered_m2']:,.2f}"]
    for spot in expected["blind_spots"]:
        out += [spot["id"], f"{spot['area_m2']:,.2f}"]
    return out


@pytest.fixture(scope="module")
def modern_zh(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    from click.testing import CliRunner

    from camwatch.cli import cli

    site = SAMPLES / "modern_gated.geojson"
    out = tmp_path_factory.mktemp("pdf") / "report.pdf"
    result = CliRunner().invoke(
        cli, ["report", str(site), "-o", str(out), "--prepared-by", "某设计院"]
    )
    assert result.exit_code == 0, result.output
    return out, analyze_json(site)


def test_report_text_is_selectable_with_the_analysis_figures(modern_zh):
    path, expected = modern_zh
    text = pdf_text(path)
    assert path.read_bytes().startswith(b"%PDF")
    assert squeeze("锦绣华庭") in text
    for term in ("覆盖率", "盲区", "重点区域", "摄像机清单", "编制", "审核", "日期", "某设计院"):
        assert term in text, term
    for figure in _figures(expected):
        assert squeeze(figure) in text, figure
    for zone in expected["zones"]:
        assert squeeze(zone["name"]) in text
    for level in expected["levels"]:
        assert LEVEL_ZH[level] in text
    verdict = "不合规" if not expected["compliant"] else "合规"
    assert verdict in text


def test_poppler_extracts_clean_text(modern_zh):
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("poppler-utils (pdftotext) is not installed")
    out = subprocess.run([pdftotext, str(modern_zh[0]), "-"], capture_output=True, check=True)
    text = out.stdout.decode("utf-8")
    assert "锦绣华庭" in text and "视频监控覆盖评估报告" in text and "\x00" not in text


def test_report_has_the_plan_picture_and_several_pages(modern_zh):
    from pypdf import PdfReader

    reader = PdfReader(str(modern_zh[0]))
    assert len(reader.pages) >= 5
    images = [img for page in reader.pages for img in page.images]
    assert images, "the plan picture is missing"
    assert any(p.mediabox.width > p.mediabox.height for p in reader.pages)  # landscape plan


@pytest.mark.slow
@pytest.mark.parametrize("name", ["old_residential", "urban_village"])
def test_english_report_of_each_sample(run, tmp_path, name):
    site = SAMPLES / f"{name}.geojson"
    out = tmp_path / f"{name}.pdf"
    run("report", site, "-o", out, "--lang", "en", "--include-planned")
    text = pdf_text(out)
    expected = analyze_json(site, "--include-planned")
    for term in ("CCTV coverage report", "Blind spots", "Coverage", "Prepared", "Reviewed"):
        assert squeeze(term) in text, term
    for figure in _figures(expected):
        assert squeeze(figure) in text, figure
    assert "覆盖率" not in text  # no Chinese words of our own in an English report


def test_content_counts_planned_only_when_asked():
    site = load_site(SAMPLES / "old_residential.geojson")
    counted = compound_report(site, analyze(site, include_planned=True), lang="en")
    installed = compound_report(site, analyze(site), lang="en")
    assert "Planned cameras counted too" in counted.text()
    assert "Installed cameras only" in installed.text()
    assert counted.text() != installed.text()


@pytest.mark.slow
def test_suggestions_from_a_plan_file_are_listed(run, tmp_path):
    site = SAMPLES / "old_residential.geojson"
    plan = {
        "before": {"detection": 0.5},
        "after": {"detection": 0.6},
        "suggestions": [
            {"id": "P9", "position": [10, 20], "heading_deg": 45, "tilt_deg": 15,
             "height_m": 3, "hfov_deg": 90, "resolution": [1920, 1080], "gain_m2": 321.5}
        ],
    }  # fmt: skip
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(json.dumps(plan))
    out = tmp_path / "r.pdf"
    run("report", site, "-o", out, "--suggestions", plan_file, "--lang", "en")
    text = pdf_text(out)
    assert "Suggestedadditions(1)" in text
    assert "P9" in text and "321.50" in text and "50.00%→60.00%" in text


@pytest.mark.slow
def test_suggest_k_asks_the_planners(run, tmp_path):
    site = SAMPLES / "old_residential.geojson"
    out = tmp_path / "r.pdf"
    run("report", site, "-o", out, "--suggest", "2", "--lang", "en")
    assert "Suggestedadditions(2)" in pdf_text(out)


def test_pdf_builder_is_deterministic_in_content():
    site = load_site(SAMPLES / "old_residential.geojson")
    an = analyze(site)
    day = date(2026, 1, 2)
    a = compound_report(site, an, lang="zh", today=day)
    b = compound_report(site, an, lang="zh", today=day)
    assert a == b
    assert "2026-01-02" in a.text()
    data = report_pdf(a)
    assert data.startswith(b"%PDF") and len(data) > 10_000


@pytest.mark.slow
def test_ledger_compound_report_has_problems_and_inspection(run, ledger_url, tmp_path):
    run("problems", "from-analysis", "xingfu-li", "--deadline-days", "30", "--unit", "物业公司",
        "--db", ledger_url)  # fmt: skip
    inspected = run("inspect", "xingfu-li", "--db", ledger_url)
    out = tmp_path / "r.pdf"
    run("report", "xingfu-li", "-o", out, "--db", ledger_url)
    text = pdf_text(out)
    site = load_site(SAMPLES / "old_residential.geojson")
    expected = analyze(site).to_dict()
    for term in ("未整改问题", "最近一次检查", "物业公司", "待整改", "检查未通过"):
        assert term in text, term
    for spot in expected["blind_spots"]:  # analysis findings worded from their stored message
        cx, cy = spot["centroid"]
        worded = f"盲区 {spot['id']}：({cx:.1f}, {cy:.1f}) 附近 {spot['area_m2']:.1f} 平方米"
        assert squeeze(worded) in text, worded
    assert "notwatched" not in text  # the ledger's English wording is not shown
    score = inspected.output.split("score ")[1].split(" /")[0]
    assert f"{score}/100" in text
    for figure in _figures(expected):
        assert squeeze(figure) in text, figure


@pytest.mark.parametrize("lang, good, bad", [("zh", "达标", "不达标"), ("en", "Pass", "Fail")])
def test_zone_rows_say_pass_or_fail_as_analyze(lang, good, bad):
    from camwatch.report.blocks import Table

    path = SAMPLES / "modern_gated.geojson"
    expected = {z["name"]: z["pass"] for z in analyze_json(path)["zones"]}
    site = load_site(path)
    report = compound_report(site, analyze(site), lang=lang)
    zones = next(s for s in report.sections if s.title in ("重点区域", "Zones"))
    table = next(b for b in zones.blocks if isinstance(b, Table))
    shown = {row[0]: row[-1] for row in table.rows}
    assert shown == {name: good if ok else bad for name, ok in expected.items()}
    assert False in expected.values() and True in expected.values()


@pytest.mark.slow
def test_level_pictures_add_one_plan_page_per_level(run, tmp_path):
    from pypdf import PdfReader

    site = SAMPLES / "old_residential.geojson"
    plain, levels = tmp_path / "plain.pdf", tmp_path / "levels.pdf"
    run("report", site, "-o", plain)
    run("report", site, "-o", levels, "--level-pictures")
    n_plain, n_levels = len(PdfReader(str(plain)).pages), len(PdfReader(str(levels)).pages)
    assert n_levels == n_plain + 4
    text = pdf_text(levels)
    for zh in LEVEL_ZH.values():
        assert f"平面图·{zh}" in text


@pytest.mark.parametrize(
    "lang, cols, failed", [("zh", ("规则", "严重程度", "结果", "发现数"), "未通过"),
                           ("en", ("Rule", "Severity", "Result", "Findings"), "Failed")]
)  # fmt: skip
def test_an_inspection_of_rule_results_lists_rules_severity_and_findings(lang, cols, failed):
    from camwatch.report.blocks import Table
    from camwatch.report.facts import CheckItem, InspectionFact, LedgerFacts

    items = (
        CheckItem("rule:GATE-ACCESS", "GATE-ACCESS", False, 0, "", "GATE-ACCESS", "error", 2),
        CheckItem("rule:RETENTION", "RETENTION", True, 0, "", "RETENTION", "warning", 0),
        CheckItem("blind_spots", "blind_spots", True, 0, "", None, "warning", 0),
    )
    facts = LedgerFacts(
        "c", inspection=InspectionFact(date(2026, 11, 30), "王", 67.0, False, items)
    )
    site = load_site(SAMPLES / "modern_gated.geojson")
    report = compound_report(site, analyze(site), lang=lang, facts=facts)
    section = next(s for s in report.sections if s.title in ("最近一次检查", "Latest inspection"))
    table = next(b for b in section.blocks if isinstance(b, Table))
    assert table.columns == cols
    assert [r[0] for r in table.rows][:2] == ["GATE-ACCESS", "RETENTION"]
    assert table.rows[0][2:] == (failed, "2")
    assert table.rows[2][0] == ("无盲区" if lang == "zh" else "No blind spots")


@pytest.mark.parametrize(
    "lang, expected",
    [
        ("zh", "建议了 1 台摄像机（要求 3 台）：没有其他候选位置能增加覆盖"),
        ("en", "1 of 3 cameras suggested: no other candidate adds coverage"),
    ],
)
def test_a_plan_s_note_read_from_its_json_is_worded_in_the_report_s_language(lang, expected):
    """The plan JSON holds the note's English (docs/site-format.md §3); the report words it."""
    site = load_site(SAMPLES / "old_residential.geojson")
    plan = {
        "before": {"detection": 0.5},
        "after": {"detection": 0.6},
        "suggestions": [
            {"id": "P1", "position": [10, 20], "heading_deg": 45, "tilt_deg": 15,
             "height_m": 3, "hfov_deg": 90, "resolution": [1920, 1080], "gain_m2": 321.5}
        ],
        "note": "1 of 3 cameras suggested: no other candidate adds coverage",
    }  # fmt: skip
    text = compound_report(site, analyze(site), lang=lang, plan=plan).text()
    assert expected in text
    if lang == "zh":
        assert "cameras suggested" not in text
