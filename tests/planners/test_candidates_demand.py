"""Candidates, lenses, exact atoms and the algorithms on them."""

from __future__ import annotations

import json
import math
import threading
from dataclasses import replace

import numpy as np
import pytest
import shapely
from shapely.geometry import LineString, Point, box

from camwatch.errors import UsageError
from camwatch.geometry.coverage import analyze
from camwatch.geometry.footprint import camera_footprints
from camwatch.geometry.space import free_space
from camwatch.model import Mount, parse_resolution
from planners.atoms import build_atoms, restrict_atoms
from planners.candidates import generate_candidates
from planners.demand import objective_demand, split_by_piece
from planners.evaluators import AtomCoverage, GeometryCoverage
from planners.exact import max_coverage_ilp
from planners.lenses import Lens, load_lenses
from planners.local_search import local_search
from planners.mounts import headings_for, mount_points
from planners.placement import greedy_placement
from planners.plan import exact_subpool
from tests.planners.sites import make_site, small_compound


def _problem(site):
    space = free_space(site)
    demand = objective_demand(site, analyze(site, include_planned=True, space=space))
    cset = generate_candidates(site, [Lens()], space=space, regions=demand.regions())
    return space, demand, cset, split_by_piece(demand, cset)


def test_mount_points_on_facades_and_boundary():
    site = make_site(box(0, 0, 20, 10), buildings=[box(5, 3, 9, 7)])
    space = free_space(site)
    mounts, skipped = mount_points(site, space, spacing=2.0)
    assert not skipped
    sources = {m.source for m in mounts}
    assert sources == {"facade", "boundary"}
    for m in mounts:
        assert Point(m.position).distance(space) < 1e-3
        assert m.position == (round(m.position[0], 3), round(m.position[1], 3))
    corner = next(m for m in mounts if m.position == (5.0, 3.0))
    assert corner.normal_deg == pytest.approx(225.0, abs=1.0)  # diagonal, away from the building


def test_mount_features_replace_facades():
    mounts_in = [
        Mount(geometry=Point(10, 0)),
        Mount(geometry=LineString([(0, 5), (0, 9)])),
        Mount(geometry=Point(50, 50), name="far away"),
    ]
    site = make_site(box(0, 0, 20, 10), mounts=mounts_in)
    mounts, skipped = mount_points(site, free_space(site), spacing=2.0)
    assert {m.position for m in mounts} == {(10.0, 0.0), (0.0, 5.0), (0.0, 7.0), (0.0, 9.0)}
    assert len(skipped) == 1 and "far away" in skipped[0]


def test_headings_point_into_free_space():
    site = make_site(box(0, 0, 20, 10))
    space = free_space(site)
    mounts, _ = mount_points(site, space, spacing=5.0)
    south_edge = next(m for m in mounts if m.position == (10.0, 0.0))
    hs = headings_for(south_edge, Lens(hfov_deg=90), space)
    assert all(h < 90 or h > 270 for h in hs)  # all look north-ish, into the yard
    assert 0.0 in hs and 45.0 in hs and 315.0 in hs
    assert headings_for(south_edge, Lens(hfov_deg=360), space) == [0.0]


