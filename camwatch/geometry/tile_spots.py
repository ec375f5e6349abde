"""Blind spots of a tiled coverage: eroded tile pieces joined across the seams.

Blind spots are the connected parts of the eroded unwatched area. Each tile
(:mod:`camwatch.geometry.tiles`) keeps its eroded pieces ``LINK_M`` past its
edges, so pieces of neighbouring tiles that belong to one part overlap;
overlap with positive area links them (touching at a point does not, as in
:func:`~camwatch.geometry.blindspots.blind_spot_parts`). A spot's geometry is
the union of its linked pieces' dilations. :class:`SeamSpots` keeps what it
found per set of tile generations, so spots whose pieces did not change are
reused as they were (docs/coverage.md, "Incremental re-analysis").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import Polygon

from camwatch.areal import polygon_parts
from camwatch.geometry.blindspots import spot_order
from camwatch.geometry.coverage import ZONE_TOUCH_M2, BlindSpot
from camwatch.geometry.tiles import Tile, TileState, dissolved
from camwatch.model import Zone


@dataclass(frozen=True)
class TileSpot:
    """A blind spot found on the tiles (its id not given yet) and its place in the order."""

    order: tuple[float, float, float]
    spot: BlindSpot


class SeamSpots:
    """Blind spots of a site's tiles, with what unchanged tiles let it reuse."""

    def __init__(self) -> None:
        self._spots: dict[frozenset[tuple[Tile, int, int]], list[TileSpot]] = {}
        self._links: dict[tuple[Tile, int, Tile, int], list[tuple[int, int]]] = {}

    def components(self, tiles: Mapping[Tile, TileState]) -> list[list[tuple[Tile, int]]]:
        """Eroded pieces grouped into connected parts (pieces of neighbouring tiles that
        overlap are one part)."""
        nodes: list[tuple[Tile, int]] = []
        offset: dict[Tile, int] = {}
        for t, tile in tiles.items():
            offset[t] = len(nodes)
            nodes.extend((t, k) for k in range(len(tile.eroded)))
        parent = list(range(len(nodes)))

        def find(a: int) -> int:
            while parent[a] != a:
                parent[a] = parent[parent[a]]
                a = parent[a]
            return a

        links: dict[tuple[Tile, int, Tile, int], list[tuple[int, int]]] = {}
        for (i, j), tile in tiles.items():
            if not tile.eroded:
                continue
            base = offset[(i, j)]
            for di, dj in ((1, 0), (0, 1), (1, 1), (1, -1)):
                u = (i + di, j + dj)
                other = tiles.get(u)
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

    def parts(
        self, tiles: Mapping[Tile, TileState], zones: Sequence[Zone], min_area_m2: float
    ) -> list[TileSpot]:
        """Blind spots of at least ``min_area_m2``, unordered; unchanged ones reused."""
        parts: list[TileSpot] = []
        cache: dict[frozenset[tuple[Tile, int, int]], list[TileSpot]] = {}
        for group in self.components(tiles):
            key = frozenset((t, tiles[t].generation, k) for t, k in group)
            found = self._spots.get(key)
            if found is None:
                merged = dissolved([tiles[t].dilated[k] for t, k in group])
                found = [_spot(p, zones) for p in polygon_parts(merged) if p.area >= min_area_m2]
            cache[key] = found
            parts.extend(found)
        self._spots = cache
        return parts


def _spot(part: Polygon, zones: Sequence[Zone]) -> TileSpot:
    touched = tuple(z.name for z in zones if z.polygon.intersection(part).area > ZONE_TOUCH_M2)
    rep = part.representative_point()
    cen = part.centroid
    spot = BlindSpot("", part.area, (cen.x, cen.y), (rep.x, rep.y), touched, part)
    return TileSpot(spot_order(part), spot)


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
