"""``plan --target``'s greedy against a plain reference (docs/planners.md, "Target mode"):
the reference recomputes every candidate's truncated gain from the union of the chosen
footprints at every step (no laziness, no reuse of areas, no boxes), and finds what a
zone can reach by running that greedy until nothing adds anything."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from shapely.geometry import box

import planners.plan as plan_module
from camwatch.geometry.coverage import analyze
from camwatch.geometry.space import free_space
from camwatch.model import Zone
from planners.candidates import generate_candidates
from planners.demand import Demand, PieceFootprints, split_by_piece, target_demand
from planners.evaluators import GeometryCoverage
from planners.lenses import Lens
from planners.placement import greedy_placement
from planners.plan import plan_cameras
from planners.reach import unreachable_zones as _unreachable_zones
from planners.reach import zone_reach as _zone_reach
from tests.planners.sites import make_site, small_compound

SHORT = Lens(name="short", hfov_deg=90, resolution=(640, 480))  # identification reach ~1.3 m


def strip():
    """A 120 × 24 m strip, four buildings, a gate zone in reach and one far from every facade."""
    return make_site(
        box(0, 0, 120, 24),
        buildings=[box(12 + 30 * i, 8, 24 + 30 * i, 16) for i in range(4)],
        zones=[
            Zone("yard gate", box(40, 18, 44, 22), zone_type="entrance"),
            Zone("far gate", box(101, 2, 104, 5), zone_type="entrance", required_level="identification"),
        ],
        sid="strip",
    )  # fmt: skip


def _setup(site, lenses, target):
    space = free_space(site)
    before = analyze(site, include_planned=True, space=space)
    demand = target_demand(site, before, target=target)
    cset = generate_candidates(site, lenses, space=space, regions=demand.regions())
    return demand, split_by_piece(demand, cset)


def _with_needs(demand: Demand, needs) -> Demand:
    return Demand(
        [
            type(p)(**{**p.__dict__, "need_m2": float(n)})
            for p, n in zip(demand.pieces, needs, strict=True)
        ],
        target=True,
    )


def reference_state(demand: Demand, pf: PieceFootprints, chosen: list[int]):
    """(covered area per piece, every candidate's truncated gain) for the set ``chosen``."""
    need = np.array([max(p.need_m2, 0.0) for p in demand.pieces])
    covered = np.zeros(len(need))
    gain = np.zeros(pf.n)
    for j in np.flatnonzero(need > 0).tolist():
        idx, geoms, _ = pf.by_piece[j]
        mine = [geoms[k] for k, c in enumerate(idx.tolist()) if c in chosen]
        union = shapely.union_all(mine) if mine else None
        covered[j] = union.area if union is not None else 0.0
        new = shapely.area(geoms if union is None else shapely.difference(geoms, union))
        gain[idx] += np.minimum(new, max(need[j] - covered[j], 0.0)) / need[j]
    return covered, gain


def reference_met(demand: Demand, covered: np.ndarray) -> bool:
    need = np.array([max(p.need_m2, 0.0) for p in demand.pieces])
    return bool(np.all(covered >= need - 1e-9 * np.maximum(need, 1.0)))


def reference_greedy(demand: Demand, pf: PieceFootprints) -> list[int]:
    """The plain greedy: the largest gain (lowest index on exact ties) until every need is
    met or nothing adds more than 1e-9 of the number of needs."""
    tol = max(sum(p.need_m2 > 0 for p in demand.pieces), 1) * 1e-9
    chosen: list[int] = []
    while True:
        covered, gain = reference_state(demand, pf, chosen)
        if reference_met(demand, covered) or gain.max() <= tol:
            return chosen
        chosen.append(int(np.argmax(gain)))


SITES = {
    "strip": (strip, [Lens()], 0.97),
    "small": (small_compound, [Lens()], 0.99),
    "strip, two lenses": (strip, [Lens(), SHORT], 0.9),
}


@pytest.mark.parametrize("name", sorted(SITES))
def test_every_pick_has_a_largest_gain(name):
    """Replayed against the reference: at every step greedy takes a candidate whose gain is
    the largest (to rounding: equal gains may fall either way), reports that gain, and it
    stops exactly when every need is met."""
    make, lenses, target = SITES[name]
    demand, pf = _setup(make(), lenses, target)
    reach = _zone_reach(demand, pf)
    dropped = set(_unreachable_zones(demand, reach))
    demand = _with_needs(
        demand, [0.0 if j in dropped else p.need_m2 for j, p in enumerate(demand.pieces)]
    )
    reported: list[float] = []
    got = greedy_placement(GeometryCoverage(demand, pf, mode="target"), k=None, costs=np.ones(pf.n), by_ratio=True, on_step=reported.append)  # fmt: skip
    assert len(got.selected) >= 2
    need = np.array([max(p.need_m2, 0.0) for p in demand.pieces])
    live = need > 0
    shares = []
    for t, (c, g) in enumerate(zip(got.selected, got.gains, strict=True)):
        covered, gain = reference_state(demand, pf, got.selected[:t])
        assert not reference_met(demand, covered)
        shares.append(
            float(np.sum(np.minimum(covered[live], need[live]) / need[live])) / live.sum()
        )
        assert gain[c] >= gain.max() * (1 - 1e-9)
        assert g == pytest.approx(gain[c], rel=1e-9, abs=1e-12)
    covered, _ = reference_state(demand, pf, got.selected)
    assert reference_met(demand, covered)
    # the progress reported before each evaluation is the share reached so far
    assert sorted(set(reported)) == pytest.approx(shares, rel=1e-9, abs=1e-12)


def test_zones_out_of_reach_are_those_greedy_cannot_pass():
    """The union of every candidate's footprint in a zone is what greedy run until nothing
    adds anything reaches there: the zones dropped before greedy are those it leaves unmet."""
    demand, pf = _setup(strip(), [Lens(), SHORT], 0.9)
    reach = _zone_reach(demand, pf)
    dropped = _unreachable_zones(demand, reach)
    everything = _with_needs(demand, [p.region.area for p in demand.pieces])
    covered, _ = reference_state(everything, pf, reference_greedy(everything, pf))
    unmet = []
    for j, p in enumerate(demand.pieces):
        if p.zone is not None:
            assert reach[j] == pytest.approx(covered[j], rel=1e-6, abs=1e-6)
            if covered[j] < p.need_m2 - 1e-9 * max(p.need_m2, 1.0):
                unmet.append(j)
        else:
            assert reach[j] == np.inf
    assert dropped == unmet
    assert [demand.pieces[j].zone for j in dropped] == ["far gate"]


def test_plan_greedy_is_the_two_run_greedy(monkeypatch):
    """plan_cameras drops unreachable zones before its greedy; before, a first greedy ran
    until nothing added anything, and a second one planned for the capped needs. The
    same picks."""
    site, lenses = strip(), [Lens(), SHORT]
    runs = []

    def recording(*args, **kwargs):
        out = greedy_placement(*args, **kwargs)
        runs.append(list(out.selected))
        return out

    monkeypatch.setattr(plan_module, "greedy_placement", recording)
    result = plan_cameras(site, target=0.9, lenses=lenses, method="greedy")
    assert len(runs) == 1  # one greedy run
    assert [z["zone"] for z in result.target["unreachable"]] == ["far gate"]
    demand, pf = _setup(site, lenses, 0.9)
    costs = np.array([lens.unit_cost for lens in lenses])[
        [c.lens for c in generate_candidates(site, lenses, space=free_space(site), regions=demand.regions()).candidates]
    ]  # fmt: skip
    first = GeometryCoverage(demand, pf, mode="target")
    greedy_placement(first, k=None, costs=costs, by_ratio=True)
    assert not first.m.satisfied(first.covered)
    need = [
        0.0
        if p.zone is not None and first.covered[j] < p.need_m2 - 1e-9 * max(p.need_m2, 1.0)
        else min(p.need_m2, first.covered[j] * (1 - 1e-7))
        for j, p in enumerate(demand.pieces)
    ]
    second = GeometryCoverage(_with_needs(demand, need), pf, mode="target")
    old = greedy_placement(second, k=None, costs=costs, by_ratio=True)
    assert runs[0] == old.selected