def test_candidate_footprints_equal_the_engine():
    # the ground model's footprints (tests/planners/test_standing.py: the standing ones)
    small = small_compound()
    site = replace(small, info=replace(small.info, coverage_model="ground"))
    space, demand, cset, pf = _problem(site)
    rest = len(demand.pieces) - 1  # the last piece: rest of the monitored area at detection
    for i in range(0, len(cset), max(1, len(cset) // 15)):
        cam = cset.camera(i, "X")
        engine = camera_footprints(cam, space)["detection"].intersection(demand.pieces[rest].region)
        mine = cset.footprints[rest][i]
        assert abs(engine.area - mine.area) <= 1e-6 * max(engine.area, 1.0)


def test_atoms_are_exact_and_restrict_consistently():
    site = small_compound()
    _, demand, cset, pf = _problem(site)
    pool = list(range(0, len(cset), 7))[:120]
    atoms = build_atoms(demand, pf, pool)
    assert atoms.max_error_m2 < 1e-6
    cov = AtomCoverage(demand, atoms)
    geo = GeometryCoverage(demand, pf)
    pick = [3, 17, 40]
    cov.set_selection(pick)
    for c in pick:
        geo.add(int(atoms.pool[c]))
    assert cov.value() == pytest.approx(geo.value(), rel=1e-9)
    sub = [3, 17, 40, 41, 90]
    small = restrict_atoms(demand, atoms, sub)
    direct = build_atoms(demand, pf, [int(atoms.pool[i]) for i in sub])
    assert small.n_atoms == direct.n_atoms
    assert small.weight.sum() == pytest.approx(direct.weight.sum(), rel=1e-9)


def test_greedy_local_exact_order_on_same_atoms():
    site = small_compound()
    _, demand, cset, pf = _problem(site)
    geo = GeometryCoverage(demand, pf)
    upper = geo.upper_bounds()
    pool = [int(c) for c in np.argsort(-upper, kind="stable")[:60]]
    atoms = build_atoms(demand, pf, pool)
    ac = AtomCoverage(demand, atoms)
    g = greedy_placement(ac, k=3)
    loc = local_search(ac, g.selected, k=3)
    ex = max_coverage_ilp(ac, k=3, start=loc.selected, time_limit=20)
    assert g.objective <= loc.objective + 1e-6 <= ex.objective + 2e-6
    assert ex.optimal and ex.bound == pytest.approx(ex.objective, rel=1e-6)
    assert sum(ex.gains) == pytest.approx(ex.objective)
    # the 1 − 1/e guarantee, checked against the proven optimum
    assert g.objective >= (1 - 1 / math.e) * ex.objective


@pytest.mark.slow
def test_exact_subpool_keeps_current_and_fits():
    site = small_compound()
    _, demand, cset, pf = _problem(site)
    geo = GeometryCoverage(demand, pf)
    upper = geo.upper_bounds()
    pool = [int(c) for c in np.argsort(-upper, kind="stable")[:150]]
    atoms = build_atoms(demand, pf, pool)
    ac = AtomCoverage(demand, atoms)
    current = [0, 1, 2]
    sub, sub_ac = exact_subpool(demand, atoms, ac, list(range(len(pool))), current, "weighted")
    assert set(current) <= set(sub)
    assert sub_ac.atoms.n_atoms <= 4000 or len(sub) == len(current) + 40


def test_parse_resolution_and_lenses(tmp_path):
    assert parse_resolution("2560x1440") == (2560, 1440)
    assert parse_resolution([640, 480]) == (640, 480)
    with pytest.raises(UsageError, match="WIDTHxHEIGHT"):
        parse_resolution("wide")
    path = tmp_path / "l.json"
    path.write_text(
        json.dumps(
            [
                {"name": "w", "hfov_deg": 100, "unit_cost": 1},
                {
                    "name": "t",
                    "focal_mm": 8,
                    "sensor_width_mm": 5.37,
                    "resolution": "2560x1440",
                    "unit_cost": 3,
                },
            ]
        ),
        encoding="utf-8",
    )
    w, t = load_lenses(path)
    assert w.hfov_deg == 100 and t.hfov_deg == pytest.approx(37.1, abs=0.1) and t.unit_cost == 3
    assert t.camera("P1", (0.0, 0.0), 0.0).hfov == pytest.approx(t.hfov_deg)
    bad = tmp_path / "bad.csv"
    bad.write_text("name,unit_cost\nx,1\n", encoding="utf-8")
    with pytest.raises(UsageError, match="hfov_deg, or focal_mm"):
        load_lenses(bad)
    dup = tmp_path / "dup.csv"
    dup.write_text("name,hfov_deg,unit_cost\na,90,1\na,60,2\n", encoding="utf-8")
    with pytest.raises(UsageError, match="duplicate"):
        load_lenses(dup)


def test_facing_a_wall_gives_no_candidates():
    # a 1 m deep niche: every spot is a facade whose view is blocked within the near limit
    site = make_site(box(0, 0, 1, 1))
    _, demand, cset, _ = _problem(site)
    assert len(cset) == 0  # near limit 3.06 m > the room: no footprint anywhere


def test_overlays_from_results():
    from camwatch.render.overlays import combine
    from planners.overlays import (
        device_overlays,
        patrol_overlay,
        plan_overlays,
        route_overlays,
    )
    from planners.plan import plan_cameras

    site = small_compound()
    result = plan_cameras(site, add=1, method="greedy")
    ov = plan_overlays(result)
    assert len(ov.ghost_cameras) == 1 and ov.ghost_cameras[0][1].area > 0
    items = [
        {"type": "intercom", "position": [1.0, 2.0]},
        {
            "type": "electric_fence",
            "position": [0, 0],
            "geometry": [[0, 0], [5, 0]],
            "length_m": 5.0,
        },
    ]
    dev = device_overlays(items)
    routes = route_overlays(
        [{"id": "R1", "reachable": True, "path": [[0, 0], [1, 1]], "unseen_m": 1.4}]
    )
    patrol = patrol_overlay({"path": [[0, 0], [1, 0], [0, 0]], "length_m": 2.0, "time_min": 0.03})
    merged = combine(ov, dev, routes, patrol)
    assert len(merged.devices) == 2 and len(merged.routes) == 1 and merged.patrol is not None
    assert shapely.get_num_geometries(merged.routes[0][0]) == 1


def test_forked_workers_give_the_same_candidates(monkeypatch):
    import planners.candidates as cand

    site = small_compound()
    space = free_space(site)
    one = generate_candidates(site, [Lens()], space=space, workers=1)
    monkeypatch.setattr(cand, "PARALLEL_MIN_SPOTS", 1)
    two = generate_candidates(site, [Lens()], space=space, workers=2)
    assert one.candidates == two.candidates
    assert all(
        a.equals_exact(b, 0.0) for a, b in zip(one.footprints[0], two.footprints[0], strict=True)
    )


def test_a_huge_time_limit_is_no_error(monkeypatch):
    """``--time-limit 1e308`` is positive and finite: the solver's watchdog waits as long as
    a thread can instead of dying with OverflowError (its traceback went to stderr)."""
    site = small_compound()
    _, demand, _cset, pf = _problem(site)
    atoms = build_atoms(demand, pf, list(range(12)))
    failures = []
    monkeypatch.setattr(threading, "excepthook", lambda args: failures.append(args.exc_value))
    ex = max_coverage_ilp(AtomCoverage(demand, atoms), k=2, time_limit=1e308)
    assert ex.optimal and not failures
