"""``camwatch suggest``: devices other than cameras (issue 4 item 4).

Rules, each giving an item with ``type``, ``reason`` (English), ``reason_zh``
and ``reason_msg`` (:mod:`planners.words`, from the message catalogue), the
feature it is about and a position:

- **gates**: ``access_control`` ``none`` → ``access_control`` (face
  recognition, 人脸识别门禁). A gate whose entrance area lacks
  identification-level coverage → ``identification_camera``. The entrance area
  is every ``entrance`` zone within ``GATE_ZONE_M`` of the gate, else the free
  space within ``GATE_RADIUS_M`` of it; it lacks coverage below 98 %
  (``ZONE_PASS_RATIO``).
- **perimeter**: the boundary where it meets free space (not where a building
  or wall forms it), minus gates, minus what a LineString alarm protects
  (within ``ALARM_REACH_M``), minus what detection-level coverage reaches
  (within ``SEEN_REACH_M``). Each remaining stretch ≥ ``MIN_STRETCH_M`` →
  ``infrared_beam`` when straight and ≤ ``BEAM_MAX_M`` (one beam pair), else
  ``electric_fence``, with start, end and length.
- **building doors**: a building with no intercom feature naming it and none
  within ``INTERCOM_REACH_M`` → ``intercom`` at its door. Doors are not part of
  the site format, so the door is taken as the facade point nearest the
  closest gate (where residents arrive), else nearest the compound's centre.
"""

from __future__ import annotations

from typing import Any

import shapely
from shapely.geometry import LineString, MultiLineString, Point
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points

from camwatch.geometry.coverage import Analysis
from camwatch.geometry.space import obstacles_union
from camwatch.i18n import Message, msg
from camwatch.ladders import require_dori
from camwatch.model import ZONE_PASS_RATIO, Building, Gate, Site
from planners.words import reason

GATE_ZONE_M = 5.0
GATE_RADIUS_M = 3.0
ALARM_REACH_M = 1.0
SEEN_REACH_M = 0.1
GATE_GAP_M = 1.0
MIN_STRETCH_M = 3.0
BEAM_MAX_M = 100.0  # one active infrared beam pair spans up to ~100 m outdoors
INTERCOM_REACH_M = 3.0
OPAQUE_TOLERANCE_M = 0.05


def _xy(p: Point) -> list[float]:
    return [round(p.x, 3), round(p.y, 3)]


def _gate_name(gate: Gate) -> str:
    return gate.name or gate.id or f"#{gate.index}"


def _gate_ref(gate: Gate) -> dict[str, Any]:
    return {"kind": "gate", "id": gate.id, "name": gate.name, "index": gate.index}


def _ratio(area: BaseGeometry, cover: BaseGeometry) -> float:
    """Share of ``area`` inside ``cover`` (1 for an empty area)."""
    if area.is_empty or area.area <= 0:
        return 1.0
    return min(area.intersection(cover).area / area.area, 1.0) if not cover.is_empty else 0.0


def _gate_items(site: Site, analysis: Analysis) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    monitored = analysis.monitored
    ident = analysis.levels["identification"].geometry
    for gate in site.gates:
        where = (
            gate.geometry.representative_point()
            if isinstance(gate.geometry, LineString)
            else gate.geometry
        )
        name = _gate_name(gate)
        if gate.access_control == "none":
            items.append(
                {
                    "type": "access_control",
                    "device": "face",
                    "about": _gate_ref(gate),
                    "position": _xy(where),
                    **reason(
                        msg(
                            "gate '%(name)s' has no access control: add face-recognition (or card) access control",
                            name=name,
                        )
                    ),
                }
            )
        zones = [
            z
            for z in site.zones
            if z.zone_type == "entrance" and z.polygon.distance(gate.geometry) <= GATE_ZONE_M
        ]
        if zones:
            area = shapely.union_all([z.polygon for z in zones]).intersection(monitored)
            what: Message | list[str] = [f"'{z.name}'" for z in zones]
        else:
            area = gate.geometry.buffer(GATE_RADIUS_M).intersection(monitored)
            what = msg("within %(radius)s m", radius=format(GATE_RADIUS_M, "g"))
        ratio = _ratio(area, ident)
        if ratio < ZONE_PASS_RATIO:
            items.append(
                {
                    "type": "identification_camera",
                    "about": _gate_ref(gate),
                    "position": _xy(where),
                    "coverage": round(float(ratio), 6),
                    **reason(
                        msg(
                            "the entrance area of gate '%(name)s' (%(what)s) has %(ratio)s identification-level "
                            "coverage (needs %(need)s): add an identification camera facing the gate "
                            "(camwatch plan --target places it)",
                            name=name,
                            what=what,
                            ratio=format(ratio, ".0%"),
                            need=format(ZONE_PASS_RATIO, ".0%"),
                        )
                    ),
                }
            )
    return items


def _lines(geom: BaseGeometry) -> list[LineString]:
    if geom.is_empty:
        return []
    merged = shapely.line_merge(geom) if isinstance(geom, MultiLineString) else geom
    return [g for g in shapely.get_parts(merged) if isinstance(g, LineString) and g.length > 0]


