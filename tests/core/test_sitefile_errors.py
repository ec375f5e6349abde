"""Every invalid site input of docs/site-format.md §1–2 is rejected with a message naming the feature."""

from __future__ import annotations

import copy
import json
import math
import re
from collections.abc import Callable
from typing import Any

import pytest

from camwatch.errors import CamwatchError, SiteFormatError, ValueRangeError
from camwatch.sitefile import (
    check_camera_id_free,
    check_camera_placement,
    dumps_site,
    load_site,
    parse_camera,
    parse_feature,
    parse_site,
    save_site,
)


def _f(kind: str, geometry: dict[str, Any], **props: Any) -> dict[str, Any]:
    return {"type": "Feature", "properties": {"kind": kind, **props}, "geometry": geometry}


def _poly(*ring: tuple[float, float]) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": [[list(p) for p in ring]]}


def _pt(x: float, y: float) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [x, y]}


def _line(*pts: tuple[float, float]) -> dict[str, Any]:
    return {"type": "LineString", "coordinates": [list(p) for p in pts]}


def base_site() -> dict[str, Any]:
    """A valid site; the feature index of each kind is fixed (see comments)."""
    return {
        "type": "FeatureCollection",
        "site": {"id": "test-court", "name": "Test Court", "units": "m"},
        "features": [
            _f("boundary", _poly((0, 0), (100, 0), (100, 100), (0, 100))),  # 0
            _f("building", _poly((10, 10), (30, 10), (30, 30), (10, 30)), name="Block A"),  # 1
            _f("obstacle", _poly((60, 10), (64, 10), (64, 14), (60, 14)), name="Kiosk"),  # 2
            _f("wall", _line((40, 60), (40, 90)), name="Garden wall", thickness_m=0.3),  # 3
            _f(
                "zone",
                _poly((80, 80), (100, 80), (100, 100), (80, 100)),
                name="north gate",
                zone_type="entrance",
            ),  # 4
            _f("camera", _pt(50, 50), id="C1", heading_deg=45, hfov_deg=90),  # 5
            _f("gate", _pt(90, 100), id="G1", access_control="card"),  # 6
            _f("alarm", _line((0, 0), (100, 0)), id="A1", alarm_type="infrared_beam"),  # 7
            _f("intercom", _pt(30, 20), id="I1", building="Block A"),  # 8
            _f("mount", _line((0, 50), (0, 60)), name="west fence"),  # 9
        ],
    }


def _set(index: int, **props: Any) -> Callable[[dict[str, Any]], None]:
    def mutate(site: dict[str, Any]) -> None:
        site["features"][index]["properties"].update(props)

    return mutate


def _drop(index: int, key: str) -> Callable[[dict[str, Any]], None]:
    def mutate(site: dict[str, Any]) -> None:
        del site["features"][index]["properties"][key]

    return mutate


def _geom(index: int, geometry: Any) -> Callable[[dict[str, Any]], None]:
    def mutate(site: dict[str, Any]) -> None:
        site["features"][index]["geometry"] = geometry

    return mutate


def _add(feature: dict[str, Any]) -> Callable[[dict[str, Any]], None]:
    def mutate(site: dict[str, Any]) -> None:
        site["features"].append(feature)

    return mutate


def _nested(depth: int) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = [value]
    return value


def _site(**members: Any) -> Callable[[dict[str, Any]], None]:
    def mutate(site: dict[str, Any]) -> None:
        site["site"].update(members)

    return mutate


def _all(*mutators: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], None]:
    def mutate(site: dict[str, Any]) -> None:
        for m in mutators:
            m(site)

    return mutate


def _remove(index: int) -> Callable[[dict[str, Any]], None]:
    def mutate(site: dict[str, Any]) -> None:
        del site["features"][index]

    return mutate


CAM = "feature #5 (camera 'C1'): "
R = "resolution must be [width, height] in integer pixels, each in [160, 20000], got "
BOWTIE = _poly((10, 10), (30, 30), (30, 10), (10, 30))

