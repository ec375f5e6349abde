"""What the re-check form shows: the coverage **now** of what a problem is about.

A planner re-checking a fixed problem decides from today's numbers, so the form
shows them beside the choice (and preselects no result — docs/web.md, "Plan
numbers"): the compound's ratio per DORI level (active cameras, as the
coverage tab), and for a problem about a zone the zone's ratio at its
required level, for one about a blind spot the blind spots of today's
analysis that overlap it (or none).
"""

from __future__ import annotations

from typing import Any

from shapely.geometry import Point, shape

from web.summary import analysis_outcome

SPOT_NEAR_M = 1.0  # a stored blind spot without an outline matches spots this near its centroid


def current_coverage(problem: Any) -> dict[str, Any] | None:
    """Today's numbers for the problem's compound and finding; None if the analysis fails."""
    result, _failure = analysis_outcome(problem.compound)
    if result is None:
        return None
    summary = result.figures.to_dict()
    out: dict[str, Any] = {
        "levels": {lv: v["ratio"] for lv, v in summary["levels"].items()},
        "zone": None,
        "spots": None,
    }
    ref = problem.reference or {}
    zone_name = ref.get("name") if ref.get("type") == "zone" else problem.zone_name
    if zone_name:
        out["zone"] = next((z for z in summary["zones"] if z["name"] == zone_name), None)
    if ref.get("type") == "blind_spot" and ref.get("centroid"):
        try:
            where = shape(ref["geometry"]) if ref.get("geometry") else None
        except Exception:  # an outline stored by an older version: use the centroid
            where = None
        if where is None or where.is_empty:
            where = Point(ref["centroid"]).buffer(SPOT_NEAR_M)
        out["spots"] = [
            {"id": b.id, "area_m2": b.area_m2}
            for b in result.figures.blind_spots
            if b.geometry.intersects(where)
        ]
    return out
