"""Building blocks for the sample compounds: a feature builder, a lens catalogue, a check.

Used by ``tools/make_samples.py`` and the compounds it writes
(``tools/sample_*.py``). Plain Python + shapely only (no camwatch import), so
the samples can be written and checked before or without the package. Coordinates are local metres, x east, y north (docs/site-format.md §1).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from shapely.geometry import LineString, Point, Polygon
from shapely.geometry.polygon import orient
from shapely.ops import nearest_points, unary_union

Coord = tuple[float, float]

# Sensor widths (mm) of common CCTV image sensors.
SENSOR_1_2_8 = 5.37  # 1/2.8"  (2–4 MP bullets and domes)
SENSOR_1_3 = 4.8  # 1/3"  (budget 2 MP)
SENSOR_1_1_8 = 7.18  # 1/1.8"  (8 MP)

MP2 = (1920, 1080)
MP4 = (2560, 1440)
MP8 = (3840, 2160)
MP12_FISHEYE = (4000, 3000)

# Camera types used in the samples: optics as a datasheet gives them, plus a model name.
OPTICS: dict[str, dict[str, Any]] = {
    "dome2mp_2.8": {"focal_mm": 2.8, "sensor_width_mm": SENSOR_1_2_8, "resolution": MP2,
                    "model": "IPC-HDW2231T-AS"},
    "dome2mp_106": {"hfov_deg": 106, "resolution": MP2, "model": "IPC-HDW1230T1-S5"},
    "bullet2mp_3.6": {"focal_mm": 3.6, "sensor_width_mm": SENSOR_1_3, "resolution": MP2,
                      "model": "IPC-HFW1230S"},
    "bullet2mp_2.8": {"focal_mm": 2.8, "sensor_width_mm": SENSOR_1_2_8, "resolution": MP2,
                      "model": "IPC-HFW2231S-S"},
    "bullet2mp_6": {"focal_mm": 6.0, "sensor_width_mm": SENSOR_1_2_8, "resolution": MP2,
                    "model": "DS-2CD2T27G2-L"},
    "dome4mp_2.8": {"focal_mm": 2.8, "sensor_width_mm": SENSOR_1_2_8, "resolution": MP4,
                    "model": "DS-2CD2347G2-LU"},
    "bullet4mp_2.8": {"focal_mm": 2.8, "sensor_width_mm": SENSOR_1_2_8, "resolution": MP4,
                      "model": "DS-2CD2047G2-L"},
    "bullet4mp_4": {"focal_mm": 4.0, "sensor_width_mm": SENSOR_1_2_8, "resolution": MP4,
                    "model": "DS-2CD2T47G2-L"},
    "bullet4mp_6": {"focal_mm": 6.0, "sensor_width_mm": SENSOR_1_2_8, "resolution": MP4,
                    "model": "DS-2CD2T47G2-L"},
    "face4mp_8": {"focal_mm": 8.0, "sensor_width_mm": SENSOR_1_2_8, "resolution": MP4,
                  "model": "iDS-2CD7A46G0-IZHS"},
    "vari4mp_12": {"focal_mm": 12.0, "sensor_width_mm": SENSOR_1_3, "resolution": MP4,
                   "model": "DS-2CD2646G2-IZS"},
    "bullet8mp_4": {"focal_mm": 4.0, "sensor_width_mm": SENSOR_1_1_8, "resolution": MP8,
                    "model": "DS-2CD2T87G2-L"},
    "bullet8mp_6": {"focal_mm": 6.0, "sensor_width_mm": SENSOR_1_1_8, "resolution": MP8,
                    "model": "DS-2CD2T87G2-L"},
    "fisheye12mp": {"hfov_deg": 360, "resolution": MP12_FISHEYE, "model": "DS-2CD63C5G0-IVS"},
}  # fmt: skip


def _r(value: float) -> float:
    """Round to the millimetre; keeps the files short and diff-friendly."""
    return round(float(value), 3) + 0.0  # + 0.0 turns -0.0 into 0.0


def xy(coords: Iterable[Sequence[float]]) -> list[list[float]]:
    return [[_r(x), _r(y)] for x, y, *_ in coords]


def polygon_coords(poly: Polygon) -> list[list[list[float]]]:
    """GeoJSON rings: exterior counter-clockwise, holes clockwise (RFC 7946)."""
    poly = orient(poly, sign=1.0)
    return [xy(poly.exterior.coords)] + [xy(ring.coords) for ring in poly.interiors]


def heading_to(origin: Coord, target: Coord) -> float:
    """Compass bearing (0 = north/+y, 90 = east/+x) from origin to target, 0.1° steps."""
    dx, dy = target[0] - origin[0], target[1] - origin[1]
    return round(math.degrees(math.atan2(dx, dy)) % 360.0, 1)


def facade_point(poly: Polygon, near: Coord) -> Coord:
    """The point of the polygon's outline nearest to ``near`` (a facade mount)."""
    p = nearest_points(poly.exterior, Point(near))[0]
    return (p.x, p.y)


