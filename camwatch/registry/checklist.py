"""The safe-compound checklist of an inspection: items, score, pass/fail.

The checklist (weights add up to 100; an item scores its weight when it passes):

==================  ======  ==========================================================
key                 weight  passes when
==================  ======  ==========================================================
coverage            30      the analysis is compliant: every zone reaches its level
blind_spots         10      the analysis finds no blind spot (≥ 1 m²)
device_health       20      ≥ 95 % of installed cameras (active/faulty/offline) are active
problems            15      no rectification item is overdue
access_control      15      every gate in service has access control (not ``none``) and
                            is active; a compound without gates fails
perimeter_alarms    10      ≥ 90 % of the boundary's outer line lies within 2 m of an
                            active alarm line, or of a gate (a gate closes its stretch)
==================  ======  ==========================================================

The inspection **passes** when the score is at least 80 *and* the coverage item
passes ("full coverage of key areas" is the programme's core demand).

The coverage analysis is computed by the caller (the registry does not import
the geometry engine) from the compound's current export, counting active
cameras only, and passed in as the docs/site-format.md §3 JSON object; it is refused
if it is of another site or of a different set of cameras.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from shapely.geometry import shape
from shapely.ops import unary_union
from sqlalchemy.orm import Session

from camwatch.errors import UsageError
from camwatch.i18n import msg
from camwatch.registry.compounds import export_site, get_compound
from camwatch.registry.problems import is_overdue, list_problems

WEIGHTS: dict[str, int] = {
    "coverage": 30,
    "blind_spots": 10,
    "device_health": 20,
    "problems": 15,
    "access_control": 15,
    "perimeter_alarms": 10,
}
PASS_SCORE = 80.0
MIN_ACTIVE_CAMERA_SHARE = 0.95
PERIMETER_ALARM_DISTANCE_M = 2.0
MIN_PERIMETER_ALARM_SHARE = 0.90

TITLES: dict[str, str] = {
    "coverage": "Coverage compliance (every zone at its DORI level)",
    "blind_spots": "No blind spots",
    "device_health": "Device health (cameras in working order)",
    "problems": "No overdue rectification items",
    "access_control": "Access control at every gate",
    "perimeter_alarms": "Alarms along the perimeter",
}


def _item(key: str, passed: bool, detail: str, value: Any = None) -> dict[str, Any]:
    return {
        "key": key,
        "title": TITLES[key],
        "weight": WEIGHTS[key],
        "passed": bool(passed),
        "detail": detail,
        "value": value,
    }


def checklist(
    session: Session, compound: str, analysis: Mapping[str, Any], *, today: date
) -> list[dict[str, Any]]:
    """The checklist items for a compound (nothing is written)."""
    comp = get_compound(session, compound)
    site = export_site(session, compound)
    _check_analysis(comp.code, analysis, [c.id for c in site.cameras if c.status == "active"])
    devices = [d for d in comp.devices if d.status != "retired"]
    items = []

    zones = analysis["zones"]
    passing = sum(1 for z in zones if z.get("pass"))
    failing = [z["name"] for z in zones if not z.get("pass")]
    detection = analysis.get("levels", {}).get("detection", {}).get("ratio")
    detail = f"{passing} of {len(zones)} zones reach their required level"
    if failing:
        detail += f"; failing: {', '.join(failing)}"
    items.append(
        _item(
            "coverage",
            bool(analysis.get("compliant")),
            detail,
            {"zones_passing": passing, "zones": len(zones), "detection_ratio": detection},
        )
    )

    spots = analysis["blind_spots"]
    spot_area = round(sum(float(s["area_m2"]) for s in spots), 2)
    items.append(
        _item(
            "blind_spots",
            not spots,
            f"{len(spots)} blind spot(s), {spot_area:.1f} m² unwatched" if spots else "none",
            {"count": len(spots), "area_m2": spot_area},
        )
    )

    installed = [
        d for d in devices if d.kind == "camera" and d.status in ("active", "faulty", "offline")
    ]
    active = [d for d in installed if d.status == "active"]
    share = len(active) / len(installed) if installed else 0.0
    broken = sorted(d.code for d in installed if d.status != "active")
    detail = f"{len(active)} of {len(installed)} installed cameras active ({100 * share:.1f} %)"
    if broken:
        detail += f"; not working: {', '.join(broken)}"
    items.append(
        _item(
            "device_health",
            bool(installed) and share >= MIN_ACTIVE_CAMERA_SHARE,
            detail if installed else "no installed cameras",
            {"active": len(active), "installed": len(installed), "share": round(share, 6)},
        )
    )

    unresolved = list_problems(session, compound=compound, unresolved=True)
    overdue = [p for p in unresolved if is_overdue(p, today)]
    detail = f"{len(unresolved)} open, {len(overdue)} overdue"
    if overdue:
        detail += f" (#{', #'.join(str(p.id) for p in overdue)})"
    items.append(
        _item(
            "problems",
            not overdue,
            detail,
            {"open": len(unresolved), "overdue": len(overdue)},
        )
    )

    gates = [d for d in devices if d.kind == "gate" and d.status != "planned"]
    lacking = sorted(
        d.code
        for d in gates
        if d.status != "active" or (d.properties or {}).get("access_control", "none") == "none"
    )
    if not gates:
        detail = "no gate registered"
    elif lacking:
        detail = (
            f"{len(gates) - len(lacking)} of {len(gates)} gates controlled; lacking: "
            + ", ".join(lacking)
        )
    else:
        detail = f"all {len(gates)} gates have working access control"
    items.append(
        _item(
            "access_control",
            bool(gates) and not lacking,
            detail,
            {"gates": len(gates), "lacking": lacking},
        )
    )

    ring = site.boundary.exterior
    alarms = [
        shape(d.geometry)
        for d in devices
        if d.kind == "alarm" and d.status == "active" and d.geometry.get("type") == "LineString"
    ]
    gate_geoms = [shape(d.geometry) for d in gates]
    alarmed = (
        ring.intersection(unary_union(alarms).buffer(PERIMETER_ALARM_DISTANCE_M)).length
        if alarms
        else 0.0
    )
    guarded = (
        ring.intersection(
            unary_union(alarms + gate_geoms).buffer(PERIMETER_ALARM_DISTANCE_M)
        ).length
        if alarms
        else 0.0
    )
    share = guarded / ring.length if ring.length > 0 else 0.0
    items.append(
        _item(
            "perimeter_alarms",
            share >= MIN_PERIMETER_ALARM_SHARE,
            f"{100 * share:.1f} % of the {ring.length:.0f} m perimeter guarded "
            f"({alarmed:.0f} m by {len(alarms)} alarm line(s), the rest by gates)"
            if alarms
            else "no active perimeter alarm line",
            {
                "perimeter_m": round(ring.length, 2),
                "guarded_m": round(guarded, 2),
                "share": round(share, 6),
            },
        )
    )
    return items


def _check_analysis(code: str, analysis: Mapping[str, Any], active_cameras: Sequence[str]) -> None:
    if not isinstance(analysis, Mapping):
        raise UsageError(msg("analysis must be the JSON object of `camwatch analyze --json`"))
    for key, kind in (("zones", list), ("blind_spots", list), ("cameras", list)):
        if not isinstance(analysis.get(key), kind):
            raise UsageError(
                msg(
                    "analysis has no %(key)s list (is it `camwatch analyze --json`?)",
                    key=repr(key),
                )
            )
    if analysis.get("site") not in (None, code):
        raise UsageError(
            msg(
                "analysis is of site %(site)s, not of compound %(code)s",
                site=repr(analysis.get("site")),
                code=repr(code),
            )
        )
    counted = {c["id"] for c in analysis["cameras"] if c.get("status") == "active"}
    if counted != set(active_cameras):
        raise UsageError(
            msg(
                "analysis does not match the ledger's active cameras of %(code)s "
                "(re-run it on the current export)",
                code=repr(code),
            )
        )


def score_of(items: Sequence[Mapping[str, Any]]) -> float:
    """Sum of the weights of the passing items (0–100)."""
    return float(sum(i["weight"] for i in items if i["passed"]))


def passed_of(items: Sequence[Mapping[str, Any]]) -> bool:
    """Score ≥ PASS_SCORE and coverage compliance passed."""
    coverage = next((i for i in items if i["key"] == "coverage"), None)
    return score_of(items) >= PASS_SCORE and bool(coverage and coverage["passed"])
