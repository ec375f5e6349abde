"""Choosing a level ladder in the site file: errors, round trip, the CLI, the plan's legend."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner
from shapely.geometry import box

from camwatch.cli import cli
from camwatch.errors import SiteFormatError
from camwatch.geometry.coverage import analyze
from camwatch.model import SiteInfo, Zone
from camwatch.sitefile import dumps_site, parse_site, site_to_geojson
from tests.common import camera, site


def base(**site_member) -> dict:
    """A small site file (dict) with a zone and two cameras; ``site_member`` added to ``site``."""
    s = site(
        box(0, 0, 40, 30),
        buildings=[box(15, 10, 25, 20)],
        zones=[Zone("yard", box(5, 5, 12, 12), "square", "detection")],
        cameras=[camera("C1", 0.5, 0.5, heading_deg=45), camera("C2", 39, 29, heading_deg=225)],
    )
    data = site_to_geojson(s)
    data["site"].update(site_member)
    return set_zone(data, required_level=None)  # the ladder's default for a square


def set_zone(data: dict, **props) -> dict:
    for f in data["features"]:
        if f["properties"]["kind"] == "zone":
            f["properties"].update(props)
            if props.get("required_level") is None:
                f["properties"].pop("required_level", None)
    return data


@pytest.mark.parametrize(
    "data, message",
    [
        (base(levels="iec2099"), "levels must be one of dori, iec2025"),
        (base(levels=3), "levels must be one of dori, iec2025"),
        (
            set_zone(base(), required_level="discern"),
            "level 'discern' belongs to the iec2025 ladder, but the site uses the dori ladder",
        ),
        (
            set_zone(base(levels="iec2025"), required_level="identification"),
            "level 'identification' belongs to the dori ladder",
        ),
        (
            set_zone(base(levels="iec2025"), required_level="face"),
            "unknown required_level 'face' (expected one of: overview, outline",
        ),
        (
            base(levels="iec2025", target_height_m={"detection": 1.5}),
            "target_height_m: level 'detection' belongs to the dori ladder",
        ),
        (
            base(levels="iec2025", max_depression_deg={"bogus": 20}),
            "max_depression_deg: unknown level 'bogus'",
        ),
        ({**base(levels="dori"), "levels": "iec2025"}, "levels: the top-level member"),
        (set_zone(base(), required_level="identification"), None),  # degenerate: valid DORI
    ],
)
def test_ladder_errors_name_the_problem_and_exit_2(tmp_path, data, message):
    path = tmp_path / "s.geojson"
    path.write_text(json.dumps(data), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "camwatch", "analyze", str(path), "--json"],
        capture_output=True,
        text=True,
    )
    if message is None:
        assert proc.returncode == 0, proc.stderr
        return
    assert proc.returncode == 2 and proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:"), proc.stderr
    assert message in lines[0]


def test_zone_defaults_follow_the_ladder():
    data = base(levels="iec2025")
    set_zone(data, required_level=None, zone_type="parking")
    assert parse_site(data).zones[0].required_level == "discern"
    set_zone(data, zone_type="entrance")
    assert parse_site(data).zones[0].required_level == "characterise"
    set_zone(data, zone_type="square")
    assert parse_site(data).zones[0].required_level == "overview"
    data["site"].pop("levels")
    assert parse_site(data).zones[0].required_level == "detection"


def test_levels_round_trip_and_top_level_alias():
    data = set_zone(base(levels="iec2025"), required_level="discern")
    s = parse_site(data)
    assert s.info.levels == "iec2025" and s.info.ladder.key == "iec2025"
    assert parse_site(json.loads(dumps_site(s))) == s
    top = set_zone(base(), required_level="discern")
    top["levels"] = "iec2025"  # a top-level member is read as site.levels
    moved = parse_site(top)
    assert moved.info.levels == "iec2025" and "levels" not in moved.extra
    assert site_to_geojson(moved)["site"]["levels"] == "iec2025"
    assert "levels" not in site_to_geojson(moved)
    with pytest.raises(SiteFormatError, match="levels"):
        parse_site({**base(), "levels": "dori2"})


def test_analyze_text_names_the_ladder(tmp_path):
    path = tmp_path / "s.geojson"
    path.write_text(json.dumps(set_zone(base(levels="iec2025"), required_level="discern")))
    out = CliRunner().invoke(cli, ["analyze", str(path)])
    assert out.exit_code == 0, out.output
    assert "Coverage by IEC 62676-4:2025 level" in out.output
    assert "scrutinise" in out.output and "1500" in out.output and "discern" in out.output
    dori = tmp_path / "d.geojson"
    dori.write_text(json.dumps(base()))
    out = CliRunner().invoke(cli, ["analyze", str(dori)])
    assert "Coverage by DORI level" in out.output and "px/m" not in out.output


def test_render_level_must_be_of_the_sites_ladder(tmp_path):
    path = tmp_path / "s.geojson"
    path.write_text(json.dumps(base(levels="iec2025")))
    proc = subprocess.run(
        [sys.executable, "-m", "camwatch", "render", str(path), "-o", str(tmp_path / "p.png")]
        + ["--level", "detection"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2 and not (tmp_path / "p.png").exists()
    assert proc.stderr.startswith("error: --level: level 'detection' belongs to the dori ladder")


def legend_texts(s, analysis, lang: str) -> list[str]:
    from camwatch.render.plan import plan_figure

    fig = plan_figure(s, analysis, lang=lang)
    legends = [ax.get_legend() for ax in fig.axes if ax.get_legend() is not None]
    return [t.get_text() for leg in legends for t in leg.get_texts()]


@pytest.mark.parametrize(
    "model, lang, expected",
    [
        (
            "ground",
            "en",
            ["Coverage model: ground level · target height 0 m", "Detection  ≥25 px/m"],
        ),
        ("ground", "zh", ["覆盖模型: 地面 · 目标高度 0 m", "探测  ≥25 px/m"]),
        (
            "standing",
            "en",
            [
                "Coverage model: standing person",
                "Detection  ≥25 px/m · target height 1.8 m",
                "Identification  ≥250 px/m · target height 1.6 m",
            ],
        ),
        (
            "standing",
            "zh",
            [
                "覆盖模型: 站立人员",
                "探测  ≥25 px/m · 目标高度 1.8 m",
                "辨认  ≥250 px/m · 目标高度 1.6 m",
            ],
        ),
    ],
)
def test_legend_names_the_model_and_target_heights(model, lang, expected):
    s = parse_site(base(target_height_m={"detection": 1.8}, coverage_model=model), default_id="s")
    texts = legend_texts(s, analyze(s), lang)
    for text in expected:
        assert text in texts, (text, texts)
    if model == "ground":
        assert not any("1.6 m" in t or "1.8 m" in t for t in texts)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_legend_lists_the_2025_levels(lang):
    s = parse_site(base(levels="iec2025"), default_id="s")
    texts = legend_texts(s, analyze(s), lang)
    words = {"zh": ("概览", "分辨", "详查"), "en": ("Overview", "Discern", "Scrutinise")}[lang]
    height = {"zh": "目标高度", "en": "target height"}[lang]  # standing model: the default
    for word, px in zip(words, ("20", "80", "1500"), strict=True):
        assert f"{word}  ≥{px} px/m · {height} 1.6 m" in texts, texts
    assert not any(t.startswith(("Detection", "探测")) for t in texts)


def test_standards_check_zones_at_the_2025_levels(tmp_path):
    data = set_zone(base(levels="iec2025"), required_level="scrutinise")
    path = tmp_path / "s.geojson"
    path.write_text(json.dumps(data))
    out = CliRunner().invoke(cli, ["check", str(path), "--json"])
    assert out.exit_code == 0, out.output
    findings = json.loads(out.output)["findings"]
    zone = [f for f in findings if f["rule"] == "ZONE-LEVEL"]
    assert len(zone) == 1 and "scrutinise" in zone[0]["message"]["en"]
    assert "详查" in zone[0]["message"]["zh"]
    # the same site with the zone at the lowest level passes it
    path.write_text(json.dumps(set_zone(base(levels="iec2025"), required_level="overview")))
    out = CliRunner().invoke(cli, ["check", str(path), "--json"])
    assert out.exit_code == 0, out.output
    assert not [f for f in json.loads(out.output)["findings"] if f["rule"] == "ZONE-LEVEL"]


@pytest.mark.parametrize(
    "command", [["suggest"], ["report", "-o", "r.pdf"], ["import-site", "--db", "sqlite:///l.db"]]
)
def test_dori_only_consumers_refuse_clearly(tmp_path, command):
    path = tmp_path / "s.geojson"
    path.write_text(json.dumps(base(levels="iec2025")))
    if command[0] == "import-site":
        init = [sys.executable, "-m", "camwatch", "db", "init", "--db", "sqlite:///l.db"]
        subprocess.run(init, capture_output=True, check=True, cwd=tmp_path)
    argv = [
        command[0],
        str(path),
        *[str(tmp_path / a) if a.endswith(".pdf") else a for a in command[1:]],
    ]
    proc = subprocess.run(
        [sys.executable, "-m", "camwatch", *argv], capture_output=True, text=True, cwd=tmp_path
    )
    assert proc.returncode == 2, proc.stderr
    assert "supports only the DORI levels" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "r.pdf").exists()


def test_site_info_ladder_defaults():
    assert SiteInfo("x").ladder.key == "dori"
    info = SiteInfo("x", levels="iec2025", target_height_m=1.7)
    assert info.target_heights() == dict.fromkeys(info.ladder.names, 1.7)
    assert info.max_depressions()["characterise"] == 30.0
    assert info.max_depressions()["perceive"] is None
