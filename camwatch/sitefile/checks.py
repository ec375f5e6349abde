"""Cross-feature checks of a site: camera placement, unique ids, doors on facades.

Here, apart from parsing, so the registry can validate a device against an
existing site (:func:`check_camera_placement`, :func:`check_camera_id_free`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import shapely
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from camwatch.areal import ROBUST_GRID_M
from camwatch.errors import named, short
from camwatch.i18n import Message, msg
from camwatch.model import (
    DOOR_FACADE_TOLERANCE_M,
    MOUNT_TOLERANCE_M,
    Camera,
    Door,
    Site,
)
from camwatch.sitefile.values import Ctx

# Tolerance on top of MOUNT_TOLERANCE_M for floating-point distance error.
_EPS = 1e-9


def site_free_space(site: Site) -> BaseGeometry:
    """Boundary minus buildings, obstacles and wall footprints (for placement checks)."""
    return site.free_space()


def _camera_ctx(camera: Camera) -> Ctx:
    return Ctx(camera.index, "camera", camera.id)


def _blocker(site: Site, camera: Camera) -> Message | str | None:
    """Which opaque feature holds the camera, for the message (None: none does)."""
    pt = camera.point
    holders: Iterable[tuple[str, Any, Polygon]] = (
        [("building", b, b.polygon) for b in site.buildings]
        + [("obstacle", o, o.polygon) for o in site.obstacles]
        + [("wall", w, w.footprint) for w in site.walls]
    )
    for kind, obj, poly in holders:
        if poly.covers(pt):
            what = named(kind, obj.name)
            if obj.index is None:
                return what
            return msg("%(what)s (feature #%(index)s)", what=what, index=obj.index)
    return msg("an obstacle") if site.boundary.covers(pt) else None


def stands_on_lower_at(site: Site, points: np.ndarray, height_m: float) -> np.ndarray:
    """For each of ``points`` (shapely points), whether a camera ``height_m`` high there
    stands on something lower than itself, as the standing model allows
    (docs/site-format.md §4: a pole on a wall, a camera on a kiosk roof): it is inside
    the boundary and every building, obstacle and wall holding it is lower. A see-through
    wall never blocks sight, so it never keeps a camera out. The engine then keeps the
    camera where it is, and that obstacle hides nothing from it. The caller knows the
    model applies (the loader for one camera, the planner for many mount spots)."""
    ok = shapely.covers(site.boundary, points)
    holders = (
        [(b.polygon, b.height_m) for b in site.buildings]
        + [(o.polygon, o.height_m) for o in site.obstacles]
        + [(w.footprint, w.height_m) for w in site.walls if not w.see_through]
    )
    if holders and ok.any():
        at, hit = shapely.STRtree([p for p, _ in holders]).query(points, predicate="intersects")
        too_high = np.array([h for _, h in holders], dtype=float)[hit] >= height_m
        ok[at[too_high]] = False
    return ok


def stands_on_lower(site: Site, position: tuple[float, float], height_m: float) -> bool:
    """:func:`stands_on_lower_at` for one position."""
    return bool(stands_on_lower_at(site, shapely.points([position]), height_m)[0])


def _metres(distance: float) -> str:
    """A distance for a message, with enough digits to show it exceeds the tolerance."""
    text = f"{distance:.2f}"
    return text if float(text) > MOUNT_TOLERANCE_M else f"{distance:.9g}"


def check_camera_placement(
    camera: Camera, site: Site, *, free_space: BaseGeometry | None = None
) -> None:
    """A camera must stand in free space, allowing MOUNT_TOLERANCE_M (0.05 m) slack,
    or, in the standing model, on something lower than itself (:func:`stands_on_lower`).

    On a facade (an obstacle's edge) is fine; up to 0.05 m inside an obstacle or
    outside the boundary is fine (analysis moves it to its nearest free point).
    Pass ``free_space`` (from :func:`site_free_space`) when checking many cameras.
    A camera too far from free space that no obstacle holds is outside the
    boundary, and is reported so (free space is snapped to a fine grid, so its
    distance can exceed the distance to the boundary by a hair).
    """
    ctx = _camera_ctx(camera)
    pt = camera.point
    outside = pt.distance(site.boundary)
    at = {"x": f"{pt.x:g}", "y": f"{pt.y:g}", "allowed": f"{MOUNT_TOLERANCE_M}"}
    if outside > MOUNT_TOLERANCE_M + _EPS:
        raise ctx.error(
            msg(
                "camera at (%(x)s, %(y)s) is %(distance)s m outside the boundary (allowed %(allowed)s m)",
                distance=_metres(outside),
                **at,
            )
        )
    free = site_free_space(site) if free_space is None else free_space
    if free.is_empty:
        raise ctx.error(msg("the site has no free space to place a camera in"))
    inside = pt.distance(free)
    # Free space is snap-rounded to ROBUST_GRID_M, which may move its edge that far.
    if inside > MOUNT_TOLERANCE_M + _EPS + ROBUST_GRID_M and not (
        site.info.model == "standing" and stands_on_lower(site, camera.position, camera.height_m)
    ):
        blocker = _blocker(site, camera)
        if blocker is None:
            raise ctx.error(
                msg(
                    "camera at (%(x)s, %(y)s) is %(distance)s m outside the boundary (allowed %(allowed)s m)",
                    distance=_metres(inside),
                    **at,
                )
            )
        raise ctx.error(
            msg(
                "camera at (%(x)s, %(y)s) is inside %(blocker)s, %(distance)s m from free space (allowed %(allowed)s m)",
                blocker=blocker,
                distance=_metres(inside),
                **at,
            )
        )


def check_camera_id_free(camera: Camera, site: Site) -> None:
    """The camera's id must not be used by another camera of the site."""
    for other in site.cameras:
        if other.id == camera.id and other is not camera:
            if other.index is not None:
                text = msg(
                    "duplicate camera id '%(id)s' (also feature #%(index)s)",
                    id=short(camera.id),
                    index=other.index,
                )
            else:
                text = msg(
                    "duplicate camera id '%(id)s' (also another camera)", id=short(camera.id)
                )
            raise _camera_ctx(camera).error(text)


def _check_unique(kind: str, items: Iterable[Any], attr: str, what: Message) -> None:
    seen: dict[str, Any] = {}
    for item in items:
        key = getattr(item, attr)
        if key is None:
            continue
        if key in seen:
            first = seen[key].index
            if first is not None:
                text = msg(
                    "duplicate %(what)s '%(key)s' (also feature #%(index)s)",
                    what=what,
                    key=short(key),
                    index=first,
                )
            else:
                text = msg("duplicate %(what)s '%(key)s'", what=what, key=short(key))
            raise Ctx(item.index, kind, key).error(text)
        seen[key] = item


def check_door_on_facade(door: Door, site: Site) -> None:
    """A door (docs/site-format.md §5) lies on a building's outline, within 0.5 m."""
    ctx = Ctx(door.index, "door", door.id)
    pt = door.point
    gap = min((b.polygon.boundary.distance(pt) for b in site.buildings), default=None)
    if gap is None:
        raise ctx.error(msg("a door must be on a building facade, but the site has no buildings"))
    if gap > DOOR_FACADE_TOLERANCE_M + _EPS:
        raise ctx.error(
            msg(
                "door at (%(x)s, %(y)s) is %(gap)s m from the nearest building facade (allowed %(allowed)s m)",
                x=format(pt.x, "g"),
                y=format(pt.y, "g"),
                gap=format(gap, ".2f"),
                allowed=DOOR_FACADE_TOLERANCE_M,
            )
        )


def check_site(site: Site) -> None:
    """Cross-feature rules: unique camera ids, zone names and device ids; camera placement."""
    _check_unique("camera", site.cameras, "id", msg("camera id"))
    _check_unique("zone", site.zones, "name", msg("zone name"))
    _check_unique("gate", site.gates, "id", msg("gate id"))
    _check_unique("alarm", site.alarms, "id", msg("alarm id"))
    _check_unique("intercom", site.intercoms, "id", msg("intercom id"))
    _check_unique("door", site.doors, "id", msg("door id"))
    for door in site.doors:
        check_door_on_facade(door, site)
    if site.cameras:
        free = site_free_space(site)
        for camera in site.cameras:
            check_camera_placement(camera, site, free_space=free)
