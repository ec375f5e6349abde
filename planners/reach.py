"""``plan --target``: which zones the candidates cannot pass, and the needs capped to what
they reach (docs/planners.md, "Target not reachable").

What any set of candidates can cover of a demand piece is the union of all their
footprints in it. Zones are small, so :func:`zone_reach` computes that union for each
failing zone before greedy runs; the monitored area's (17 s on the large generated
compound) is not computed: greedy run until nothing adds anything reaches it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import shapely

from planners.demand import Demand, Footprints

CAP_MARGIN = 1e-7  # a capped need is this fraction below what is reachable (float rounding)


def _needs(demand: Demand) -> tuple[np.ndarray, np.ndarray]:
    need = np.array([max(p.need_m2, 0.0) for p in demand.pieces], dtype=float)
    return need, 1e-9 * np.maximum(need, 1.0)  # slack as placement._Mode.satisfied


def zone_reach(demand: Demand, pf: Footprints) -> np.ndarray:
    """Per piece: for a zone with a need, the area of the union of every candidate's
    footprint in it (the most any plan reaches there); +inf for the others."""
    out = np.full(len(demand.pieces), np.inf)
    for j, p in enumerate(demand.pieces):
        if p.zone is not None and p.need_m2 > 0:
            _, geoms, _ = pf.piece_members(j, np.arange(pf.n))
            out[j] = float(shapely.area(shapely.union_all(geoms))) if len(geoms) else 0.0
    return out


def unreachable_zones(demand: Demand, reach: np.ndarray) -> list[int]:
    """Pieces of zones whose need exceeds what the candidates reach (:func:`zone_reach`)."""
    return unmet_zones(demand, reach)


def unmet_zones(demand: Demand, covered: np.ndarray) -> list[int]:
    """Pieces of zones whose need ``covered`` (area per piece) does not meet."""
    need, slack = _needs(demand)
    return [
        j
        for j, p in enumerate(demand.pieces)
        if p.zone is not None and need[j] > 0 and covered[j] < need[j] - slack[j]
    ]


def capped(demand: Demand, reachable: np.ndarray, *, drop: Sequence[int] = ()) -> Demand:
    """The demand with each need lowered to what the candidates can reach; ``drop`` ones to 0."""
    gone = set(drop)
    pieces = [
        replace(
            p,
            need_m2=0.0 if j in gone else min(p.need_m2, float(reachable[j]) * (1.0 - CAP_MARGIN)),
        )
        for j, p in enumerate(demand.pieces)
    ]
    return Demand(pieces, target=True)
