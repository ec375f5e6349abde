"""plan_cameras: known optima, validity of suggestions, after = re-analysis, invariants."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from camwatch.errors import UsageError
from camwatch.geometry.coverage import analyze
from camwatch.model import LEVELS
from camwatch.sitefile import check_site, parse_site, site_to_geojson
from planners.lenses import Lens
from planners.plan import plan_cameras, site_with_suggestions
from tests.planners.sites import (
    PANO_15M,
    PANO_30M,
    l_corridor_site,
    small_compound,
    square_courtyard_site,
)


def _roundtrip(site, result):
    """The site with suggestions, written to GeoJSON text and parsed back (as the CLI does)."""
    text = json.dumps(site_to_geojson(site_with_suggestions(site, result)))
    return parse_site(json.loads(text), default_id=site.id)


def test_l_corridor_needs_exactly_two_cameras():
    site = l_corridor_site()
    one = plan_cameras(site, add=1, lens=PANO_15M, method="exact")
    two = plan_cameras(site, add=2, lens=PANO_15M, method="exact")
    assert one.after["detection"] < 0.9
    assert two.after["detection"] == 1.0
    assert len(two.suggestions) == 2
    target = plan_cameras(site, target=0.999, lens=PANO_15M)
    assert len(target.suggestions) == 2
    assert target.target["reached"] is True


def test_square_courtyard_one_panoramic_camera():
    site = square_courtyard_site()
    result = plan_cameras(site, add=1, lens=PANO_30M)
    assert result.after["detection"] == 1.0
    assert [s.camera.id for s in result.suggestions] == ["P1"]
    target = plan_cameras(site, target=0.999, lens=PANO_30M)
    assert len(target.suggestions) == 1


def test_add_more_than_needed_gives_fewer_with_note():
    result = plan_cameras(square_courtyard_site(), add=3, lens=PANO_30M)
    assert len(result.suggestions) == 1
    # the JSON's note is English whatever the run's language; the result keeps the message
    assert result.to_dict()["note"] == "1 of 3 cameras suggested: no other candidate adds coverage"
    assert result.note.text("zh") != result.to_dict()["note"]


@pytest.mark.parametrize("method", ["greedy", "local", "exact", "auto"])
def test_suggestions_valid_and_after_equals_reanalysis(method):
    site = small_compound()
    result = plan_cameras(site, add=3, method=method, time_limit=3, pool_size=80)
    assert len(result.suggestions) == 3
    back = _roundtrip(site, result)
    check_site(back)
    planned = [c for c in back.cameras if c.status == "planned"]
    assert [c.id for c in planned] == ["P1", "P2", "P3"]
    assert planned == [s.camera for s in result.suggestions]
    assert analyze(back, include_planned=True).ratios() == result.after
    assert result.before == analyze(site, include_planned=True).ratios()
    for level in LEVELS:
        assert result.after[level] >= result.before[level]
    gains = [s["gain_m2"] for s in result.to_dict()["suggestions"]]
    assert gains == sorted(gains, reverse=True) and gains[-1] > 0


def test_ids_skip_used_ones():
    site = small_compound()
    site = site.with_cameras(
        list(site.cameras)
        + [site.cameras[0].__class__(id="P1", position=(40.0, 30.0), heading_deg=225)]
    )
    result = plan_cameras(site, add=2, method="greedy")
    assert [s.camera.id for s in result.suggestions] == ["P2", "P3"]


@pytest.mark.slow
def test_same_input_same_output():
    site = small_compound()
    ra = plan_cameras(site, add=2, method="local", pool_size=80)
    rb = plan_cameras(site, add=2, method="local", pool_size=80)
    assert ra.to_dict() == rb.to_dict()
    a, b = ra.planner_info(), rb.planner_info()
    for d in (a, b):
        d.pop("seconds")
    assert a == b


def test_method_order_on_objective():
    site = small_compound()
    result = plan_cameras(site, add=3, method="auto", time_limit=10, pool_size=40)
    runs = result.runs
    assert runs["greedy"] <= runs["local"] + 1e-6 <= runs["exact"] + 2e-6
    assert result.optimal and result.gap == pytest.approx(0.0, abs=1e-6)


def test_zone_weight_and_level_counted():
    site = small_compound()
    gate = replace(site.zones[0], weight=500.0)
    site = replace(site, zones=(gate, site.zones[1]))
    result = plan_cameras(site, add=1, method="greedy")
    before = {z.name: z.ratio for z in analyze(site, include_planned=True).zones}
    after = {z.name: z.ratio for z in result.after_analysis.zones}
    # the gate (identification, weight 500) is the most valuable thing to watch
    assert after["gate"] > before["gate"]


@pytest.mark.slow
def test_target_unreachable_is_explained():
    site = small_compound()
    tele = Lens(name="short", hfov_deg=90, resolution=(640, 480))  # identification reach 1.3 m
    result = plan_cameras(site, target=0.98, lens=tele, time_limit=5, pool_size=80)
    report = result.target
    assert report["reached"] is False
    names = {u["zone"] for u in report["unreachable"]}
    assert "gate" in names
    assert all(u["reason"] for u in report["unreachable"])


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({}, "give --add"),
        ({"add": 0}, "--add must be at least 1"),
        ({"add": 1, "level": "zoom"}, "--level"),
        ({"add": 1, "method": "magic"}, "--method"),
        ({"target": 1.5}, "--target"),
        ({"target": 0.9, "add": 1}, "cannot be combined"),
        ({"budget": 3.0}, "--budget needs --lenses"),
        ({"add": 1, "spacing": 0}, "--spacing"),
        ({"add": 1, "time_limit": -1}, "--time-limit"),
    ],
)
def test_bad_options(kwargs, message):
    with pytest.raises(UsageError, match=message.replace("-", r"\-")):
        plan_cameras(small_compound(), **kwargs)


@pytest.mark.slow
def test_budget_with_lenses_chooses_types():
    lenses = [
        Lens(name="wide", hfov_deg=110, resolution=(1920, 1080), unit_cost=1.0, named=True),
        Lens(name="tele", hfov_deg=40, resolution=(1920, 1080), unit_cost=2.5, named=True),
    ]
    site = small_compound()
    result = plan_cameras(
        site, lenses=lenses, budget=3.0, method="auto", time_limit=2, pool_size=40
    )
    cost = sum(s.lens.unit_cost for s in result.suggestions)
    assert 0 < cost <= 3.0
    out = result.to_dict()["suggestions"]
    assert all(s["lens"] in {"wide", "tele"} for s in out)
    back = _roundtrip(site, result)
    assert analyze(back, include_planned=True).ratios() == result.after


def test_target_with_lenses_minimises_cost():
    # one 30 m fisheye (cost 5) covers the square alone; two 15 m ones (cost 1 each) at the
    # middles of opposite sides cover it too and cost less
    wide = replace(PANO_30M, unit_cost=5.0, named=True)
    small = replace(PANO_15M, unit_cost=1.0, named=True)
    result = plan_cameras(
        square_courtyard_site(), target=0.999, lenses=[wide, small], time_limit=10
    )
    assert result.target["reached"]
    assert [s.lens.name for s in result.suggestions] == ["pano15", "pano15"]
    assert result.after["detection"] >= 0.999


@pytest.mark.parametrize(
    ("make", "lens"),
    [(small_compound, None), (l_corridor_site, PANO_15M), (square_courtyard_site, PANO_30M)],
)
def test_one_camera_is_the_greedy_pick_and_no_search_beats_it(monkeypatch, make, lens):
    """--add 1 without a budget: greedy's pick is proven optimal (the largest exact gain of
    all candidates), so local search and the exact programme are skipped; run anyway,
    over their pool of those candidates, they find nothing better."""
    import planners.plan as plan_module

    site = make()
    one = plan_cameras(site, add=1, lens=lens, refine=False)
    assert (one.method, one.optimal, one.gap, one.pool, one.atoms) == ("greedy", True, 0.0, 0, 0)
    assert one.bound == pytest.approx(one.objective, abs=1e-9)
    monkeypatch.setattr(plan_module, "one_camera", lambda *args: False)
    searched = plan_cameras(site, add=1, lens=lens, refine=False, method="exact")
    assert searched.pool > 0 and searched.runs["exact"] <= one.objective + 1e-6
    assert searched.objective == pytest.approx(one.objective, abs=1e-6)
    assert searched.after == pytest.approx(one.after, abs=1e-9)


def test_one_camera_within_a_budget_still_searches():
    lenses = [
        Lens(name="wide", hfov_deg=110, unit_cost=1.0, named=True),
        Lens(name="tele", hfov_deg=40, unit_cost=2.5, named=True),
    ]
    result = plan_cameras(small_compound(), add=1, budget=3.0, lenses=lenses, refine=False)
    assert result.pool > 0 and "local" in result.runs
