"""Device rules: retention, resolution, mounting height, and (from the ledger) device health."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import timedelta
from typing import Any

from shapely.geometry import Point

from camwatch.standards.context import Context
from camwatch.standards.engine import Draft, rule

STATUS_ZH = {"faulty": "故障", "offline": "离线"}


@rule(
    "RETENTION",
    clause="Chongqing residential technical-prevention specification (2016)",
    severity="error",
    params={"min_days": 30},
    note="Checked when site.retention_days is given; a site that does not record it is listed as "
    "not checked.",
)
def retention(ctx: Context, p: Mapping[str, Any]) -> Iterator[Draft]:
    """Video is kept for at least 30 days."""
    days = ctx.site.info.retention_days
    if days is None or days >= p["min_days"]:
        return
    yield Draft(
        zh=f"录像保存 {days} 天，少于 {p['min_days']} 天",
        en=f"video is kept {days} days, less than {p['min_days']}",
        geometry=ctx.site.boundary,
        fix=f"extend video storage to at least {p['min_days']} days (add recorder disks)",
        fix_zh=f"将录像保存时间延长至不少于 {p['min_days']} 天（为录像机增加硬盘）",
    )


@rule(
    "RESOLUTION",
    clause="secondary source (weak): cameras of at least 2 MP",
    severity="warning",
    params={"min_megapixels": 2.0},
    note="Every camera of the site whatever its status; 1920×1080 counts as 2 MP.",
)
def resolution(ctx: Context, p: Mapping[str, Any]) -> Iterator[Draft]:
    """Cameras have at least 2 MP (1920×1080 and up)."""
    for cam in ctx.site.cameras:
        w, h = cam.resolution
        mp = w * h / 1e6
        if round(mp, 1) + 1e-9 >= p["min_megapixels"]:
            continue
        yield Draft(
            zh=f"摄像机 {cam.id} 分辨率 {w}×{h}（{mp:.1f} MP），低于 {p['min_megapixels']:g} MP",
            en=f"camera {cam.id} is {w}×{h} ({mp:.1f} MP), below {p['min_megapixels']:g} MP",
            features=(cam.id,),
            geometry=cam.point,
            fix=f"replace camera {cam.id} with a camera of at least {p['min_megapixels']:g} MP",
            fix_zh=f"将摄像机 {cam.id} 更换为不低于 {p['min_megapixels']:g} MP 的摄像机",
        )


@rule(
    "MOUNT-HEIGHT",
    clause="GB 51348-2019 §14.3.6(7)",
    severity="warning",
    params={"outdoor_min_m": 3.5, "outdoor_max_m": 10.0, "indoor_min_m": 2.5, "indoor_max_m": 5.0},
    note="Face and plate cameras (purpose face or plate) are exempt.",
)
def mount_height(ctx: Context, p: Mapping[str, Any]) -> Iterator[Draft]:
    """Outdoor cameras at 3.5–10 m, indoor at 2.5–5 m; face and plate cameras exempt."""
    for cam in ctx.site.cameras:
        if cam.purpose in ("face", "plate"):
            continue
        where, lo, hi = (
            ("indoor", p["indoor_min_m"], p["indoor_max_m"])
            if cam.indoor
            else ("outdoor", p["outdoor_min_m"], p["outdoor_max_m"])
        )
        if lo - 1e-9 <= cam.height_m <= hi + 1e-9:
            continue
        zh_where = "室内" if cam.indoor else "室外"
        yield Draft(
            zh=f"{zh_where}摄像机 {cam.id} 安装高度 {cam.height_m:g} 米，应为 {lo:g}–{hi:g} 米",
            en=f"{where} camera {cam.id} is mounted at {cam.height_m:g} m, outside {lo:g}–{hi:g} m",
            features=(cam.id,),
            geometry=cam.point,
            fix=f"remount camera {cam.id} between {lo:g} and {hi:g} m "
            f"(then re-aim it: its footprint changes)",
            fix_zh=f"将摄像机 {cam.id} 的安装高度调整到 {lo:g}–{hi:g} 米之间"
            "（随后重新调整朝向：其覆盖范围会改变）",
        )


@rule(
    "DEVICE-HEALTH",
    clause="safe-compound programme documents (faults repaired by their deadline)",
    severity="error",
    params={"repair_days": 7},
    needs_ledger=True,
    note="Ledger only (a COMPOUND, not a site file): a faulty or offline camera is late when an "
    "unresolved problem about it is overdue, or, without one, when it has had that status for "
    "more than repair_days days.",
)
def device_health(ctx: Context, p: Mapping[str, Any]) -> Iterator[Draft]:
    """No faulty or offline camera older than its repair deadline."""
    for dev in ctx.devices or ():
        if dev.kind != "camera" or dev.status not in ("faulty", "offline"):
            continue
        if dev.deadline is not None:
            due = dev.deadline
        elif dev.since is not None:
            due = dev.since + timedelta(days=p["repair_days"])
        else:
            continue
        if due >= ctx.today:
            continue
        late = (ctx.today - due).days
        yield Draft(
            zh=f"摄像机 {dev.code} {STATUS_ZH.get(dev.status, dev.status)}，"
            f"已超过维修期限 {late} 天",
            en=f"camera {dev.code} is {dev.status}, {late} day(s) past its repair deadline "
            f"{due.isoformat()}",
            features=(dev.code,),
            geometry=Point(dev.position) if dev.position else None,
            fix=f"repair or replace camera {dev.code}",
            fix_zh=f"维修或更换摄像机 {dev.code}",
        )
