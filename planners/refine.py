"""Continuous refinement of a placement: slide each camera along its mounting line, turn it.

The candidates (:mod:`planners.candidates`) sample mounts every ``--spacing``
metres and headings every 15° (plus the facade-aware ones); the best
placement among them is rarely the best placement. :func:`refine_cameras`
improves a chosen placement by a deterministic pattern search, camera by
camera (docs/planners.md, "Refinement"):

* moves: slide the camera along the line it is mounted on (a building ring,
  the boundary ring, or a ``mount`` LineString) by arc length, turn its
  heading, or both at once; steps shrink from ±2 m / ±7.5° through ±1 m / ±4°
  and ±0.5 m / ±2° to ±0.25 m / ±1°;
* a move must keep a valid mount (the rules of :mod:`planners.mounts`): the
  position, rounded to the millimetre, within half the mount tolerance of free
  space and of the boundary, and the central ray entering free space (a probe
  ``HEADING_PROBE_M`` along the heading strictly inside it); in the standing
  model also a raised position (on something lower than the camera), any heading;
* it is accepted only if it raises the objective of the whole selection — the
  weighted area newly covered, f(S) = Σ_j w_j · area(U_j ∩ ∪ F_c) of
  :mod:`planners.demand` — by more than ``MIN_IMPROVEMENT_M2``; rounds over
  every camera repeat until one improves nothing or ``seconds`` run out.

Footprints come from :class:`planners.sight.Sight` (the site's coverage model)
and the engine's :func:`camwatch.geometry.footprint.sector`; nothing here
computes visibility. Pure functions: no I/O.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import shapely
from shapely.geometry import LineString, Point, Polygon
from shapely.geometry.base import BaseGeometry

from camwatch.areal import areal
from camwatch.geometry.footprint import sector
from camwatch.geometry.space import stand_point
from camwatch.model import MOUNT_TOLERANCE_M, Camera, Site
from camwatch.sitefile.checks import stands_on_lower
from planners.demand import Demand
from planners.mounts import HEADING_DECIMALS, HEADING_PROBE_M, POSITION_DECIMALS
from planners.sight import Sight

SLIDE_STEPS_M = (2.0, 1.0, 0.5, 0.25)  # arc-length steps along the mounting line, coarse to fine
TURN_STEPS_DEG = (7.5, 4.0, 2.0, 1.0)  # heading steps, paired with the slides
MIN_IMPROVEMENT_M2 = 0.01  # a move must add more than this (weighted m²): no chasing float noise
REFINE_SECONDS = 10.0  # default bound of a refinement, CPU seconds of this process
ON_LINE_M = 2e-3  # a camera lies on a mounting line within this (positions are mm-rounded)
EMPTY = Polygon()


@dataclass(frozen=True)
class Refinement:
    """A refined placement.

    ``cameras`` in selection order (largest marginal gain first), ``gains``
    their marginal objective in that order (they sum to ``objective``);
    ``order[i]`` is the index in the input of ``cameras[i]``. ``start`` is the
    objective of the input placement, evaluated the same way; ``seconds`` is CPU time.
    """

    cameras: list[Camera]
    gains: list[float]
    order: list[int]
    objective: float
    start: float
    moves: int
    rounds: int
    evaluations: int
    seconds: float
    timed_out: bool


def mount_lines(site: Site) -> list[LineString]:
    """The lines cameras are mounted on: the site's ``mount`` LineStrings if it has mount
    features (a Point mount is fixed: no line), else every building ring and boundary ring
    (the spots of :func:`planners.mounts.mount_points` are sampled from the same lines)."""
    if site.mounts:
        return [m.geometry for m in site.mounts if isinstance(m.geometry, LineString)]
    polys = [b.polygon for b in site.buildings] + [site.boundary]
    return [LineString(r.coords) for p in polys for r in [p.exterior, *p.interiors]]


def valid_mount(
    site: Site, space: BaseGeometry, position: tuple[float, float], raised: float | None = None
) -> bool:
    """Whether a camera may stand at ``position`` (the rule of :mod:`planners.mounts`):
    in free space, or, when ``raised`` gives the camera's height in the standing model, on
    something lower than that."""
    pt = Point(position)
    tol = MOUNT_TOLERANCE_M * 0.5
    if pt.distance(site.boundary) <= tol and pt.distance(space) <= tol:
        return True
    return raised is not None and stands_on_lower(site, position, raised)


def enters_free_space(space: BaseGeometry, stand: tuple[float, float], heading: float) -> bool:
    """Whether the central ray of ``heading`` at ``stand`` enters free space (a probe
    ``HEADING_PROBE_M`` along it strictly inside, not on a facade)."""
    r = math.radians(heading)
    x = stand[0] + HEADING_PROBE_M * math.sin(r)
    y = stand[1] + HEADING_PROBE_M * math.cos(r)
    if not shapely.contains_xy(space, x, y):
        return False
    return bool(Point(x, y).distance(space.boundary) > HEADING_PROBE_M * 1e-3)


def _round_xy(p: Point) -> tuple[float, float]:
    return (round(p.x, POSITION_DECIMALS) + 0.0, round(p.y, POSITION_DECIMALS) + 0.0)


def _heading(h: float) -> float:
    return round(h % 360.0, HEADING_DECIMALS) % 360.0 + 0.0


def _disc(center: tuple[float, float], radius: float) -> Polygon:
    """A 64-gon containing the disc of ``radius`` about ``center``."""
    a = np.arange(64) * (2.0 * math.pi / 64)
    r = radius / math.cos(math.pi / 64) * (1 + 1e-9) + 1e-6
    return Polygon(np.column_stack([center[0] + r * np.cos(a), center[1] + r * np.sin(a)]))


class _Footprints:
    """Footprints of cameras within each demand piece, under the site's coverage model."""

    def __init__(self, site: Site, space: BaseGeometry, demand: Demand, sight: Sight) -> None:
        self.site, self.space, self.demand, self.sight = site, space, demand, sight
        x0, y0, x1, y1 = site.boundary.bounds
        self.cap = math.hypot(x1 - x0, y1 - y0) * 1.01
        self.views: dict[tuple[object, ...], BaseGeometry] = {}
        self.count = 0

    def stand(self, camera: Camera) -> tuple[float, float]:
        """Where the camera stands in the ground model (its nearest point of free space)."""
        return stand_point(camera.position, self.space)

    def of(self, camera: Camera) -> list[BaseGeometry]:
        """The camera's footprint in each piece: U_j ∩ F_c at the piece's level."""
        self.count += 1
        ground = self.stand(camera)
        stand = self.sight.stand(camera, ground)
        limits = {lv: self.sight.limits(camera, lv) for lv in self.demand.levels()}
        radius = min(max((f for n, f in limits.values() if f > n), default=0.0), self.cap)
        if radius <= 0.0:
            return [EMPTY for _ in self.demand.pieces]
        seen = self._seen(camera, stand, ground, radius)
        wedges: dict[str, BaseGeometry] = {}
        out: list[BaseGeometry] = []
        for j, piece in enumerate(self.demand.pieces):
            near, far = limits[piece.level]
            if not far > near or seen[j].is_empty:
                out.append(EMPTY)
                continue
            if piece.level not in wedges:
                wedges[piece.level] = sector(stand, camera.heading_deg, camera.hfov, near, far)
            out.append(areal(seen[j].intersection(wedges[piece.level])))
        return out

    def _seen(
        self,
        camera: Camera,
        stand: tuple[float, float],
        ground: tuple[float, float],
        radius: float,
    ) -> list[BaseGeometry]:
        """What the camera standing at ``stand`` sees of each piece within ``radius``, whatever
        its heading (cached: turning in place reuses it)."""
        levels = self.demand.levels()
        key = (*stand, radius, *(self.sight.view_key(camera, lv) for lv in levels))
        if key in self.views:
            return self.views[key]
        if len(self.views) > 256:
            self.views.clear()  # bounded memory: only the current camera's spots recur
        disc = _disc(stand, radius)
        gdisc = disc if ground == stand else _disc(ground, radius)
        box = gdisc.union(disc).bounds
        domain = areal(_clip(self.space, box).intersection(gdisc))
        vis: dict[tuple[float, float], BaseGeometry] = {}
        out: list[BaseGeometry] = []
        for piece in self.demand.pieces:
            vkey = self.sight.view_key(camera, piece.level)
            if vkey not in vis:
                vis[vkey] = self.sight.visible(camera, piece.level, stand, disc, domain, radius)
            local = _clip(piece.region, box)
            out.append(EMPTY if local.is_empty else areal(local.intersection(vis[vkey])))
        self.views[key] = out
        return out


