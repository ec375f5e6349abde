"""Free space cut into square tiles, and one tile's coverage (incremental re-analysis).

:func:`cut_tiles` cuts a site's free space into tiles of side ``TILE_M``;
:func:`recompute_tile` computes what a :class:`TileState` keeps — per level
the union of its cameras' footprints clipped to the tile, the unwatched part
after slit removal, that part's 1 mm erosion and re-dilation (the blind-spot
opening) and each zone's covered area; :func:`tiles_reached` says which tiles
a camera's footprints may reach. :class:`~camwatch.geometry.incremental.CoverageState`
keeps the tiles of a site; :mod:`camwatch.geometry.tile_spots` joins their
eroded pieces across seams into blind spots.

Exactness: the slit opening (``SLIT_M``) and the blind-spot opening
(``OPENING_M``, mitre joins, tips up to 5 widths) only look a few millimetres
around a point, so each tile computes them on its content within
``MARGIN_M`` (5 cm) of the tile and keeps only the tile itself; the result
inside the tile is the global one (docs/coverage.md, "Incremental re-analysis").
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely.geometry import Polygon, box
from shapely.geometry.base import BaseGeometry

from camwatch.areal import polygon_parts
from camwatch.geometry.blindspots import OPENING_M, without_slits
from camwatch.geometry.coverage import Footprints, union
from camwatch.geometry.footprint import EMPTY
from camwatch.model import Zone

TILE_M = 40.0  # tile side, m (chosen by measurement: docs/coverage.md, "Incremental re-analysis")
MARGIN_M = 0.05  # each tile computes the openings on its content within this distance
LINK_M = 0.01  # eroded tile pieces are kept this far past the tile, so neighbours overlap

Tile = tuple[int, int]
Rect = tuple[float, float, float, float]


@dataclass
class TileState:
    """What one tile knows: its clipped free space and, per level, its coverage."""

    rect: Rect
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


def _grown(rect: Rect, d: float) -> Rect:
    return (rect[0] - d, rect[1] - d, rect[2] + d, rect[3] + d)


def _clip(geom: BaseGeometry, rect: Rect) -> BaseGeometry:
    """``geom`` ∩ rect as polygons (an exact overlay, not GEOS' clip_by_rect)."""
    if geom.is_empty:
        return EMPTY
    return geom.intersection(box(*rect))


def _fast_clip(geom: BaseGeometry, rect: Rect) -> BaseGeometry:
    """``geom`` inside the rectangle: GEOS's fast clip, or the overlay where the clip fails
    (it can build a ring of three points from a footprint's hairline spike)."""
    try:
        return shapely.clip_by_rect(geom, *rect)
    except shapely.errors.GEOSException:
        return geom.intersection(box(*rect))


def cut_tiles(
    space: BaseGeometry, watched_zones: Sequence[BaseGeometry], tile_m: float
) -> tuple[tuple[float, float], dict[Tile, TileState]]:
    """The grid's origin and its tiles that hold free space (``space`` not empty), each
    with its free space and its part of every zone's watched area, nothing computed yet."""
    x0, y0, x1, y1 = space.bounds
    tiles: dict[Tile, TileState] = {}
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
            tiles[(i, j)] = TileState(
                rect,
                _clip(space, _grown(rect, MARGIN_M)),
                inside,
                [_clip(z, rect) if not z.is_empty else EMPTY for z in watched_zones],
            )
    return (x0, y0), tiles


def tiles_reached(
    footprints: Footprints,
    tiles: Mapping[Tile, TileState],
    origin: tuple[float, float],
    tile_m: float,
) -> list[Tile]:
    """Tiles whose margin box these footprints (one camera's) may reach."""
    bounds = [fp.bounds for fp in footprints.values() if not fp.is_empty]
    if not bounds:
        return []
    d = MARGIN_M + 1e-9
    minx = min(b[0] for b in bounds) - d
    miny = min(b[1] for b in bounds) - d
    maxx = max(b[2] for b in bounds) + d
    maxy = max(b[3] for b in bounds) + d
    ox, oy = origin
    i0, i1 = math.floor((minx - ox) / tile_m), math.floor((maxx - ox) / tile_m)
    j0, j1 = math.floor((miny - oy) / tile_m), math.floor((maxy - oy) / tile_m)
    near = [(i, j) for i in range(i0, i1 + 1) for j in range(j0, j1 + 1) if (i, j) in tiles]
    if len(near) <= 1:
        return near
    # a wedge's bounding box holds many tiles it does not reach: keep those it does
    grown = np.array([_grown(tiles[t].rect, MARGIN_M) for t in near])
    boxes = shapely.box(grown[:, 0], grown[:, 1], grown[:, 2], grown[:, 3])
    hit = np.zeros(len(near), dtype=bool)
    for fp in footprints.values():
        if not fp.is_empty:
            hit |= shapely.intersects(fp, boxes)
    return [t for t, h in zip(near, hit, strict=True) if h]


def recompute_tile(
    tile: TileState,
    footprints: Mapping[str, Footprints],
    levels: Sequence[str],
    zones: Sequence[Zone],
) -> None:
    """Coverage, unwatched pieces and zone coverage of one tile, from its cameras
    (``footprints`` by camera id, ``levels`` lowest first, ``zones`` the site's)."""
    tile.generation += 1
    grown = _grown(tile.rect, MARGIN_M)
    tbox = box(*tile.rect)
    cams = sorted(tile.cameras)
    first = EMPTY
    for k, level in enumerate(levels):
        # the lowest level also feeds the slit opening, so it is computed with the margin
        rect = grown if k == 0 else tile.rect
        cover = union(_fast_clip(footprints[c][level], rect) for c in cams)
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
    for z, zone in zip(tile.zones, zones, strict=True):
        cover = tile.cover[zone.required_level]
        tile.zone_covered.append(
            0.0 if z.is_empty or cover.is_empty else z.intersection(cover).area
        )


def dissolved(pieces: list[BaseGeometry]) -> BaseGeometry:
    """Union of tile pieces that meet only along tile seams.

    A zero buffer of their collection is such a union and measured 2–3× faster
    than a cascaded union here (docs/coverage.md, "Incremental re-analysis").
    """
    polys = [p for g in pieces for p in polygon_parts(g)]
    if len(polys) == 1:
        return polys[0]
    return shapely.GeometryCollection(polys).buffer(0.0) if polys else EMPTY
