"""The pieces of a generated compound (:mod:`bench.synthetic`): building footprints of
each type placed in their plots, points on edges, and cameras with real optics from a
weighted catalogue. Only the ``random.Random`` passed in is used (deterministic)."""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Sequence
from typing import Any

from shapely import affinity
from shapely.geometry import Point, Polygon, box

LANE_M = 12.0

# Lens catalogue: (weight, optics). Sensor widths: 1/2.8" 5.37 mm, 1/3" 4.8 mm, 1/1.8" 7.18 mm.
CAMERA_TYPES: tuple[tuple[float, dict[str, Any]], ...] = (
    (20, {"focal_mm": 2.8, "sensor_width_mm": 5.37, "resolution": [1920, 1080]}),
    (15, {"focal_mm": 2.8, "sensor_width_mm": 5.37, "resolution": [2560, 1440]}),
    (20, {"focal_mm": 4.0, "sensor_width_mm": 5.37, "resolution": [2560, 1440]}),
    (12, {"focal_mm": 6.0, "sensor_width_mm": 5.37, "resolution": [2560, 1440]}),
    (10, {"focal_mm": 3.6, "sensor_width_mm": 4.8, "resolution": [1920, 1080]}),
    (8, {"focal_mm": 4.0, "sensor_width_mm": 7.18, "resolution": [3840, 2160]}),
    (5, {"focal_mm": 12.0, "sensor_width_mm": 4.8, "resolution": [2560, 1440]}),
    (7, {"hfov_deg": 100.0, "resolution": [1920, 1080]}),
)
FISHEYE: dict[str, Any] = {"hfov_deg": 360.0, "resolution": [4000, 3000]}
STATUSES: tuple[tuple[float, str], ...] = (
    (88, "active"),
    (5, "faulty"),
    (3, "offline"),
    (4, "planned"),
)


def choose(rng: random.Random, table: Sequence[tuple[float, Any]]) -> Any:
    return rng.choices([item for _, item in table], weights=[w for w, _ in table])[0]


def bearing(dx: float, dy: float) -> float:
    """Compass bearing of a direction (0 = +y north, 90 = +x east)."""
    return math.degrees(math.atan2(dx, dy)) % 360.0


# --------------------------------------------------------------------------- #
# Buildings
# --------------------------------------------------------------------------- #


def building_shape(kind: str, rng: random.Random) -> Polygon:
    """A footprint of the given type centred on the origin, at most 32 × 32 m."""
    if kind == "slab":
        w, d = rng.uniform(24, 32), rng.uniform(10, 13)
        shape = box(-w / 2, -d / 2, w / 2, d / 2)
        return affinity.rotate(shape, 90) if rng.random() < 0.3 else shape
    if kind == "tower":
        w, d = rng.uniform(18, 26), rng.uniform(14, 19)
        return box(-w / 2, -d / 2, w / 2, d / 2)
    if kind == "point_tower":  # a square tower with chamfered corners (8 edges)
        h, c = rng.uniform(9, 12), rng.uniform(2, 3.5)
        return Polygon([(-h + c, -h), (h - c, -h), (h, -h + c), (h, h - c), (h - c, h),
                        (-h + c, h), (-h, h - c), (-h, -h + c)])  # fmt: skip
    if kind == "l_shape":
        w, d, t = rng.uniform(22, 30), rng.uniform(20, 28), rng.uniform(10, 13)
        shape = Polygon([(0, 0), (w, 0), (w, t), (t, t), (t, d), (0, d)])
        shape = affinity.rotate(shape, rng.choice((0, 90, 180, 270)), origin=(0, 0))
        return affinity.translate(shape, -shape.centroid.x, -shape.centroid.y)
    if kind == "u_shape":
        w, d, t = rng.uniform(24, 32), rng.uniform(18, 26), rng.uniform(9, 11)
        shape = Polygon([(0, 0), (w, 0), (w, d), (w - t, d), (w - t, t), (t, t), (t, d), (0, d)])
        shape = affinity.rotate(shape, rng.choice((0, 90, 180, 270)), origin=(0, 0))
        return affinity.translate(shape, -shape.centroid.x, -shape.centroid.y)
    if kind == "courtyard":  # a perimeter block round an enclosed courtyard
        h, t = rng.uniform(13, 16), rng.uniform(8, 10)
        return box(-h, -h, h, h).difference(box(-h + t, -h + t, h - t, h - t))
    raise ValueError(kind)


