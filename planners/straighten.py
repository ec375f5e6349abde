"""Straightening a walk, vectorised: string pulling and the choice of taut corners.

:meth:`planners.paths.WalkGraph.smooth` pulls a walk with :func:`pull` (legs checked
``PULL_CHUNK`` at a time by :func:`clear_from`, which keeps ``CLEARANCE_M`` off every
obstacle: ``inner`` is free space shrunk by it); :meth:`~planners.paths.WalkGraph.taut`
moves each corner to the obstacle corner :func:`best_corner` finds, one that passes
every obstacle on the same side (:func:`same_way`). Plain functions of shapely
geometries and coordinate arrays; docs/planners.md §6 has the decisions.
"""

from __future__ import annotations

import math

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

TAUT_TRIES = 64  # candidate corners checked, shortest first
PULL_CHUNK = 8  # legs checked per vectorised call while string pulling


def clear_from(inner: BaseGeometry, a: tuple[float, float], ends: np.ndarray) -> np.ndarray:
    """For each end point, whether the leg from ``a`` keeps ``CLEARANCE_M`` (vectorised)."""
    starts = np.broadcast_to(np.asarray(a, dtype=float), ends.shape)
    return np.asarray(shapely.covers(inner, shapely.linestrings(np.stack([starts, ends], axis=1))))


def pull(
    inner: BaseGeometry, pts: list[tuple[float, float]], *, farthest: bool
) -> list[tuple[float, float]]:
    """String pulling with vectorised checks (``PULL_CHUNK`` legs a call).

    ``farthest``: from each kept point jump to the farthest clear later point
    (a grid path alone is up to 8 % longer than the pulled one); else walk
    on while the legs are clear (O(points) checks: on a densified walk this
    tightens corners towards the taut path).
    """
    if len(pts) <= 2:
        return pts
    arr = np.asarray(pts, dtype=float)
    n, chunk = len(pts), PULL_CHUNK
    out = [pts[0]]
    i = 0
    while i < n - 1:
        j = i + 1
        if farthest:  # chunks from the end down: the last clear point of the first chunk with one
            for hi in range(n, i + 2, -chunk):
                lo = max(hi - chunk, i + 2)
                good = np.nonzero(clear_from(inner, pts[i], arr[lo:hi]))[0]
                if len(good):
                    j = lo + int(good[-1])
                    break
        else:  # chunks forward: up to the point before the first blocked leg
            for lo in range(i + 2, n, chunk):
                hi = min(lo + chunk, n)
                bad = np.nonzero(~clear_from(inner, pts[i], arr[lo:hi]))[0]
                if len(bad):
                    j = lo + int(bad[0]) - 1
                    break
                j = hi - 1
        out.append(pts[j])
        i = j
    return out


def best_corner(
    inner: BaseGeometry,
    blocked: BaseGeometry,
    corner_xy: np.ndarray,
    a: tuple[float, float],
    c: tuple[float, float],
    b: tuple[float, float],
    near: np.ndarray,
) -> tuple[float, float]:
    """The corner (indices ``near`` in ``corner_xy``) with the shortest clear a–v–b shorter
    than a–c–b, checked in vectorised chunks; else ``c`` (see :meth:`planners.paths.WalkGraph.taut`)."""
    if not len(near):
        return c
    v = corner_xy[np.asarray(near)]
    via = np.hypot(*(v - a).T) + np.hypot(*(v - b).T)
    off = np.hypot(*(v - c).T)
    order = np.lexsort((v[:, 1], v[:, 0], off, via))
    order = order[via[order] < _via(a, c, b)][:TAUT_TRIES]
    for lo in range(0, len(order), PULL_CHUNK):
        chunk = v[order[lo : lo + PULL_CHUNK]]
        ok = (
            clear_from(inner, a, chunk)
            & clear_from(inner, b, chunk)
            & same_way(blocked, a, c, b, chunk)
        )
        hit = np.nonzero(ok)[0]
        if len(hit):
            return (float(chunk[hit[0], 0]), float(chunk[hit[0], 1]))
    return c


def same_way(
    blocked: BaseGeometry,
    a: tuple[float, float],
    c: tuple[float, float],
    b: tuple[float, float],
    v: np.ndarray,
) -> np.ndarray:
    """For each corner v, whether a–v–b passes every obstacle on the side a–c–b does.

    The region swept from a–c–b to a–v–b (triangles a, c, v and c, b, v)
    must hold no blocked space: the corner may not jump over an obstacle to
    a shorter but other way (which the seen-metre objective never chose).
    """
    n = len(v)
    ta = np.stack([np.broadcast_to(a, (n, 2)), np.broadcast_to(c, (n, 2)), v], axis=1)
    tb = np.stack([np.broadcast_to(c, (n, 2)), np.broadcast_to(b, (n, 2)), v], axis=1)
    hit = shapely.intersects(blocked, shapely.polygons(ta)) | shapely.intersects(
        blocked, shapely.polygons(tb)
    )
    return np.asarray(~hit)


def _via(a: tuple[float, float], v: tuple[float, float], b: tuple[float, float]) -> float:
    """Length of the walk a–v–b."""
    return math.dist(a, v) + math.dist(v, b)
