"""The core CLI commands: analyze and render (exit codes, JSON contract, nothing half-written)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner
from shapely.geometry import box

from camwatch.cli import cli
from camwatch.geometry.coverage import analyze
from camwatch.model import Zone
from camwatch.sitefile import dumps_site, load_site
from tests.common import camera, site


@pytest.fixture
def site_file(tmp_path):
    s = site(
        box(0, 0, 30, 30),
        buildings=[box(10, 10, 20, 20)],
        zones=[
            Zone("gate", box(0, 0, 5, 5), zone_type="entrance", required_level="identification")
        ],
        cameras=[
            camera("C1", 1, 1, heading_deg=45),
            camera("C2", 29, 29, heading_deg=225, status="faulty"),
            camera("C3", 29, 1, heading_deg=315, status="planned"),
        ],
    )
    path = tmp_path / "site.geojson"
    path.write_text(dumps_site(s), encoding="utf-8")
    return path


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_analyze_json_is_the_contract(site_file):
    result = run("analyze", site_file, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == analyze(load_site(site_file)).to_dict()


def test_include_planned_counts_planned(site_file):
    plain = json.loads(run("analyze", site_file, "--json").output)
    planned = json.loads(run("analyze", site_file, "--json", "--include-planned").output)
    assert planned["levels"]["detection"]["ratio"] > plain["levels"]["detection"]["ratio"]


def test_analyze_summary_names_uncounted_cameras(site_file):
    result = run("analyze", site_file)
    assert result.exit_code == 0
    assert "C2 (faulty)" in result.output and "FAIL" in result.output


@pytest.mark.parametrize(
    "content, message",
    [
        ("{not json", "JSON"),
        ('{"type": "FeatureCollection", "features": []}', "boundary"),
        ("", "JSON"),  # degenerate: an empty file
    ],
)
def test_bad_files_exit_2_with_one_line(tmp_path, content, message):
    bad = tmp_path / "bad.geojson"
    bad.write_text(content, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "camwatch", "analyze", str(bad), "--json"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and message in lines[0]
    assert "Traceback" not in proc.stderr


def test_missing_file_exit_2(tmp_path):
    result = run("analyze", tmp_path / "nope.geojson")
    assert result.exit_code == 2
    assert "no such file" in result.output


def test_unknown_option_exit_2(site_file):
    assert run("analyze", site_file, "--frobnicate").exit_code == 2


def test_render_bad_level_writes_nothing(site_file, tmp_path):
    out = tmp_path / "plan.png"
    result = run("render", site_file, "-o", out, "--level", "nope")
    assert result.exit_code == 2
    assert not out.exists()


def test_render_missing_folder_exit_2(site_file, tmp_path):
    result = run("render", site_file, "-o", tmp_path / "no" / "plan.png")
    assert result.exit_code == 2
    assert "does not exist" in result.output
