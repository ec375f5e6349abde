"""Entrance and door rules: lane cameras, plates, faces, fixed cameras, access control, doors.

Lanes (docs/site-format.md §5): a gate has ``lanes`` vehicle lanes or
pedestrian channels, spread evenly along a gate line (or ``lane_width_m``
apart round a gate point); the lane axis is the boundary's outward normal. In
a ``mixed`` gate every lane carries both vehicles and people, so the vehicle
rules (GATE-LANE-CAM, GATE-PLATE) and the pedestrian rule (GATE-FACE) all
apply to each lane.

Coverage is the ground model (docs/site-format.md §2): identification
footprints on the ground, plus the depression angle φ = atan2(H − z, d) of the
target (a face at 1.6 m, a plate at 0.5 m) seen from the camera.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from typing import Any

from shapely.geometry import LineString, Point

from camwatch.model import Camera
from camwatch.standards.context import (
    Context,
    Lane,
    angle_between,
    bearing,
    depression_deg,
    gate_label,
    heading_vector,
    unit,
)
from camwatch.standards.engine import Draft, rule

VEHICLE_GATES = ("vehicle", "mixed")
PEDESTRIAN_GATES = ("pedestrian", "mixed")
SAMPLE_STEP_M = 0.25  # spacing of the points tested along a capture stretch


def _lanes(ctx: Context, kinds: tuple[str, ...], lane_width_m: float) -> list[Lane]:
    return [
        lane
        for gate in ctx.site.gates
        if gate.gate_type in kinds
        for lane in ctx.lanes(gate, lane_width_m=lane_width_m)
    ]


def _lane_name(lane: Lane, *, pedestrian: bool = False) -> tuple[str, str]:
    """The lane in words: 车行道 (vehicle lane) or 人行通道 (pedestrian channel), (zh, en)."""
    many = lane.gate.lanes > 1
    kind_zh, kind_en = ("人行通道", "channel") if pedestrian else ("车行道", "lane")
    zh = f"出入口 {lane.label}" + (f" 第 {lane.number} {kind_zh}" if many else "")
    en = f"gate {lane.label}" + (f" {kind_en} {lane.number}" if many else "")
    return zh, en


def _suggest(
    ctx: Context, lane: Lane, inward_m: float, height_m: float, *, pedestrian: bool = False
) -> tuple[str, str]:
    """A position on the lane axis ``inward_m`` inside the gate (or the next free point), (zh, en).

    Up to 10 m further in, in 0.5 m steps, when the first point is not in free space.
    """
    free = ctx.analysis.monitored
    axis_zh = "人行通道" if pedestrian else "车行道"
    for step in range(21):
        d = inward_m + 0.5 * step
        x, y = lane.inward_point(d)
        if free.covers(Point(x, y)):
            return (
                f"建议位置 ({x:.1f}, {y:.1f})，在出入口内 {d:g} 米的{axis_zh}轴线上，"
                f"安装高度 {height_m:g} 米，朝向 {bearing(lane.outward):.0f}°（朝外）",
                f"suggested position ({x:.1f}, {y:.1f}), {d:g} m inside the gate on the lane "
                f"axis, height {height_m:g} m, facing {bearing(lane.outward):.0f}° (outward)",
            )
    return (
        f"{axis_zh}轴线上没有可安装摄像机的空地：可安装在立杆或出入口门架上",
        "no free point on the lane axis for a camera: mount one on a pole or the gate frame",
    )


def _matching(options: list[list[str]]) -> int:
    """Size of a maximum matching of lanes to distinct cameras (augmenting paths)."""
    owner: dict[str, int] = {}

    def place(i: int, seen: set[str]) -> bool:
        for cam in options[i]:
            if cam in seen:
                continue
            seen.add(cam)
            if cam not in owner or place(owner[cam], seen):
                owner[cam] = i
                return True
        return False

    return sum(place(i, set()) for i in range(len(options)))


@rule(
    "GATE-LANE-CAM",
    clause="Shanghai residential technical-prevention rules (2008); DB31/T 329.1-2019 §4.2.2",
    severity="error",
    params={"max_angle_deg": 45.0, "throat_m": 1.0, "lane_width_m": 3.5},
    note="A lane's camera is a counted, non-panoramic camera whose detection footprint (ground model) holds "
    "the lane's throat (throat_m inside the gate) and whose heading is within max_angle_deg "
    "of the outward normal; each lane needs its own camera.",
)
def gate_lane_camera(ctx: Context, p: Mapping[str, Any]) -> Iterator[Draft]:
    """One camera per vehicle lane, facing outward."""
    by_gate: dict[str, list[Lane]] = {}
    for lane in _lanes(ctx, VEHICLE_GATES, p["lane_width_m"]):
        by_gate.setdefault(lane.label, []).append(lane)
    for label, lanes in by_gate.items():
        options = []
        for lane in lanes:
            throat = Point(lane.inward_point(p["throat_m"]))
            options.append(
                [
                    cam.id
                    for cam, fps in ctx.counted
                    if cam.hfov < 180.0  # a panoramic camera faces no direction
                    and ctx.holds(fps["detection"], throat)
                    and angle_between(heading_vector(cam.heading_deg), lane.outward)
                    <= p["max_angle_deg"]
                ]
            )
        matched = _matching(options)
        if matched >= len(lanes):
            continue
        missing = [lane for lane, opts in zip(lanes, options, strict=True) if not opts]
        lane = (missing or lanes)[-1]
        zh, en = _lane_name(lane)
        where_zh, where_en = _suggest(ctx, lane, 6.0, 3.5)
        yield Draft(
            zh=f"出入口 {label} 有 {len(lanes)} 条车道，仅 {matched} 台摄像机朝外拍摄车道",
            en=f"gate {label} has {len(lanes)} vehicle lane(s) but only {matched} camera(s) "
            f"watching them facing outward",
            features=(label,),
            geometry=LineString([lane.point, lane.inward_point(6.0)]),
            fix=f"add a camera at {en} facing outward; " + where_en,
            fix_zh=f"在{zh} 增设一台朝外拍摄的摄像机；" + where_zh,
        )


def _capture(
    ctx: Context,
    lane: Lane,
    *,
    stretch_m: float,
    target_m: float,
    max_depression: float,
    max_axis: float,
) -> tuple[Camera, Point] | None:
    """A counted camera and a point of the lane's capture stretch that it can identify."""
    steps = max(1, int(round(stretch_m / SAMPLE_STEP_M)))
    points = [Point(lane.inward_point(stretch_m * i / steps)) for i in range(steps + 1)]
    for cam, fps in ctx.counted:
        ident = fps["identification"]
        if ident.is_empty:
            continue
        for q in points:
            if not ctx.holds(ident, q):
                continue
            to_cam = unit(cam.position[0] - q.x, cam.position[1] - q.y)
            inward = (-lane.outward[0], -lane.outward[1])
            if angle_between(to_cam, inward) > max_axis:
                continue
            if depression_deg(cam, (q.x, q.y), target_m) > max_depression:
                continue
            return cam, q
    return None


