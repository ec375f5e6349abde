"""The rules of docs/coverage.md at their thresholds: zone pass, "touches a zone", the 1 mm
opening, watched slits; each test is built to fail on the mutant named in it."""

from __future__ import annotations

import pytest
from shapely.affinity import translate
from shapely.geometry import Polygon, box

from camwatch.geometry import blindspots
from camwatch.geometry.blindspots import blind_spot_parts, without_slits
from camwatch.geometry.coverage import analyze
from camwatch.model import Camera, Zone
from tests.common import site

# A 360° camera in the middle of a 10 m room sees all of it.
ALL_SEEING = Camera(id="C1", position=(5.0, 5.0), hfov_deg=360, resolution=(2560, 2560))


def test_zone_at_exactly_the_pass_ratio_passes():
    """Mutant ``ratio >= pass`` → ``ratio > pass``: a zone exactly at the ratio must pass."""
    zone = Zone("all", box(2, 2, 8, 8))
    a = analyze(site(cameras=[ALL_SEEING], zones=[zone]), zone_pass_ratio=1.0)
    assert a.zones[0].ratio == 1.0
    assert a.zones[0].passed and a.compliant


def test_zone_just_below_the_pass_ratio_fails():
    zone = Zone("half", box(0, 0, 10, 10))
    cam = Camera(id="C1", position=(0.0, 5.0), heading_deg=90, hfov_deg=180, resolution=(200, 100))
    a = analyze(site(cameras=[cam], zones=[zone]))
    ratio = a.zones[0].ratio
    assert 0.0 < ratio < 1.0
    assert analyze(site(cameras=[cam], zones=[zone]), zone_pass_ratio=ratio).zones[0].passed
    assert (
        not analyze(site(cameras=[cam], zones=[zone]), zone_pass_ratio=ratio + 1e-9).zones[0].passed
    )


@pytest.mark.parametrize(
    "zone, touches",
    [
        (box(0, 0, 4, 10), True),  # overlaps the blind spot (the whole room)
        (box(-3, 0, 0, 10), False),  # shares only an edge with it: a line, no area
        (box(-3, 0, 0.0001, 0.001), False),  # overlaps by 1e-7 m² (≤ 1e-6 m²)
        (box(-3, 0, 0.001, 0.01), True),  # overlaps by 1e-5 m²
        (box(-3, 0, 5e-6, 10), False),  # a 5 µm sliver along the edge: 5e-5 m², too thin
        (box(-3, 0, 5e-5, 10), True),  # a 50 µm strip: wider than 10 µm
        (box(20, 20, 21, 21), False),  # degenerate: far away
    ],
)
def test_blind_spot_touches_a_zone_only_by_area(zone, touches):
    """Mutants: "touches" on mere intersection, on any positive overlap, or on area alone
    (a rounding sliver along a shared edge, long but ~0.1 µm wide, must not count)."""
    a = analyze(site(zones=[Zone("z", zone)]))
    assert (a.blind_spots[0].zones == ("z",)) is touches


def test_parts_joined_by_a_narrow_channel_are_two_spots():
    """Mutant OPENING_M = 0: a 1 mm uncovered channel must not join two blind spots."""
    dumbbell = box(0, 0, 3, 3).union(box(3, 1.5, 5, 1.501)).union(box(5, 0, 8, 3))
    assert [round(p.area, 2) for p in blind_spot_parts(dumbbell)] == [9.0, 9.0]


def test_parts_joined_by_a_wide_channel_are_one_spot():
    joined = box(0, 0, 3, 3).union(box(3, 1.5, 5, 1.51)).union(box(5, 0, 8, 3))
    assert [round(p.area, 2) for p in blind_spot_parts(joined)] == [18.02]


def test_a_hairline_of_coverage_does_not_cut_a_blind_spot(monkeypatch):
    """A covered needle 1 µm wide across the room leaves one blind spot (docs/coverage.md)."""
    needle = Polygon([(0, 5), (10, 5.000001), (10, 5.000002)])
    assert without_slits(needle).is_empty
    room = box(0, 0, 10, 10)
    uncovered = room.difference(without_slits(needle))
    assert len(blind_spot_parts(uncovered)) == 1
    assert len(blind_spot_parts(room.difference(needle))) == 2  # what the needle did


def test_without_slits_keeps_real_coverage():
    cover = box(0, 0, 4, 4).union(Polygon([(4, 0), (8, 0), (8, 1)]))  # a 14° corner
    assert without_slits(cover).area == pytest.approx(cover.area, abs=1e-6)
    assert blindspots.SLIT_M <= 1e-3  # well below any real strip of coverage


def _legs(east_extra: float, dx: float = 0.0, dy: float = 0.0) -> Polygon:
    """An arch: two 1 m legs under a 4 m lintel; the east leg wider by ``east_extra``."""
    arch = Polygon(
        [(0, 0), (1, 0), (1, 2), (3, 2), (3, 0), (4 + east_extra, 0), (4 + east_extra, 3), (0, 3)]
    )
    return translate(arch, dx, dy)


@pytest.mark.parametrize(
    "east_extra, west", [(0.0, True), (1e-9, True), (-1e-9, True), (1e-3, False)]
)
def test_label_point_takes_the_western_of_equal_sections(east_extra, west):
    """Mutants LABEL_TIE_M = 0 (rounding decides) or too large (a 1 mm wider leg loses)."""
    x, y = blindspots.label_point(_legs(east_extra))
    assert y == pytest.approx(1.0)
    assert x == pytest.approx(0.5 if west else 3.5 + east_extra / 2)


def test_label_point_moves_with_the_spot():
    here = blindspots.label_point(_legs(1e-9))
    there = blindspots.label_point(_legs(-1e-9, 500000.0, 3400000.0))
    assert there[0] - 500000.0 == pytest.approx(here[0], abs=1e-6)
    assert there[1] - 3400000.0 == pytest.approx(here[1], abs=1e-6)
