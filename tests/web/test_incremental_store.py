"""The web's coverage states (web/incremental.py): derivation, fall-backs and bounds."""

from __future__ import annotations

import dataclasses
import threading

import pytest

from camwatch.geometry.coverage import analyze
from camwatch.geometry.footprint import camera_footprints
from camwatch.sitefile import parse_site
from tests.web.sites import tiny_court
from web.incremental import CoverageStates


def _site(heading: float = 45.0, code: str = "tiny-court"):
    site = parse_site(tiny_court(code))
    cams = [
        dataclasses.replace(c, heading_deg=heading) if c.id == "C1" else c for c in site.cameras
    ]
    return site.with_cameras(cams)


def _run(store: CoverageStates, slot: object, site) -> tuple[dict, bool]:
    space = site.free_space()
    fps = {c.id: camera_footprints(c, space) for c in site.cameras}
    result, derived = store.analysis(
        slot,
        site,
        space,
        fps,
        include_planned=False,
        model="ground",
        full=lambda: analyze(site, footprints=fps, space=space, coverage_model="ground"),
    )
    return result.to_dict(), derived


def _fresh(site) -> dict:
    return analyze(site, coverage_model="ground").to_dict()


def test_derives_after_a_camera_change_and_not_after_a_plan_change():
    store = CoverageStates(max_states=4, max_bytes=2**30, max_changes=10)
    assert _run(store, "a", _site(45))[1] is False  # first: full
    for heading in (60.0, 200.0, 45.0):
        got, derived = _run(store, "a", _site(heading))
        assert derived
        want = _fresh(_site(heading))
        assert [s["id"] for s in got["blind_spots"]] == [s["id"] for s in want["blind_spots"]]
        for level, cov in want["levels"].items():
            assert got["levels"][level]["ratio"] == pytest.approx(cov["ratio"], abs=1.1e-6)
    moved = _site(60.0)
    bigger = dataclasses.replace(moved, zones=moved.zones[:1])  # the ground changed
    assert _run(store, "a", bigger)[1] is False
    assert store.states() == 0
    assert store.counts.built == 1 and store.counts.derived == 3


def test_too_many_changes_is_a_full_analysis():
    store = CoverageStates(max_states=4, max_bytes=2**30, max_changes=0)
    _run(store, "a", _site(45))
    assert _run(store, "a", _site(90))[1] is False
    assert store.states() == 0


def test_count_and_byte_bounds():
    store = CoverageStates(max_states=2, max_bytes=2**30, max_changes=10)
    for slot in ("a", "b", "c"):
        _run(store, slot, _site(45))
        _run(store, slot, _site(90))  # a state built per slot
    assert store.states() == 2  # "a", least recently used, dropped
    assert store.counts.dropped == 1
    size = store.bytes // 2
    tight = CoverageStates(max_states=8, max_bytes=size + size // 2, max_changes=10)
    for slot in ("a", "b"):
        _run(tight, slot, _site(45))
        _run(tight, slot, _site(90))
    assert tight.states() == 1 and tight.bytes <= tight.max_bytes  # "a" made room for "b"


def test_concurrent_derivations_each_get_their_own_site():
    store = CoverageStates(max_states=2, max_bytes=2**30, max_changes=10)
    _run(store, "a", _site(45))
    _run(store, "a", _site(50))  # the state exists
    headings = [10.0, 100.0, 190.0, 280.0] * 3
    out: dict[int, dict] = {}
    start = threading.Barrier(len(headings))

    def work(i: int) -> None:
        start.wait()
        out[i] = _run(store, "a", _site(headings[i]))[0]

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(headings))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    for i, heading in enumerate(headings):
        want = _fresh(_site(heading))
        for level, cov in want["levels"].items():
            assert out[i]["levels"][level]["ratio"] == pytest.approx(cov["ratio"], abs=1.1e-6)


def test_concurrent_edits_of_a_larger_compound():
    """Eight states of the 40-camera sample compound derived at once from one slot."""
    from pathlib import Path

    from camwatch.sitefile import load_site

    base = load_site(Path(__file__).resolve().parents[2] / "sample_sites" / "modern_gated.geojson")
    space = base.free_space()
    cams = [c for c in base.cameras if c.counted()][:8]
    fps = {c.id: camera_footprints(c, space) for c in base.cameras}
    variants = []
    for i, cam in enumerate(cams):
        turned = dataclasses.replace(cam, heading_deg=(cam.heading_deg + 90 + 20 * i) % 360)
        site = base.with_cameras([turned if c.id == cam.id else c for c in base.cameras])
        variants.append((site, {**fps, cam.id: camera_footprints(turned, space)}))
    store = CoverageStates(max_states=2, max_bytes=2**30, max_changes=10)

    def run(site, footprints):
        return store.analysis(
            "a",
            site,
            space,
            footprints,
            include_planned=False,
            model="ground",
            full=lambda: analyze(site, footprints=footprints, space=space, coverage_model="ground"),
        )[0]

    run(base, fps)
    run(*variants[0])  # the state is built
    out: dict[int, object] = {}
    start = threading.Barrier(len(variants))

    def work(i: int) -> None:
        start.wait()
        out[i] = run(*variants[i])

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(variants))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    for i, (site, footprints) in enumerate(variants):
        want = analyze(site, footprints=footprints, space=space, coverage_model="ground")
        for level, cov in want.levels.items():
            assert out[i].levels[level].ratio == pytest.approx(cov.ratio, abs=1e-9), (i, level)
        assert [s.id for s in out[i].blind_spots] == [s.id for s in want.blind_spots]
