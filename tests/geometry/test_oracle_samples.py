"""Footprint areas on the realistic sample compounds agree with the independent footprint
oracle (tests/oracle.py: its own optics, sector and stand point, vertex-ray visibility) at
the tolerance the engine achieves (docs/coverage.md, "Accuracy")."""

from __future__ import annotations

from pathlib import Path

import pytest

from camwatch.geometry.footprint import camera_footprints
from camwatch.model import LEVELS
from camwatch.sitefile import load_site
from tests.oracle import oracle_footprints

SAMPLES = sorted((Path(__file__).parents[2] / "sample_sites").glob("*.geojson"))
REL_TOL = 5e-6  # measured worst on the samples: 1.3e-6


def _cases():
    for path in SAMPLES:
        for cam in load_site(path).cameras:
            yield pytest.param(path, cam.id, id=f"{path.stem}-{cam.id}")


@pytest.mark.slow
@pytest.mark.parametrize("path, camera_id", list(_cases()))
def test_sample_footprints_match_oracle(path, camera_id):
    s = load_site(path)
    space = s.free_space()
    cam = s.camera(camera_id)
    ours = camera_footprints(cam, space)
    ref = oracle_footprints(cam, space)
    for level in LEVELS:
        assert ours[level].area == pytest.approx(ref[level].area, rel=REL_TOL, abs=1e-6), level


def test_samples_include_facade_and_panoramic_cameras():
    kinds = set()
    for path in SAMPLES:
        s = load_site(path)
        space = s.free_space()
        for cam in s.cameras:
            kinds.add("panoramic" if cam.hfov >= 180 else "lens")
            if not space.contains(cam.point):
                kinds.add("facade")
    assert {"panoramic", "facade", "lens"} <= kinds