def _clip(geom: BaseGeometry, box: tuple[float, float, float, float]) -> BaseGeometry:
    """``geom`` cut to a box (GEOS's fast clip; an exact overlay when that is invalid)."""
    try:
        out = shapely.clip_by_rect(geom, *box)
        if out.is_valid:
            return out
    except shapely.errors.GEOSException:  # a collapsed ring in the clipped output
        pass
    return areal(geom.intersection(shapely.box(*box)))


def _value(weights: np.ndarray, parts: Sequence[Sequence[BaseGeometry]]) -> float:
    """f of a selection given each camera's footprints per piece."""
    total = 0.0
    for j, w in enumerate(weights):
        geoms = [p[j] for p in parts if not p[j].is_empty]
        if geoms:
            total += w * shapely.union_all(geoms).area
    return float(total)


class _Others:
    """The union of the other cameras' footprints per piece: the gain of one camera's variants."""

    def __init__(self, weights: np.ndarray, parts: Sequence[Sequence[BaseGeometry]]) -> None:
        self.weights = weights
        self.union = []
        for j in range(len(weights)):
            geoms = [p[j] for p in parts if not p[j].is_empty]
            u = shapely.union_all(geoms) if geoms else EMPTY
            shapely.prepare(u)
            self.union.append(u)
        self.base = float(sum(w * u.area for w, u in zip(weights, self.union, strict=True)))

    def value(self, fp: Sequence[BaseGeometry]) -> float:
        """f of the others plus a camera with footprints ``fp``."""
        add = 0.0
        for w, u, g in zip(self.weights, self.union, fp, strict=True):
            if g.is_empty:
                continue
            add += w * (g.area if u.is_empty else g.difference(u).area)
        return self.base + add


