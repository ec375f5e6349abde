"""Planning on a site of the IEC 62676-4:2025 ladder: its levels, its lowest level by default."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from click.testing import CliRunner
from shapely.geometry import box

from camwatch.cli import cli
from camwatch.errors import UsageError
from camwatch.geometry.coverage import analyze
from camwatch.model import SiteInfo, Zone
from camwatch.sitefile import dumps_site
from planners.demand import planning_level
from tests.common import camera, site

NAMES = ["overview", "outline", "discern", "perceive", "characterise", "validate", "scrutinise"]


def site_2025():
    s = site(
        box(0, 0, 40, 20),
        zones=[Zone("yard", box(30, 0, 40, 20), "square", "discern")],
        cameras=[camera("C1", 0.5, 0.5, heading_deg=45)],
    )
    return replace(s, info=SiteInfo("s", levels="iec2025"))


def test_planning_level_reads_the_ladder():
    result = analyze(site_2025())
    assert planning_level(result, "detection") == "overview"  # the default: the lowest level
    assert planning_level(result, "discern") == "discern"
    with pytest.raises(UsageError, match="belongs to the dori ladder"):
        planning_level(result, "identification")
    dori = analyze(replace(site_2025(), info=SiteInfo("s"), zones=()))
    assert planning_level(dori, "detection") == "detection"  # degenerate: DORI as before


def test_plan_json_lists_the_ladders_levels_and_reaches_after(tmp_path):
    path = tmp_path / "s.geojson"
    path.write_text(dumps_site(site_2025()), encoding="utf-8")
    out = CliRunner().invoke(cli, ["plan", str(path), "--add", "1", "--json"])
    assert out.exit_code == 0, out.output
    plan = json.loads(out.stdout)
    assert list(plan["before"]) == NAMES and list(plan["after"]) == NAMES
    assert plan["after"]["overview"] > plan["before"]["overview"]
    bad = CliRunner().invoke(cli, ["plan", str(path), "--add", "1", "--level", "recognition"])
    assert bad.exit_code == 2 and "belongs to the dori ladder" in bad.output
