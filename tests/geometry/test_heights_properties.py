"""Properties of the standing-person model (docs/site-format.md §4) and its file members."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from camwatch.cli import cli
from camwatch.geometry.coverage import analyze
from camwatch.geometry.footprint import sector
from camwatch.geometry.heights import Scene, standing_footprints, standing_stand_point
from camwatch.geometry.optics import standing_limits
from camwatch.geometry.visibility import visibility_polygon
from camwatch.model import LEVELS, Site
from camwatch.sitefile import dumps_site, load_site, parse_site
from tests.geometry.test_heights import DEPRESSIONS, TARGETS, compound

SAMPLES = sorted((Path(__file__).resolve().parents[2] / "sample_sites").glob("*.geojson"))


def _with_heights(site: Site, height: float) -> Site:
    return replace(
        site,
        buildings=tuple(replace(b, height_m=height) for b in site.buildings),
        obstacles=tuple(replace(o, height_m=height) for o in site.obstacles),
        walls=tuple(replace(w, height_m=height, see_through=False) for w in site.walls),
    )


@pytest.mark.parametrize("seed", [0, 4, 7])
def test_everything_below_the_target_is_no_obstacle(seed: int) -> None:
    """Obstacles lower than every target and camera hide nothing: the footprints are those
    of the bare compound, less the obstacles' own footprints (nobody stands in them)."""
    low = _with_heights(compound(seed), 0.5)
    bare = replace(low, buildings=(), obstacles=(), walls=())
    low_scene, bare_scene = Scene(low), Scene(bare)
    monitored = low.free_space()
    for cam in low.cameras:
        got = standing_footprints(cam, low_scene, TARGETS, DEPRESSIONS)
        want = standing_footprints(cam, bare_scene, TARGETS, DEPRESSIONS)
        for level in LEVELS:
            expected = want[level].intersection(monitored)
            assert got[level].symmetric_difference(expected).area <= 1e-6 * max(1.0, expected.area)


@pytest.mark.parametrize("seed", [1, 5, 8])
def test_everything_above_the_camera_is_the_ground_model_visibility(seed: int) -> None:
    """Obstacles higher than every camera block as in the ground model: the footprint is the
    ground-model visibility polygon within the annulus computed for the target height."""
    tall = _with_heights(compound(seed), 50.0)
    scene = Scene(tall)
    space = tall.free_space()
    for cam in tall.cameras:
        got = standing_footprints(cam, scene, TARGETS, DEPRESSIONS)
        origin = standing_stand_point(cam, scene)
        seen = visibility_polygon(origin, space)
        for level in LEVELS:
            near, far = standing_limits(cam, level, TARGETS[level], DEPRESSIONS.get(level))
            cone = sector(origin, cam.heading_deg, cam.hfov, near, far)
            expected = seen.intersection(cone)
            diff = got[level].symmetric_difference(expected).area
            assert diff <= 1e-6 * max(1.0, expected.area), (cam.id, level, diff)


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_ground_mode_is_todays_model_on_the_samples(path: Path) -> None:
    site = load_site(path)
    assert site.info.coverage_model is None  # the samples name no model: standing, the default
    ground = analyze(site, coverage_model="ground").to_dict()
    in_file = replace(site, info=replace(site.info, coverage_model="ground"))
    assert analyze(in_file).to_dict() == ground  # the file's member and the option agree
    assert "coverage_model" not in ground and "target_height_m" not in ground  # v1's §3 JSON
    assert analyze(site).to_dict() == analyze(site, coverage_model="standing").to_dict()
    assert analyze(site).to_dict()["levels"] != ground["levels"]


@pytest.mark.parametrize("path", SAMPLES[:1], ids=lambda p: p.stem)
def test_standing_json_and_cli_override(path: Path) -> None:
    runner = CliRunner()
    out = runner.invoke(cli, ["analyze", str(path), "--json", "--coverage-model", "standing"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["coverage_model"] == "standing"
    assert data["target_height_m"] == dict.fromkeys(LEVELS, 1.6)
    assert data == json.loads(runner.invoke(cli, ["analyze", str(path), "--json"]).output)
    ground = runner.invoke(cli, ["analyze", str(path), "--json", "--coverage-model", "ground"])
    assert json.loads(ground.output) == analyze(load_site(path), coverage_model="ground").to_dict()
    assert data["levels"] != json.loads(ground.output)["levels"]
    bad = runner.invoke(cli, ["analyze", str(path), "--coverage-model", "flying"])
    assert bad.exit_code == 2


def _doc(site_members: dict, wall: dict | None = None) -> dict:
    boundary = [[0, 0], [20, 0], [20, 20], [0, 20], [0, 0]]
    features = [
        {"type": "Feature", "properties": {"kind": "boundary"},
         "geometry": {"type": "Polygon", "coordinates": [boundary]}},
        {"type": "Feature", "properties": {"kind": "wall", **(wall or {})},
         "geometry": {"type": "LineString", "coordinates": [[2, 2], [8, 2]]}},
    ]  # fmt: skip
    return {"type": "FeatureCollection", "site": {"id": "h", **site_members}, "features": features}


def test_file_members_round_trip_and_drive_the_model() -> None:
    members = {
        "coverage_model": "standing",
        "target_height_m": {"identification": 1.7},
        "max_depression_deg": {"recognition": 45},
    }
    site = parse_site(_doc(members, {"height_m": 1.1, "see_through": True}))
    assert site.info.target_heights()["identification"] == 1.7
    assert site.info.target_heights()["detection"] == 1.6
    assert site.info.max_depressions() == {
        "detection": None,
        "observation": None,
        "recognition": 45.0,
        "identification": 30.0,
    }
    assert site.walls[0].height_m == 1.1 and site.walls[0].see_through
    again = parse_site(json.loads(dumps_site(site)))
    assert again == site
    assert analyze(site).coverage_model == "standing"
    assert analyze(site, coverage_model="ground").coverage_model == "ground"
    plain = parse_site(_doc({}))
    text = dumps_site(plain)
    assert "coverage_model" not in text and "see_through" not in text and "2.2" not in text
    assert plain.walls[0].height_m == 2.2 and analyze(plain).coverage_model == "standing"
    pinned = parse_site(_doc({"coverage_model": "ground"}))
    assert analyze(pinned).coverage_model == "ground" and "ground" in dumps_site(pinned)


@pytest.mark.parametrize(
    ("members", "wall", "message"),
    [
        ({"coverage_model": "flat"}, None, "coverage_model must be one of ground, standing"),
        ({"target_height_m": -1}, None, "target_height_m must be in [0, 100], got -1"),
        ({"target_height_m": {"face": 1.6}}, None, "unknown level 'face'"),
        ({"max_depression_deg": 30}, None, "max_depression_deg must be an object"),
        ({"max_depression_deg": {"identification": 95}}, None, "in (0, 90]"),
        ({}, {"height_m": 0}, "height_m must be in (0, 1000]"),
        ({}, {"see_through": "yes"}, "see_through must be true or false"),
    ],
)
def test_bad_members_are_named(members: dict, wall: dict | None, message: str) -> None:
    from camwatch.errors import SiteFormatError

    with pytest.raises(SiteFormatError) as err:
        parse_site(_doc(members, wall))
    assert message in str(err.value)