@rule(
    "GATE-PLATE",
    clause="GB 55029-2022 §3.1.4; vendor practice (plate capture geometry)",
    severity="error",
    params={
        "plate_height_m": 0.5,
        "max_axis_deg": 30.0,
        "max_depression_deg": 30.0,
        "stretch_m": 8.0,
        "lane_width_m": 3.5,
    },
    note="Ground model: a point of the lane axis up to stretch_m inside the gate lies in a "
    "counted camera's identification footprint, the camera is within max_axis_deg of the lane "
    "axis seen from that point, and the plate's depression atan2(H − 0.5, d) is at most "
    "max_depression_deg (vendor practice, weak).",
)
def gate_plate(ctx: Context, p: Mapping[str, Any]) -> Iterator[Draft]:
    """Each vehicle lane has a plate-capture stretch at identification level."""
    for lane in _lanes(ctx, VEHICLE_GATES, p["lane_width_m"]):
        found = _capture(
            ctx,
            lane,
            stretch_m=p["stretch_m"],
            target_m=p["plate_height_m"],
            max_depression=p["max_depression_deg"],
            max_axis=p["max_axis_deg"],
        )
        if found is not None:
            continue
        zh, en = _lane_name(lane)
        inward = max(
            8.0, (3.5 - p["plate_height_m"]) / math.tan(math.radians(p["max_depression_deg"]))
        )
        where_zh, where_en = _suggest(ctx, lane, round(inward, 1), 3.5)
        yield Draft(
            zh=f"{zh} 无车牌辨认级抓拍",
            en=f"{en}: no plate capture at identification level",
            features=(lane.label,),
            geometry=LineString([lane.point, lane.inward_point(p["stretch_m"])]),
            fix=f"add a plate-capture camera for {en}; " + where_en,
            fix_zh=f"为{zh} 增设车牌抓拍摄像机；" + where_zh,
        )


