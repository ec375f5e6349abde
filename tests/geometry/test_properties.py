"""Property tests of the coverage engine on random compounds (hypothesis)."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from shapely import affinity
from shapely.geometry import LineString, Point, Polygon, box

from camwatch.geometry.coverage import analyze
from camwatch.geometry.footprint import camera_footprints
from camwatch.geometry.space import free_space
from camwatch.geometry.visibility import visibility_polygon
from camwatch.model import LEVELS, Camera, Site
from tests.common import moved_site, same_blind_spots, site
from tests.oracle import oracle_ground_limits, oracle_reach, oracle_sector, ray_visibility

# Example counts come from the hypothesis profile (tests/conftest.py: "dev" or "ci").
REL_TOL = 5e-6  # engine vs oracle, measured worst 7e-7 (docs/coverage.md, "Accuracy")

coord = st.floats(min_value=1.0, max_value=59.0, allow_nan=False).map(lambda v: round(v, 2))


@st.composite
def compounds(draw, max_buildings: int = 6, max_cameras: int = 4) -> Site:
    """A 60×40 m compound with random (possibly rotated, touching) buildings and cameras."""
    boundary = box(0, 0, 60, 40)
    buildings = []
    for _ in range(draw(st.integers(0, max_buildings))):
        x, y = draw(coord), draw(st.floats(1.0, 39.0).map(lambda v: round(v, 2)))
        w, h = draw(st.floats(2, 15)), draw(st.floats(2, 10))
        b = box(x, y, x + w, y + h)
        if draw(st.booleans()):
            b = affinity.rotate(b, draw(st.sampled_from([0, 15, 30, 45])), origin="centroid")
        b = b.intersection(boundary)
        if b.area > 1 and b.geom_type == "Polygon":
            buildings.append(b)
    s = site(boundary, buildings=buildings)
    space = free_space(s)
    cams = []
    for i in range(draw(st.integers(1, max_cameras))):
        pt = Point(draw(coord), draw(st.floats(0.5, 39.5)))
        if not space.covers(pt):
            continue
        cams.append(
            Camera(
                id=f"C{i}",
                position=(pt.x, pt.y),
                heading_deg=draw(st.floats(0, 359)),
                hfov_deg=draw(st.sampled_from([30, 60, 90, 110, 200, 360])),
                tilt_deg=draw(st.floats(5, 40)),
                height_m=draw(st.floats(2.5, 6)),
                resolution=draw(st.sampled_from([(1920, 1080), (2560, 1440), (3840, 2160)])),
            )
        )
    return site(boundary, buildings=buildings, cameras=cams)


@given(compounds())
def test_footprints_in_free_space_and_nested(s):
    assume(s.cameras)
    space = free_space(s)
    for cam in s.cameras:
        fp = camera_footprints(cam, space)
        for level in LEVELS:
            assert fp[level].difference(space).area < 1e-6
        for outer, inner in zip(LEVELS, LEVELS[1:], strict=False):
            assert fp[inner].difference(fp[outer]).area < 1e-6


@given(compounds(max_buildings=0))
def test_without_obstacles_footprint_is_sector_in_boundary(s):
    assume(s.cameras)
    for cam in s.cameras:
        near, _ = oracle_ground_limits(cam)
        fp = camera_footprints(cam, s.boundary)
        expected = oracle_sector(
            cam.position, cam.heading_deg, cam.hfov, near, oracle_reach(cam, "detection")
        )
        assert fp["detection"].symmetric_difference(expected.intersection(s.boundary)).area < 1e-6


@given(compounds(), st.integers(0, 1000))
def test_visibility_is_star_shaped(s, seed):
    import numpy as np

    space = free_space(s)
    rng = np.random.default_rng(seed)
    tolerant = space.buffer(1e-6)
    for cam in s.cameras:
        vis = visibility_polygon(cam.position, space)
        inner = vis.buffer(-1e-4)
        minx, miny, maxx, maxy = vis.bounds
        for x, y in zip(rng.uniform(minx, maxx, 40), rng.uniform(miny, maxy, 40), strict=True):
            if inner.contains(Point(x, y)):
                assert tolerant.covers(LineString([cam.position, (x, y)]))


@given(compounds(max_cameras=2))
def test_visibility_agrees_with_vertex_ray_oracle(s):
    assume(s.cameras)
    space = free_space(s)
    for cam in s.cameras:
        ours = visibility_polygon(cam.position, space).area
        oracle = ray_visibility(cam.position, space).area
        assert math.isclose(ours, oracle, rel_tol=REL_TOL, abs_tol=REL_TOL)


@given(compounds(), st.floats(1, 59), st.floats(1, 39), st.floats(0, 359))
def test_adding_a_camera_never_lowers_coverage(s, x, y, heading):
    assume(free_space(s).covers(Point(x, y)))
    before = analyze(s)
    extra = Camera(id="NEW", position=(x, y), heading_deg=heading)
    after = analyze(s.with_cameras([*s.cameras, extra]))
    for level in LEVELS:
        assert after.levels[level].covered_m2 >= before.levels[level].covered_m2 - 1e-6


@given(compounds(), st.floats(-1000, 1000), st.floats(-1000, 1000), st.floats(0, 360))
def test_translation_and_rotation_leave_areas_unchanged(s, dx, dy, angle):
    a = analyze(s)
    b = analyze(moved_site(s, dx, dy, angle))
    # free space is snap-rounded to 0.1 µm: a rotated outline moves by < 1e-4 m²
    assert math.isclose(a.monitored_area_m2, b.monitored_area_m2, rel_tol=1e-9, abs_tol=1e-4)
    for here, there in zip(a.cameras, b.cameras, strict=True):
        for level in LEVELS:  # no footprint vanishes (or changes) because of a move
            assert math.isclose(
                here.footprint_m2[level], there.footprint_m2[level], rel_tol=1e-4, abs_tol=1e-3
            ), (here.id, level)
    for level in LEVELS:
        # arcs are chorded at fixed bearings, so a rotated arc differs by < the chord error
        assert math.isclose(
            a.levels[level].covered_m2, b.levels[level].covered_m2, rel_tol=1e-4, abs_tol=1e-3
        )
    # Same blind spots: ids, count, areas within 0.01 m², zones (docs/coverage.md).
    assert same_blind_spots(a, b)


def test_a_far_rotated_building_blocks_the_same_when_the_site_turns():
    """Turned by 1°, the blind spot must not gain the 10 m² of a building."""
    tilted = Polygon(
        [
            (32.681121956838105, 3.52636509507958),
            (31.387026731325502, 8.355994226524919),
            (33.318888043161905, 8.873634904920413),
            (34.612983268674505, 4.044005773475073),
        ]
    )
    s = site(
        box(0, 0, 60, 40),
        buildings=[box(1, 1, 3, 3), tilted, box(1, 1, 3, 3)],
        cameras=[
            Camera(
                id="C0",
                position=(4.0, 25.0),
                heading_deg=72.0,
                hfov_deg=110,
                tilt_deg=5.0,
                height_m=3.0,
                resolution=(2560, 1440),
            )
        ],
    )
    # the example is in the ground model (found before the standing default)
    a = analyze(s, coverage_model="ground")
    b = analyze(moved_site(s, 0.0, 0.0, 1.0), coverage_model="ground")
    assert same_blind_spots(a, b)


def test_a_footprint_along_the_fence_stays_in_the_cover_when_the_site_turns():
    """The CI profile's example: turned by 189.9375° and moved, the camera's 207 m² footprint
    (which runs along the fence and a tilted building) was lost from the detection cover,
    because GEOS's floating intersection with free space returned points only."""
    tilted = Polygon(
        [
            (27.982233047033628, 22.989592359914347),
            (23.739592359914344, 27.23223304703363),
            (31.51776695296637, 35.01040764008565),
            (35.76040764008565, 30.76776695296637),
        ]
    )
    cam = Camera(id="C0", position=(32.94, 1.0), heading_deg=0.0, tilt_deg=5.0, hfov_deg=30)
    s = site(box(0, 0, 60, 40), buildings=[box(1, 1, 3, 3), tilted], cameras=[cam])
    # the example is in the ground model (found before the standing default)
    moved = moved_site(s, 0.0, 44.130859375, 189.9375)
    a, b = analyze(s, coverage_model="ground"), analyze(moved, coverage_model="ground")
    assert b.cameras[0].footprint_m2["detection"] == pytest.approx(206.957, abs=1e-3)
    for level in LEVELS:
        assert b.levels[level].covered_m2 == pytest.approx(a.levels[level].covered_m2, abs=1e-4)
    assert b.levels["detection"].covered_m2 == pytest.approx(206.957, abs=1e-3)
    assert same_blind_spots(a, b)