# (id, mutation, expected message: exact string, or a regex when starting with "re:")
ERROR_CASES: list[tuple[str, Callable[[dict[str, Any]], None], str]] = [
    # kinds and the boundary
    (
        "unknown kind",
        _set(5, kind="tower"),
        "re:^feature #5: unknown kind 'tower' \\(expected one of: boundary, ",
    ),
    ("missing kind", _drop(5, "kind"), "feature #5: properties.kind is missing"),
    ("kind not a string", _set(5, kind=3), "re:^feature #5: unknown kind 3 "),
    ("missing boundary", _remove(0), "site has no boundary feature (exactly one is required)"),
    (
        "second boundary",
        _add(_f("boundary", _poly((0, 0), (5, 0), (5, 5)))),
        "feature #10 (boundary): second boundary (feature #0 is already the boundary; a site has exactly one)",
    ),
    # polygons
    (
        "self-intersecting building",
        _geom(1, BOWTIE),
        "feature #1 (building 'Block A'): polygon is self-intersecting (Self-intersection[20 20])",
    ),
    (
        "self-intersecting boundary",
        _geom(0, _poly((0, 0), (100, 100), (100, 0), (0, 100))),
        "re:^feature #0 \\(boundary\\): polygon is self-intersecting \\(Self-intersection",
    ),
    (
        "empty polygon",
        _geom(4, {"type": "Polygon", "coordinates": []}),
        "feature #4 (zone 'north gate'): polygon is empty",
    ),
    (
        "empty ring",
        _geom(2, {"type": "Polygon", "coordinates": [[]]}),
        "feature #2 (obstacle 'Kiosk'): polygon is empty",
    ),
    (
        "two distinct points",
        _geom(2, _poly((60, 10), (64, 10), (60, 10))),
        "feature #2 (obstacle 'Kiosk'): polygon has fewer than 3 distinct points",
    ),
    (
        "collinear polygon",
        _geom(2, _poly((60, 10), (62, 10), (64, 10))),
        "feature #2 (obstacle 'Kiosk'): polygon has zero area (its points are collinear)",
    ),
    (
        "hole in obstacle",
        _geom(
            2,
            {
                "type": "Polygon",
                "coordinates": [
                    [[60, 10], [64, 10], [64, 14], [60, 14]],
                    [[61, 11], [62, 11], [62, 12]],
                ],
            },
        ),
        "feature #2 (obstacle 'Kiosk'): an obstacle polygon cannot have holes (draw it as a building)",
    ),
    (
        "hole outside shell",
        _geom(
            1,
            {
                "type": "Polygon",
                "coordinates": [
                    [[10, 10], [30, 10], [30, 30], [10, 30]],
                    [[40, 40], [45, 40], [45, 45]],
                ],
            },
        ),
        "re:^feature #1 \\(building 'Block A'\\): polygon is invalid \\(Hole lies outside shell",
    ),
    (
        "hole with 2 points",
        _geom(
            1,
            {
                "type": "Polygon",
                "coordinates": [[[10, 10], [30, 10], [30, 30], [10, 30]], [[12, 12], [14, 12]]],
            },
        ),
        "feature #1 (building 'Block A'): hole 1 has fewer than 3 distinct points",
    ),
    (
        "rings not a list",
        _geom(1, {"type": "Polygon", "coordinates": 5}),
        "feature #1 (building 'Block A'): Polygon coordinates must be a list of rings, got 5",
    ),
    # coordinates
    ("nan coordinate", _geom(5, _pt(math.nan, 50)), CAM + "coordinate nan is not finite"),
    (
        "infinite coordinate",
        _geom(1, _poly((10, 10), (math.inf, 10), (30, 30))),
        "feature #1 (building 'Block A'): coordinate inf is not finite",
    ),
    (
        "huge coordinate",
        _geom(5, _pt(50, 2e7)),
        CAM + "coordinate 20000000.0 is out of range (|x|, |y| must be <= 1e7 m)",
    ),
    (
        "huge negative coordinate",
        _geom(3, _line((40, 60), (-1e7 - 1, 90))),
        "feature #3 (wall 'Garden wall'): coordinate -10000001.0 is out of range (|x|, |y| must be <= 1e7 m)",
    ),
    ("string coordinate", _geom(5, _pt("50", 50)), CAM + "coordinates must be numbers, got '50'"),
    ("bool coordinate", _geom(5, _pt(True, 50)), CAM + "coordinates must be numbers, got True"),
    ("null coordinate", _geom(5, _pt(None, 50)), CAM + "coordinates must be numbers, got None"),
    (
        "one-value position",
        _geom(5, {"type": "Point", "coordinates": [50]}),
        CAM + "a position must be [x, y], got [50]",
    ),
    # geometry types
    (
        "camera as line",
        _geom(5, _line((50, 50), (51, 51))),
        CAM + "geometry must be a Point, got 'LineString'",
    ),
    (
        "gate as polygon",
        _geom(6, _poly((90, 99), (91, 99), (91, 100))),
        "feature #6 (gate 'G1'): geometry must be a Point or LineString, got 'Polygon'",
    ),
    (
        "intercom as line",
        _geom(8, _line((30, 20), (30, 21))),
        "feature #8 (intercom 'I1'): geometry must be a Point, got 'LineString'",
    ),
    (
        "mount as polygon",
        _geom(9, _poly((0, 50), (1, 50), (1, 51))),
        "feature #9 (mount 'west fence'): geometry must be a Point or LineString, got 'Polygon'",
    ),
    (
        "wall as point",
        _geom(3, _pt(40, 60)),
        "feature #3 (wall 'Garden wall'): geometry must be a LineString, got 'Point'",
    ),
    (
        "building as point",
        _geom(1, _pt(10, 10)),
        "feature #1 (building 'Block A'): geometry must be a Polygon, got 'Point'",
    ),
    ("missing geometry", _geom(5, None), CAM + "geometry is missing (expected Point)"),
    (
        "geometry not an object",
        _geom(5, [50, 50]),
        CAM + "geometry must be a GeoJSON object, got [50, 50]",
    ),
    ("no coordinates", _geom(5, {"type": "Point"}), CAM + "Point geometry has no coordinates"),
    (
        "degenerate wall",
        _geom(3, _line((40, 60), (40, 60))),
        "feature #3 (wall 'Garden wall'): line needs at least 2 distinct points",
    ),
    (
        "degenerate alarm line",
        _geom(7, _line((0, 0))),
        "feature #7 (alarm 'A1'): line needs at least 2 distinct points",
    ),
    # camera placement
    (
        "camera outside boundary",
        _geom(5, _pt(50, -0.3)),
        CAM + "camera at (50, -0.3) is 0.30 m outside the boundary (allowed 0.05 m)",
    ),
    (
        "camera far outside",
        _geom(5, _pt(150, 50)),
        CAM + "camera at (150, 50) is 50.00 m outside the boundary (allowed 0.05 m)",
    ),
    (
        "camera inside building",
        _geom(5, _pt(20, 20)),
        CAM
        + "camera at (20, 20) is inside building 'Block A' (feature #1), 10.00 m from free space (allowed 0.05 m)",
    ),
    (
        "camera 0.1 m into building",
        _geom(5, _pt(30 - 0.1, 20)),
        CAM
        + "camera at (29.9, 20) is inside building 'Block A' (feature #1), 0.10 m from free space (allowed 0.05 m)",
    ),
    (
        "camera inside an obstacle as high as itself",
        _all(_geom(5, _pt(62, 12)), _set(5, height_m=2.0)),
        CAM
        + "camera at (62, 12) is inside obstacle 'Kiosk' (feature #2), 2.00 m from free space (allowed 0.05 m)",
    ),
    (
        "camera on a lower obstacle in the ground model",
        _all(_geom(5, _pt(62, 12)), _site(coverage_model="ground")),
        CAM
        + "camera at (62, 12) is inside obstacle 'Kiosk' (feature #2), 2.00 m from free space (allowed 0.05 m)",
    ),
    # camera ids
    (
        "duplicate camera id",
        _add(_f("camera", _pt(70, 70), id="C1")),
        "feature #10 (camera 'C1'): duplicate camera id 'C1' (also feature #5)",
    ),
    (
        "duplicate int/str id",
        lambda s: (_set(5, id=7)(s), _add(_f("camera", _pt(70, 70), id="7"))(s)),
        "feature #10 (camera '7'): duplicate camera id '7' (also feature #5)",
    ),
    ("missing camera id", _drop(5, "id"), "feature #5 (camera): id is required"),
    ("null camera id", _set(5, id=None), "feature #5 (camera): id is required"),
    (
        "bool camera id",
        _set(5, id=True),
        "feature #5 (camera): id must be a string or an integer, got True",
    ),
    (
        "float camera id",
        _set(5, id=1.5),
        "feature #5 (camera): id must be a string or an integer, got 1.5",
    ),
    ("empty camera id", _set(5, id="  "), "feature #5 (camera): id must not be empty"),
    # camera optics
    ("hfov 0", _set(5, hfov_deg=0), CAM + "hfov_deg must be in (0, 360], got 0"),
    ("hfov negative", _set(5, hfov_deg=-10.5), CAM + "hfov_deg must be in (0, 360], got -10.5"),
    ("hfov over 360", _set(5, hfov_deg=360.5), CAM + "hfov_deg must be in (0, 360], got 360.5"),
    (
        "hfov as string",
        _set(5, hfov_deg="90"),
        CAM + "hfov_deg must be a number in (0, 360], got '90'",
    ),
    (
        "focal without sensor",
        _set(5, focal_mm=4),
        CAM + "focal_mm given without sensor_width_mm (give both, or hfov_deg)",
    ),
    (
        "sensor without focal",
        _set(5, sensor_width_mm=5.37),
        CAM + "sensor_width_mm given without focal_mm (give both, or hfov_deg)",
    ),
    (
        "focal zero",
        _set(5, focal_mm=0, sensor_width_mm=5.37),
        CAM + "focal_mm must be in [0.5, 2000], got 0",
    ),
    (
        "sensor negative",
        _set(5, focal_mm=4, sensor_width_mm=-1),
        CAM + "sensor_width_mm must be in [0.5, 100], got -1",
    ),
    ("tilt over 90", _set(5, tilt_deg=91), CAM + "tilt_deg must be in [-90, 90], got 91"),
    ("tilt under -90", _set(5, tilt_deg=-90.1), CAM + "tilt_deg must be in [-90, 90], got -90.1"),
    ("height zero", _set(5, height_m=0), CAM + "height_m must be in [0.1, 100], got 0"),
    ("height negative", _set(5, height_m=-3), CAM + "height_m must be in [0.1, 100], got -3"),
    (
        "height as string",
        _set(5, height_m="3"),
        CAM + "height_m must be a number in [0.1, 100], got '3'",
    ),
    (
        "height as bool",
        _set(5, height_m=True),
        CAM + "height_m must be a number in [0.1, 100], got True",
    ),
    (
        "height infinite",
        _set(5, height_m=math.inf),
        CAM + "height_m must be in [0.1, 100], got inf",
    ),
    (
        "heading as string",
        _set(5, heading_deg="north"),
        CAM + "heading_deg must be a number, got 'north'",
    ),
    (
        "heading nan",
        _set(5, heading_deg=math.nan),
        CAM + "heading_deg must be a finite number, got nan",
    ),
    ("vfov 180", _set(5, vfov_deg=180), CAM + "vfov_deg must be in (0, 180), got 180"),
    ("vfov 0", _set(5, vfov_deg=0), CAM + "vfov_deg must be in (0, 180), got 0"),
    ("range zero", _set(5, range_m=0), CAM + "range_m must be in (0, 2000], got 0"),
    # physically sensible ranges (docs/ranges.md): one value must not take down an analysis
    (
        "focal 1e308",
        _set(5, focal_mm=1e308, sensor_width_mm=5.37),
        CAM + "focal_mm must be in [0.5, 2000], got 1e+308",
    ),
    (
        "focal 0.49",
        _set(5, focal_mm=0.49, sensor_width_mm=5),
        CAM + "focal_mm must be in [0.5, 2000], got 0.49",
    ),
    (
        "focal 2000.5",
        _set(5, focal_mm=2000.5, sensor_width_mm=5),
        CAM + "focal_mm must be in [0.5, 2000], got 2000.5",
    ),
    (
        "sensor 100.1",
        _set(5, focal_mm=4, sensor_width_mm=100.1),
        CAM + "sensor_width_mm must be in [0.5, 100], got 100.1",
    ),
    ("height 100.5", _set(5, height_m=100.5), CAM + "height_m must be in [0.1, 100], got 100.5"),
    ("height 0.05", _set(5, height_m=0.05), CAM + "height_m must be in [0.1, 100], got 0.05"),
    ("range 2001", _set(5, range_m=2001), CAM + "range_m must be in (0, 2000], got 2001"),
    ("range 1e308", _set(5, range_m=1e308), CAM + "range_m must be in (0, 2000], got 1e+308"),
    (
        "huge int focal",
        _set(5, focal_mm=10**400, sensor_width_mm=5),
        CAM + "focal_mm must be in [0.5, 2000], got <an integer of 1329 bits>",
    ),
    ("resolution 159", _set(5, resolution=[159, 1080]), CAM + R + "[159, 1080]"),
    ("resolution 20001", _set(5, resolution=[1920, 20001]), CAM + R + "[1920, 20001]"),
    (
        "tiny hfov",
        _set(5, hfov_deg=1e-300),
        CAM
        + "hfov_deg 1e-300 at 1920 px gives a detection distance of 4.4e+303 m, which must be at most 1e+07 m",
    ),
    # any value, kept or interpreted, must be writable JSON
    (
        "lone surrogate in a name",
        _set(5, name="cam \ud800"),
        CAM + "feature.properties.name: text 'cam \\ud800' is not valid Unicode (lone surrogate)",
    ),
    (
        "lone surrogate in a key",
        _set(5, **{"\udfff": 1}),
        CAM + "feature.properties: key '\\udfff' is not valid text",
    ),
    (
        "deeply nested extra",
        _set(5, note=_nested(34)),
        "re:^feature #5 \\(camera 'C1'\\): feature.properties.note(\\[0\\])+: nested more than 32 levels deep$",
    ),
    (
        "integer beyond 64 bits in an extra",
        _set(5, note=2**64),
        CAM + "feature.properties.note: integer 18446744073709551616 does not fit 64 bits",
    ),
    (
        "surrogate in the site member",
        _site(name="\ud800"),
        "site.name: text '\\ud800' is not valid Unicode (lone surrogate)",
    ),
    (
        "wall 10.5 m thick",
        _set(3, thickness_m=10.5),
        "feature #3 (wall 'Garden wall'): thickness_m must be in (0, 10], got 10.5",
    ),
    (
        "building 1001 m",
        _set(1, height_m=1001),
        "feature #1 (building 'Block A'): height_m must be in (0, 1000], got 1001",
    ),
    (
        "zone weight 1e7",
        _set(4, weight=1e7),
        "feature #4 (zone 'north gate'): weight must be in [0, 1e+06], got 10000000.0",
    ),
    (
        "resolution one value",
        _set(5, resolution=[1920]),
        CAM
        + "resolution must be [width, height] in integer pixels, each in [160, 20000], got [1920]",
    ),
    (
        "resolution zero",
        _set(5, resolution=[0, 1080]),
        CAM
        + "resolution must be [width, height] in integer pixels, each in [160, 20000], got [0, 1080]",
    ),
    (
        "resolution float",
        _set(5, resolution=[1920.0, 1080]),
        CAM
        + "resolution must be [width, height] in integer pixels, each in [160, 20000], got [1920.0, 1080]",
    ),
    (
        "resolution string",
        _set(5, resolution="1920x1080"),
        CAM
        + "resolution must be [width, height] in integer pixels, each in [160, 20000], got '1920x1080'",
    ),
    (
        "unknown status",
        _set(5, status="broken"),
        CAM + "unknown status 'broken' (expected one of: active, planned, faulty, offline)",
    ),
    (
        "status wrong case",
        _set(5, status="Active"),
        CAM + "unknown status 'Active' (expected one of: active, planned, faulty, offline)",
    ),
    ("camera name not text", _set(5, name=12), CAM + "name must be a string, got 12"),
    # zones
    (
        "duplicate zone name",
        _add(_f("zone", _poly((0, 0), (5, 0), (5, 5)), name="north gate")),
        "feature #10 (zone 'north gate'): duplicate zone name 'north gate' (also feature #5)".replace(
            "#5", "#4"
        ),
    ),
    ("zone without name", _drop(4, "name"), "feature #4 (zone): name is required"),
    ("zone with empty name", _set(4, name=""), "feature #4 (zone): name must not be empty"),
    (
        "unknown zone_type",
        _set(4, zone_type="garden"),
        "re:^feature #4 \\(zone 'north gate'\\): unknown zone_type 'garden' \\(expected one of: entrance, perimeter, ",
    ),
    (
        "unknown required_level",
        _set(4, required_level="face"),
        "feature #4 (zone 'north gate'): unknown required_level 'face' (expected one of: detection, observation, recognition, identification)",
    ),
    (
        "zone weight negative",
        _set(4, weight=-1),
        "feature #4 (zone 'north gate'): weight must be in [0, 1e+06], got -1",
    ),
    (
        "zone weight infinite",
        _set(4, weight=math.inf),
        "feature #4 (zone 'north gate'): weight must be in [0, 1e+06], got inf",
    ),
    # other kinds
    (
        "wall thickness zero",
        _set(3, thickness_m=0),
        "feature #3 (wall 'Garden wall'): thickness_m must be in (0, 10], got 0",
    ),
    (
        "building height zero",
        _set(1, height_m=0),
        "feature #1 (building 'Block A'): height_m must be in (0, 1000], got 0",
    ),
    (
        "obstacle height negative",
        _set(2, height_m=-2),
        "feature #2 (obstacle 'Kiosk'): height_m must be in (0, 1000], got -2",
    ),
    (
        "unknown access_control",
        _set(6, access_control="fingerprint"),
        "feature #6 (gate 'G1'): unknown access_control 'fingerprint' (expected one of: none, card, face, code, qr)",
    ),
    (
        "gate intercom not bool",
        _set(6, intercom="yes"),
        "feature #6 (gate 'G1'): intercom must be true or false, got 'yes'",
    ),
    (
        "unknown alarm_type",
        _set(7, alarm_type="laser"),
        "re:^feature #7 \\(alarm 'A1'\\): unknown alarm_type 'laser' \\(expected one of: infrared_beam, ",
    ),
    (
        "missing alarm_type",
        _drop(7, "alarm_type"),
        "re:^feature #7 \\(alarm 'A1'\\): alarm_type is required \\(one of: infrared_beam, ",
    ),
    (
        "duplicate gate id",
        _add(_f("gate", _pt(0, 10), id="G1")),
        "feature #10 (gate 'G1'): duplicate gate id 'G1' (also feature #6)",
    ),
    (
        "intercom building not text",
        _set(8, building=["Block A"]),
        "feature #8 (intercom 'I1'): building must be a string, got ['Block A']",
    ),
    # envelope and site member
    ("units feet", _site(units="ft"), "site: units must be \"m\" (local planar metres), got 'ft'"),
    (
        "site not an object",
        lambda s: s.update(site=["x"]),
        "site: the 'site' member must be an object, got ['x']",
    ),
    ("site id not text", _site(id=[1]), "site: id must be a non-empty string, got [1]"),
    (
        "feature not a Feature",
        lambda s: s["features"].__setitem__(5, {"type": "Point"}),
        "feature #5: not a GeoJSON Feature (type is 'Point')",
    ),
    (
        "feature not an object",
        lambda s: s["features"].__setitem__(5, 42),
        "feature #5: not a GeoJSON Feature object, got 42",
    ),
    (
        "properties not an object",
        lambda s: s["features"][5].__setitem__("properties", "camera"),
        "feature #5: properties must be an object, got 'camera'",
    ),
    (
        "features not a list",
        lambda s: s.__setitem__("features", {}),
        "'features' must be a list, got {}",
    ),
    (
        "not a FeatureCollection",
        lambda s: s.__setitem__("type", "Feature"),
        "not a GeoJSON FeatureCollection (type is 'Feature')",
    ),
]