def segment_point(a: Coord, b: Coord, t: float) -> Coord:
    """The point at fraction t of the way from a to b."""
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)


def serials(prefix: str, start: int) -> Iterator[str]:
    """Serial numbers ``prefix + start``, ``prefix + start + 1``, … (1000 of them)."""
    return (f"{prefix}{n}" for n in range(start, start + 1000))


class SiteBuilder:
    """Collects the features of one site and emits its GeoJSON FeatureCollection."""

    def __init__(self, **info: Any) -> None:
        self.info = {**info, "units": "m"}
        self.features: list[dict[str, Any]] = []

    def _add(self, kind: str, geometry: dict[str, Any], props: dict[str, Any]) -> None:
        clean = {k: v for k, v in props.items() if v is not None}
        self.features.append(
            {"type": "Feature", "properties": {"kind": kind, **clean}, "geometry": geometry}
        )

    def _poly(self, kind: str, poly: Polygon, props: dict[str, Any]) -> Polygon:
        self._add(kind, {"type": "Polygon", "coordinates": polygon_coords(poly)}, props)
        return poly

    def _point_or_line(self, kind: str, where: Any, props: dict[str, Any]) -> None:
        if isinstance(where[0], int | float):
            geometry = {"type": "Point", "coordinates": xy([where])[0]}
        else:
            geometry = {"type": "LineString", "coordinates": xy(where)}
        self._add(kind, geometry, props)

    def boundary(self, poly: Polygon, **props: Any) -> Polygon:
        return self._poly("boundary", poly, props)

    def building(self, poly: Polygon, name: str, height_m: float, **props: Any) -> Polygon:
        return self._poly("building", poly, {"name": name, "height_m": height_m, **props})

    def obstacle(self, poly: Polygon, name: str, height_m: float, **props: Any) -> Polygon:
        return self._poly("obstacle", poly, {"name": name, "height_m": height_m, **props})

    def zone(self, poly: Polygon, name: str, zone_type: str, **props: Any) -> Polygon:
        """A zone; ``required_level`` and ``weight`` may be given in ``props``."""
        return self._poly("zone", poly, {"name": name, "zone_type": zone_type, **props})

    def wall(self, coords: Sequence[Coord], *, thickness_m: float = 0.24, **props: Any) -> None:
        geometry = {"type": "LineString", "coordinates": xy(coords)}
        self._add("wall", geometry, {"thickness_m": thickness_m, **props})

    def gate(self, where: Any, gid: str, name: str, access_control: str, **props: Any) -> None:
        props = {"id": gid, "name": name, "access_control": access_control, **props}
        self._point_or_line("gate", where, props)

    def alarm(self, where: Any, aid: str, alarm_type: str, **props: Any) -> None:
        self._point_or_line("alarm", where, {"id": aid, "alarm_type": alarm_type, **props})

    def intercom(self, where: Coord, iid: str, building: str, **props: Any) -> None:
        self._point_or_line("intercom", where, {"id": iid, "building": building, **props})

    def door(self, where: Coord, did: str, building: str, door_type: str, **props: Any) -> None:
        """A building entrance on a facade (docs/site-format.md §5)."""
        props = {"id": did, "building": building, "door_type": door_type, **props}
        self._point_or_line("door", where, props)

    def mount(self, where: Any, **props: Any) -> None:
        self._point_or_line("mount", where, props)

    def camera(
        self,
        cid: str,
        at: Coord,
        look: float | Coord,
        name: str,
        optics: str,
        height_m: float,
        tilt_deg: float,
        **props: Any,
    ) -> None:
        """A camera of type ``optics`` (see OPTICS); ``look`` is a heading or a point to aim at."""
        heading = float(look) if isinstance(look, int | float) else heading_to(at, look)
        spec = dict(OPTICS[optics])
        spec["resolution"] = list(spec["resolution"])
        self._add(
            "camera",
            {"type": "Point", "coordinates": xy([at])[0]},
            {
                "id": cid,
                "name": name,
                "status": props.pop("status", "active"),
                "height_m": height_m,
                "heading_deg": round(heading % 360.0, 1),
                "tilt_deg": tilt_deg,
                **spec,
                **props,
            },
        )

    def cameras(self, rows: Iterable[tuple], *, serials: Iterable[str], **common: Any) -> None:
        """Cameras from table rows ``(id, at, look, name, optics, height, tilt[, extra])``."""
        for row, serial in zip(rows, serials, strict=False):
            cid, at, look, name, optics, height, tilt, *rest = row
            extra = {"serial": serial, **common, **(rest[0] if rest else {})}
            if extra.get("status") == "planned":
                extra["serial"] = None  # not bought yet
            self.camera(cid, at, look, name, optics, height, tilt, **extra)

    def geojson(self) -> dict[str, Any]:
        return {"type": "FeatureCollection", "site": self.info, "features": self.features}


