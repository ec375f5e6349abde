"""Incremental re-analysis: after one camera moves, recompute only the tiles it touches.

:class:`CoverageState` holds the coverage of a site cut into square tiles
(docs/coverage.md, "Incremental re-analysis"). Per tile it keeps, for every
level, the union of the counted footprints clipped to the tile, the unwatched
part after slit removal, and that part's 1 mm erosion and re-dilation (the
blind-spot opening). :meth:`CoverageState.update` recomputes only the tiles the
camera's old or new footprints reach; :meth:`CoverageState.analysis` rebuilds
an :class:`~camwatch.geometry.coverage.Analysis` equal (to rounding) to what
:func:`~camwatch.geometry.coverage.analyze` gives for the changed site.

Exactness: the slit opening (``SLIT_M``) and the blind-spot opening
(``OPENING_M``, mitre joins, tips up to 5 widths) only look a few millimetres
around a point, so each tile computes them on its content within
``MARGIN_M`` (5 cm) of the tile and keeps only the tile itself; the result
inside the tile is the global one. Blind spots are the connected parts of the
eroded unwatched area: eroded pieces of neighbouring tiles that overlap (their
margins overlap by ``LINK_M``) belong to one spot, whose geometry is the union
of its dilated tile pieces.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import numpy as np
import shapely
from shapely.geometry import Polygon, box
from shapely.geometry.base import BaseGeometry

from camwatch.areal import polygon_parts
from camwatch.geometry.blindspots import OPENING_M, spot_order, without_slits
from camwatch.geometry.coverage import (
    ZONE_TOUCH_M2,
    Analysis,
    BlindSpot,
    CameraResult,
    Footprints,
    LevelCoverage,
    covered_share,
    union,
    zone_result,
)
from camwatch.geometry.footprint import EMPTY
from camwatch.geometry.heights import Scene, standing_stand_point
from camwatch.geometry.space import stand_point
from camwatch.model import MIN_BLIND_SPOT_M2, ZONE_PASS_RATIO, Camera, Site

TILE_M = 40.0  # tile side, m (chosen by measurement: docs/coverage.md, "Incremental re-analysis")
MARGIN_M = 0.05  # each tile computes the openings on its content within this distance
LINK_M = 0.01  # eroded tile pieces are kept this far past the tile, so neighbours overlap

Tile = tuple[int, int]


@dataclass
class _TileState:
    """What one tile knows: its clipped free space and, per level, its coverage."""

    rect: tuple[float, float, float, float]
    space_m: BaseGeometry  # free space within MARGIN_M of the tile
    space: BaseGeometry  # free space in the tile
    zones: list[BaseGeometry]  # each zone's watched part in the tile
    cameras: set[str] = field(default_factory=set)
    cover: dict[str, BaseGeometry] = field(default_factory=dict)  # per level, in the tile
    cover_parts: dict[str, list[Polygon]] = field(default_factory=dict)
    cover_m2: dict[str, float] = field(default_factory=dict)
    eroded: list[Polygon] = field(default_factory=list)  # eroded unwatched pieces (+ LINK_M)
    dilated: list[BaseGeometry] = field(default_factory=list)  # their dilations, in the tile
    zone_covered: list[float] = field(default_factory=list)
    generation: int = 0  # grows with every recomputation (names the pieces in caches)


def _grown(rect: tuple[float, float, float, float], d: float) -> tuple[float, float, float, float]:
    return (rect[0] - d, rect[1] - d, rect[2] + d, rect[3] + d)


def _clip(geom: BaseGeometry, rect: tuple[float, float, float, float]) -> BaseGeometry:
    """``geom`` ∩ rect as polygons (an exact overlay, not GEOS' clip_by_rect)."""
    if geom.is_empty:
        return EMPTY
    return geom.intersection(box(*rect))


def _fast_clip(geom: BaseGeometry, rect: tuple[float, float, float, float]) -> BaseGeometry:
    """``geom`` inside the rectangle: GEOS's fast clip, or the overlay where the clip fails
    (it can build a ring of three points from a footprint's hairline spike)."""
    try:
        return shapely.clip_by_rect(geom, *rect)
    except shapely.errors.GEOSException:
        return geom.intersection(box(*rect))


class CoverageState:
    """A site's coverage kept per tile, updated camera by camera.

    Build it from the site, its free space and every camera's footprints
    (the same inputs :func:`analyze` takes; footprints of the site's coverage
    model, or of ``coverage_model`` when given), then call :meth:`update` /
    :meth:`remove` / :meth:`add` and :meth:`analysis`. The tiles only combine
    footprints, so both models are kept alike; the model decides the cameras'
    stand points and the analysis's target heights.
    """

    def __init__(
        self,
        site: Site,
        space: BaseGeometry,
        footprints: Mapping[str, Footprints],
        *,
        include_planned: bool = False,
        min_blind_spot_m2: float = MIN_BLIND_SPOT_M2,
        zone_pass_ratio: float = ZONE_PASS_RATIO,
        tile_m: float = TILE_M,
        coverage_model: str | None = None,
    ) -> None:
        self.model = site.info.model if coverage_model is None else coverage_model
        if self.model not in ("ground", "standing"):
            raise ValueError(f"unknown coverage model {self.model!r}")
        self.scene = Scene(site, space) if self.model == "standing" else None
        self.site = site
        self.space = space
        self.space_area = space.area
        self.include_planned = include_planned
        self.min_blind_spot_m2 = min_blind_spot_m2
        self.zone_pass_ratio = zone_pass_ratio
        self.names = site.info.ladder.names
        self.tile_m = tile_m
        self.cameras: dict[str, Camera] = {c.id: c for c in site.cameras}
        self.footprints: dict[str, Footprints] = {c.id: footprints[c.id] for c in site.cameras}
        self.stand: dict[str, tuple[float, float]] = {
            c.id: self._stand_point(c) for c in site.cameras
        }
        self.watched_zones = [z.polygon.intersection(space) for z in site.zones]
        self.tiles: dict[Tile, _TileState] = {}
        self._spots: dict[frozenset[tuple[Tile, int, int]], list[_Spot]] = {}
        self._links: dict[tuple[Tile, int, Tile, int], list[tuple[int, int]]] = {}
        self._camera_results: dict[str, CameraResult] = {}
        if space.is_empty:
            return
        x0, y0, x1, y1 = space.bounds
        self.origin = (x0, y0)
        nx = max(1, math.ceil((x1 - x0) / tile_m))
        ny = max(1, math.ceil((y1 - y0) / tile_m))
        for i in range(nx):
            for j in range(ny):
                rect = (
                    x0 + i * tile_m,
                    y0 + j * tile_m,
                    x0 + (i + 1) * tile_m,
                    y0 + (j + 1) * tile_m,
                )
                inside = _clip(space, rect)
                if inside.area <= 0.0:
                    continue
                self.tiles[(i, j)] = _TileState(
                    rect,
                    _clip(space, _grown(rect, MARGIN_M)),
                    inside,
                    [_clip(z, rect) if not z.is_empty else EMPTY for z in self.watched_zones],
                )
        for cid in self.cameras:
            for t in self._tiles_of(cid):
                self.tiles[t].cameras.add(cid)
        for t in self.tiles:
            self._recompute(t)

    # -- tiles -------------------------------------------------------------------------

    def _counted(self, cid: str) -> bool:
        return self.cameras[cid].counted(include_planned=self.include_planned)

    def _tiles_of(self, cid: str) -> list[Tile]:
        """Tiles whose margin box the camera's counted footprints may reach."""
        if not self._counted(cid):
            return []
        bounds = [fp.bounds for fp in self.footprints[cid].values() if not fp.is_empty]
        if not bounds:
            return []
        d = MARGIN_M + 1e-9
        minx = min(b[0] for b in bounds) - d
        miny = min(b[1] for b in bounds) - d
        maxx = max(b[2] for b in bounds) + d
        maxy = max(b[3] for b in bounds) + d
        ox, oy = self.origin
        i0, i1 = math.floor((minx - ox) / self.tile_m), math.floor((maxx - ox) / self.tile_m)
        j0, j1 = math.floor((miny - oy) / self.tile_m), math.floor((maxy - oy) / self.tile_m)
        near = [
            (i, j) for i in range(i0, i1 + 1) for j in range(j0, j1 + 1) if (i, j) in self.tiles
        ]
        if len(near) <= 1:
            return near
        # a wedge's bounding box holds many tiles it does not reach: keep those it does
        grown = np.array([_grown(self.tiles[t].rect, MARGIN_M) for t in near])
        boxes = shapely.box(grown[:, 0], grown[:, 1], grown[:, 2], grown[:, 3])
        hit = np.zeros(len(near), dtype=bool)
        for fp in self.footprints[cid].values():
            if not fp.is_empty:
                hit |= shapely.intersects(fp, boxes)
        return [t for t, h in zip(near, hit, strict=True) if h]

    def _recompute(self, t: Tile) -> None:
        """Coverage, unwatched pieces and zone coverage of one tile, from its cameras."""
        tile = self.tiles[t]
        tile.generation += 1
        grown = _grown(tile.rect, MARGIN_M)
        tbox = box(*tile.rect)
        cams = sorted(tile.cameras)
        first = EMPTY
        for k, level in enumerate(self.names):
            # the lowest level also feeds the slit opening, so it is computed with the margin
            rect = grown if k == 0 else tile.rect
            cover = union(_fast_clip(self.footprints[c][level], rect) for c in cams)
            if not cover.is_empty:
                cover = cover.intersection(tile.space_m if k == 0 else tile.space)
            if k == 0:
                first = cover
                cover = cover.intersection(tbox) if not cover.is_empty else EMPTY
            tile.cover[level] = cover
            tile.cover_parts[level] = polygon_parts(cover)
            tile.cover_m2[level] = cover.area
        unwatched = (
            tile.space_m.difference(without_slits(first)) if not first.is_empty else tile.space_m
        )
        eroded = unwatched.buffer(-OPENING_M, join_style="mitre").intersection(
            box(*_grown(tile.rect, LINK_M))
        )
        tile.eroded = polygon_parts(eroded)
        grown_pieces = shapely.buffer(tile.eroded, OPENING_M, join_style="mitre")
        tile.dilated = list(shapely.intersection(grown_pieces, tbox))
        tile.zone_covered = []
        for z, zone in zip(tile.zones, self.site.zones, strict=True):
            cover = tile.cover[zone.required_level]
            tile.zone_covered.append(
                0.0 if z.is_empty or cover.is_empty else z.intersection(cover).area
            )

    def _stand_point(self, camera: Camera) -> tuple[float, float]:
        if self.scene is not None:
            return standing_stand_point(camera, self.scene)
        return stand_point(camera.position, self.space)

    # -- changes -----------------------------------------------------------------------

    def update(self, camera: Camera, footprints: Footprints) -> set[Tile]:
        """Replace the camera with this id (moved, turned, re-lensed, status changed);
        returns the tiles recomputed."""
        cid = camera.id
        if cid not in self.cameras:
            raise KeyError(f"no camera {cid!r} in the coverage state")
        before = set(self._tiles_of(cid))
        self.cameras[cid] = camera
        self.footprints[cid] = footprints
        self.stand[cid] = self._stand_point(camera)
        after = set(self._tiles_of(cid))
        return self._retile(cid, before, after)

    def add(self, camera: Camera, footprints: Footprints) -> set[Tile]:
        """Add a camera (at the end of the camera list)."""
        if camera.id in self.cameras:
            raise KeyError(f"camera {camera.id!r} is already in the coverage state")
        self.cameras[camera.id] = camera
        self.footprints[camera.id] = footprints
        self.stand[camera.id] = self._stand_point(camera)
        return self._retile(camera.id, set(), set(self._tiles_of(camera.id)))

    def remove(self, cid: str) -> set[Tile]:
        """Remove the camera with this id."""
        before = set(self._tiles_of(cid))
        del self.cameras[cid], self.footprints[cid], self.stand[cid]
        return self._retile(cid, before, set())

    def _retile(self, cid: str, before: set[Tile], after: set[Tile]) -> set[Tile]:
        self._camera_results.pop(cid, None)
        for t in before - after:
            self.tiles[t].cameras.discard(cid)
        for t in after:
            self.tiles[t].cameras.add(cid)
        touched = before | after
        for t in touched:
            self._recompute(t)
        return touched

    # -- the analysis ------------------------------------------------------------------

    def _components(self) -> list[list[tuple[Tile, int]]]:
        """Eroded pieces grouped into connected parts (pieces of neighbouring tiles that
        overlap are one part)."""
        nodes: list[tuple[Tile, int]] = []
        offset: dict[Tile, int] = {}
        for t, tile in self.tiles.items():
            offset[t] = len(nodes)
            nodes.extend((t, k) for k in range(len(tile.eroded)))
        parent = list(range(len(nodes)))

        def find(a: int) -> int:
            while parent[a] != a:
                parent[a] = parent[parent[a]]
                a = parent[a]
            return a

        links: dict[tuple[Tile, int, Tile, int], list[tuple[int, int]]] = {}
        for (i, j), tile in self.tiles.items():
            if not tile.eroded:
                continue
            base = offset[(i, j)]
            for di, dj in ((1, 0), (0, 1), (1, 1), (1, -1)):
                u = (i + di, j + dj)
                other = self.tiles.get(u)
                if other is None or not other.eroded:
                    continue
                key = ((i, j), tile.generation, u, other.generation)
                found = self._links.get(key)
                if found is None:
                    found = _overlapping(tile.eroded, other.eroded)
                links[key] = found
                for a, b in found:
                    ra, rb = find(base + a), find(offset[u] + b)
                    if ra != rb:
                        parent[ra] = rb
        self._links = links
        groups: dict[int, list[tuple[Tile, int]]] = {}
        for n, node in enumerate(nodes):
            groups.setdefault(find(n), []).append(node)
        return list(groups.values())

    def _spot_parts(self) -> list[_Spot]:
        """Blind spots of at least the minimum area, unordered; unchanged ones reused."""
        parts: list[_Spot] = []
        cache: dict[frozenset[tuple[Tile, int, int]], list[_Spot]] = {}
        for group in self._components():
            key = frozenset((t, self.tiles[t].generation, k) for t, k in group)
            found = self._spots.get(key)
            if found is None:
                merged = _dissolved([self.tiles[t].dilated[k] for t, k in group])
                found = [
                    self._spot(p) for p in polygon_parts(merged) if p.area >= self.min_blind_spot_m2
                ]
            cache[key] = found
            parts.extend(found)
        self._spots = cache
        return parts

    def _spot(self, part: Polygon) -> _Spot:
        touched = tuple(
            z.name for z in self.site.zones if z.polygon.intersection(part).area > ZONE_TOUCH_M2
        )
        rep = part.representative_point()
        cen = part.centroid
        spot = BlindSpot("", part.area, (cen.x, cen.y), (rep.x, rep.y), touched, part)
        return _Spot(spot_order(part), spot)

    def _camera_result(self, cid: str) -> CameraResult:
        found = self._camera_results.get(cid)
        if found is None:
            cam, fps = self.cameras[cid], self.footprints[cid]
            found = CameraResult(
                id=cid,
                status=cam.status,
                counted=self._counted(cid),
                footprint_m2={lv: fps[lv].area for lv in self.names},
                stand_point=self.stand[cid],
                footprints=fps,
            )
            self._camera_results[cid] = found
        return found

    def analysis(self, *, dissolve_levels: bool = False) -> Analysis:
        """The current :class:`Analysis` (as :func:`analyze` would give it).

        Each level's geometry is its tile pieces as one MultiPolygon, not dissolved
        across tile seams (a polygonal coverage: right for areas and drawing);
        ``dissolve_levels`` unions them into valid polygons, at a cost.
        """
        site = self.site
        levels: dict[str, LevelCoverage] = {}
        for level in self.names:
            area = math.fsum(tile.cover_m2[level] for tile in self.tiles.values())
            parts = [p for tile in self.tiles.values() for p in tile.cover_parts[level]]
            if dissolve_levels:
                geom = _dissolved(parts)
            else:
                geom = shapely.multipolygons(parts) if parts else EMPTY
            levels[level] = LevelCoverage(level, area, covered_share(area, self.space_area), geom)
        spots = [
            replace(spot.spot, id=f"B{i}")
            for i, spot in enumerate(sorted(self._spot_parts(), key=lambda s: s.order), 1)
        ]
        zones = []
        for n, (zone, watched) in enumerate(zip(site.zones, self.watched_zones, strict=True)):
            covered = math.fsum(tile.zone_covered[n] for tile in self.tiles.values())
            zones.append(zone_result(zone, watched.area, covered, self.zone_pass_ratio))
        cams = [self._camera_result(cid) for cid in self.cameras]
        return Analysis(
            site_id=site.id,
            monitored_area_m2=self.space_area,
            levels=levels,
            blind_spots=tuple(spots),
            zones=tuple(zones),
            cameras=tuple(cams),
            compliant=all(z.passed for z in zones),
            include_planned=self.include_planned,
            monitored=self.space,
            coverage_model=self.model,
            target_heights=site.info.target_heights() if self.model == "standing" else {},
            ladder=site.info.ladder.key,
        )


@dataclass(frozen=True)
class _Spot:
    order: tuple[float, float, float]
    spot: BlindSpot


def _overlapping(left: list[Polygon], right: list[Polygon]) -> list[tuple[int, int]]:
    """Index pairs of pieces that overlap with positive area (touching at a point is not
    a link: such parts are separate blind spots, as in :func:`blind_spot_parts`)."""
    out = []
    others = np.asarray(right, dtype=object)
    for a, pa in enumerate(left):
        for b in np.flatnonzero(shapely.intersects(pa, others)):
            if pa.intersection(right[b]).area > 0.0:
                out.append((a, int(b)))
    return out


def _dissolved(pieces: list[BaseGeometry]) -> BaseGeometry:
    """Union of tile pieces that meet only along tile seams.

    A zero buffer of their collection is such a union and measured 2–3× faster
    than a cascaded union here (docs/coverage.md, "Incremental re-analysis").
    """
    polys = [p for g in pieces for p in polygon_parts(g)]
    if len(polys) == 1:
        return polys[0]
    return shapely.GeometryCollection(polys).buffer(0.0) if polys else EMPTY


def dissolved_levels(analysis: Analysis) -> Analysis:
    """``analysis`` with each level's tile pieces dissolved into valid polygons (the same
    parts as :func:`analyze` gives; areas and ratios kept as summed over tiles)."""
    levels = {
        name: replace(cov, geometry=_dissolved(polygon_parts(cov.geometry)))
        for name, cov in analysis.levels.items()
    }
    return replace(analysis, levels=levels)
