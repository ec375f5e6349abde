"""The planners under the standing model (docs/planners.md, "Coverage model"): candidate
footprints and gains are what the engine's own analysis of the same site says."""

from __future__ import annotations

from dataclasses import replace

import pytest
from shapely.geometry import LineString, Point, box

from camwatch.geometry.coverage import analyze
from camwatch.geometry.heights import Scene, standing_footprints
from camwatch.geometry.space import free_space
from camwatch.model import Camera, Mount, Obstacle, Site, SiteInfo, Wall
from planners.candidates import generate_candidates
from planners.lenses import Lens
from planners.plan import plan_cameras, site_with_suggestions

REL = 1e-6  # both sides are the same exact polygons, up to GEOS's rounding


def _yard(model: str = "standing", *, mounts: tuple[Mount, ...] = ()) -> Site:
    """A 40 × 20 m yard with a 2 m garden wall cutting off its west end (between a 1.6 m face and a 3 m camera:
    a bounded shadow), a 1.2 m hedge (below the face: never blocks), a 2.2 m perimeter
    wall along the south fence and a camera in the west end."""
    return Site(
        SiteInfo("yard", coverage_model=model),
        box(0, 0, 40, 20),
        obstacles=(
            Obstacle(box(7.8, 3, 8.2, 20), name="garden wall", height_m=2.0),
            Obstacle(box(28, 8, 34, 9), name="hedge", height_m=1.2),
        ),
        walls=(Wall(LineString([(0, 0.1), (40, 0.1)]), name="fence wall"),),
        cameras=(Camera(id="C1", position=(0.0, 10.0), heading_deg=90.0, hfov_deg=100.0),),
        mounts=mounts,
    )


def _gain(site: Site, cam: Camera) -> float:
    """Detection area the engine's analysis gains when ``cam`` is added (no planner code)."""
    before = analyze(site, include_planned=True).levels["detection"].covered_m2
    after = analyze(replace(site, cameras=(*site.cameras, cam)), include_planned=True)
    return after.levels["detection"].covered_m2 - before


def test_candidate_footprints_are_the_engines_standing_footprints():
    site = _yard()
    space = free_space(site)
    cset = generate_candidates(site, [Lens(), Lens(name="tall", height_m=5.0)], space=space)
    scene = Scene(site, space)
    targets, depressions = site.info.target_heights(), site.info.max_depressions()
    checked = 0
    for i in range(0, len(cset), max(1, len(cset) // 40)):
        cam = cset.camera(i, "X")
        engine = standing_footprints(cam, scene, targets, depressions)["detection"]
        mine = cset.footprints[0][i]
        assert mine.area == pytest.approx(engine.area, rel=REL, abs=1e-6)
        assert mine.symmetric_difference(engine).area <= REL * max(engine.area, 1.0) + 1e-6
        checked += 1
    assert checked >= 30


def test_a_camera_behind_the_garden_wall_gains_what_analyze_says():
    # The only spot is west of the 2 m wall, looking east over it (the hedge never hides).
    spot = Mount(geometry=Point(5.0, 20.0))
    site = _yard(mounts=(spot,))
    result = plan_cameras(site, add=1, method="greedy", heading_step=15.0)
    (sug,) = result.suggestions
    want = _gain(site, sug.camera)
    assert sug.gain_m2 == pytest.approx(want, rel=REL)
    # It sees over the wall: part of its gain lies east of it (the ground model nearly none).
    after = analyze(replace(site, cameras=(*site.cameras, sug.camera)), include_planned=True)
    east = box(8.2, 0, 40, 20)
    new_cam = after.cameras[-1].footprints["detection"]
    assert new_cam.intersection(east).area > 10.0
    ground = _yard("ground", mounts=(spot,))
    g_res = plan_cameras(ground, add=1, method="greedy", heading_step=15.0)
    g_cam = analyze(replace(ground, cameras=(*ground.cameras, g_res.suggestions[0].camera)))
    # (only a corner through the gap at the wall's south end)
    assert g_cam.cameras[-1].footprints["detection"].intersection(east).area < 1.0


def test_a_pole_on_the_perimeter_wall_stands_on_it():
    # A mount 2 cm into the 2.2 m fence wall (spots keep within the loader's 5 cm, half
    # of it for rounding): a 3 m camera stands there, on the wall (§4), not at the wall's
    # face as in the ground model, and its footprints are measured from there.
    site = _yard(mounts=(Mount(geometry=Point(30.0, 0.18)),))
    result = plan_cameras(site, add=1, method="greedy")
    (sug,) = result.suggestions
    assert sug.camera.position == (30.0, 0.18)
    after = analyze(replace(site, cameras=(*site.cameras, sug.camera)), include_planned=True)
    assert after.cameras[-1].stand_point == (30.0, 0.18)
    assert sug.gain_m2 == pytest.approx(_gain(site, sug.camera), rel=REL)


def test_the_planners_free_choice_gains_what_analyze_says():
    site = _yard()
    result = plan_cameras(site, add=2, method="greedy", spacing=4.0)
    assert len(result.suggestions) == 2
    first = result.suggestions[0]
    assert first.gain_m2 == pytest.approx(_gain(site, first.camera), rel=REL)
    # the plan's own after-analysis is the standing one, and it adds what the gains say
    assert result.after_analysis is not None
    assert result.after_analysis.coverage_model == "standing"
    before = analyze(site, include_planned=True).levels["detection"].covered_m2
    total = sum(s.gain_m2 for s in result.suggestions)
    assert result.after_analysis.levels["detection"].covered_m2 - before == pytest.approx(
        total, rel=REL
    )


@pytest.mark.parametrize("method", ["greedy", "auto"])
def test_plan_target_in_standing_is_met_by_analyze_of_the_written_site(method):
    # plan --target (with the exact set-cover phase under "auto") plans in the site's model:
    # the site with its suggestions, analysed afresh, reaches the target it planned for.
    site = _yard()
    before = analyze(site, include_planned=True).levels["detection"].ratio
    result = plan_cameras(site, target=0.95, method=method, spacing=4.0, time_limit=5.0)
    assert result.suggestions and before < 0.95
    again = analyze(site_with_suggestions(site, result), include_planned=True)
    assert again.coverage_model == "standing"
    assert again.levels["detection"].ratio >= 0.95
    assert again.ratios() == result.after