def render(fc: dict[str, Any]) -> str:
    """The file text: one-space indent, Chinese kept readable, trailing newline."""
    return json.dumps(fc, indent=1, ensure_ascii=False) + "\n"


def shape(geometry: dict[str, Any]) -> Point | LineString | Polygon:
    kind, coords = geometry["type"], geometry["coordinates"]
    if kind == "Point":
        return Point(coords)
    if kind == "LineString":
        return LineString(coords)
    return Polygon(coords[0], coords[1:])


def check(fc: dict[str, Any]) -> list[str]:
    """Problems found with shapely alone (empty = fine): the §1 rules a sample could break."""
    feats = fc["features"]
    kinds = [f["properties"]["kind"] for f in feats]
    if kinds.count("boundary") != 1:
        return [f"{kinds.count('boundary')} boundaries"]
    site = shape(feats[kinds.index("boundary")]["geometry"])
    problems: list[str] = []
    opaque = []
    for i, f in enumerate(feats):
        props, geom = f["properties"], shape(f["geometry"])
        if isinstance(geom, Polygon) and not (geom.is_valid and geom.area > 0):
            problems.append(f"#{i} {props.get('name')}: invalid polygon")
        if props["kind"] in ("building", "obstacle"):
            opaque.append(geom)
        elif props["kind"] == "wall":
            half = props.get("thickness_m", 0.2) / 2
            opaque.append(geom.buffer(half, cap_style="flat", join_style="mitre"))
    free = site.difference(unary_union(opaque))
    ids = [f["properties"]["id"] for f in feats if f["properties"]["kind"] == "camera"]
    names = [f["properties"]["name"] for f in feats if f["properties"]["kind"] == "zone"]
    if len(set(ids)) != len(ids):
        problems.append("duplicate camera id")
    if len(set(names)) != len(names):
        problems.append("duplicate zone name")
    for i, f in enumerate(feats):
        props, geom = f["properties"], shape(f["geometry"])
        if props["kind"] == "camera":
            if site.distance(geom) > 0.05:
                problems.append(f"#{i} camera {props['id']}: outside the boundary")
            if free.distance(geom) > 0.05:
                problems.append(f"#{i} camera {props['id']}: inside an obstacle")
        elif props["kind"] == "zone" and geom.intersection(free).area < 0.5 * geom.area:
            problems.append(f"#{i} zone {props['name']}: mostly not in free space")
    return problems