@pytest.mark.parametrize("mutate, expected", [pytest.param(m, e, id=i) for i, m, e in ERROR_CASES])
def test_invalid_site_is_rejected_with_named_feature(
    mutate: Callable[[dict[str, Any]], None], expected: str
) -> None:
    data = base_site()
    mutate(data)
    with pytest.raises(SiteFormatError) as info:
        parse_site(data)
    message = str(info.value)
    if expected.startswith("re:"):
        assert re.search(expected[3:], message), message
    else:
        assert message == expected
    assert "\n" not in message


def test_base_site_is_valid() -> None:
    """The table above mutates a valid site: otherwise every row would fail for one reason."""
    site = parse_site(base_site())
    assert len(site.cameras) == 1 and site.cameras[0].index == 5


def test_error_carries_index_kind_and_ident() -> None:
    data = base_site()
    data["features"][5]["properties"]["tilt_deg"] = 120
    with pytest.raises(SiteFormatError) as info:
        parse_site(data)
    assert (info.value.index, info.value.kind, info.value.ident) == (5, "camera", "C1")
    assert isinstance(info.value, CamwatchError)


def test_first_error_in_file_order_wins() -> None:
    data = base_site()
    data["features"][1]["properties"]["height_m"] = -1
    data["features"][5]["properties"]["hfov_deg"] = 0
    with pytest.raises(SiteFormatError, match=r"^feature #1 "):
        parse_site(data)


