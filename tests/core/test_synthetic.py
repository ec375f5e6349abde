"""bench.synthetic: generated compounds are deterministic, valid and as large as asked."""

from __future__ import annotations

import json
import math
from collections import Counter

import pytest
from shapely.geometry import Point

from bench.synthetic import SIZES, generate_compound, main
from camwatch.errors import UsageError
from camwatch.sitefile import parse_site, site_free_space


def obstacle_edges(site) -> int:
    return sum(
        len(p.exterior.coords) - 1 + sum(len(r.coords) - 1 for r in p.interiors)
        for p in site.opaque_polygons()
    )


@pytest.fixture(scope="module")
def large():
    data = generate_compound(n_buildings=60, n_cameras=200, seed=0)
    return data, parse_site(data)


def test_same_seed_same_compound_other_seed_other_compound():
    a = generate_compound(n_buildings=15, n_cameras=50, seed=3)
    assert json.dumps(a) == json.dumps(generate_compound(n_buildings=15, n_cameras=50, seed=3))
    assert a != generate_compound(n_buildings=15, n_cameras=50, seed=4)


@pytest.mark.parametrize("size", sorted(SIZES))
def test_sizes_parse_with_requested_counts(size):
    n_buildings, n_cameras = SIZES[size]
    site = parse_site(generate_compound(n_buildings=n_buildings, n_cameras=n_cameras, seed=1))
    assert len(site.buildings) == n_buildings
    assert len(site.cameras) == n_cameras
    assert sum(bool(b.polygon.interiors) for b in site.buildings) == 1  # one courtyard block


def test_large_compound_is_big_and_varied(large):
    _, site = large
    assert obstacle_edges(site) >= 300
    assert site.walls and site.obstacles and site.gates and site.intercoms and site.alarms
    assert {"entrance", "parking", "playground"} <= {z.zone_type for z in site.zones}
    assert {c.status for c in site.cameras} == {"active", "planned", "faulty", "offline"}
    assert any(c.hfov >= 360 for c in site.cameras)
    assert any(c.focal_mm is not None and c.sensor_width_mm is not None for c in site.cameras)
    assert any(
        abs(b.polygon.minimum_rotated_rectangle.area - b.polygon.area) > 1 for b in site.buildings
    )


def _on_outline(poly, p: Point) -> bool:
    return any(ring.distance(p) < 1e-3 for ring in (poly.exterior, *poly.interiors))


def test_cameras_on_facades_boundary_and_in_open_space(large):
    _, site = large
    free = site_free_space(site)
    where = Counter()
    for cam in site.cameras:
        p = Point(cam.position)
        assert site.boundary.distance(p) <= 0.05 and free.distance(p) <= 0.05, cam.id
        assert 2.5 <= cam.height_m <= 6.0
        if any(_on_outline(b.polygon, p) for b in site.buildings):
            where["facade"] += 1
        elif site.boundary.exterior.distance(p) < 1e-3:
            where["boundary"] += 1
        else:
            where["open"] += 1
    assert where["facade"] > where["boundary"] > 0 and where["open"] > 0


def test_wall_mounted_cameras_look_away_from_their_wall(large):
    """A point 1 m ahead of a facade or boundary camera, along its heading, is in free space."""
    _, site = large
    free = site_free_space(site)
    checked = 0
    for cam in site.cameras:
        p = Point(cam.position)
        on_wall = site.boundary.exterior.distance(p) < 1e-3 or any(
            _on_outline(b.polygon, p) for b in site.buildings
        )
        if not on_wall:
            continue
        h = math.radians(cam.heading_deg)
        ahead = Point(cam.position[0] + math.sin(h), cam.position[1] + math.cos(h))
        assert free.distance(ahead) < 1e-6, cam.id
        checked += 1
    assert checked >= 150


@pytest.mark.parametrize(
    "kwargs",
    [
        {"n_buildings": 0},
        {"n_buildings": 2.5},
        {"n_cameras": -1},
        {"size_m": 100.0},  # too small for 60 buildings
        {"size_m": float("nan")},
    ],
)
def test_bad_arguments_raise_usage_error(kwargs):
    with pytest.raises(UsageError):
        generate_compound(**kwargs)


def test_given_size_is_respected():
    data = generate_compound(n_buildings=15, n_cameras=10, seed=0, size_m=400.0)
    assert parse_site(data).boundary.bounds == (0.0, 0.0, 400.0, 400.0)


def test_cli_writes_a_file(tmp_path, capsys):
    out = tmp_path / "small.geojson"
    assert main(["--size", "small", "--seed", "2", "-o", str(out)]) == 0
    site = parse_site(json.loads(out.read_text(encoding="utf-8")))
    assert (len(site.buildings), len(site.cameras)) == SIZES["small"]
    assert main(["--size", "small", "--size-m", "50", "-o", str(tmp_path / "x.geojson")]) == 2
    assert "too small" in capsys.readouterr().err
    assert not (tmp_path / "x.geojson").exists()
