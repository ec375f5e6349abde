"""What the rules look at: the site, its coverage, gates and lanes, ledger facts.

The coverage is today's ground model (docs/site-format.md §2): footprints on
the ground, counting active cameras (and planned ones when asked). Zones are
checked at the levels of the site's ladder (``analysis``); the rules worded in
DORI levels (a gate's identification, a door's recognition, the perimeter's
detection) read ``dori``, the same site analysed at the DORI levels
(docs/coverage.md, "Ladders"). Rules that
need a target height (faces, plates) add the depression angle
φ = atan2(H − z, d) of the target seen from the camera.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date
from functools import cached_property
from typing import Any

from shapely.geometry import LineString, Point
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points

from camwatch.geometry.coverage import Analysis, analyze
from camwatch.model import Camera, Door, Gate, Site

Vec = tuple[float, float]


@dataclass(frozen=True)
class DeviceHealth:
    """Ledger facts about one device for DEVICE-HEALTH (supplied by the ledger command)."""

    code: str
    kind: str
    status: str
    since: date | None  # when the device took its present status
    deadline: date | None  # the earliest deadline of its unresolved problems, if any
    position: tuple[float, float] | None = None


@dataclass(frozen=True)
class Lane:
    """One vehicle lane or pedestrian channel of a gate.

    ``point`` is the lane's centre on the gate line, ``outward`` the unit
    vector pointing out of the compound (the lane axis).
    """

    gate: Gate
    number: int  # 1-based
    point: Vec
    outward: Vec

    @property
    def label(self) -> str:
        return gate_label(self.gate)

    def inward_point(self, distance: float) -> Vec:
        return (
            self.point[0] - self.outward[0] * distance,
            self.point[1] - self.outward[1] * distance,
        )


def gate_label(gate: Gate) -> str:
    if gate.id is not None:
        return gate.id
    return gate.name or f"gate #{gate.index}"


def unit(dx: float, dy: float) -> Vec:
    n = math.hypot(dx, dy)
    return (dx / n, dy / n) if n > 0 else (0.0, 1.0)


def bearing(v: Vec) -> float:
    """Compass bearing (0 = north, 90 = east) of a direction vector."""
    return math.degrees(math.atan2(v[0], v[1])) % 360.0


def heading_vector(heading_deg: float) -> Vec:
    rad = math.radians(heading_deg)
    return (math.sin(rad), math.cos(rad))


def angle_between(a: Vec, b: Vec) -> float:
    """Unsigned angle between two directions, degrees in [0, 180]."""
    dot = max(-1.0, min(1.0, (a[0] * b[0] + a[1] * b[1]) / (math.hypot(*a) * math.hypot(*b))))
    return math.degrees(math.acos(dot))


def depression_deg(camera: Camera, target: Vec, target_height: float) -> float:
    """φ = atan2(H − z, d): how far below horizontal the camera sees a target at height z."""
    d = math.dist(camera.position, target)
    return math.degrees(math.atan2(camera.height_m - target_height, d))


class Context:
    """The site and everything the rules derive from it, computed once."""

    def __init__(
        self,
        site: Site,
        *,
        include_planned: bool = False,
        devices: list[DeviceHealth] | None = None,
        today: date | None = None,
        active_rules: tuple[str, ...] = (),
    ) -> None:
        self.site = site
        self.include_planned = include_planned
        self.devices = devices
        self.today = today or date.today()
        self.active_rules = active_rules
        # per (id, tolerance): [geometry, its bounds, it grown by the tolerance or None]; the
        # geometry is kept in the entry so that its id is not reused while the entry lives
        self._grown: dict[tuple[int, float], list[Any]] = {}

    @property
    def has_ledger(self) -> bool:
        return self.devices is not None

    @cached_property
    def analysis(self) -> Analysis:
        return analyze(self.site, include_planned=self.include_planned)

    @cached_property
    def dori(self) -> Analysis:
        """The analysis at the DORI levels: ``analysis`` itself unless the site chose another
        ladder (then the same site without its zones, which name that ladder's levels)."""
        info = self.site.info
        if info.ladder.key == "dori":
            return self.analysis
        heights = info.target_height_m if not isinstance(info.target_height_m, dict) else None
        site = replace(
            self.site,
            info=replace(info, levels=None, target_height_m=heights, max_depression_deg=None),
            zones=(),
        )
        return analyze(site, include_planned=self.include_planned)

    @cached_property
    def counted(self) -> list[tuple[Camera, dict[str, BaseGeometry]]]:
        """(camera, footprints by DORI level) of the cameras coverage counts."""
        fps = {c.id: c.footprints for c in self.dori.cameras}
        return [
            (cam, fps[cam.id])
            for cam in self.site.cameras
            if cam.counted(include_planned=self.include_planned)
        ]

    def holds(self, geom: BaseGeometry, point: Point, tolerance_m: float = 0.01) -> bool:
        """Whether ``geom`` grown by ``tolerance_m`` contains ``point`` (the rules' 1 cm slack).

        A point off ``geom``'s bounds (grown alike) is not held, without growing anything;
        otherwise the grown shape is computed once per geometry and run (footprints are
        asked about for every point of every lane of every gate rule).
        """
        key = (id(geom), tolerance_m)
        found = self._grown.get(key)
        if found is None:  # bounds are NaN for an empty geometry: no comparison holds
            found = self._grown[key] = [geom, geom.bounds, None]
        x0, y0, x1, y1 = found[1]
        x, y = point.x, point.y
        if not (
            x0 - tolerance_m <= x <= x1 + tolerance_m and y0 - tolerance_m <= y <= y1 + tolerance_m
        ):
            return False
        if found[2] is None:
            found[2] = geom.buffer(tolerance_m)
        return bool(found[2].contains(point))

    def coverage(self, level: str) -> BaseGeometry:
        """Coverage at ``level``: a level of the site's ladder, or a DORI level."""
        found = self.analysis.levels.get(level)
        return (found or self.dori.levels[level]).geometry

    def outward_normal(self, where: Point, tangent: Vec | None = None) -> Vec:
        """Unit vector at a boundary point pointing out of the compound."""
        ring = self.site.boundary.exterior
        if tangent is None:
            s = ring.project(where)
            a, b = ring.interpolate(max(0.0, s - 0.5)), ring.interpolate(min(ring.length, s + 0.5))
            tangent = unit(b.x - a.x, b.y - a.y)
        normal = (tangent[1], -tangent[0])
        on = nearest_points(ring, where)[0]
        probe = Point(on.x + normal[0] * 0.01, on.y + normal[1] * 0.01)
        if self.site.boundary.contains(probe):
            normal = (-normal[0], -normal[1])
        return normal

    def lanes(self, gate: Gate, *, lane_width_m: float) -> list[Lane]:
        """The gate's lanes: centres spread along a gate line, or around a gate point."""
        geom = gate.geometry
        n = max(1, gate.lanes)
        if isinstance(geom, LineString):
            a, b = geom.coords[0], geom.coords[-1]
            tangent = unit(b[0] - a[0], b[1] - a[1])
            outward = self.outward_normal(geom.interpolate(0.5, normalized=True), tangent)
            points = [geom.interpolate((i + 0.5) / n, normalized=True) for i in range(n)]
            return [Lane(gate, i + 1, (p.x, p.y), outward) for i, p in enumerate(points)]
        outward = self.outward_normal(geom)
        tangent = (-outward[1], outward[0])
        lanes = []
        for i in range(n):
            off = (i - (n - 1) / 2.0) * lane_width_m
            lanes.append(
                Lane(gate, i + 1, (geom.x + tangent[0] * off, geom.y + tangent[1] * off), outward)
            )
        return lanes

    def door_front(self, door: Door, *, distance: float) -> Vec:
        """The point ``distance`` in front of a door, away from its building's facade."""
        pt = door.point
        best = min(self.site.buildings, key=lambda b: b.polygon.boundary.distance(pt))
        ring = best.polygon.boundary
        s = ring.project(pt)
        a, b = ring.interpolate(max(0.0, s - 0.25)), ring.interpolate(min(ring.length, s + 0.25))
        t = unit(b.x - a.x, b.y - a.y)
        on = ring.interpolate(s)
        for n in ((t[1], -t[0]), (-t[1], t[0])):
            q = (on.x + n[0] * distance, on.y + n[1] * distance)
            if not best.polygon.contains(Point(q)):
                return q
        return (on.x, on.y)
