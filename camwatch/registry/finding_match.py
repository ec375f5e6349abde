"""Which stored problem a finding is: finding keys, stored blind-spot outlines, matching.

A failing zone's problem is keyed ``zone:<name>``; a blind spot's by its centroid
to the decimetre (``blind_spot:<x>,<y>``). A new blind spot is the same finding
as an unresolved one when their outlines overlap enough (intersection over
union), when the stored label point lies inside the new spot, or — for a
problem stored by an earlier version, without an outline — when their
centroids are close (docs/registry.md).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from shapely.geometry import Point, mapping, shape
from shapely.geometry.base import BaseGeometry
from sqlalchemy import select
from sqlalchemy.orm import Session

from camwatch.registry.models import Compound, Problem

BLIND_SPOT_KEY = "blind_spot"  # written by earlier versions; new rows use BLIND_SPOT_KEY_PREFIX
BLIND_SPOT_KEY_PREFIX = "blind_spot:"
ZONE_KEY_PREFIX = "zone:"
# a new blind spot is the same finding as a stored one when their outlines overlap this much
# (intersection over union) or the stored label point lies inside the new spot
BLIND_SPOT_MIN_IOU = 0.5
# blind-spot outlines are stored simplified by this much (m), coordinates to the centimetre
STORED_OUTLINE_TOLERANCE_M = 0.05
# a new blind spot is the same finding as an unresolved one when their centroids are closer
# than max(BLIND_SPOT_MATCH_MIN_M, BLIND_SPOT_MATCH_FACTOR * sqrt(larger area))
BLIND_SPOT_MATCH_MIN_M = 1.0
BLIND_SPOT_MATCH_FACTOR = 0.5


def blind_spot_key(centroid: Sequence[float]) -> str:
    """A new blind spot's key: its centroid to the decimetre (docs/registry.md)."""
    return f"{BLIND_SPOT_KEY_PREFIX}{float(centroid[0]):.1f},{float(centroid[1]):.1f}"


def stored_outline(geometry: BaseGeometry) -> dict[str, Any]:
    """A blind spot's outline as kept in ``reference["geometry"]`` (simplified, rounded)."""
    simple = geometry.simplify(STORED_OUTLINE_TOLERANCE_M, preserve_topology=True)
    return _rounded(mapping(simple))


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 2)
    if isinstance(value, Mapping):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_rounded(v) for v in value]
    return value


def outline_of(data: Mapping[str, Any] | None) -> BaseGeometry | None:
    """The stored or reported outline of a blind spot (its ``geometry``), None if unusable."""
    raw = (data or {}).get("geometry")
    if not isinstance(raw, Mapping):
        return None
    try:
        geom = shape(raw)
    except (ValueError, TypeError, KeyError, AttributeError):
        return None
    return geom if geom.is_valid and not geom.is_empty else geom.buffer(0)


def _match_tolerance(area_a: float, area_b: float) -> float:
    return max(BLIND_SPOT_MATCH_MIN_M, BLIND_SPOT_MATCH_FACTOR * math.sqrt(max(area_a, area_b)))


def _spot_match(stored: Mapping[str, Any], spot: Mapping[str, Any]) -> tuple[float, float] | None:
    """How well a stored blind spot matches a new one, (overlap, -distance); None if not."""
    cx, cy = (float(v) for v in spot["centroid"])
    px, py = (float(v) for v in stored["centroid"])
    dist = math.hypot(cx - px, cy - py)
    old, new = outline_of(stored), outline_of(spot)
    if old is not None and new is not None:
        union = old.union(new).area
        iou = old.intersection(new).area / union if union > 0 else 0.0
        if iou >= BLIND_SPOT_MIN_IOU:
            return (iou, -dist)
        label = stored.get("label_point")
        if isinstance(label, list | tuple) and len(label) == 2 and new.contains(Point(*label)):
            return (iou, -dist)
        return None
    # an outline is missing (a problem stored by an earlier version): centroids close enough
    tol = _match_tolerance(float(spot["area_m2"]), float(stored.get("area_m2", 0.0)))
    return (0.0, -dist) if dist <= tol else None


def open_findings(session: Session, compound: Compound) -> list[Problem]:
    """The compound's problems that hold a finding's key (not yet verified)."""
    stmt = select(Problem).where(Problem.compound_id == compound.id, Problem.open_key.is_not(None))
    return list(session.scalars(stmt.order_by(Problem.id)))


def match_blind_spot(
    candidates: Sequence[Problem], spot: Mapping[str, Any], *, skip: set[int] | None = None
) -> Problem | None:
    """The open blind-spot problem this spot is (best overlap, then nearest), or None."""
    best: tuple[tuple[float, float], Problem] | None = None
    for p in candidates:
        if (skip and p.id in skip) or not (p.open_key or "").startswith(BLIND_SPOT_KEY_PREFIX):
            continue
        if not p.reference or "centroid" not in p.reference:
            continue
        score = _spot_match(p.reference, spot)
        if score is not None and (best is None or score > best[0]):
            best = (score, p)
    return best[1] if best else None