BUILDING_TYPES: tuple[tuple[float, str], ...] = (
    (30, "slab"),
    (25, "tower"),
    (15, "point_tower"),
    (20, "l_shape"),
    (10, "u_shape"),
)


def place_building(kind: str, plot: Polygon, rng: random.Random) -> Polygon:
    """The footprint of ``kind`` in the plot: jittered, sometimes rotated, always inside."""
    envelope = plot.buffer(-LANE_M / 2, join_style="mitre")
    shape = building_shape(kind, rng)
    if kind != "courtyard" and rng.random() < 0.3:
        rotated = affinity.rotate(shape, rng.uniform(-25, 25), origin=(0, 0))
        shape = rotated if fits(rotated, envelope) else shape
    cx, cy = envelope.centroid.x, envelope.centroid.y
    for _ in range(10):
        jx, jy = rng.uniform(-3, 3), rng.uniform(-3, 3)
        placed = affinity.translate(shape, cx + jx, cy + jy)
        if envelope.contains(placed):
            return placed
    return affinity.translate(shape, cx, cy)


def fits(shape: Polygon, envelope: Polygon) -> bool:
    x0, y0, x1, y1 = shape.bounds
    e0, f0, e1, f1 = envelope.bounds
    return (x1 - x0) <= (e1 - e0) - 1 and (y1 - y0) <= (f1 - f0) - 1


# --------------------------------------------------------------------------- #
# Cameras
# --------------------------------------------------------------------------- #


def edges(rings: Iterable[Sequence[tuple[float, float]]]) -> list[tuple[tuple, tuple]]:
    out = []
    for ring in rings:
        pts = list(ring)
        out += [(pts[i], pts[i + 1]) for i in range(len(pts) - 1)]
    return out


def point_on(edges: list[tuple[tuple, tuple]], rng: random.Random) -> tuple[Point, float]:
    """A random point on the edges (by length) and the bearing of the edge's right normal."""
    lengths = [math.dist(a, b) for a, b in edges]
    (ax, ay), (bx, by) = rng.choices(edges, weights=lengths)[0]
    t = rng.uniform(0.1, 0.9)
    dx, dy = bx - ax, by - ay
    return Point(ax + t * dx, ay + t * dy), bearing(dy, -dx)


def camera_props(rng: random.Random, cid: str, heading: float, where: str) -> dict[str, Any]:
    """Properties of one camera: optics from the catalogue, realistic height and tilt."""
    fisheye = where == "pole" and rng.random() < 0.2
    optics = dict(FISHEYE if fisheye else choose(rng, CAMERA_TYPES))
    optics["resolution"] = list(optics["resolution"])
    status = choose(rng, STATUSES)
    props: dict[str, Any] = {
        "id": cid,
        "name": f"{where} camera {cid}",
        "status": status,
        "height_m": round(rng.uniform(4.0, 6.0) if where == "pole" else rng.uniform(2.5, 6.0), 1),
        "heading_deg": round(heading % 360.0, 1),
        "tilt_deg": 90 if fisheye else rng.randint(10, 40),
        **optics,
    }
    if not fisheye and rng.random() < 0.1:
        props["range_m"] = float(rng.choice((30, 40, 50)))  # IR illuminator reach
    if status != "planned":
        props["serial"] = f"SN{rng.randrange(10**8):08d}"
    return props