@rule(
    "GATE-FACE",
    clause="GB 55029-2022; DB31/T 329.1-2019 §4.2.2",
    severity="error",
    params={
        "face_height_m": 1.6,
        "max_depression_deg": 30.0,
        "max_axis_deg": 45.0,
        "stretch_m": 5.0,
        "lane_width_m": 3.5,
    },
    note="Ground model: a point of the channel axis up to stretch_m inside the gate lies in a "
    "counted camera's identification footprint with the face's depression atan2(H − 1.6, d) at "
    "most 30°; the camera must be in front of people walking in (within max_axis_deg of the "
    "axis, our choice).",
)
def gate_face(ctx: Context, p: Mapping[str, Any]) -> Iterator[Draft]:
    """Each pedestrian channel is captured at identification level, depression ≤ 30°."""
    for lane in _lanes(ctx, PEDESTRIAN_GATES, p["lane_width_m"]):
        found = _capture(
            ctx,
            lane,
            stretch_m=p["stretch_m"],
            target_m=p["face_height_m"],
            max_depression=p["max_depression_deg"],
            max_axis=p["max_axis_deg"],
        )
        if found is not None:
            continue
        zh, en = _lane_name(lane, pedestrian=True)
        height = 2.8
        inward = (height - p["face_height_m"]) / math.tan(math.radians(p["max_depression_deg"]))
        where_zh, where_en = _suggest(
            ctx, lane, round(max(inward, 3.0) + 1.0, 1), height, pedestrian=True
        )
        yield Draft(
            zh=f"{zh} 无人脸辨认级抓拍（俯角 ≤ {p['max_depression_deg']:g}°）",
            en=f"{en}: no face capture at identification level "
            f"(depression ≤ {p['max_depression_deg']:g}°)",
            features=(lane.label,),
            geometry=LineString([lane.point, lane.inward_point(p["stretch_m"])]),
            fix=f"add a face-capture camera for {en}; " + where_en,
            fix_zh=f"为{zh} 增设人脸抓拍摄像机；" + where_zh,
        )


@rule(
    "GATE-FIXED",
    clause="Shanghai residential technical-prevention rules (2009)",
    severity="warning",
    params={"throat_m": 1.0, "lane_width_m": 3.5},
    note="Entrance cameras: face and plate cameras, and any camera whose detection footprint "
    "holds a gate lane's throat.",
)
def gate_fixed(ctx: Context, p: Mapping[str, Any]) -> Iterator[Draft]:
    """Entrance cameras are fixed-direction, fixed-focus (not PTZ)."""
    fps = {c.id: c.footprints for c in ctx.dori.cameras}
    throats = [
        (lane.label, Point(lane.inward_point(p["throat_m"])))
        for gate in ctx.site.gates
        for lane in ctx.lanes(gate, lane_width_m=p["lane_width_m"])
    ]
    for cam in ctx.site.cameras:
        if not cam.ptz:
            continue
        seen = sorted({g for g, t in throats if ctx.holds(fps[cam.id]["detection"], t)})
        if not seen and cam.purpose not in ("face", "plate"):
            continue
        yield Draft(
            zh=f"出入口摄像机 {cam.id} 为云台（PTZ）摄像机，应为固定方向、固定焦距",
            en=f"entrance camera {cam.id} is a PTZ camera; entrance cameras must be fixed "
            "direction and fixed focus",
            features=(cam.id, *seen),
            geometry=cam.point,
            fix=f"replace camera {cam.id} with a fixed camera, or add a fixed camera for the gate "
            "and keep the PTZ for patrol views",
            fix_zh=f"将摄像机 {cam.id} 更换为固定摄像机，或为出入口增设一台固定摄像机，"
            "云台摄像机保留用于巡视",
        )