def test_input_mapping_is_not_modified() -> None:
    data = base_site()
    data["features"][0]["geometry"] = _poly((0, 0), (100, 0), (100, 100), (0, 100))
    before = copy.deepcopy(data)
    parse_site(data)
    assert data == before


@pytest.mark.parametrize(
    "position",
    [
        pytest.param((30.0, 20.0), id="on facade"),
        pytest.param((30.0 - 0.04, 20.0), id="0.04 m inside building"),
        pytest.param((30.0 - 0.05, 20.0), id="exactly 0.05 m inside"),
        pytest.param((50.0, -0.05), id="exactly 0.05 m outside boundary"),
        pytest.param((100.03, 100.03), id="just outside a corner"),
        pytest.param((40.0, 75.0), id="on a wall centre line (0.15 m from free space)"),
    ],
)
def test_tolerated_camera_positions(position: tuple[float, float]) -> None:
    data = base_site()
    data["features"][3]["properties"]["thickness_m"] = 0.1
    data["features"][5]["geometry"] = _pt(*position)
    site = parse_site(data)
    assert site.cameras[0].position == position


def test_camera_in_boundary_hole_is_outside() -> None:
    data = base_site()
    data["features"][0]["geometry"]["coordinates"].append([[45, 45], [55, 45], [55, 55], [45, 55]])
    with pytest.raises(
        SiteFormatError, match=r"^feature #5 \(camera 'C1'\): .* 5.00 m outside the boundary"
    ):
        parse_site(data)


