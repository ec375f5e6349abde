"""Mounting spots and the headings to try there (docs/site-format.md §3 "mounting spot").

Spots: the site's ``mount`` features if it has any (points as given, lines
sampled every ``spacing`` metres plus their vertices), else every building
ring and the boundary rings sampled every ``spacing`` metres plus their
corners. A spot on a facade stands on an obstacle edge, which §2 allows;
positions are rounded to the millimetre (what the site file will hold) and a
camera stands at its nearest point of free space, as in analysis. In the
standing model a spot off free space is kept when every building, obstacle or
wall holding it is lower than every lens of the plan (a pole on a wall, a camera
on a kiosk roof, docs/site-format.md §4): the camera stands there (*raised*).

Headings: every ``heading_step`` degrees plus facade-aware ones — the normal
into free space and the two headings that put one edge of the field of view
along the facade (normal ± (90° − α/2)); with ``into_free_space`` only those
whose central ray enters free space (a raised spot looks over what holds it:
every heading is tried). On a straight facade (free space around
the spot is a half disc) headings more than 90° − α/2 off the normal are
dropped: everything behind the facade line is opaque, so such a heading sees
a sub-wedge of what normal ± (90° − α/2) sees (dominated; equal up to the
1° chords of the arcs).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import LineString, Point, Polygon
from shapely.geometry.base import BaseGeometry

from camwatch.geometry.space import stand_point
from camwatch.i18n import Said, msg, term_msg
from camwatch.model import MOUNT_TOLERANCE_M, Site
from camwatch.sitefile.checks import stands_on_lower_at
from planners.lenses import Lens

POSITION_DECIMALS = 3  # millimetres: positions are written to the site file as they are planned
HEADING_DECIMALS = 1
NORMAL_PROBE_M = 0.5  # radius of the free-space disc whose centroid gives a facade's normal
STRAIGHT_TOLERANCE = 0.005  # a spot is on a straight facade when F fills half its disc ± 0.5 %
STRAIGHT_ANGLE_DEG = 10.0  # ... and the free side's centroid lies within this of the perpendicular
HEADING_PROBE_M = 0.05  # a heading enters free space when this far along it is still in F
CELL_M = 25.0  # free space is cut into cells this wide for the spots' neighbourhoods


@dataclass(frozen=True)
class MountPoint:
    """A spot where a camera may be mounted."""

    position: tuple[float, float]  # as written to the site file (mm)
    stand: tuple[float, float]  # where the camera stands in free space (§2)
    normal_deg: float | None  # compass bearing into free space, None in the open
    source: str  # "mount", "facade" or "boundary"
    ref: Said  # the feature it belongs to, for explanations (English; worded for a reader)
    straight: bool = False  # on a straight facade: free space around it is a half disc
    raised: bool = False  # stands on something lower than every lens (standing model)


def _round_xy(x: float, y: float) -> tuple[float, float]:
    return (round(float(x), POSITION_DECIMALS) + 0.0, round(float(y), POSITION_DECIMALS) + 0.0)


def _rings(poly: Polygon) -> list[LineString]:
    return [LineString(poly.exterior.coords)] + [LineString(r.coords) for r in poly.interiors]


def _sample_line(
    line: LineString, spacing: float, *, vertices: bool
) -> list[tuple[tuple[float, float], tuple[float, float] | None]]:
    """Points every ``spacing`` metres along ``line`` (and its vertices), each with the unit
    direction of the segment it lies inside (None at a vertex)."""
    coords = np.asarray(line.coords, dtype=float)
    if line.is_empty:
        return []
    if line.length <= 0.0:
        return [((float(coords[0, 0]), float(coords[0, 1])), None)]
    seg = np.diff(coords, axis=0)
    seg_len = np.hypot(seg[:, 0], seg[:, 1])
    ends = np.cumsum(seg_len)
    n = max(1, math.floor(line.length / spacing))
    dists = np.arange(n + 1) * spacing
    dists = dists[dists <= line.length + 1e-9]
    pts = shapely.line_interpolate_point(line, dists)
    out: list[tuple[tuple[float, float], tuple[float, float] | None]] = []
    for d, x, y in zip(dists, shapely.get_x(pts), shapely.get_y(pts), strict=True):
        k = int(min(np.searchsorted(ends, d), len(seg) - 1))
        start = ends[k] - seg_len[k]
        inside = seg_len[k] > 0 and 1e-6 < d - start < seg_len[k] - 1e-6
        direction = (
            (float(seg[k, 0] / seg_len[k]), float(seg[k, 1] / seg_len[k])) if inside else None
        )
        out.append(((float(x), float(y)), direction))
    if vertices:
        out += [((float(x), float(y)), None) for x, y in coords]
    else:
        out.append(((float(coords[-1, 0]), float(coords[-1, 1])), None))
    return out


class _Cells:
    """Free space cut once into square cells (with a margin): a spot's neighbourhood is
    clipped from its cell's piece, not from the whole compound's free space."""

    def __init__(self, space: BaseGeometry, side: float = CELL_M, pad: float = 2.0) -> None:
        self.space, self.side, self.pad = space, side, pad
        self.cache: dict[tuple[int, int], BaseGeometry] = {}

    def around(self, point: tuple[float, float]) -> BaseGeometry:
        key = (math.floor(point[0] / self.side), math.floor(point[1] / self.side))
        if key not in self.cache:
            x0, y0 = key[0] * self.side - self.pad, key[1] * self.side - self.pad
            x1, y1 = x0 + self.side + 2 * self.pad, y0 + self.side + 2 * self.pad
            piece = shapely.clip_by_rect(self.space, x0, y0, x1, y1)
            if not piece.is_valid:
                piece = self.space.intersection(shapely.box(x0, y0, x1, y1))
            self.cache[key] = piece
        return self.cache[key]


def _normals(
    stands: list[tuple[float, float]],
    cells: _Cells,
    directions: list[tuple[float, float] | None],
) -> list[tuple[float | None, bool]]:
    """For each spot: the bearing from its stand point into the free space around it, and
    whether it is on a straight facade (free space around it is exactly a half disc).

    On a straight facade the normal is the exact perpendicular of the facade
    segment; elsewhere (corners, spots in the open) it points to the centroid
    of the free space within ``NORMAL_PROBE_M`` (None when that is the spot).
    The overlays run over all spots at once (shapely's vectorised functions, the
    same operations one spot at a time gave; only the loop left Python).
    """
    if not stands:
        return []
    xy = np.asarray(stands, dtype=float)
    discs = shapely.buffer(shapely.points(xy), NORMAL_PROBE_M, quad_segs=16)
    box = shapely.bounds(discs)
    near = _clip_all([cells.around(p) for p in stands], box)
    local = shapely.intersection(near, discs)
    areas = shapely.area(local)
    empty = shapely.is_empty(local)
    centres = shapely.get_coordinates(shapely.centroid(np.where(empty, None, local)))
    disc_areas = shapely.area(discs)
    out: list[tuple[float | None, bool]] = []
    k = 0  # centroids are listed for the non-empty pieces only
    for i, direction in enumerate(directions):
        if empty[i]:
            out.append((None, False))
            continue
        cx, cy = centres[k]
        k += 1
        if areas[i] <= 0.0:
            out.append((None, False))
            continue
        out.append(_bearing_of(xy[i], cx, cy, areas[i], disc_areas[i], direction))
    return out


def _clip_all(pieces: list[BaseGeometry], box: np.ndarray) -> np.ndarray:
    """Each piece clipped to its box (GEOS's fast clip, which takes one box per call; when
    it fails or is invalid, the overlay)."""
    near = np.empty(len(pieces), dtype=object)
    for i, piece in enumerate(pieces):
        try:
            one = shapely.clip_by_rect(piece, *box[i])
            if not one.is_valid:
                raise ValueError
        except (shapely.errors.GEOSException, ValueError):
            one = piece.intersection(shapely.box(*box[i]))
        near[i] = one
    return near


def _bearing_of(
    stand: np.ndarray,
    cx: float,
    cy: float,
    area: float,
    disc_area: float,
    direction: tuple[float, float] | None,
) -> tuple[float | None, bool]:
    dx, dy = float(cx - stand[0]), float(cy - stand[1])
    if math.hypot(dx, dy) < 0.02 * NORMAL_PROBE_M:
        return None, False
    toward = math.degrees(math.atan2(dx, dy)) % 360.0
    if direction is None or abs(area - disc_area / 2.0) > STRAIGHT_TOLERANCE * disc_area:
        return toward, False
    ux, uy = direction
    for px, py in ((-uy, ux), (uy, -ux)):  # the two perpendiculars of the facade
        bearing = math.degrees(math.atan2(px, py)) % 360.0
        if abs((bearing - toward + 180.0) % 360.0 - 180.0) < STRAIGHT_ANGLE_DEG:
            return bearing, True
    return toward, False


def lowest_lens(site: Site, lenses: list[Lens], model: str | None = None) -> float | None:
    """The height every lens of a plan is at least, when the plan is made in the standing
    model (``model`` overrides the site's): spots on anything lower are usable. None in
    the ground model, where a camera stands in free space."""
    effective = site.info.model if model is None else model
    return min(lens.height_m for lens in lenses) if effective == "standing" and lenses else None


def mount_points(
    site: Site, space: BaseGeometry, *, spacing: float = 2.0, lowest: float | None = None
) -> tuple[list[MountPoint], list[Said]]:
    """Mounting spots of the site, and descriptions of mount features that cannot hold a camera
    (English; worded for a reader). ``lowest`` (:func:`lowest_lens`): the plan is in the
    standing model and every lens is at least this high, so raised spots are kept."""
    raw: list[tuple[tuple[float, float], tuple[float, float] | None, str, Said]] = []
    skipped: list[Said] = []
    if site.mounts:
        for i, mount in enumerate(site.mounts):
            index = mount.index if mount.index is not None else i
            ref = Said(
                msg("mount #%(i)s '%(name)s'", i=index, name=mount.name)
                if mount.name
                else msg("mount #%(i)s", i=index)
            )
            geom = mount.geometry
            if isinstance(geom, Point):
                raw.append(((geom.x, geom.y), None, "mount", ref))
            else:
                raw += [(p, d, "mount", ref) for p, d in _sample_line(geom, spacing, vertices=True)]
    else:
        for i, b in enumerate(site.buildings, 1):
            ref = Said(
                msg("building '%(name)s'", name=b.name)
                if b.name
                else msg("building #%(i)s", i=b.index if b.index is not None else i)
            )
            for ring in _rings(b.polygon):
                raw += [
                    (p, d, "facade", ref) for p, d in _sample_line(ring, spacing, vertices=True)
                ]
        for ring in _rings(site.boundary):
            raw += [
                (p, d, "boundary", Said(term_msg("plan", "boundary")))
                for p, d in _sample_line(ring, spacing, vertices=True)
            ]

    seen: set[tuple[float, float]] = set()
    kept: list[tuple[tuple[float, float], tuple[float, float] | None, str, Said]] = []
    for (x, y), direction, source, ref in raw:
        pos = _round_xy(x, y)
        if pos not in seen:
            seen.add(pos)
            kept.append((pos, direction, source, ref))
    if not kept:
        return [], skipped
    pts = shapely.points(np.array([pos for pos, *_ in kept], dtype=float))
    far = (shapely.distance(pts, site.boundary) > MOUNT_TOLERANCE_M * 0.5) | (
        shapely.distance(pts, space) > MOUNT_TOLERANCE_M * 0.5
    )
    raised = np.zeros(len(kept), dtype=bool)
    if lowest is not None and far.any():
        raised[far] = stands_on_lower_at(site, pts[far], lowest)
    spots = []
    runs: list[tuple[Said, list[tuple[float, float]]]] = []  # a mount's spots away in a row
    last_away: Said | None = None
    for (pos, direction, source, ref), away, up in zip(
        kept, far.tolist(), raised.tolist(), strict=True
    ):
        if up:  # the camera stands where it is mounted, on what holds it
            last_away = None
            spots.append((pos, pos, direction, source, ref, True))
            continue
        if away:
            if source == "mount":
                if last_away is ref:
                    runs[-1][1].append(pos)
                else:
                    runs.append((ref, [pos]))
                last_away = ref
            continue
        last_away = None
        spots.append((pos, stand_point(pos, space), direction, source, ref, False))
    skipped += [_not_in_free_space(ref, run) for ref, run in runs]
    normals = _normals([s[1] for s in spots], _Cells(space), [s[2] for s in spots])
    out = [
        MountPoint(pos, stand, normal, source, ref, straight and not up, up)
        for (pos, stand, _d, source, ref, up), (normal, straight) in zip(
            spots, normals, strict=True
        )
    ]
    return out, skipped


def _not_in_free_space(ref: Said, run: list[tuple[float, float]]) -> Said:
    """The remark on a mount's spots, next to each other along it, that are not in free
    space (a fence behind a building): one remark for the run, not one per spot."""
    first, last = run[0], run[-1]
    if len(run) == 1:
        where = msg(
            "%(mount)s at (%(x)s, %(y)s) is not in free space",
            mount=ref,
            x=format(first[0], "g"),
            y=format(first[1], "g"),
        )
    else:
        where = msg(
            "%(mount)s: %(n)s spots from (%(x1)s, %(y1)s) to (%(x2)s, %(y2)s) are not in "
            "free space",
            mount=ref,
            n=len(run),
            x1=format(first[0], "g"),
            y1=format(first[1], "g"),
            x2=format(last[0], "g"),
            y2=format(last[1], "g"),
        )
    return Said(where)


def geometry_error(mount: MountPoint) -> Said:
    """The remark on a spot GEOS could not process (it is left out of the candidates)."""
    return Said(
        msg(
            "spot (%(x)s, %(y)s) on %(mount)s: geometry error, skipped",
            x=format(mount.position[0], "g"),
            y=format(mount.position[1], "g"),
            mount=mount.ref,
        )
    )


@functools.lru_cache(maxsize=4096)
def _headings(
    normal_deg: float | None, straight: bool, hfov_deg: float, heading_step: float
) -> tuple[float, ...]:
    """The headings to try before the free-space probe (many spots share a normal)."""
    if hfov_deg >= 360.0:
        base = [normal_deg if normal_deg is not None else 0.0]
    else:
        base = list(np.arange(0.0, 360.0, heading_step))
        if normal_deg is not None:
            n = normal_deg
            base.append(n)
            if hfov_deg < 180.0:
                side = 90.0 - hfov_deg / 2.0
                base += [n - side, n + side]
    headings = sorted({round(float(h) % 360.0, HEADING_DECIMALS) % 360.0 + 0.0 for h in base})
    if straight and normal_deg is not None and hfov_deg < 180.0:
        # Behind a straight facade is opaque, so a heading turned more than 90° − α/2 off
        # the normal sees a sub-wedge of what normal ± (90° − α/2) sees: it is dominated.
        side = 90.0 - hfov_deg / 2.0 + 0.05
        n = normal_deg
        headings = [h for h in headings if abs((h - n + 180.0) % 360.0 - 180.0) <= side]
    return tuple(headings)


def headings_for(
    mount: MountPoint,
    lens: Lens,
    space: BaseGeometry,
    *,
    heading_step: float = 15.0,
    into_free_space: bool = True,
) -> list[float]:
    """Headings (compass degrees, rounded to 0.1°) to try for a lens at a spot.

    ``space`` may be free space or any part of it around the spot (the probe
    is ``HEADING_PROBE_M`` away); a heading whose probe is not strictly inside
    (e.g. running along the facade) is dropped.
    """
    headings = list(_headings(mount.normal_deg, mount.straight, lens.hfov_deg, heading_step))
    if not into_free_space or lens.hfov_deg >= 360.0 or mount.raised:
        return headings
    r = np.radians(np.asarray(headings))
    xs = mount.stand[0] + HEADING_PROBE_M * np.sin(r)
    ys = mount.stand[1] + HEADING_PROBE_M * np.cos(r)
    inside = shapely.contains_xy(space, xs, ys)
    if np.any(inside):  # a ray grazing the facade is not "into" free space
        probes = shapely.points(xs[inside], ys[inside])
        clear = shapely.distance(probes, space.boundary) > HEADING_PROBE_M * 1e-3
        inside[np.flatnonzero(inside)] = clear
    return [h for h, ok in zip(headings, inside.tolist(), strict=True) if ok]
