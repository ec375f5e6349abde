"""Perimeter rules: defence zones, continuity, obstructions, video, the inside band.

A perimeter **defence zone** (防区) is the set of alarm lines with the same
``zone`` (docs/site-format.md §5); an alarm line without one is its own zone,
named by its id. Every alarm drawn as a LineString guards that stretch of
perimeter (docs/site-format.md §1), whatever its type.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from typing import Any

from shapely import line_merge, unary_union
from shapely.geometry import LineString, Point
from shapely.geometry.base import BaseGeometry

from camwatch.areal import polygon_parts
from camwatch.model import Alarm
from camwatch.standards.context import Context, bearing, unit
from camwatch.standards.engine import Draft, rule

GB51348 = "GB 51348-2019 §14.2"


def alarm_label(alarm: Alarm) -> str:
    return alarm.id if alarm.id is not None else alarm.name or f"alarm #{alarm.index}"


def defence_zones(ctx: Context) -> dict[str, list[Alarm]]:
    """Perimeter defence zones: zone id (or the line's own id) -> its alarm lines."""
    zones: dict[str, list[Alarm]] = {}
    for alarm in ctx.site.alarms:
        if isinstance(alarm.geometry, LineString):
            zones.setdefault(alarm.zone or alarm_label(alarm), []).append(alarm)
    return zones


def _lines(alarms: list[Alarm]) -> BaseGeometry:
    return unary_union([a.geometry for a in alarms])


def _parts(geom: BaseGeometry) -> list[LineString]:
    if geom.is_empty:
        return []
    if isinstance(geom, LineString):
        return [geom]
    return [g for g in getattr(geom, "geoms", ()) for g in _parts(g)]


@rule(
    "PERIM-ZONE-LEN",
    clause="GB 51348-2019 §14.2.1-2 (and its explanatory note)",
    severity="error",
    params={"max_length_m": 200.0, "electric_fence_max_m": 100.0},
)
def perimeter_zone_length(ctx: Context, p: Mapping[str, Any]) -> Iterator[Draft]:
    """Each defence zone is no longer than 200 m (100 m when it includes an electric fence)."""
    for name, alarms in defence_zones(ctx).items():
        fence = any(a.alarm_type == "electric_fence" for a in alarms)
        limit = p["electric_fence_max_m"] if fence else p["max_length_m"]
        length = sum(a.geometry.length for a in alarms)
        if length > limit + 1e-6:
            parts = math.ceil(length / limit)
            kind_zh, kind_en = ("电子围栏", "electric fence ") if fence else ("", "")
            yield Draft(
                zh=f"周界{kind_zh}防区 {name} 长 {length:.1f} 米，超过 {limit:g} 米",
                en=f"perimeter {kind_en}defence zone {name} is {length:.1f} m long, "
                f"over the {limit:g} m limit",
                features=(name,),
                geometry=_lines(alarms),
                fix=f"split defence zone {name} into {parts} zones of at most {limit:g} m each",
                fix_zh=f"将防区 {name} 拆分为 {parts} 个防区，每个不超过 {limit:g} 米",
            )


def _gate_openings(ctx: Context, point_gate_width_m: float, tol: float) -> BaseGeometry:
    shapes = []
    for gate in ctx.site.gates:
        if isinstance(gate.geometry, LineString):
            shapes.append(gate.geometry.buffer(tol, cap_style="flat"))
        else:
            shapes.append(gate.geometry.buffer(point_gate_width_m / 2.0))
    return unary_union(shapes)


@rule(
    "PERIM-CONTINUOUS",
    clause=GB51348,
    severity="error",
    params={"gap_tolerance_m": 0.5, "point_gate_width_m": 6.0},
    note="Gates (a gate line, or a point gate taken as point_gate_width_m wide) are openings, "
    "not gaps; only the outer ring of the boundary is perimeter.",
)
def perimeter_continuous(ctx: Context, p: Mapping[str, Any]) -> Iterator[Draft]:
    """Alarm lines cover the boundary without gaps longer than the tolerance, except at gates."""
    tol = p["gap_tolerance_m"]
    ring = LineString(ctx.site.boundary.exterior.coords)
    zones = defence_zones(ctx)
    if not zones:
        yield Draft(
            zh="周界没有入侵报警（无报警线）",
            en="the perimeter has no intrusion alarm (no alarm lines)",
            geometry=ring,
            fix="install perimeter intrusion alarm lines (infrared beams or electric fence) "
            "along the whole boundary except the gates, in defence zones of at most 200 m",
            fix_zh="沿整个周界（出入口除外）安装周界入侵报警线（红外对射或电子围栏），"
            "每个防区不超过 200 米",
        )
        return
    guarded = unary_union([a.geometry.buffer(tol) for al in zones.values() for a in al])
    open_ = _gate_openings(ctx, p["point_gate_width_m"], max(tol, 0.01))
    gaps = ring.difference(guarded).difference(open_)
    merged = line_merge(gaps) if not gaps.is_empty else gaps
    for gap in sorted(_parts(merged), key=lambda g: -g.length):
        if gap.length <= tol:
            continue
        ends = [Point(gap.coords[0]), Point(gap.coords[-1])]
        near = sorted(
            name
            for name, al in zones.items()
            if any(_lines(al).distance(e) <= tol + 0.01 for e in ends)
        )
        mid = gap.interpolate(0.5, normalized=True)
        yield Draft(
            zh=f"周界报警线有 {gap.length:.1f} 米缺口（{mid.x:.1f}, {mid.y:.1f} 附近）",
            en=f"a {gap.length:.1f} m gap in the perimeter alarm lines near "
            f"({mid.x:.1f}, {mid.y:.1f})",
            features=tuple(near),
            geometry=gap,
            fix=f"extend the alarm lines over the {gap.length:.1f} m gap "
            f"from ({gap.coords[0][0]:.1f}, {gap.coords[0][1]:.1f}) "
            f"to ({gap.coords[-1][0]:.1f}, {gap.coords[-1][1]:.1f})",
            fix_zh=f"延伸报警线，覆盖从 ({gap.coords[0][0]:.1f}, {gap.coords[0][1]:.1f}) "
            f"到 ({gap.coords[-1][0]:.1f}, {gap.coords[-1][1]:.1f}) 的 {gap.length:.1f} 米缺口",
        )


@rule(
    "PERIM-NO-BLOCK",
    clause="GB 51348-2019 §14.2.3-3",
    severity="error",
    params={"min_overlap_m": 0.01},
    note="A line running along a wall (a fence on the wall) is not blocked; one crossing a "
    "wall's centre line, or running through a building or obstacle, is.",
)
def perimeter_no_block(ctx: Context, p: Mapping[str, Any]) -> Iterator[Draft]:
    """No alarm line crosses a building, an obstacle or a wall."""
    blocks: list[tuple[str, str, BaseGeometry]] = []
    for b in ctx.site.buildings:
        blocks.append(("building", b.name or f"building #{b.index}", b.polygon))
    for o in ctx.site.obstacles:
        blocks.append(("obstacle", o.name or f"obstacle #{o.index}", o.polygon))
    for alarm in ctx.site.alarms:
        line = alarm.geometry
        if not isinstance(line, LineString):
            continue
        label = alarm_label(alarm)
        for kind, name, poly in blocks:
            inside = line.intersection(poly.buffer(-p["min_overlap_m"]))
            if inside.length > 0:
                yield _blocked(label, kind, name, inside)
        for wall in ctx.site.walls:
            if line.crosses(wall.line):
                wname = wall.name or f"wall #{wall.index}"
                yield _blocked(label, "wall", wname, line.intersection(wall.line))


def _blocked(label: str, kind: str, name: str, where: BaseGeometry) -> Draft:
    kind_zh = {"building": "建筑", "obstacle": "障碍物", "wall": "墙"}[kind]
    return Draft(
        zh=f"报警线 {label} 穿过{kind_zh} {name}",
        en=f"alarm line {label} crosses {kind} {name}",
        features=(label, name),
        geometry=where,
        fix=f"re-route alarm line {label} round {name}, or split it into two zones at {name}",
        fix_zh=f"将报警线 {label} 绕开{kind_zh} {name}，或在{kind_zh} {name} 处分为两个防区",
    )


@rule(
    "PERIM-VIDEO",
    clause="智慧安防小区 guidance (video linked to every perimeter defence zone)",
    severity="warning",
    params={"min_ratio": 0.9, "beam_severity": "error", "tolerance_m": 0.1},
    note="Length of the zone's lines within tolerance_m of the detection coverage of counted "
    "cameras (ground model). A zone with an infrared beam (no physical barrier) gets "
    "beam_severity.",
)
def perimeter_video(ctx: Context, p: Mapping[str, Any]) -> Iterator[Draft]:
    """Every perimeter defence zone is watched at detection over at least 90 % of its length."""
    cover = ctx.coverage("detection").buffer(p["tolerance_m"])
    for name, alarms in defence_zones(ctx).items():
        lines = _lines(alarms)
        seen = lines.intersection(cover).length if not cover.is_empty else 0.0
        ratio = seen / lines.length
        if ratio + 1e-9 >= p["min_ratio"]:
            continue
        beam = any(a.alarm_type == "infrared_beam" for a in alarms)
        blind = lines.difference(cover) if not cover.is_empty else lines
        longest = max(_parts(blind), key=lambda g: g.length, default=None)
        fix = f"add a camera watching defence zone {name}"
        fix_zh = f"增设摄像机监视防区 {name}"
        if longest is not None:
            along_zh, along_en = _along_fix(ctx, longest)
            fix, fix_zh = fix + along_en, fix_zh + along_zh
        yield Draft(
            zh=f"周界防区 {name} 仅 {ratio:.0%} 长度有视频覆盖（要求 {p['min_ratio']:.0%}）",
            en=f"perimeter defence zone {name} is watched over {ratio:.0%} of its length "
            f"(required {p['min_ratio']:.0%})",
            features=(name,),
            geometry=blind,
            fix=fix,
            fix_zh=fix_zh,
            severity=p["beam_severity"] if beam else None,
        )


def _along_fix(ctx: Context, stretch: LineString) -> tuple[str, str]:
    """A camera 1 m inside one end of an unwatched stretch, looking along it (zh, en)."""
    a, b = stretch.coords[0], stretch.coords[-1]
    along = unit(b[0] - a[0], b[1] - a[1])
    out = ctx.outward_normal(Point(a), along)
    pos = (a[0] - out[0] * 1.0, a[1] - out[1] * 1.0)
    return (
        f"；建议位置 ({pos[0]:.1f}, {pos[1]:.1f})，朝向 {bearing(along):.0f}°，"
        f"沿 {stretch.length:.0f} 米无视频覆盖段拍摄",
        f"; suggested position ({pos[0]:.1f}, {pos[1]:.1f}) facing {bearing(along):.0f}° "
        f"along the {stretch.length:.0f} m unwatched stretch",
    )


@rule(
    "PERIM-BAND",
    clause="residential guidance (no blind spot inside the perimeter)",
    severity="warning",
    params={"band_m": 5.0, "min_area_m2": 1.0},
    note="Blind spots = the band's free space outside the detection coverage of counted "
    "cameras (ground model), parts of at least min_area_m2.",
)
def perimeter_band(ctx: Context, p: Mapping[str, Any]) -> Iterator[Draft]:
    """No blind spot in the 5 m band inside the boundary."""
    boundary = ctx.site.boundary
    band = boundary.difference(boundary.buffer(-p["band_m"], join_style="mitre"))
    band = band.intersection(ctx.analysis.monitored)
    cover = ctx.coverage("detection")
    blind = band.difference(cover) if not cover.is_empty else band
    parts = [g for g in polygon_parts(blind) if g.area >= p["min_area_m2"]]
    for part in sorted(parts, key=lambda g: -g.area):
        zones = tuple(z.name for z in ctx.site.zones if z.polygon.intersection(part).area > 1e-6)
        c = part.representative_point()
        on = boundary.exterior.interpolate(boundary.exterior.project(c))
        look = unit(c.x - on.x, c.y - on.y)
        yield Draft(
            zh=f"周界内 {p['band_m']:g} 米范围有 {part.area:.1f} 平方米盲区",
            en=f"{part.area:.1f} m² blind spot in the {p['band_m']:g} m band inside the boundary",
            features=zones,
            geometry=part,
            fix=f"add or re-aim a camera to watch ({c.x:.1f}, {c.y:.1f}); suggested position "
            f"on the boundary at ({on.x:.1f}, {on.y:.1f}) facing {bearing(look):.0f}°",
            fix_zh=f"增设或调整摄像机，监视 ({c.x:.1f}, {c.y:.1f})；建议位置在周界上 "
            f"({on.x:.1f}, {on.y:.1f})，朝向 {bearing(look):.0f}°",
        )