def _lines_through(lines: Sequence[LineString], position: tuple[float, float]) -> list[int]:
    pt = Point(position)
    return [i for i, ln in enumerate(lines) if ln.distance(pt) <= ON_LINE_M]


def _slide(line: LineString, s: float, ds: float) -> float | None:
    """Arc length ``s + ds`` on ``line``: wraps round a closed ring, None past an open end."""
    length = line.length
    t = s + ds
    if line.is_ring:
        return t % length
    return t if 0.0 <= t <= length else None


def refine_cameras(
    site: Site,
    space: BaseGeometry,
    demand: Demand,
    cameras: Sequence[Camera],
    *,
    sight: Sight | None = None,
    seconds: float = REFINE_SECONDS,
    slide_steps: Sequence[float] = SLIDE_STEPS_M,
    turn_steps: Sequence[float] = TURN_STEPS_DEG,
    min_improvement: float = MIN_IMPROVEMENT_M2,
) -> Refinement:
    """Refine ``cameras`` (new cameras; ``demand`` is what they should cover) by local moves.

    Each camera slides along the mounting line(s) it lies on and turns, steps
    shrinking (``slide_steps``/``turn_steps`` paired, coarse to fine); a move is
    kept only if it raises the objective of the whole selection by more than
    ``min_improvement``. Rounds over every camera repeat until a round improves
    nothing or ``seconds`` of CPU time run out (the objective never decreases). A camera on
    no mounting line only turns.
    """
    t0 = time.process_time()
    deadline = t0 + seconds
    sight = Sight(site, space) if sight is None else sight
    fps = _Footprints(site, space, demand, sight)
    weights = np.array([p.weight for p in demand.pieces], dtype=float)
    lines = mount_lines(site)
    cams = list(cameras)
    parts = [fps.of(c) for c in cams]
    start = current = _value(weights, parts)
    moves = rounds = 0
    timed_out = False
    improved_round = True
    while improved_round and not timed_out:
        improved_round = False
        rounds += 1
        for i in range(len(cams)):
            if time.process_time() > deadline:
                timed_out = True
                break
            others = _Others(weights, parts[:i] + parts[i + 1 :])
            cam, fp, val, n = _refine_one(
                site, space, fps, others, lines, cams[i], parts[i],
                slide_steps, turn_steps, min_improvement, deadline,
            )  # fmt: skip
            if n:
                cams[i], parts[i] = cam, fp
                moves += n
                improved_round = True
                current = val
    objective = _value(weights, parts)
    order, gains = _greedy_order(weights, parts)
    if not math.isfinite(current):  # pragma: no cover - defensive
        raise ValueError("refinement produced a non-finite objective")
    return Refinement(
        [cams[i] for i in order],
        gains,
        order,
        objective,
        start,
        moves,
        rounds,
        fps.count,
        time.process_time() - t0,
        timed_out,
    )


