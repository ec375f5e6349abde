"""What ``render`` draws of the planners' results (issue 4 item 7).

Each function turns one planner result into a
:class:`camwatch.render.overlays.Overlays`;
:func:`camwatch.render.overlays.combine` merges several, e.g.
``render_plan(site, analysis, "plan.png", overlays=combine(a, b))``.
Labels are short and bilingual where the picture needs words.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from shapely.geometry import LineString, Point

from camwatch.render.overlays import Overlays
from planners.plan import PlanResult

LABELS_ZH = {
    "access_control": "门禁",
    "identification_camera": "辨认级摄像机",
    "infrared_beam": "红外对射",
    "electric_fence": "电子围栏",
    "intercom": "对讲",
}


def plan_overlays(result: PlanResult) -> Overlays:
    """Ghost cameras: each suggestion with its detection footprint and its gain."""
    footprints = {}
    if result.after_analysis is not None:
        footprints = {  # each camera's widest footprint: its ladder's lowest level
            c.id: next(iter(c.footprints.values())) for c in result.after_analysis.cameras
        }
    ghosts = [
        (s.camera, footprints.get(s.camera.id, Point(s.camera.position)), s.gain_m2)
        for s in result.suggestions
    ]
    return Overlays(ghost_cameras=ghosts)


def device_overlays(items: Sequence[dict[str, Any]]) -> Overlays:
    """Device suggestions: markers at their position, perimeter stretches as lines."""
    devices = []
    for item in items:
        label = f"{LABELS_ZH.get(item['type'], item['type'])} {item['type'].replace('_', ' ')}"
        if item.get("geometry") and len(item["geometry"]) >= 2:
            devices.append((LineString(item["geometry"]), f"{label} {item['length_m']:.0f} m"))
        else:
            devices.append((Point(item["position"]), label))
    return Overlays(devices=devices)


def route_overlays(routes: Sequence[dict[str, Any]], *, worst: int | None = 5) -> Overlays:
    """The worst intruder routes as lines labelled ``R1 42 m unseen``."""
    drawn = [r for r in routes if r.get("reachable") and len(r.get("path", [])) >= 2]
    drawn = drawn[:worst] if worst is not None else drawn
    return Overlays(
        routes=[(LineString(r["path"]), f"{r['id']} {r['unseen_m']:.0f} m unseen") for r in drawn]
    )


def patrol_overlay(patrol: dict[str, Any]) -> Overlays:
    """The closed patrol route with its length and time."""
    path = patrol.get("path", [])
    if len(path) < 2:
        return Overlays()
    label = f"巡逻 patrol {patrol['length_m']:.0f} m, {patrol['time_min']:.0f} min"
    return Overlays(patrol=LineString(path), patrol_label=label)
