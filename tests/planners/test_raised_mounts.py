"""Raised mounting spots: in the standing model a camera may stand on something lower than
itself (docs/site-format.md §4), so the planners use mount spots on a wall or a kiosk roof
when every lens is higher than it; in the ground model they are left out as before."""

from __future__ import annotations

import json

import pytest
from shapely.geometry import LineString, Point, box

from camwatch.geometry.coverage import analyze
from camwatch.geometry.space import free_space
from camwatch.model import Building, Mount, Obstacle, Site, SiteInfo, Wall
from camwatch.sitefile import parse_site, site_to_geojson
from planners.lenses import Lens
from planners.mounts import headings_for, mount_points
from planners.plan import plan_cameras, site_with_suggestions
from planners.refine import valid_mount

WALL_X = 30.0


def _yards(model: str = "standing", mounts: tuple[Mount, ...] | None = None) -> Site:
    """Two 30 × 30 m yards split by a 0.4 m wall, 2.2 m high, along x = 30; a 2 m kiosk in
    the west yard and a 10 m building in the east one. The mounts: a line along the wall's
    centre (0.2 m from free space), a point on the kiosk's roof, one inside the building."""
    return Site(
        SiteInfo("yards", coverage_model=model),
        box(0, 0, 60, 30),
        buildings=(Building(box(40, 10, 50, 20), name="Block"),),
        obstacles=(Obstacle(box(10, 10, 14, 14), name="Kiosk", height_m=2.0),),
        walls=(Wall(LineString([(WALL_X, 0), (WALL_X, 30)]), thickness_m=0.4, name="Wall"),),
        mounts=mounts
        if mounts is not None
        else (
            Mount(LineString([(WALL_X, 2), (WALL_X, 28)]), name="wall top"),
            Mount(Point(12, 12), name="kiosk roof"),
            Mount(Point(45, 15), name="in the block"),
        ),
    )


@pytest.mark.parametrize(
    ("lowest", "raised_names", "skipped"),
    [
        (3.0, {"wall top", "kiosk roof"}, ["in the block"]),
        (2.1, {"kiosk roof"}, ["wall top", "in the block"]),  # the wall is 2.2 m high
        (2.0, set(), ["wall top", "kiosk roof", "in the block"]),  # as high as the kiosk
        (None, set(), ["wall top", "kiosk roof", "in the block"]),  # the ground model
    ],
)
def test_spots_on_what_is_lower_than_every_lens_are_raised(lowest, raised_names, skipped):
    site = _yards()
    mounts, remarks = mount_points(site, free_space(site), spacing=2.0, lowest=lowest)
    raised = [m for m in mounts if m.raised]
    assert {str(m.ref).split("'")[1] for m in raised} == raised_names
    assert all(m.stand == m.position for m in raised)  # the camera stands where it is mounted
    wall = [m for m in raised if m.position[0] == WALL_X]
    if "wall top" in raised_names:
        assert len(wall) == 14  # y = 2, 4, ..., 28 along the 26 m line
    assert [str(r).split("'")[1] for r in remarks] == skipped


def test_a_raised_spot_looks_both_ways():
    site = _yards()
    mounts, _ = mount_points(site, free_space(site), spacing=2.0, lowest=3.0)
    spot = next(m for m in mounts if m.raised and m.position == (WALL_X, 16.0))
    lens = Lens(hfov_deg=60.0)
    headings = headings_for(spot, lens, free_space(site), heading_step=15.0)
    assert any(45 <= h <= 135 for h in headings) and any(225 <= h <= 315 for h in headings)


def test_a_plan_for_two_yards_puts_both_cameras_on_the_wall_facing_each_yard():
    site = _yards(mounts=(Mount(LineString([(WALL_X, 2), (WALL_X, 28)]), name="wall top"),))
    result = plan_cameras(site, add=2, lens=Lens(hfov_deg=90.0, height_m=3.0))
    cams = [s.camera for s in result.suggestions]
    assert len(cams) == 2 and all(c.position[0] == WALL_X for c in cams)
    east = [c for c in cams if 0 < c.heading_deg < 180]
    assert len(east) == 1  # one faces each yard
    back = parse_site(json.loads(json.dumps(site_to_geojson(site_with_suggestions(site, result)))))
    assert analyze(back, include_planned=True).ratios() == result.after
    assert result.after["detection"] > 0.5


def test_the_ground_model_plans_nothing_on_the_wall():
    site = _yards("ground", mounts=(Mount(LineString([(WALL_X, 2), (WALL_X, 28)])),))
    result = plan_cameras(site, add=2, lens=Lens(hfov_deg=90.0, height_m=3.0))
    assert result.suggestions == [] and result.skipped_mounts


def test_refinement_may_slide_along_a_raised_line():
    site = _yards()
    space = free_space(site)
    on_wall = (WALL_X, 16.0)
    assert not valid_mount(site, space, on_wall)  # ground model: off free space
    assert valid_mount(site, space, on_wall, raised=3.0)
    assert not valid_mount(site, space, on_wall, raised=2.2)  # as high as the wall
    assert not valid_mount(site, space, (45.0, 15.0), raised=3.0)  # inside the 10 m block
