"""Incremental re-analysis: after one camera moves, recompute only the tiles it touches.

:class:`CoverageState` holds the coverage of a site cut into square tiles
(:mod:`camwatch.geometry.tiles`; docs/coverage.md, "Incremental re-analysis").
Per tile it keeps, for every level, the union of the counted footprints
clipped to the tile, the unwatched part after slit removal, and that part's
1 mm erosion and re-dilation (the blind-spot opening).
:meth:`CoverageState.update` recomputes only the tiles the camera's old or new
footprints reach; :meth:`CoverageState.analysis` rebuilds an
:class:`~camwatch.geometry.coverage.Analysis` equal (to rounding) to what
:func:`~camwatch.geometry.coverage.analyze` gives for the changed site, its
blind spots joined across tile seams by :mod:`camwatch.geometry.tile_spots`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace

import shapely
from shapely.geometry.base import BaseGeometry

from camwatch.areal import polygon_parts
from camwatch.geometry.coverage import (
    Analysis,
    CameraResult,
    Footprints,
    LevelCoverage,
    covered_share,
    zone_result,
)
from camwatch.geometry.footprint import EMPTY
from camwatch.geometry.heights import Scene, standing_stand_point
from camwatch.geometry.space import stand_point
from camwatch.geometry.tile_spots import SeamSpots
from camwatch.geometry.tiles import (
    TILE_M,
    Tile,
    TileState,
    cut_tiles,
    dissolved,
    recompute_tile,
    tiles_reached,
)
from camwatch.model import MIN_BLIND_SPOT_M2, ZONE_PASS_RATIO, Camera, Site


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
        self.tiles: dict[Tile, TileState] = {}
        self._seams = SeamSpots()
        self._camera_results: dict[str, CameraResult] = {}
        if space.is_empty:
            return
        self.origin, self.tiles = cut_tiles(space, self.watched_zones, tile_m)
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
        return tiles_reached(self.footprints[cid], self.tiles, self.origin, self.tile_m)

    def _recompute(self, t: Tile) -> None:
        """Coverage, unwatched pieces and zone coverage of one tile, from its cameras."""
        recompute_tile(self.tiles[t], self.footprints, self.names, self.site.zones)

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
                geom = dissolved(parts)
            else:
                geom = shapely.multipolygons(parts) if parts else EMPTY
            levels[level] = LevelCoverage(level, area, covered_share(area, self.space_area), geom)
        found = self._seams.parts(self.tiles, site.zones, self.min_blind_spot_m2)
        spots = [
            replace(spot.spot, id=f"B{i}")
            for i, spot in enumerate(sorted(found, key=lambda s: s.order), 1)
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


def dissolved_levels(analysis: Analysis) -> Analysis:
    """``analysis`` with each level's tile pieces dissolved into valid polygons (the same
    parts as :func:`analyze` gives; areas and ratios kept as summed over tiles)."""
    levels = {
        name: replace(cov, geometry=dissolved(polygon_parts(cov.geometry)))
        for name, cov in analysis.levels.items()
    }
    return replace(analysis, levels=levels)
