"""The wedge bound (planners/bounds.py): never below the area shapely's overlay gives.

Oracle: shapely's own intersection of the demand with the engine's chorded sector
(camwatch.geometry.footprint.sector); the bound is closed-form numpy sharing no code
with it. Hypothesis draws demand pieces with holes, apexes inside and outside them,
every kind of field of view (narrow, half plane, wider than a half plane, full circle).
"""

from __future__ import annotations

import numpy as np
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import Point, box

from camwatch.geometry.footprint import sector
from planners.bounds import Wedges, loose_cover, ring_edges, wedge_areas, wedge_bounds

# no subnormal coordinates: GEOS's overlay, the oracle, is wrong on them (a region with
# 2.2e-313 in its coordinates gave 1.7415 m² inside a sector where the region with those
# coordinates set to 0 gives 1.74120 m², as does the true sector by a fine polygon)
coord = st.floats(-30.0, 30.0, allow_nan=False, allow_subnormal=False)


@st.composite
def pieces(draw):
    blobs = [
        Point(draw(coord), draw(coord)).buffer(
            draw(st.floats(1.0, 15.0)), quad_segs=draw(st.integers(1, 8))
        )
        for _ in range(draw(st.integers(1, 4)))
    ]
    holes = [
        box(x, y, x + draw(st.floats(0.5, 6.0)), y + draw(st.floats(0.5, 6.0)))
        for x, y in [(draw(coord), draw(coord)) for _ in range(draw(st.integers(0, 3)))]
    ]
    region = shapely.union_all(blobs)
    if holes:
        region = region.difference(shapely.union_all(holes))
    return region


@settings(max_examples=150, deadline=None)
@given(
    region=pieces(),
    apex=st.tuples(*[st.floats(-12, 12, allow_subnormal=False)] * 2),
    hfov=st.sampled_from([20.0, 90.0, 179.9, 180.0, 200.0, 300.0, 359.9, 360.0]),
    near=st.sampled_from([0.0, 0.4, 2.5]),
    far=st.floats(3.0, 45.0),
    headings=st.lists(
        st.floats(0.0, 360.0, exclude_max=True, allow_subnormal=False), min_size=1, max_size=6
    ),
)
def test_bound_is_at_least_the_exact_area(region, apex, hfov, near, far, headings):
    starts, ends = ring_edges(region)
    bound = wedge_areas(starts, ends, apex, headings, hfov, near, far)
    for h, b in zip(headings, bound, strict=True):
        exact = region.intersection(sector(apex, h, hfov, near, far)).area
        assert b >= exact - 1e-12  # overlay noise: a wedge missing U gave 2.6e-73 m² exactly
        # and a tight one: off by the arcs' chords and the inner disc (nearer limits
        # under INNER_MIN_M are not subtracted) at most
        assert b <= exact + 0.002 * np.pi * far * far + np.pi * near * near + 1e-6


def test_bound_of_a_known_quarter_disc_and_of_nothing():
    square = box(0, 0, 50, 50)
    starts, ends = ring_edges(square)
    # a 90° sector facing north-east from the corner lies inside the square
    got = wedge_areas(starts, ends, (0.0, 0.0), [45.0, 225.0], 90.0, 0.0, 10.0)
    assert got[0] >= np.pi * 25 and got[0] <= np.pi * 25 * 1.0001
    assert got[1] == 0.0  # facing away: the degenerate case, no area at all
    empty = ring_edges(shapely.Polygon())
    assert wedge_areas(*empty, (0.0, 0.0), [0.0], 90.0, 0.0, 10.0).tolist() == [0.0]


def test_batch_equals_one_by_one():
    a, b = ring_edges(box(0, 0, 20, 10).difference(box(5, 2, 8, 4)))
    items = [
        Wedges(a, b, (3.0, 3.0), [0.0, 90.0], 90.0, 1.0, 12.0),
        Wedges(a, b, (15.0, 9.0), [200.0], 360.0, 0.0, 6.0),
        Wedges(a, b, (-5.0, 5.0), [90.0, 100.0, 110.0], 270.0, 0.5, 30.0),
    ]
    batch = wedge_bounds(items)
    for w, got in zip(items, batch, strict=True):
        one = wedge_areas(w.starts, w.ends, w.apex, w.headings, w.hfov_deg, w.near, w.far)
        assert np.allclose(got, one, rtol=1e-12, atol=1e-9)


@settings(max_examples=40, deadline=None)
@given(region=pieces())
def test_loose_cover_contains_the_piece(region):
    cover = loose_cover(region)
    assert cover.difference(region).area >= 0.0
    assert region.difference(cover).area <= 1e-9


def test_an_edge_nearly_parallel_to_a_cone_ray_is_no_overflow():
    # a ring with a subnormal coordinate: the clipping divides by ~1e-313 (inf, no warning)
    tiny = 2.2250738585e-313
    square = shapely.Polygon([(0, 1), (-1, 0), (0, -1), (1, 0), (tiny, 0), (tiny, 1)])
    starts, ends = ring_edges(square)
    got = wedge_areas(starts, ends, (0.0, 0.0), [0.0], 20.0, 0.0, 3.0)
    assert got[0] >= 0.0 and np.isfinite(got[0])
