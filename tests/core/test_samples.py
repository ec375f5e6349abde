"""The sample compounds in sample_sites/: they load, hold what they promise, and are current."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from shapely.geometry import Point

from camwatch.geometry.coverage import analyze
from camwatch.model import ZONE_TYPES
from camwatch.sitefile import load_site, site_free_space
from tests.common import moved_site

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_DIR = ROOT / "sample_sites"
NAMES = ("old_residential", "modern_gated", "urban_village")


@pytest.fixture(scope="module")
def samples():
    return {name: load_site(SAMPLE_DIR / f"{name}.geojson") for name in NAMES}


@pytest.fixture(scope="module")
def analyses(samples):
    return {name: analyze(site) for name, site in samples.items()}


def test_sample_files_are_the_generator_output():
    """sample_sites/ is what tools/make_samples.py writes (regenerate after editing it)."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "make_samples.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("name", NAMES)
def test_file_is_a_feature_collection_with_site_member(name):
    data = json.loads((SAMPLE_DIR / f"{name}.geojson").read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection"
    assert data["site"]["units"] == "m"
    assert {"id", "name", "district", "address"} <= set(data["site"])


@pytest.mark.parametrize("name", NAMES)
def test_cameras_stand_inside_and_in_free_space_with_real_optics(samples, name):
    site = samples[name]
    free = site_free_space(site)
    assert len({c.id for c in site.cameras}) == len(site.cameras)
    for cam in site.cameras:
        assert site.boundary.distance(Point(cam.position)) <= 0.05, cam.id
        assert free.distance(Point(cam.position)) <= 0.05, cam.id
        assert 2.5 <= cam.height_m <= 6.0, cam.id
        if cam.hfov < 180:
            assert 10 <= cam.tilt_deg <= 40, cam.id
            assert 20 <= cam.hfov <= 110, cam.id
        assert cam.resolution[0] in (1920, 2560, 3840, 4000), cam.id


def test_old_residential_promises(samples):
    site = samples["old_residential"]
    assert 6 <= len(site.buildings) <= 8
    assert len(site.gates) == 1
    assert 4 <= len(site.cameras) <= 6
    assert any(c.status == "faulty" for c in site.cameras)
    assert [z.zone_type for z in site.zones].count("bike_shed") == 2
    assert sum("shed" in (o.name or "") for o in site.obstacles) == 2
    assert site.intercoms and site.alarms and site.mounts


def test_modern_gated_promises(samples):
    site = samples["modern_gated"]
    types = Counter(z.zone_type for z in site.zones)
    assert len(site.buildings) == 8
    assert 25 <= len(site.cameras) <= 40
    assert sum(c.hfov >= 360 for c in site.cameras) >= 2
    assert types["entrance"] == 2 and types["perimeter"] >= 1 and types["parking"] >= 1
    assert {g.name for g in site.gates} >= {"南门 south gate", "北门 north gate"}
    beams = [a for a in site.alarms if a.alarm_type == "infrared_beam"]
    assert beams and all(a.geometry.geom_type == "LineString" for a in beams)
    assert all(a.geometry.distance(site.boundary.exterior) < 1e-6 for a in beams)
    assert any("guard kiosk" in (o.name or "") for o in site.obstacles)
    assert any("parking ramp" in (o.name or "") for o in site.obstacles)
    assert len(site.intercoms) == len(site.buildings)
    assert any(m.geometry.geom_type == "LineString" for m in site.mounts)
    assert {c.status for c in site.cameras} == {"active", "planned", "faulty", "offline"}
    assert len(site.boundary.exterior.coords) - 1 > 4  # not a plain rectangle


def test_urban_village_promises(samples):
    site = samples["urban_village"]
    assert 20 <= len(site.buildings) <= 40
    assert 8 <= len(site.cameras) <= 15
    assert any(b.polygon.interiors for b in site.buildings)  # the courtyard
    assert site.walls
    assert site.boundary.convex_hull.area > site.boundary.area * 1.02  # non-convex
    assert sum(g.access_control == "none" for g in site.gates) >= 2


def test_every_zone_type_appears_across_the_samples(samples):
    types = {z.zone_type for site in samples.values() for z in site.zones}
    assert types == set(ZONE_TYPES)


@pytest.mark.parametrize(
    "name, low, high",
    [("old_residential", 0.30, 0.60), ("modern_gated", 0.75, 0.95), ("urban_village", 0.40, 0.70)],
)
def test_coverage_is_plausible(analyses, name, low, high):
    result = analyses[name].to_dict()
    assert low <= result["levels"]["detection"]["ratio"] <= high
    assert len(result["blind_spots"]) >= 3
    assert not result["compliant"]  # every sample leaves work for the planners
    assert any(z["pass"] is False for z in result["zones"])


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize(
    "dx, dy, angle",
    [(500000.0, 3400000.0, 0.0), (0.0, 0.0, 17.0), (0.0, 0.0, 45.0), (0.0, 0.0, 90.0)],
    ids=["cgcs2000", "rot17", "rot45", "rot90"],
)
def test_blind_spots_do_not_depend_on_where_the_site_sits(analyses, samples, name, dx, dy, angle):
    """Same blind spots (ids, count, areas within 0.01 m², zones) after moving the site.

    Regression: old_residential moved by (500000, 3400000) had 7 spots instead of 5.
    """
    here = analyses[name]
    there = analyze(moved_site(samples[name], dx, dy, angle))
    assert [s.id for s in there.blind_spots] == [s.id for s in here.blind_spots]
    for a, b in zip(here.blind_spots, there.blind_spots, strict=True):
        assert abs(a.area_m2 - b.area_m2) <= 0.01, a.id
        assert a.zones == b.zones, a.id
        if angle == 0.0:  # label points (patrol stops) move with the site, to 1 mm
            assert abs(a.label_point[0] + dx - b.label_point[0]) <= 1e-3, a.id
            assert abs(a.label_point[1] + dy - b.label_point[1]) <= 1e-3, a.id
