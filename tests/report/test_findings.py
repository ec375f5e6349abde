"""Standards findings in the compound report, read back with poppler against `camwatch check`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from camwatch.cli import cli
from tests.report.conftest import SAMPLES, pdf_text, squeeze

SEVERITY_HEAD = {"zh": {"error": "不达标项", "warning": "警告项", "info": "提示项"},
                 "en": {"error": "Errors", "warning": "Warnings", "info": "Notes"}}  # fmt: skip


def check_json(*args: str) -> dict:
    result = CliRunner().invoke(cli, ["check", *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def report(out: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["report", *args, "-o", str(out)])
    assert result.exit_code == 0, result.output
    return pdf_text(out)


def expected_meets(checked: dict, lang: str) -> str:
    """The cover line as docs/reports.md words it (written here from the check's JSON)."""
    if lang == "zh":
        return (
            f"是否达标{'是' if checked['meets_standard'] else '否'}(检查标准{checked['profile']})"
        )
    return f"Meetsthestandard{'yes' if checked['meets_standard'] else 'no'}(profile{checked['profile']})"


def assert_findings_in(text: str, checked: dict, lang: str) -> None:
    assert checked["findings"], "the sample should have findings to show"
    for f in checked["findings"]:
        for piece in (
            f["rule"],
            f["clause"],
            f["message"][lang],
            *f["features"],
            f["fix_zh" if lang == "zh" else "fix"],
        ):
            assert squeeze(piece) in text, (f["rule"], piece)
    for severity in {f["severity"] for f in checked["findings"]}:
        count = sum(1 for f in checked["findings"] if f["severity"] == severity)
        assert f"{SEVERITY_HEAD[lang][severity]}({count})" in text
    # grouped by severity: every error row comes before the first warning row
    errors = [f["rule"] for f in checked["findings"] if f["severity"] == "error"]
    warnings = [f["rule"] for f in checked["findings"] if f["severity"] == "warning"]
    if errors and warnings:
        head = text.index(SEVERITY_HEAD[lang]["warning"])
        assert text.index(SEVERITY_HEAD[lang]["error"]) < head
        assert text.rindex(errors[-1], 0, head) > 0


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_site_report_lists_the_checks_findings(tmp_path, lang):
    site = SAMPLES / "old_residential.geojson"
    checked = check_json(str(site))
    text = report(tmp_path / "r.pdf", str(site), "--lang", lang)
    assert_findings_in(text, checked, lang)
    assert expected_meets(checked, lang) in text
    assert text.count(expected_meets(checked, lang)) == 1  # on the cover only
    if lang == "zh":
        assert "标准符合性检查" in text and "依据条款" in text and "整改建议" in text


def test_meets_line_follows_the_sites_profile(tmp_path):
    """A profile the site passes gives 'yes'; the report runs the profile the site names."""
    profile = tmp_path / "mini.toml"
    profile.write_text('name = "mini"\n[rules.RETENTION]\nseverity = "error"\n', encoding="utf-8")
    data = json.loads((SAMPLES / "modern_gated.geojson").read_text(encoding="utf-8"))
    data["site"]["profile"] = "mini.toml"  # relative to the site file (docs/standards.md)
    site = tmp_path / "site.geojson"
    site.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    checked = check_json(str(site))
    assert checked["meets_standard"] is True and checked["profile"] == "mini"
    text = report(tmp_path / "r.pdf", str(site))
    assert expected_meets(checked, "zh") in text
    assert "未发现问题" in text and "不达标项" not in text


def test_ledger_compound_report_runs_the_ledger_check(tmp_path, ledger_url):
    """A compound's report is checked with the ledger's device facts, as `camwatch check` is."""
    code = "xingfu-li"
    checked = check_json(code, "--db", ledger_url)
    text = report(tmp_path / "r.pdf", code, "--db", ledger_url)
    assert_findings_in(text, checked, "zh")
    assert expected_meets(checked, "zh") in text


def test_findings_section_content_without_pdf():
    """The section's content (no PDF): one table per severity, most severe first."""
    from camwatch.geometry.coverage import analyze
    from camwatch.report.content import compound_report
    from camwatch.sitefile import load_site
    from camwatch.standards import check

    site = load_site(SAMPLES / "urban_village.geojson")
    standards = check(site)
    rep = compound_report(site, analyze(site), lang="en", standards=standards)
    section = next(s for s in rep.sections if s.title == "Standards findings")
    tables = [b for b in section.blocks if hasattr(b, "rows")]
    order = {"error": 0, "warning": 1, "info": 2}
    got = [row[0] for t in tables for row in t.rows]
    want = [f.rule for f in sorted(standards.findings, key=lambda f: order[f.severity])]
    assert got == want
    assert re.search(r"Meets the standard (yes|no) \(profile national\)", rep.text())
