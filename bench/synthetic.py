"""Generated large compounds for benchmarks and scale tests (deterministic by seed).

:func:`generate_compound` lays buildings out on a grid of plots separated by
lanes — slabs, towers, point towers, L- and U-shapes, some rotated, exactly one
courtyard block with a hole — adds walls in the lanes, small obstacles (bike
sheds, kiosks), gates with entrance zones, a parking lot, a playground and a
square, and places cameras the way an installer would: mostly on facades
looking away from the wall, some on the boundary looking inward, a few on poles
in open space (including 360° fisheyes), with real lens/sensor optics. The
result is a site GeoJSON dict that :func:`camwatch.sitefile.parse_site` accepts.

The benchmark sizes (``SIZES``): small = 15 buildings / 50 cameras, medium =
30 / 100, large = 60 / 200 (several hundred obstacle edges)::

    python -m bench.synthetic --size large -o large.geojson

Notes: O(n_buildings + n_cameras) shapely work; a large compound builds in well
under a second. Only ``random.Random(seed)`` is used, so equal arguments give
an equal dict.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from shapely.geometry import LineString, Point, Polygon, box
from shapely.geometry.polygon import orient
from shapely.ops import unary_union

from bench.synthetic_parts import (
    BUILDING_TYPES,
    LANE_M,
    camera_props,
    choose,
    edges,
    place_building,
    point_on,
)
from camwatch.errors import UsageError

SIZES: dict[str, tuple[int, int]] = {"small": (15, 50), "medium": (30, 100), "large": (60, 200)}

PITCH_M = 44.0  # plot pitch: a 32 m building envelope plus a 12 m lane
MARGIN_M = 12.0  # free strip between the boundary and the first plots
MIN_PITCH_M = 34.0  # below this the largest building types no longer fit a plot
OPEN_PLOTS = ("parking", "playground", "square")


def _r(value: float) -> float:
    return round(float(value), 3) + 0.0


def _xy(coords: Iterable[Sequence[float]]) -> list[list[float]]:
    return [[_r(x), _r(y)] for x, y, *_ in coords]


def _feature(kind: str, geometry: Any, **props: Any) -> dict[str, Any]:
    if isinstance(geometry, Polygon):
        poly = orient(geometry)
        geo = {
            "type": "Polygon",
            "coordinates": [_xy(poly.exterior.coords)] + [_xy(r.coords) for r in poly.interiors],
        }
    elif isinstance(geometry, LineString):
        geo = {"type": "LineString", "coordinates": _xy(geometry.coords)}
    else:
        geo = {"type": "Point", "coordinates": _xy([(geometry.x, geometry.y)])[0]}
    return {"type": "Feature", "properties": {"kind": kind, **props}, "geometry": geo}


# --------------------------------------------------------------------------- #
# The compound
# --------------------------------------------------------------------------- #


def _grid_size(n_buildings: int, size_m: float | None) -> tuple[int, float]:
    """Plots per side and plot pitch for ``n_buildings`` plus the open plots."""
    need = n_buildings + len(OPEN_PLOTS)
    k = math.ceil(math.sqrt(need / 0.8))  # the cut corner and gate plots take ~20 %
    if size_m is None:
        return k, PITCH_M
    pitch = (size_m - 2 * MARGIN_M) / k
    if pitch < MIN_PITCH_M:
        smallest = math.ceil(k * MIN_PITCH_M + 2 * MARGIN_M)
        raise UsageError(
            f"size_m {size_m:g} is too small for {n_buildings} buildings; use at least {smallest}"
        )
    return k, pitch


def generate_compound(
    *,
    n_buildings: int = 60,
    n_cameras: int = 200,
    seed: int = 0,
    size_m: float | None = None,
) -> dict[str, Any]:
    """A valid site GeoJSON dict: a square-ish compound with these many buildings and cameras.

    ``size_m`` is the side of the compound (default: what ``n_buildings`` need on
    44 m plots). Exactly ``n_buildings`` buildings (one of them a courtyard
    block) and ``n_cameras`` cameras; raises :class:`~camwatch.errors.UsageError`
    for counts below 1 / 0 or a ``size_m`` too small for the buildings.
    """
    if isinstance(n_buildings, bool) or not isinstance(n_buildings, int) or n_buildings < 1:
        raise UsageError(f"n_buildings must be a positive integer, got {n_buildings!r}")
    if isinstance(n_cameras, bool) or not isinstance(n_cameras, int) or n_cameras < 0:
        raise UsageError(f"n_cameras must be a non-negative integer, got {n_cameras!r}")
    if size_m is not None and not (isinstance(size_m, int | float) and math.isfinite(size_m)):
        raise UsageError(f"size_m must be a finite number, got {size_m!r}")
    rng = random.Random(seed)
    k, pitch = _grid_size(n_buildings, size_m)
    side = k * pitch + 2 * MARGIN_M
    cut = 0.6 * pitch  # the north-east corner is cut off by a road
    boundary = Polygon([(0, 0), (side, 0), (side, side - cut), (side - cut, side), (0, side)])

    # Plots: every grid cell whose building envelope lies inside (the cut corner loses some).
    plots: list[Polygon] = []
    inner = boundary.buffer(-MARGIN_M + 0.5, join_style="mitre")
    for j in range(k):
        for i in range(k):
            x0, y0 = MARGIN_M + i * pitch, MARGIN_M + j * pitch
            plot = box(x0, y0, x0 + pitch, y0 + pitch)
            if inner.contains(plot.buffer(-LANE_M / 2, join_style="mitre")):
                plots.append(plot)
    rng.shuffle(plots)
    if len(plots) < n_buildings + len(OPEN_PLOTS):
        # Cannot happen with _grid_size's allowance; kept as a guard for future edits.
        raise UsageError(f"no room for {n_buildings} buildings in a {side:g} m compound")
    open_plots = dict(zip(OPEN_PLOTS, plots[: len(OPEN_PLOTS)], strict=True))
    building_plots = plots[len(OPEN_PLOTS) : len(OPEN_PLOTS) + n_buildings]

    features: list[dict[str, Any]] = [_feature("boundary", boundary, name="property line")]
    buildings: list[Polygon] = []
    names: list[str] = []
    for n, plot in enumerate(building_plots, 1):
        kind = "courtyard" if n == 1 else choose(rng, BUILDING_TYPES)
        poly = place_building(kind, plot, rng)
        buildings.append(poly)
        names.append(f"B{n} {kind}")
        floors = rng.choice((6, 11, 18, 26, 33)) if kind != "courtyard" else 4
        features.append(
            _feature("building", poly, name=names[-1], height_m=3.0 * floors, floors=floors)
        )

    # Gates: south and west lanes, with a kiosk and an entrance zone each.
    mid = MARGIN_M + (k // 2) * pitch  # a lane line between plots
    opaque: list[Polygon] = list(buildings)
    gates = [
        (
            "G-S",
            "south gate",
            LineString([(mid - 4, 0), (mid + 4, 0)]),
            box(mid - 4, 0, mid + 4, 8),
        ),
        ("G-W", "west gate", LineString([(0, mid - 4), (0, mid + 4)]), box(0, mid - 4, 8, mid + 4)),
    ]
    for gid, name, line, zone in gates:
        access = rng.choice(("card", "face", "qr"))
        features.append(
            _feature("gate", line, id=gid, name=name, access_control=access, intercom=True)
        )
        features.append(_feature("zone", zone, name=f"{name} entrance", zone_type="entrance"))
    kiosks = [box(mid + 5, 1, mid + 8, 4), box(1, mid + 5, 4, mid + 8)]
    for n, kiosk in enumerate(kiosks, 1):
        features.append(_feature("obstacle", kiosk, name=f"guard kiosk {n}", height_m=3.0))
        opaque.append(kiosk)

    # Open plots: parking, playground (with a play tower), square.
    for kind, plot in open_plots.items():
        area = plot.buffer(-LANE_M / 2 + 1, join_style="mitre")
        features.append(_feature("zone", area, name=kind, zone_type=kind))
    tower = open_plots["playground"].centroid.buffer(2.0, cap_style="square")
    features.append(_feature("obstacle", tower, name="play tower", height_m=4.0))
    opaque.append(tower)

    # Small obstacles beside buildings (bike sheds, refuse kiosks) and walls in the lanes.
    inside = boundary.buffer(-0.5, join_style="mitre")
    for n, plot in enumerate(building_plots[::3], 1):
        x0, y0, _, _ = plot.bounds
        shed = box(x0 + 6.5, y0 + 1.5, x0 + 6.5 + rng.uniform(6, 12), y0 + 4.5)
        if inside.contains(shed) and not any(shed.intersects(b) for b in opaque):
            features.append(_feature("obstacle", shed, name=f"bike shed {n}", height_m=2.5))
            opaque.append(shed)
    walls: list[LineString] = []
    for n, plot in enumerate(building_plots[1::4], 1):
        x0, _, _, y1 = plot.bounds
        length = rng.uniform(8, 20)
        line = LineString([(x0 + 8, y1), (x0 + 8 + length, y1), (x0 + 8 + length, y1 - 4)])
        if inside.contains(line) and not any(line.buffer(0.3).intersects(b) for b in opaque):
            walls.append(line)
            features.append(_feature("wall", line, name=f"garden wall {n}", thickness_m=0.24))
    wall_polys = [w.buffer(0.12, cap_style="flat", join_style="mitre") for w in walls]
    free = boundary.difference(unary_union(opaque + wall_polys))

    # Cameras: 60 % facades, 25 % boundary, 15 % poles.
    facade_edges = edges(
        ring.coords for b in buildings for ring in (orient(b).exterior, *orient(b).interiors)
    )
    boundary_edges = edges([orient(boundary).exterior.coords])
    n_facade, n_fence = round(0.6 * n_cameras), round(0.25 * n_cameras)
    cameras: list[dict[str, Any]] = []
    for _ in range(1000 + 100 * n_cameras):
        if len(cameras) == n_cameras:
            break
        cid = f"C{len(cameras) + 1:03d}"
        if len(cameras) < n_facade:
            where, (pt, normal) = "facade", point_on(facade_edges, rng)
        elif len(cameras) < n_facade + n_fence:
            pt, normal = point_on(boundary_edges, rng)
            where, normal = "boundary", normal + 180.0  # inward normal
        else:
            where = "pole"
            pt = Point(rng.uniform(0, side), rng.uniform(0, side))
            if not free.contains(pt) or free.boundary.distance(pt) < 1.0:
                continue
            normal = rng.uniform(0, 360)
        if free.distance(pt) > 0.01:  # a facade point under a shed or wall: try another
            continue
        heading = normal + (rng.uniform(-50, 50) if where != "pole" else 0.0)
        features.append(_feature("camera", pt, **camera_props(rng, cid, heading, where)))
        cameras.append(features[-1])
    if len(cameras) < n_cameras:  # not reached in practice: facades always have free sides
        raise RuntimeError(f"could not place {n_cameras} cameras")

    # Devices: perimeter beams on two sides, a panic button, intercoms at some doors.
    beams = {"IR-W": [(0, mid + 6), (0, side)], "IR-S": [(mid + 6, 0), (side, 0)]}
    for aid, line in beams.items():
        features.append(_feature("alarm", LineString(line), id=aid, alarm_type="infrared_beam"))
    features.append(_feature("alarm", Point(mid + 8, 2.5), id="PB-1", alarm_type="panic_button"))
    for n, (poly, name) in enumerate(zip(buildings[::2], names[::2], strict=True), 1):
        door = poly.exterior.interpolate(rng.uniform(0, poly.exterior.length))
        features.append(_feature("intercom", door, id=f"IC-{n}", building=name))

    return {
        "type": "FeatureCollection",
        "site": {
            "id": f"synthetic-{n_buildings}b-{n_cameras}c-s{seed}",
            "name": f"Synthetic compound ({n_buildings} buildings, {n_cameras} cameras)",
            "district": "benchmark",
            "address": f"generated by bench.synthetic, seed {seed}",
            "units": "m",
            "size_m": _r(side),
        },
        "features": features,
    }


def main(argv: list[str] | None = None) -> int:
    """``python -m bench.synthetic --size large -o out.geojson``"""
    parser = argparse.ArgumentParser(description="Write a generated compound as GeoJSON.")
    parser.add_argument("--size", choices=sorted(SIZES), default="large")
    parser.add_argument("--buildings", type=int, help="override the size's building count")
    parser.add_argument("--cameras", type=int, help="override the size's camera count")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--size-m", type=float, help="side of the compound in metres")
    parser.add_argument("-o", "--output", type=Path, help="output file (default: stdout)")
    args = parser.parse_args(argv)
    n_buildings, n_cameras = SIZES[args.size]
    try:
        site = generate_compound(
            n_buildings=args.buildings if args.buildings is not None else n_buildings,
            n_cameras=args.cameras if args.cameras is not None else n_cameras,
            seed=args.seed,
            size_m=args.size_m,
        )
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    text = json.dumps(site, indent=1, ensure_ascii=False) + "\n"
    if args.output is None:
        sys.stdout.write(text)
    else:
        args.output.write_text(text, encoding="utf-8")
        print(f"wrote {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
