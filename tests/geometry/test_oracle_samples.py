"""Footprint areas on the realistic sample compounds agree with an independent
exact computation (vertex-ray visibility ∩ sector) within 0.5 % (docs/site-format.md §2)."""

from __future__ import annotations

from pathlib import Path

import pytest
from shapely.geometry import box

from camwatch.geometry.footprint import camera_footprints, sector
from camwatch.geometry.optics import ground_limits, is_panoramic, reach
from camwatch.geometry.space import free_space, stand_point
from camwatch.model import LEVELS
from camwatch.sitefile import load_site
from tests.oracle import ray_visibility

SAMPLES = sorted((Path(__file__).parents[2] / "sample_sites").glob("*.geojson"))


def _cases():
    for path in SAMPLES:
        s = load_site(path)
        space = free_space(s)
        # Every panoramic camera, every camera not strictly inside free space
        # (facade / boundary mounts), and a few others.
        chosen = [c for c in s.cameras if is_panoramic(c) or not space.contains(c.point)]
        chosen += [c for c in s.cameras if c not in chosen][:3]
        for cam in chosen[:8]:
            yield pytest.param(path, cam.id, id=f"{path.stem}-{cam.id}")


@pytest.mark.slow
@pytest.mark.parametrize("path, camera_id", list(_cases()))
def test_sample_footprints_match_oracle(path, camera_id):
    s = load_site(path)
    space = free_space(s)
    cam = s.camera(camera_id)
    ours = camera_footprints(cam, space)
    p = stand_point(cam.position, space)
    radius = reach(cam, "detection") + 1.0
    local = space.intersection(box(p[0] - radius, p[1] - radius, p[0] + radius, p[1] + radius))
    seen = ray_visibility(p, local)
    near, _ = ground_limits(cam)
    for level in LEVELS:
        exact = seen.intersection(sector(p, cam.heading_deg, cam.hfov, near, reach(cam, level)))
        assert ours[level].area == pytest.approx(exact.area, rel=5e-3, abs=0.5), level


def test_samples_include_facade_and_panoramic_cameras():
    kinds = set()
    for path in SAMPLES:
        s = load_site(path)
        space = free_space(s)
        for cam in s.cameras:
            kinds.add("panoramic" if is_panoramic(cam) else "lens")
            if not space.contains(cam.point):
                kinds.add("facade")
    assert {"panoramic", "facade", "lens"} <= kinds