def _refine_one(
    site: Site,
    space: BaseGeometry,
    fps: _Footprints,
    others: _Others,
    lines: Sequence[LineString],
    cam: Camera,
    fp: list[BaseGeometry],
    slide_steps: Sequence[float],
    turn_steps: Sequence[float],
    min_improvement: float,
    deadline: float,
) -> tuple[Camera, list[BaseGeometry], float, int]:
    """Pattern search for one camera with the others fixed: (camera, footprints, f, moves)."""
    value = others.value(fp)
    on = _lines_through(lines, cam.position)
    arc = {k: lines[k].project(Point(cam.position)) for k in on}
    moves = 0
    for ds, dh in zip(slide_steps, turn_steps, strict=True):
        while time.process_time() <= deadline:
            best: tuple[float, Camera, list[BaseGeometry], dict[int, float]] | None = None
            for variant, new_arc in _variants(site, space, fps, lines, cam, on, arc, ds, dh):
                vfp = fps.of(variant)
                v = others.value(vfp)
                if v > value + min_improvement and (best is None or v > best[0]):
                    best = (v, variant, vfp, new_arc)
            if best is None:
                break
            value, cam, fp, arc = best
            on = list(arc)
            moves += 1
    return cam, fp, value, moves


def _variants(
    site: Site,
    space: BaseGeometry,
    fps: _Footprints,
    lines: Sequence[LineString],
    cam: Camera,
    on: Sequence[int],
    arc: dict[int, float],
    ds: float,
    dh: float,
) -> list[tuple[Camera, dict[int, float]]]:
    """Valid cameras one step away: turns in place, slides along each line, slides with turns."""
    spots: list[tuple[tuple[float, float], dict[int, float]]] = [(cam.position, arc)]
    raised = cam.height_m if fps.sight.standing else None
    for k in on:
        for sign in (-1.0, 1.0):
            s = _slide(lines[k], arc[k], sign * ds)
            if s is None:
                continue
            pos = _round_xy(lines[k].interpolate(s))
            if pos != cam.position and valid_mount(site, space, pos, raised):
                spots.append((pos, {k: s}))
    out: list[tuple[Camera, dict[int, float]]] = []
    seen = {(cam.position, cam.heading_deg)}
    for pos, new_arc in spots:
        stand = stand_point(pos, space)
        # a valid spot off free space is raised: it looks over what holds it, any heading
        up = Point(pos).distance(space) > MOUNT_TOLERANCE_M * 0.5
        for turn in (0.0, -dh, dh):
            h = _heading(cam.heading_deg + turn)
            if (pos, h) in seen or not (up or enters_free_space(space, stand, h)):
                continue
            seen.add((pos, h))
            out.append((replace(cam, position=pos, heading_deg=h), new_arc))
    return out


def _greedy_order(
    weights: np.ndarray, parts: Sequence[Sequence[BaseGeometry]]
) -> tuple[list[int], list[float]]:
    """Cameras in greedy order of their marginal gain (ties: input order), with the gains."""
    left = list(range(len(parts)))
    chosen: list[int] = []
    gains: list[float] = []
    before = 0.0
    while left:
        vals = [_value(weights, [parts[c] for c in chosen] + [parts[i]]) for i in left]
        k = int(np.argmax(vals))
        gains.append(vals[k] - before)
        before = vals[k]
        chosen.append(left.pop(k))
    return chosen, gains