@pytest.mark.parametrize("over", [1e-10, 5e-10, 2e-9, 1e-6])
def test_camera_a_hair_beyond_the_tolerance_is_outside_not_in_an_obstacle(over: float) -> None:
    """Just over 0.05 m outside a slanted boundary edge: "outside the boundary", never "inside
    an obstacle" (free space is snapped to a grid, the boundary is not), and the distance has
    enough digits to show it exceeds 0.05 m."""
    import math as m

    angle = m.radians(51.2283487339991)
    c, s_ = m.cos(angle), m.sin(angle)
    corners = [(0.0, 0.0), (100.0, 0.0), (100.0, 100.0), (0.0, 100.0)]
    ring = [[x * c - y * s_, x * s_ + y * c] for x, y in corners]
    (x0, y0), (x1, y1) = ring[0], ring[1]
    # the outward normal of the first (bottom) edge, rotated
    nx, ny = s_, -c
    d = 0.05 + over
    data = base_site()
    data["features"] = [data["features"][0], data["features"][5]]
    data["features"][0]["geometry"] = {"type": "Polygon", "coordinates": [ring]}
    px, py = x0 + 0.4 * (x1 - x0) + nx * d, y0 + 0.4 * (y1 - y0) + ny * d
    data["features"][1]["geometry"] = _pt(px, py)
    try:
        parse_site(data)
    except SiteFormatError as exc:
        message = str(exc)
        assert "outside the boundary" in message and "obstacle" not in message, message
        shown = float(re.search(r"is ([0-9.e-]+) m outside", message).group(1))
        assert shown > 0.05, message
    else:  # within the 1e-9 m rounding allowance of the loader
        assert over < 1e-9