@rule(
    "GATE-ACCESS",
    clause="safe-compound programme documents (access control at every pedestrian gate)",
    severity="error",
)
def gate_access(ctx: Context, p: Mapping[str, Any]) -> Iterator[Draft]:
    """Every pedestrian (or mixed) gate has access control."""
    for gate in ctx.site.gates:
        if gate.gate_type in PEDESTRIAN_GATES and gate.access_control == "none":
            label = gate_label(gate)
            yield Draft(
                zh=f"出入口 {label} 无门禁",
                en=f"gate {label} has no access control",
                features=(label,),
                geometry=gate.geometry,
                fix=f"install access control (card, face, code or QR) at gate {label}",
                fix_zh=f"在出入口 {label} 安装门禁（刷卡、人脸、密码或二维码）",
            )


def _door_label(door: Any) -> str:
    return door.id if door.id is not None else door.name or f"door #{door.index}"


@rule(
    "DOOR-CAM",
    clause="Shanghai residential technical-prevention rules (2008)",
    severity="error",
    params={"door_types": ["unit", "garage", "bike_garage"], "front_m": 1.0},
    note="The point front_m in front of the door (ground model) lies in a counted camera's "
    "recognition footprint.",
)
def door_camera(ctx: Context, p: Mapping[str, Any]) -> Iterator[Draft]:
    """Every building door (unit, garage, bike garage) is inside a recognition footprint."""
    cover = ctx.coverage("recognition").buffer(0.01)
    for door in ctx.site.doors:
        if door.door_type not in p["door_types"]:
            continue
        front = ctx.door_front(door, distance=p["front_m"])
        if cover.contains(Point(front)):
            continue
        label = _door_label(door)
        look = unit(door.position[0] - front[0], door.position[1] - front[1])
        far = (front[0] - look[0] * 5.0, front[1] - look[1] * 5.0)
        yield Draft(
            zh=f"门 {label} 未在识别级视频范围内",
            en=f"door {label} is not watched at recognition level",
            features=(label,),
            geometry=Point(front),
            fix=f"add a camera watching door {label}; suggested position ({far[0]:.1f}, "
            f"{far[1]:.1f}), 5 m in front of it, facing {bearing(look):.0f}° (towards the door), "
            "or a dome on the facade beside the door",
            fix_zh=f"增设摄像机监视门 {label}；建议位置 ({far[0]:.1f}, {far[1]:.1f})，"
            f"门前 5 米，朝向 {bearing(look):.0f}°（朝向门），或在门旁外墙安装半球摄像机",
        )


@rule(
    "DOOR-INTERCOM",
    clause="Shanghai residential technical-prevention rules (2009)",
    severity="error",
    params={"intercom_reach_m": 2.0},
    note="A unit door has a video intercom when the door says so (intercom: true) or an "
    "intercom device stands within intercom_reach_m of it.",
)
def door_intercom(ctx: Context, p: Mapping[str, Any]) -> Iterator[Draft]:
    """Every unit door has a video intercom."""
    for door in ctx.site.doors:
        if door.door_type != "unit" or door.intercom:
            continue
        if any(
            math.dist(ic.position, door.position) <= p["intercom_reach_m"]
            for ic in ctx.site.intercoms
        ):
            continue
        label = _door_label(door)
        yield Draft(
            zh=f"单元门 {label} 无可视对讲",
            en=f"unit door {label} has no video intercom",
            features=(label,),
            geometry=door.point,
            fix=f"install a video intercom at unit door {label}",
            fix_zh=f"在单元门 {label} 安装可视对讲",
        )