def unprotected_perimeter(site: Site, analysis: Analysis) -> list[LineString]:
    """Stretches of the perimeter facing free space with neither an alarm line nor detection coverage."""
    rings = [LineString(site.boundary.exterior.coords)] + [
        LineString(r.coords) for r in site.boundary.interiors
    ]
    perimeter: BaseGeometry = shapely.union_all(rings)
    blocked = obstacles_union(site)
    if not blocked.is_empty:
        perimeter = perimeter.difference(blocked.buffer(OPAQUE_TOLERANCE_M))
    guards = [
        a.geometry.buffer(ALARM_REACH_M) for a in site.alarms if isinstance(a.geometry, LineString)
    ]
    guards += [g.geometry.buffer(GATE_GAP_M) for g in site.gates]
    seen = analysis.levels[site.info.ladder.lowest].geometry  # the blind-spot level
    if not seen.is_empty:
        guards.append(seen.buffer(SEEN_REACH_M))
    if guards:
        perimeter = perimeter.difference(shapely.union_all(guards))
    return [line for line in _lines(perimeter) if line.length >= MIN_STRETCH_M]


def _perimeter_items(site: Site, analysis: Analysis) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for k, line in enumerate(
        sorted(unprotected_perimeter(site, analysis), key=lambda g: -g.length), 1
    ):
        straight = len(line.simplify(0.2).coords) == 2
        kind = "infrared_beam" if straight and line.length <= BEAM_MAX_M else "electric_fence"
        start, end = Point(line.coords[0]), Point(line.coords[-1])
        what = msg("an infrared beam pair") if kind == "infrared_beam" else msg("an electric fence")
        items.append(
            {
                "type": kind,
                "about": {"kind": "boundary", "stretch": k},
                "position": _xy(line.interpolate(0.5, normalized=True)),
                "start": _xy(start),
                "end": _xy(end),
                "length_m": round(line.length, 2),
                "geometry": [[round(x, 3), round(y, 3)] for x, y in line.coords],
                **reason(
                    msg(
                        "%(length)s m of perimeter from (%(x0)s, %(y0)s) to (%(x1)s, %(y1)s) has "
                        "neither an alarm line nor detection-level camera coverage: add %(device)s",
                        length=format(line.length, ".1f"),
                        x0=format(start.x, ".1f"),
                        y0=format(start.y, ".1f"),
                        x1=format(end.x, ".1f"),
                        y1=format(end.y, ".1f"),
                        device=what,
                    )
                ),
            }
        )
    return items


def door_point(site: Site, building: Building, reach: BaseGeometry) -> Point:
    """Where the building's door is taken to be (see the module docstring); ``reach`` is the
    monitored space grown by ``OPAQUE_TOLERANCE_M`` (:func:`_reach`, grown once for all
    buildings: the growth of a whole compound's free space is the costly step)."""
    outline = building.polygon.exterior
    facing = outline.intersection(reach) if not reach.is_empty else outline
    if facing.is_empty or facing.length == 0:
        facing = outline
    gates = [g.geometry for g in site.gates]
    if gates:
        target = min(gates, key=lambda g: g.distance(building.polygon))
        target = target.representative_point() if isinstance(target, LineString) else target
    else:
        target = site.boundary.centroid
    return nearest_points(facing, target)[0]


def _reach(space: BaseGeometry) -> BaseGeometry:
    return space.buffer(OPAQUE_TOLERANCE_M) if not space.is_empty else space


def _intercom_items(site: Site, analysis: Analysis) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    reach: BaseGeometry | None = None
    for i, b in enumerate(site.buildings, 1):
        named = b.name is not None and any(ic.building == b.name for ic in site.intercoms)
        near = any(
            b.polygon.distance(Point(ic.position)) <= INTERCOM_REACH_M for ic in site.intercoms
        )
        if named or near:
            continue
        name = b.name or f"#{b.index if b.index is not None else i}"
        if reach is None:
            reach = _reach(analysis.monitored)
        door = door_point(site, b, reach)
        items.append(
            {
                "type": "intercom",
                "about": {"kind": "building", "name": b.name, "index": b.index},
                "position": _xy(door),
                **reason(
                    msg(
                        "building '%(name)s' has no door intercom: add a video intercom at its entrance door",
                        name=name,
                    )
                ),
            }
        )
    return items


def suggest_devices(site: Site, analysis: Analysis) -> list[dict[str, Any]]:
    """Access control, identification cameras, perimeter alarms and intercoms the site lacks.

    >>> from shapely.geometry import box
    >>> from camwatch.geometry.coverage import analyze
    >>> from camwatch.model import Site, SiteInfo
    >>> s = Site(SiteInfo("s"), box(0, 0, 10, 10))
    >>> [d["type"] for d in suggest_devices(s, analyze(s))]   # nothing watches the fence
    ['electric_fence']
    """
    require_dori(site.info.ladder, msg("suggesting devices (identification cameras at gates)"))
    return (
        _gate_items(site, analysis)
        + _perimeter_items(site, analysis)
        + _intercom_items(site, analysis)
    )
