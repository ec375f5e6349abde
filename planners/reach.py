"""``plan --target``: which zones the candidates cannot pass, and the needs capped to what
they reach (docs/planners.md, "Target not reachable").

What any set of candidates can cover of a demand piece is the union of all their
footprints in it. Zones are small, so :func:`zone_reach` computes that union for each
failing zone before greedy runs; the monitored area's (17 s on the large generated
compound) is not computed: greedy run until nothing adds anything reaches it.
:func:`explain_zones` says, for each zone the plan could not pass, why: no mount within
the level's distance of part of it, or the mounts near it do not see the rest.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np
import shapely
from shapely.geometry import Point
from shapely.ops import unary_union

from camwatch.geometry import optics
from camwatch.geometry.coverage import Analysis
from camwatch.i18n import msg, term_msg
from camwatch.model import Site
from planners.candidates import CandidateSet
from planners.demand import Demand, Footprints
from planners.lazy import LazyCandidates
from planners.lenses import Lens
from planners.words import reason

CAP_MARGIN = 1e-7  # a capped need is this fraction below what is reachable (float rounding)


def _needs(demand: Demand) -> tuple[np.ndarray, np.ndarray]:
    need = np.array([max(p.need_m2, 0.0) for p in demand.pieces], dtype=float)
    return need, 1e-9 * np.maximum(need, 1.0)  # slack as evaluators._Mode.satisfied


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


def explain_zones(
    report: dict[str, Any],
    site: Site,
    before: Analysis,
    cset: CandidateSet | LazyCandidates,
    types: Sequence[Lens],
    zones: Sequence[str | None],
) -> None:
    """Say why each zone the plan could not pass is out of reach (distance first)."""
    by_name = {z.name: z for z in site.zones}
    for entry in report["unreachable"]:
        zone = by_name.get(entry.get("zone") or "")
        if zone is None:
            continue
        level = zone.required_level
        reach_m = max(optics.reach(t.camera("x", (0.0, 0.0), 0.0), level) for t in types)
        missing = zone.polygon.difference(before.levels[level].geometry)
        if missing.is_empty:
            missing = zone.polygon
        near = [Point(m.stand) for m in cset.mounts_near(missing, reach_m)]
        far = (
            missing.difference(unary_union([p.buffer(reach_m) for p in near])) if near else missing
        )
        entry["reach_m"] = round(reach_m, 2)
        entry["out_of_reach_m2"] = round(far.area, 2)
        entry["planned_for"] = zone.name in zones
        if far.area > 0.01:
            why = msg(
                "zone '%(zone)s': no mount within %(level)s distance (%(reach)s m) of %(area)s m² of it",
                zone=zone.name,
                level=term_msg("plan", level),
                reach=format(reach_m, ".1f"),
                area=format(far.area, ".1f"),
            )
        else:
            why = msg(
                "zone '%(zone)s': the mounts within %(level)s distance (%(reach)s m) "
                "do not see the rest of it (walls, buildings or the field of view are in the way)",
                zone=zone.name,
                level=term_msg("plan", level),
                reach=format(reach_m, ".1f"),
            )
        entry.update(reason(why))
