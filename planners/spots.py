"""Mounting spots' candidates: one visibility region per spot (and camera height) reused for
every heading, lens and level, its footprints in each demand region, and the cheap upper
bounds of their areas (docs/planners.md, "Candidates" and "Lazy footprints").

Split from :mod:`planners.candidates`, which runs these per spot and gathers the set.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

import numpy as np
import shapely
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from camwatch.areal import areal
from camwatch.geometry.footprint import sector
from camwatch.model import Camera, Site
from planners.bounds import Wedges, loose_cover, ring_edges, wedge_bounds
from planners.lenses import Lens
from planners.mounts import MountPoint, headings_for
from planners.sight import Sight

LOOSE_BLOCK = 4  # the loose covers are cut in blocks of 4 × 4 cells first
FINE_CELL_M = 8.0
EDGE_CELL_M = 8.0  # spots in one such cell share the demand's edges their bounds read
EDGE_CACHE = (
    512  # edge cells kept  # cells of free space whose pieces the heading probes are tested in
)
EMPTY = Polygon()


class _CellClipper:
    """Geometries pre-cut to the cells of a coarse grid, so each spot clips a small piece.

    A spot in cell (i, j) (side ``step``) only needs what lies within ``radius``
    of the cell; that piece is cut once per cell and reused by every spot in it.
    """

    def __init__(
        self,
        geoms: Sequence[BaseGeometry | None],
        radius: float,
        parent: _CellClipper | None = None,
    ) -> None:
        self.geoms = list(geoms)
        self.parent = parent  # cut from the parent's (larger) pieces instead of ``geoms``
        self.step = max(radius, 1.0)
        self.pad = radius * 1.05 + 1.0
        self.cache: dict[tuple[int, int], list[BaseGeometry | None]] = {}

    def key(self, point: tuple[float, float]) -> tuple[int, int]:
        return (math.floor(point[0] / self.step), math.floor(point[1] / self.step))

    def around(self, point: tuple[float, float]) -> list[BaseGeometry | None]:
        key = self.key(point)
        if key not in self.cache:
            x0 = key[0] * self.step - self.pad
            y0 = key[1] * self.step - self.pad
            x1 = (key[0] + 1) * self.step + self.pad
            y1 = (key[1] + 1) * self.step + self.pad
            box = shapely.box(x0, y0, x1, y1)
            geoms = self.geoms if self.parent is None else self.parent.around(point)
            self.cache[key] = [None if g is None else _local_box(g, box) for g in geoms]
        return self.cache[key]


def _overlap(a: tuple[float, ...], b: tuple[float, ...] | None) -> bool:
    """Whether two (minx, miny, maxx, maxy) boxes meet (False for no box)."""
    return b is not None and a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def _disc(center: tuple[float, float], radius: float) -> Polygon:
    """A polygon containing the disc of ``radius`` (circumscribed 64-gon)."""
    ring = _unit_disc() * (radius / math.cos(math.pi / 64) * (1 + 1e-9) + 1e-6)
    return Polygon(ring + np.asarray(center, dtype=float))


@functools.cache
def _unit_disc() -> np.ndarray:
    angles = np.arange(64) * (2.0 * math.pi / 64)
    return np.column_stack([np.cos(angles), np.sin(angles)])


def _local(geom: BaseGeometry, disc: Polygon) -> BaseGeometry:
    """``geom`` cut to the disc's bounding box."""
    return _local_box(geom, shapely.box(*disc.bounds))


def _local_box(geom: BaseGeometry, box: Polygon) -> BaseGeometry:
    """``geom`` cut to an axis-aligned box (fast clip; exact overlay if GEOS's clip is invalid)."""
    x0, y0, x1, y1 = box.bounds
    try:
        out = shapely.clip_by_rect(geom, x0, y0, x1, y1)
        if out.is_valid:
            return out
    except shapely.errors.GEOSException:  # a collapsed ring in the clipped output
        pass
    return areal(geom.intersection(box))


