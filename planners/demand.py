"""What new cameras should cover: the demand pieces and each candidate's footprint in them.

Formulation (issue 4 item 1). Let M be the monitored area, C_L the coverage
at level L of the cameras already counted (active and planned), and F_c^L a
candidate's footprint at level L. The demand is a list of *pieces*
(region U_j, level L_j, weight w_j):

- each zone z with weight w_z > 0: U = (z ∩ M) − C_{L_z} at its required level L_z;
- the rest of the monitored area: U = (M − ∪ zones) − C_L at the requested level L (weight 1).

The objective of a set S of candidates is the weighted area newly covered,
f(S) = Σ_j w_j · area(U_j ∩ ∪_{c∈S} F_c^{L_j}), a weighted coverage function:
monotone and submodular. For ``--target`` each piece instead carries the area
``need_j`` it still lacks (zones: to pass at 98 %; the whole of M: to reach the
target ratio at L).

The exact atoms of a candidate pool's arrangement, which make f exact and finite for
local search and the exact programmes, are :mod:`planners.atoms`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from camwatch.errors import UsageError
from camwatch.geometry.coverage import Analysis, union
from camwatch.i18n import msg
from camwatch.ladders import DORI, ladder, not_in_ladder
from camwatch.model import ZONE_PASS_RATIO, Site
from planners.candidates import CandidateSet

MIN_PIECE_M2 = 1e-6  # pieces (and atoms) smaller than this are float noise
NEED_MARGIN = 1e-7  # relative margin added to targets so float rounding cannot miss them


@dataclass(frozen=True)
class Piece:
    """One part of the demand: an uncovered region counted at a level with a weight."""

    name: str
    level: str
    weight: float
    region: BaseGeometry = field(repr=False)
    total_m2: float  # area of the whole region (zone ∩ M, or M − zones), covered or not
    covered_m2: float  # of which already covered at ``level``
    need_m2: float = 0.0  # target mode: area still to cover
    zone: str | None = None


@dataclass
class Demand:
    pieces: list[Piece]
    target: bool = False

    def levels(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(p.level for p in self.pieces))

    def regions(self) -> list[tuple[str, BaseGeometry]]:
        """(level, region) of every piece, for :func:`planners.candidates.generate_candidates`."""
        return [(p.level, p.region) for p in self.pieces]

    def total_weight(self) -> float:
        return float(sum(p.weight * p.region.area for p in self.pieces))


def planning_level(analysis: Analysis, level: str) -> str:
    """The level the rest of the area is planned at: ``level`` if the site's ladder has it.

    ``detection`` (the default, DORI's lowest level) means the lowest level of the site's
    ladder, the level blind spots are measured at (docs/coverage.md, "Ladders"); a level
    of another ladder is a UsageError naming the site's ladder.
    """
    chosen = ladder(analysis.ladder)
    if level in chosen.names:
        return level
    if level == DORI.lowest:
        return chosen.lowest
    raise UsageError(msg("%(who)s: %(detail)s", who="--level", detail=not_in_ladder(level, chosen)))


def _uncovered(region: BaseGeometry, covered: BaseGeometry) -> BaseGeometry:
    if region.is_empty or covered.is_empty:
        return region
    return region.difference(covered)


def objective_demand(site: Site, analysis: Analysis, *, level: str = "detection") -> Demand:
    """Pieces for ``plan --add``: zones at their level and weight, the rest at ``level``.

    ``analysis`` is the site analysed with the cameras already counted
    (``include_planned=True``).
    """
    monitored = analysis.monitored
    pieces: list[Piece] = []
    for zone in site.zones:
        if zone.weight <= 0:
            continue
        region = zone.polygon.intersection(monitored)
        cover = analysis.levels[zone.required_level].geometry
        left = _uncovered(region, cover)
        pieces.append(
            Piece(
                f"zone '{zone.name}'",
                zone.required_level,
                float(zone.weight),
                left,
                region.area,
                region.area - left.area,
                zone=zone.name,
            )
        )
    rest = monitored.difference(union(z.polygon for z in site.zones)) if site.zones else monitored
    left = _uncovered(rest, analysis.levels[level].geometry)
    pieces.append(
        Piece("rest of the monitored area", level, 1.0, left, rest.area, rest.area - left.area)
    )
    return Demand([p for p in pieces if p.region.area > MIN_PIECE_M2])


def target_demand(
    site: Site,
    analysis: Analysis,
    *,
    target: float,
    level: str = "detection",
    zone_pass_ratio: float = ZONE_PASS_RATIO,
) -> Demand:
    """Pieces for ``plan --target``: each failing zone, and M at ``level`` below ``target``."""
    monitored = analysis.monitored
    pieces: list[Piece] = []
    for zone in site.zones:
        region = zone.polygon.intersection(monitored)
        cover = analysis.levels[zone.required_level].geometry
        left = _uncovered(region, cover)
        need = zone_pass_ratio * region.area - (region.area - left.area)
        if need > 0.0 and region.area > MIN_PIECE_M2:
            need = min(need + NEED_MARGIN * region.area, left.area)
            pieces.append(
                Piece(
                    f"zone '{zone.name}'",
                    zone.required_level,
                    1.0,
                    left,
                    region.area,
                    region.area - left.area,
                    need_m2=need,
                    zone=zone.name,
                )
            )
    left = _uncovered(monitored, analysis.levels[level].geometry)
    need = target * monitored.area - (monitored.area - left.area)
    if need > 0.0:
        need = min(need + NEED_MARGIN * monitored.area, left.area)
        pieces.append(
            Piece(
                "monitored area",
                level,
                1.0,
                left,
                monitored.area,
                monitored.area - left.area,
                need_m2=need,
            )
        )
    return Demand(pieces, target=True)


@dataclass
class PieceFootprints:
    """Each candidate's footprint within each piece: D_cj = U_j ∩ F_c^{L_j}.

    ``by_piece[j] = (candidate indices, geometries, areas)``; ``by_candidate[c]``
    lists ``(j, position in by_piece[j])``.
    """

    by_piece: list[tuple[np.ndarray, np.ndarray, np.ndarray]]
    by_candidate: list[list[tuple[int, int]]]

    @property
    def n(self) -> int:
        """How many candidates."""
        return len(self.by_candidate)

    def known(self) -> np.ndarray | None:
        """Which rows of :meth:`upper_areas` are exact (None: all of them)."""
        return None

    def upper_areas(self) -> np.ndarray:
        """(candidates × pieces) areas of D_cj: exact here (upper bounds in a lazy set)."""
        out = np.zeros((self.n, len(self.by_piece)))
        for j, (idx, _, areas) in enumerate(self.by_piece):
            out[idx, j] = areas
        return out

    def areas(self, c: int) -> list[tuple[int, float]]:
        return [(j, float(self.by_piece[j][2][k])) for j, k in self.by_candidate[c]]

    def parts(self, c: int) -> list[tuple[int, BaseGeometry, float]]:
        """(piece, D_cj, its area) for every piece candidate ``c`` meets."""
        return [
            (j, self.by_piece[j][1][k], float(self.by_piece[j][2][k]))
            for j, k in self.by_candidate[c]
        ]

    def piece_members(self, j: int, pool: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The members of ``pool`` (sorted candidate indices) meeting piece ``j``, in index
        order, with their D_cj and areas."""
        idx, geoms, areas = self.by_piece[j]
        sel = np.flatnonzero(np.isin(idx, pool))
        return idx[sel], geoms[sel], areas[sel]

    def geometry(self, c: int, j: int) -> BaseGeometry:
        for jj, k in self.by_candidate[c]:
            if jj == j:
                return self.by_piece[j][1][k]
        return Polygon()


class Footprints(Protocol):
    """What the evaluators read of the candidates' D_cj: :class:`PieceFootprints` (all
    computed) or :class:`planners.lazy.LazyCandidates` (computed per spot on first use)."""

    @property
    def n(self) -> int: ...

    def known(self) -> np.ndarray | None: ...

    def upper_areas(self) -> np.ndarray: ...

    def areas(self, c: int) -> list[tuple[int, float]]: ...

    def parts(self, c: int) -> list[tuple[int, BaseGeometry, float]]: ...

    def geometry(self, c: int, j: int) -> BaseGeometry: ...

    def piece_members(
        self, j: int, pool: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]: ...


def split_by_piece(demand: Demand, cset: CandidateSet) -> PieceFootprints:
    """Index the candidates' footprints by piece (``cset`` built with :meth:`Demand.regions`)."""
    n = len(cset)
    by_piece = []
    by_candidate: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    for j in range(len(demand.pieces)):
        idx = np.flatnonzero(cset.areas[j] > MIN_PIECE_M2) if n else np.zeros(0, dtype=np.int64)
        by_piece.append((idx, cset.footprints[j][idx], cset.areas[j][idx]))
        for k, c in enumerate(idx.tolist()):
            by_candidate[c].append((j, k))
    return PieceFootprints(by_piece, by_candidate)