def test_site_entirely_blocked_has_no_free_space() -> None:
    data = base_site()
    data["features"][1]["geometry"] = _poly((-1, -1), (101, -1), (101, 101), (-1, 101))
    data["features"][5]["geometry"] = _pt(100, 50)
    with pytest.raises(SiteFormatError, match="no free space"):
        parse_site(data)


# -- per-feature parsers and checks for the registry ---------------------------------


def test_parse_camera_alone_names_index() -> None:
    with pytest.raises(SiteFormatError) as info:
        parse_camera({"kind": "camera", "id": "X9", "hfov_deg": 0}, _pt(1, 1), 12)
    assert str(info.value) == "feature #12 (camera 'X9'): hfov_deg must be in (0, 360], got 0"


def test_parse_camera_without_index() -> None:
    with pytest.raises(SiteFormatError) as info:
        parse_camera({"id": "X9", "tilt_deg": 100}, _pt(1, 1))
    assert str(info.value) == "camera 'X9': tilt_deg must be in [-90, 90], got 100"
    assert info.value.ident == "X9"


def test_parse_feature_rejects_unknown_kind() -> None:
    with pytest.raises(SiteFormatError, match=r"^feature #3: unknown kind 'lamp'"):
        parse_feature(_f("lamp", _pt(0, 0)), 3)


def test_check_camera_placement_for_a_new_camera() -> None:
    site = parse_site(base_site())
    inside = parse_camera({"id": "C9"}, _pt(20, 20))
    with pytest.raises(
        SiteFormatError,
        match=r"^camera 'C9': camera at \(20, 20\) is inside building 'Block A' \(feature #1\)",
    ):
        check_camera_placement(inside, site)
    ok = parse_camera({"id": "C9"}, _pt(10, 20))  # on the facade
    check_camera_placement(ok, site)


def test_check_camera_id_free() -> None:
    site = parse_site(base_site())
    with pytest.raises(SiteFormatError, match=r"duplicate camera id 'C1' \(also feature #5\)"):
        check_camera_id_free(parse_camera({"id": "C1"}, _pt(70, 70)), site)
    check_camera_id_free(parse_camera({"id": "C2"}, _pt(70, 70)), site)
    check_camera_id_free(site.cameras[0], site)  # a camera does not clash with itself


# -- files -------------------------------------------------------------------------------


def test_missing_file(tmp_path: Any) -> None:
    path = tmp_path / "nowhere.geojson"
    with pytest.raises(SiteFormatError, match=r"nowhere\.geojson: no such file"):
        load_site(path)


def test_directory_is_not_a_site(tmp_path: Any) -> None:
    with pytest.raises(SiteFormatError, match="is a directory"):
        load_site(tmp_path)


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param(
            '{"type": "FeatureCollection", ',
            r"bad\.geojson: invalid JSON: .* line 1 column",
            id="truncated",
        ),
        pytest.param(
            "", r"bad\.geojson: invalid JSON: Expecting value at line 1 column 1", id="empty file"
        ),
        pytest.param(
            '{"type": "FeatureCollection", "features": [NaN]}',
            r"bad\.geojson: invalid JSON: NaN is not valid JSON",
            id="NaN",
        ),
        pytest.param("[1, 2]", r"bad\.geojson: not a GeoJSON FeatureCollection", id="array"),
        pytest.param(
            '{"type": "Feature"}', r"bad\.geojson: not a GeoJSON FeatureCollection", id="feature"
        ),
        pytest.param(
            '{"features": []}', r"bad\.geojson: not a GeoJSON FeatureCollection", id="no type"
        ),
    ],
)
def test_bad_files(tmp_path: Any, text: str, expected: str) -> None:
    path = tmp_path / "bad.geojson"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SiteFormatError, match=expected):
        load_site(path)