class _Spots:
    """Per-run state of candidate generation; :meth:`candidates_at` handles one spot."""

    def __init__(
        self,
        site: Site,
        space: BaseGeometry,
        lenses: Sequence[Lens],
        regions: list[tuple[str, BaseGeometry | None]],
        heading_step: float,
        into_free_space: bool,
        coverage_model: str | None,
    ) -> None:
        sight = Sight(site, space, coverage_model)
        x0, y0, x1, y1 = site.boundary.bounds
        radius_cap = math.hypot(x1 - x0, y1 - y0) * 1.01  # nothing is seen farther than this
        self.lenses, self.regions, self.sight = list(lenses), regions, sight
        self.space = space
        self.heading_step, self.into_free_space = heading_step, into_free_space
        self.probes = [lens.camera("probe", (0.0, 0.0), 0.0) for lens in lenses]
        self.limits = [{lv: sight.limits(cam, lv) for lv, _ in regions} for cam in self.probes]
        radius = max(
            (far for lim in self.limits for near, far in lim.values() if far > near), default=0.0
        )
        self.radius = min(radius, radius_cap)
        self.level_far = {
            lv: max((lim[lv][1] for lim in self.limits), default=0.0) for lv, _ in regions
        }
        self.templates: dict[tuple[int, float, str], BaseGeometry] = {}
        self.bounds = [
            area.bounds if area is not None and not area.is_empty else None for _, area in regions
        ]
        self.cells = _CellClipper([space] + [area for _, area in regions], self.radius)
        self.loose: _CellClipper | None = None  # loose covers of the regions, for bounds
        self.edge_cache: dict[tuple[int, int, int], tuple[np.ndarray, np.ndarray]] = {}
        # small pieces of free space for the heading probes, cut from the cells' pieces
        self.fine = _CellClipper([space], FINE_CELL_M, parent=_CellClipper([space], self.radius))

    def template(self, li: int, h: float, level: str) -> BaseGeometry:
        """The sector of lens ``li`` at heading ``h`` and ``level``, at the origin (cached)."""
        key = (li, h, level)
        if key not in self.templates:
            near, r = self.limits[li][level]
            hfov = self.lenses[li].hfov_deg
            self.templates[key] = sector((0.0, 0.0), h, hfov, near, r) if r > near else EMPTY
        return self.templates[key]

    def rows_at(self, mount: MountPoint) -> list[tuple[int, float]]:
        """(lens, heading) of every candidate to try at ``mount``.

        The heading probes are 5 cm from the stand point: a 0.5 m square of free space
        about it holds the same probes and the same nearby boundary as all of free
        space, and is far quicker to test (cut from a small cell's piece).
        """
        x, y = mount.stand
        piece = self.fine.around(mount.stand)[0]
        assert piece is not None
        domain = _local_box(piece, shapely.box(x - 0.25, y - 0.25, x + 0.25, y + 0.25))
        return [
            (li, h)
            for li, lens in enumerate(self.lenses)
            for h in headings_for(
                mount,
                lens,
                domain,
                heading_step=self.heading_step,
                into_free_space=self.into_free_space,
            )
        ]

    def bounds_at(self, mount: MountPoint) -> SpotBounds | None:
        """Every (lens, heading) at ``mount`` and the sectors whose area in each region
        bounds the footprint's there (:mod:`planners.bounds`, evaluated in batches by
        :func:`evaluate_bounds`). The rows are those :meth:`candidates_at` tries, in the
        same order; no visibility is computed. None when GEOS fails on this spot.
        """
        try:
            return self._bounds_at(mount)
        except shapely.errors.GEOSException:
            return None

    def _bounds_at(self, mount: MountPoint) -> SpotBounds:
        if self.radius <= 0.0:
            return SpotBounds([], [])
        if self.loose is None:
            covers = [self.space if a is None else loose_cover(a) for _, a in self.regions]
            # two levels: a large piece per block of cells is cut from the whole cover once
            # pieces reach 1.25 radius past their cell: an edge cell's box (below) fits
            block = _CellClipper(covers, self.radius * 1.25 * LOOSE_BLOCK)
            self.loose = _CellClipper(covers, self.radius * 1.25, parent=block)
        loose = self.loose.around(mount.stand)
        rows = self.rows_at(mount)
        items: list[tuple[Wedges, list[int], int]] = []
        edges = self.edge_cache
        if len(edges) > EDGE_CACHE:
            edges.clear()  # spots come facade by facade: recent cells are what is reused
        side = min(EDGE_CELL_M, self.radius / 4.0)
        for li, cols, _probe, stand in self._lenses_at(mount, rows):
            for r, (level, _) in enumerate(self.regions):
                near, far = self.limits[li][level]
                part = loose[r]
                if not far > near or part is None or part.is_empty:
                    continue
                # the edges within far of any point of the stand's edge cell, once per cell
                cell = (math.floor(stand[0] / side), math.floor(stand[1] / side))
                key = (*cell, r)
                if key not in edges:
                    half = self.level_far[level] * 1.001 + 0.01
                    x, y = cell[0] * side, cell[1] * side
                    box = (x - half, y - half, x + side + half, y + side + half)
                    if not _overlap(box, part.bounds):
                        edges[key] = ring_edges(EMPTY)
                    else:
                        edges[key] = ring_edges(_local_box(part, shapely.box(*box)))
                starts, ends = edges[key]
                if len(starts) == 0:
                    continue
                heads = [rows[k][1] for k in cols]
                hfov = self.lenses[li].hfov_deg
                items.append((Wedges(starts, ends, stand, heads, hfov, near, far), cols, r))
        return SpotBounds(rows, items)

    def _lenses_at(
        self, mount: MountPoint, rows: list[tuple[int, float]]
    ) -> Iterator[tuple[int, list[int], Camera, tuple[float, float]]]:
        """Per lens of ``rows``: its row indices, its probe camera at ``mount`` and where
        that camera stands (the same for the bounds and the exact candidates)."""
        for li in sorted({li for li, _ in rows}):
            cols = [k for k, (lj, _) in enumerate(rows) if lj == li]
            probe = replace(self.probes[li], position=mount.position)
            yield li, cols, probe, self.sight.stand(probe, mount.stand)

    def safe_candidates_at(
        self, mount: MountPoint
    ) -> list[tuple[int, float, list[BaseGeometry]]] | None:
        """:meth:`candidates_at`, or None when GEOS fails on this spot's geometry (skipped)."""
        try:
            return self.candidates_at(mount)
        except shapely.errors.GEOSException:
            return None

    def candidates_at(self, mount: MountPoint) -> list[tuple[int, float, list[BaseGeometry]]]:
        """(lens, heading, footprint per region) of every useful candidate at ``mount``."""
        if self.radius <= 0.0:
            return []
        disc = _disc(mount.stand, self.radius)
        near_parts = self.cells.around(mount.stand)
        domain = areal(_local(near_parts[0], disc).intersection(disc))
        if domain.is_empty:
            return []
        rows = self.rows_at(mount)
        if not rows:
            return []
        parts = np.empty((len(self.regions), len(rows)), dtype=object)
        parts[:] = EMPTY
        views: dict[tuple[float, ...], BaseGeometry] = {}  # one visibility per stand and heights
        for li, cols, probe, stand in self._lenses_at(mount, rows):
            for r, (level, area) in enumerate(self.regions):
                near, far = self.limits[li][level]
                if not far > near:
                    continue
                key = (*stand, *self.sight.view_key(probe, level))
                if key not in views:
                    views[key] = self._view(probe, level, stand, mount.stand, disc, domain)
                vis = views[key]
                if vis.is_empty or (area is not None and not _overlap(vis.bounds, self.bounds[r])):
                    continue
                seen = (
                    vis
                    if area is None
                    else areal(vis.intersection(_local(near_parts[r + 1], disc)))
                )
                if seen.is_empty:
                    continue
                shapes = np.empty(len(cols), dtype=object)
                shapes[:] = [self.template(li, rows[k][1], level) for k in cols]
                # translating the template adds the same numbers sector(stand, ...) would
                at = np.asarray(stand, dtype=float)
                placed = shapely.transform(shapes, lambda c, o=at: c + o)
                for k, g in zip(cols, shapely.intersection(seen, placed), strict=True):
                    parts[r, k] = areal(g)
        return [
            (li, h, list(parts[:, k]))
            for k, (li, h) in enumerate(rows)
            if not all(g.is_empty for g in parts[:, k])
        ]

    def _view(
        self,
        probe: Camera,
        level: str,
        stand: tuple[float, float],
        ground_stand: tuple[float, float],
        disc: Polygon,
        domain: BaseGeometry,
    ) -> BaseGeometry:
        """The visibility region the sight gives at ``stand`` (one disc serves every heading)."""
        if stand != ground_stand:  # a standing camera on a low wall: the disc about its foot
            disc = _disc(stand, self.radius)
        return self.sight.visible(probe, level, stand, disc, domain, self.radius)


@dataclass
class SpotBounds:
    """A spot's rows (lens, heading) and the sectors bounding them: (item, its rows, region)."""

    rows: list[tuple[int, float]]
    items: list[tuple[Wedges, list[int], int]]


def evaluate_bounds(spots: Sequence[SpotBounds], n_regions: int) -> list[np.ndarray]:
    """(rows × regions) upper bounds of the footprints' areas of each spot, in one batch."""
    values = wedge_bounds([w for spot in spots for w, _, _ in spot.items])
    out, at = [], 0
    for spot in spots:
        bound = np.zeros((len(spot.rows), n_regions))
        for _, cols, r in spot.items:
            bound[cols, r] = values[at]
            at += 1
        out.append(bound)
    return out
