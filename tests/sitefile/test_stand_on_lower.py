"""A camera may stand inside the footprint of something lower than itself in the standing
model (docs/site-format.md §4: a pole on a wall, a camera on a kiosk roof); the loader
accepts exactly the positions where the engine keeps the camera in place."""

from __future__ import annotations

from typing import Any

import pytest

from camwatch.errors import SiteFormatError
from camwatch.geometry.heights import Scene, standing_stand_point
from camwatch.sitefile import parse_site


def _site(camera_xy: tuple[float, float], height: float, model: str | None) -> dict[str, Any]:
    def f(kind: str, geometry: dict[str, Any], **props: Any) -> dict[str, Any]:
        return {"type": "Feature", "geometry": geometry, "properties": {"kind": kind, **props}}

    def poly(x0: float, y0: float, x1: float, y1: float) -> dict[str, Any]:
        ring = [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]
        return {"type": "Polygon", "coordinates": [ring]}

    def line(*pts: tuple[float, float]) -> dict[str, Any]:
        return {"type": "LineString", "coordinates": [list(p) for p in pts]}

    site: dict[str, Any] = {"id": "lower", "units": "m"}
    if model is not None:
        site["coverage_model"] = model
    return {
        "type": "FeatureCollection",
        "site": site,
        "features": [
            f("boundary", poly(0, 0, 100, 100)),
            f("building", poly(10, 10, 30, 30), name="Block A"),  # 10 m (default)
            f("obstacle", poly(60, 10, 64, 14), name="Kiosk", height_m=2.5),
            f("wall", line((40, 60), (40, 90)), name="Garden wall", thickness_m=0.4),  # 2.2 m
            f(
                "wall",
                line((70, 60), (70, 90)),
                name="Railing",
                thickness_m=0.4,
                height_m=3.0,
                see_through=True,
            ),  # fmt: skip
            f(
                "camera",
                {"type": "Point", "coordinates": list(camera_xy)},
                id="C1",
                height_m=height,
                heading_deg=45,
                hfov_deg=90,
            ),  # fmt: skip
        ],
    }


ACCEPTED = [
    pytest.param((62.0, 12.0), 3.0, id="on the kiosk roof"),
    pytest.param((40.0, 75.0), 3.0, id="on the garden wall (0.2 m from free space)"),
    pytest.param((20.0, 20.0), 12.0, id="on the building's roof"),
    pytest.param((70.0, 75.0), 2.0, id="inside a see-through railing taller than itself"),
]
REFUSED = [
    pytest.param((62.0, 12.0), 2.5, "inside obstacle 'Kiosk'", id="as high as the kiosk"),
    pytest.param((40.0, 75.0), 2.0, "inside wall 'Garden wall'", id="below the wall's top"),
    pytest.param((20.0, 20.0), 3.0, "inside building 'Block A'", id="inside the building"),
]


@pytest.mark.parametrize(("xy", "height"), ACCEPTED)
@pytest.mark.parametrize("model", [None, "standing"])  # standing is the default
def test_a_camera_on_something_lower_is_accepted_and_stays_there(xy, height, model):
    site = parse_site(_site(xy, height, model))
    (camera,) = site.cameras
    assert camera.position == xy
    assert standing_stand_point(camera, Scene(site)) == xy  # the engine keeps it in place


@pytest.mark.parametrize(("xy", "height", "where"), REFUSED)
def test_a_camera_inside_something_as_high_is_refused(xy, height, where):
    with pytest.raises(SiteFormatError, match=where):
        parse_site(_site(xy, height, "standing"))


@pytest.mark.parametrize(("xy", "height"), ACCEPTED[:3])
def test_the_ground_model_keeps_cameras_in_free_space(xy, height):
    """The ground model has no heights to stand on: the v1 rule (0.05 m) holds."""
    with pytest.raises(SiteFormatError, match="m from free space"):
        parse_site(_site(xy, height, "ground"))


@pytest.mark.parametrize("level", ["detection", "recognition"])
def test_analysis_of_a_camera_on_the_kiosk_roof_agrees_with_brute_force(level):
    """Loader, then ``analyze``: the kiosk-roof camera's footprint against the independent
    3-D sampling of tests/oracle_heights.py (which lets a camera stand in a lower prism)."""
    from camwatch.geometry.coverage import analyze
    from tests.oracle_heights import seen_area

    data = _site((62.0, 12.0), 3.0, None)
    camera = data["features"][-1]["properties"]
    camera.update(heading_deg=200, tilt_deg=25, range_m=15.0)  # over the roof's edge
    site = parse_site(data)
    (result,) = analyze(site).cameras
    assert result.stand_point == (62.0, 12.0)
    want = seen_area(site.cameras[0], site, level, 1.6, None, cell=0.04)
    assert result.footprint_m2[level] == pytest.approx(want, rel=0.004)
    assert want > 20.0  # it sees past the kiosk it stands on