def test_non_utf8_file(tmp_path: Any) -> None:
    path = tmp_path / "latin.geojson"
    path.write_bytes(b'{"type": "FeatureCollection", "site": {"name": "Caf\xe9"}}')
    with pytest.raises(SiteFormatError, match=r"latin\.geojson: not UTF-8 text"):
        load_site(path)


def test_unreadable_file(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "secret.geojson"
    path.write_text(json.dumps(base_site()), encoding="utf-8")

    def denied(self: Any, *args: Any, **kwargs: Any) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(type(path), "read_bytes", denied)
    with pytest.raises(
        SiteFormatError, match=r"secret\.geojson: cannot read \(Permission denied\)"
    ):
        load_site(path)


def test_camera_on_shared_edge_deep_inside_block() -> None:
    """Two touching buildings form one block; their shared edge is not a facade."""
    data = base_site()
    data["features"].append(
        _f("building", _poly((30, 10), (50, 10), (50, 30), (30, 30)), name="Block B")
    )
    data["features"][5]["geometry"] = _pt(30, 20)
    with pytest.raises(
        SiteFormatError,
        match=r"^feature #5 \(camera 'C1'\): camera at \(30, 20\) is inside building 'Block A' \(feature #1\), 10\.00 m from free space",
    ):
        parse_site(data)


def test_invalid_feature_in_file_names_feature(tmp_path: Any) -> None:
    data = base_site()
    data["features"][5]["properties"]["hfov_deg"] = 0
    path = tmp_path / "court.geojson"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(SiteFormatError, match=r"^feature #5 \(camera 'C1'\): hfov_deg must be in"):
        load_site(path)


def _invalid_site_object() -> Any:
    """A Site built in code with a camera the format forbids (0 hfov)."""
    import dataclasses

    site = parse_site(base_site())
    bad = dataclasses.replace(site.cameras[0], hfov_deg=0.0)
    return site.with_cameras([bad])


def test_save_invalid_site_writes_nothing(tmp_path: Any) -> None:
    target = tmp_path / "out.geojson"
    with pytest.raises(SiteFormatError, match=r"hfov_deg must be in \(0, 360\], got 0"):
        save_site(_invalid_site_object(), target)
    assert list(tmp_path.iterdir()) == []


def test_save_invalid_site_leaves_existing_file_alone(tmp_path: Any) -> None:
    target = tmp_path / "out.geojson"
    target.write_text("old contents", encoding="utf-8")
    with pytest.raises(SiteFormatError):
        save_site(_invalid_site_object(), target)
    assert target.read_text(encoding="utf-8") == "old contents"
    assert [p.name for p in tmp_path.iterdir()] == ["out.geojson"]


def test_save_unserialisable_extra_writes_nothing(tmp_path: Any) -> None:
    import dataclasses

    site = parse_site(base_site())
    site = dataclasses.replace(site, extra={"when": object()})
    with pytest.raises(SiteFormatError, match="cannot be written as JSON"):
        save_site(site, tmp_path / "out.geojson")
    with pytest.raises(SiteFormatError, match="cannot be written as JSON"):
        dumps_site(dataclasses.replace(site, extra={"nan": math.nan}))
    assert list(tmp_path.iterdir()) == []


def test_save_into_missing_directory(tmp_path: Any) -> None:
    site = parse_site(base_site())
    with pytest.raises(
        CamwatchError, match=r"cannot write .*out\.geojson: No such file or directory"
    ):
        save_site(site, tmp_path / "missing" / "out.geojson")
    assert list(tmp_path.iterdir()) == []


def test_extra_clashing_with_known_property_is_refused(tmp_path: Any) -> None:
    import dataclasses

    site = parse_site(base_site())
    cam = dataclasses.replace(site.cameras[0], extra={"hfov_deg": 30})
    with pytest.raises(
        SiteFormatError, match=r"^feature #5 \(camera 'C1'\): extra properties clash .*hfov_deg"
    ):
        save_site(site.with_cameras([cam]), tmp_path / "out.geojson")
    assert list(tmp_path.iterdir()) == []


# -- through the command line: exit 2, one line naming the feature, no stdout ------------


# In a file, NaN/Infinity are already invalid JSON and a non-collection is a file-level error.
_FILE_LEVEL = {
    "nan coordinate": r"re:bad\.geojson: invalid JSON: NaN is not valid JSON$",
    "infinite coordinate": r"re:bad\.geojson: invalid JSON: Infinity is not valid JSON$",
    "height infinite": r"re:bad\.geojson: invalid JSON: Infinity is not valid JSON$",
    "heading nan": r"re:bad\.geojson: invalid JSON: NaN is not valid JSON$",
    "zone weight infinite": r"re:bad\.geojson: invalid JSON: Infinity is not valid JSON$",
    "not a FeatureCollection": r"re:bad\.geojson: not a GeoJSON FeatureCollection$",
}


@pytest.mark.parametrize(
    "mutate, expected", [pytest.param(m, _FILE_LEVEL.get(i, e), id=i) for i, m, e in ERROR_CASES]
)
def test_cli_analyze_rejects_invalid_site(
    tmp_path: Any, mutate: Callable[[dict[str, Any]], None], expected: str
) -> None:
    from click.testing import CliRunner

    from camwatch.cli import cli

    data = base_site()
    mutate(data)
    path = tmp_path / "bad.geojson"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = CliRunner().invoke(cli, ["analyze", str(path), "--json"])
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
    message = lines[0].removeprefix("error: ")
    if expected.startswith("re:"):
        assert re.search(expected[3:], message), message
    else:
        assert message == expected


# -- every numeric property's range (docs/ranges.md), written out here independently ----------

# (feature index in base_site, property, values accepted, values refused); a lens value is
# tried with the other lens value set to 4 mm / 5.37 mm.
RANGES = [
    (5, "height_m", [0.1, 3, 100], [0.0999, 100.01, 0, -1]),
    (5, "tilt_deg", [-90, 0, 90], [-90.01, 90.01]),
    (5, "hfov_deg", [0.01, 90, 360], [0, -1, 360.01]),
    (5, "focal_mm", [0.5, 4, 2000], [0.4999, 2000.01, 0]),
    (5, "sensor_width_mm", [0.5, 5.37, 100], [0.4999, 100.01, 0]),
    (5, "vfov_deg", [0.01, 179.99], [0, 180, -5]),
    (5, "range_m", [0.01, 2000], [0, 2000.01, -1]),
    (5, "resolution", [[160, 160], [20000, 20000], [1920, 1080]], [[159, 1080], [1920, 20001]]),
    (5, "heading_deg", [-1e6, 0, 359.99, 1e6], [math.inf, math.nan]),
    (1, "height_m", [0.01, 1000], [0, 1000.01]),
    (2, "height_m", [0.01, 1000], [0, 1000.01]),
    (3, "thickness_m", [0.01, 10], [0, 10.01]),
    (4, "weight", [0, 1, 1e6], [-0.01, 1e6 + 1]),
]
_PARTNER = {"focal_mm": ("sensor_width_mm", 5.37), "sensor_width_mm": ("focal_mm", 4.0)}
_RANGE_CASES = [
    pytest.param(index, key, value, ok, id=f"#{index} {key}={value!r} {'ok' if ok else 'bad'}")
    for index, key, good, bad in RANGES
    for values, ok in ((good, True), (bad, False))
    for value in values
]


@pytest.mark.parametrize("index, key, value, ok", _RANGE_CASES)
def test_every_numeric_property_has_its_range(index: int, key: str, value: Any, ok: bool) -> None:
    data = base_site()
    data["features"][index]["properties"][key] = value
    if key in _PARTNER:
        other, partner = _PARTNER[key]
        data["features"][index]["properties"][other] = partner
        data["features"][index]["properties"].pop("hfov_deg", None)
    if ok:
        parse_site(data)
        return
    with pytest.raises(ValueRangeError) as info:
        parse_site(data)
    message = str(info.value)
    assert info.value.prop == key and f"{key} must be" in message
    assert re.search(r"[\[(].*, .*[\])]|finite", message), message  # names the range
    assert info.value.index == index


def test_a_lens_cannot_take_down_the_analysis() -> None:
    """The widest and narrowest lenses the ranges allow still analyse (finite DORI distances)."""
    from camwatch.geometry.coverage import analyze

    for focal, sensor, res in ((0.5, 100, [20000, 160]), (2000, 0.5, [20000, 20000])):
        data = base_site()
        props = data["features"][5]["properties"]
        props.pop("hfov_deg", None)
        props.update(focal_mm=focal, sensor_width_mm=sensor, resolution=res)
        summary = analyze(parse_site(data)).to_dict()
        assert 0 <= summary["levels"]["detection"]["ratio"] <= 1


def test_non_finite_number_kept_in_an_extra_is_refused() -> None:
    """A document built in code (the API) may hold NaN where a file cannot."""
    data = base_site()
    data["features"][5]["properties"]["note"] = [1.0, math.nan]
    with pytest.raises(SiteFormatError) as info:
        parse_site(data)
    assert str(info.value) == CAM + "feature.properties.note[1]: number nan is not finite"


def test_docs_table_lists_every_range() -> None:
    """docs/ranges.md shows exactly the ranges the validators enforce."""
    from pathlib import Path

    from camwatch.properties import PROPERTIES

    doc = (Path(__file__).resolve().parents[2] / "docs" / "ranges.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (\w+) \| `(\w+)` \| ([^|]+) \|", doc, flags=re.MULTILINE)
    table = {(kind, name): rng.strip() for kind, name, rng in rows}
    expected = {
        (kind, name): str(prop.range)
        for kind, props in PROPERTIES.items()
        for name, prop in props.items()
    }
    assert table == expected


def test_messages_stay_on_one_line_whatever_the_names() -> None:
    """Ids and names with newlines or control characters are escaped in messages."""
    data = base_site()
    data["features"][5]["properties"].update(id="C\n1", tilt_deg=95)
    with pytest.raises(SiteFormatError) as info:
        parse_site(data)
    assert str(info.value) == "feature #5 (camera 'C\\n1'): tilt_deg must be in [-90, 90], got 95"
