"""The walking grid: clearance from obstacles, and a lattice that moves with the site."""

from __future__ import annotations

import itertools
import math
import threading

import numpy as np
import pytest
import shapely
from shapely import affinity
from shapely.geometry import LineString, Point, box
from shapely.ops import unary_union

from planners.paths import WalkGraph
from planners.walkgrid import CLEARANCE_M

BOUNDARY = box(0, 0, 60, 40)
# an annex touching a slab, a round kiosk and a turned block: many node-to-wall offsets
BUILDINGS = [
    box(10, 10, 20, 30),
    box(20, 12, 20.6, 28),
    box(35, 5, 50, 15),
    Point(26, 6).buffer(3),
    affinity.rotate(box(32, 25, 52, 33), 23),
]
SPACE = BOUNDARY.difference(unary_union(BUILDINGS))


def _blocked(space):
    """Everything that is not free space (the buildings and the outside), near the site."""
    return box(*space.buffer(10).bounds).difference(space)


@pytest.mark.parametrize("cell", [0.5, 0.77, 1.0])
def test_nodes_and_edges_keep_the_clearance(cell):
    graph = WalkGraph(SPACE, cell_m=cell)
    blocked = _blocked(SPACE)
    assert len(graph) > 100
    nodes = min(blocked.distance(Point(p)) for p in graph.xy)
    edges = min(
        blocked.distance(LineString([graph.xy[u], graph.xy[v]]))
        for u, v in zip(graph.a, graph.b, strict=True)
    )
    assert nodes >= CLEARANCE_M - 1e-9
    assert edges >= CLEARANCE_M - 1e-9


def test_degenerate_empty_space_has_no_nodes():
    graph = WalkGraph(BOUNDARY.difference(BOUNDARY))
    assert len(graph) == 0 and graph.nearest((1.0, 1.0)) is None


def _move(geom, angle, dx, dy):
    return affinity.translate(affinity.rotate(geom, angle, origin=(0, 0)), dx, dy)


@pytest.mark.parametrize(
    "angle, dx, dy",
    [(0.0, 500000.0, 3400000.0), (17.0, 0.0, 0.0), (90.0, 0.0, 0.0), (45.0, -7.5, 3.25)],
)
def test_the_lattice_moves_with_the_site(angle, dx, dy):
    before = WalkGraph(SPACE, cell_m=0.77)
    after = WalkGraph(_move(SPACE, angle, dx, dy), cell_m=0.77)
    assert len(after) == len(before)
    c, s = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    moved = np.column_stack(
        [
            c * before.xy[:, 0] - s * before.xy[:, 1] + dx,
            s * before.xy[:, 0] + c * before.xy[:, 1] + dy,
        ]
    )
    # every moved node is a node of the moved site's lattice (to 1e-6 m)
    order_a = np.lexsort(np.round(moved, 4).T)
    order_b = np.lexsort(np.round(after.xy, 4).T)
    assert np.abs(moved[order_a] - after.xy[order_b]).max() < 1e-6
    assert len(after.a) == len(before.a)


def test_grid_lengths_are_exact_integers():
    graph = WalkGraph(SPACE, cell_m=1.0)
    units = {int(u) for u in graph.units}
    assert units == {1_000_000, 1_414_214}


# a spike from the south wall: the shortest walk from (2, 2) to (18, 2) bends over its tip
SPIKE = box(0, 0, 20, 20).difference(shapely.Polygon([(8, 0), (12, 0), (10, 12)]))


def _tip_oracle(a, b, clearance):
    """Length of a–tip–b with the tip lifted by ``clearance`` along its bisector (by hand)."""
    half = math.atan2(2, 12)  # the spike's half angle at (10, 12)
    tip = (10.0, 12.0 + clearance / math.sin(half))
    return math.dist(a, tip) + math.dist(tip, b)


@pytest.mark.parametrize("angle", [0.0, 17.0, 45.0, 90.0])
def test_taut_walk_bends_at_the_obstacle_corner_wherever_the_site_sits(angle):
    space = affinity.rotate(SPIKE, angle, origin=(0, 0))
    graph = WalkGraph(space, cell_m=0.5)

    def turn(p):
        q = affinity.rotate(Point(p), angle, origin=(0, 0))
        return (q.x, q.y)

    a, b = (2.0, 2.0), (18.0, 2.0)
    walk = graph.taut([turn(a), turn((9.3, 16.0)), turn(b)])
    assert len(walk) == 3
    length = LineString(walk).length
    # the corner lies on free space shrunk by 1.1 cm (a polygon: the tip is cut, never longer)
    assert length == pytest.approx(_tip_oracle(a, b, CLEARANCE_M + 0.001), abs=2e-3)
    assert graph.inner_ok(walk[0], walk[1]) and graph.inner_ok(walk[1], walk[2])
    back = affinity.rotate(Point(walk[1]), -angle, origin=(0, 0))
    assert (back.x, back.y) == pytest.approx(
        (10.0, 12.0 + 0.011 / math.sin(math.atan2(2, 12))), abs=2e-3
    )


@pytest.mark.parametrize("angle", [0.0, 17.0, 45.0])
def test_straight_walk_becomes_the_shortest_link(angle):
    # a fence x = 0 and a facade facing it at x = 3 between y = 10 and 14 (a 3 m gap)
    turn = lambda g: affinity.rotate(g, angle, origin=(0, 0))  # noqa: E731
    space = turn(box(0, 0, 20, 30).difference(box(3, 10, 8, 14)))
    graph = WalkGraph(space, cell_m=0.5)
    fence, facade = turn(LineString([(0, 0), (0, 30)])), turn(LineString([(3, 10), (3, 14)]))
    start, end = turn(Point(0.02, 9.0)), turn(Point(2.98, 11.5))
    walk = graph.tighten([(start.x, start.y), (end.x, end.y)], fence, facade)
    assert LineString(walk).length == pytest.approx(3 - 2 * 0.02, abs=1e-9)


# A walk a–c–b passing above the box BAR; below BAR a wedge's apex would make a shorter walk
# a–apex–b, but on the other side of BAR: another way, not a tightening of this one.
BAR = box(8, 2, 12, 3)
WEDGE = shapely.Polygon([(8, -1), (12, -1), (10, 0.5)])
ABOVE = LineString([(10, 3.05), (10, 12)])  # from the bar's top to the outline


@pytest.mark.parametrize("angle", [0.0, 17.0, 45.0, 90.0])
def test_taut_walk_never_jumps_over_an_obstacle(angle):
    turn = lambda g: affinity.rotate(g, angle, origin=(0, 0))  # noqa: E731
    graph = WalkGraph(turn(box(-1, -3, 21, 12).difference(BAR).difference(WEDGE)), cell_m=0.5)
    a, c, b = (turn(Point(p)) for p in ((0, 0), (10, 8), (20, 0)))
    walk = graph.taut([(a.x, a.y), (c.x, c.y), (b.x, b.y)])
    line = LineString(walk)
    assert line.intersects(turn(ABOVE))  # still above the bar
    assert all(graph.inner_ok(p, q) for p, q in zip(walk, walk[1:], strict=False))
    # the old way, held taut over the bar's top corners: never longer than a–c–b
    assert line.length <= math.dist((0, 0), (10, 8)) * 2 + 1e-9


def test_shortest_paths_agree_with_networkx():
    # oracle: networkx's Dijkstra on the same edges (no code shared with scipy's)
    import networkx as nx

    graph = WalkGraph(SPACE, cell_m=1.3)
    g = nx.Graph()
    g.add_weighted_edges_from(
        (int(u), int(v), int(w)) for u, v, w in zip(graph.a, graph.b, graph.units, strict=True)
    )
    sources = [0, len(graph) // 2, len(graph) - 1]
    dist, pred = graph.shortest(sources)
    for row, s in enumerate(sources):
        expected = nx.single_source_dijkstra_path_length(g, s)
        reached = {k for k in range(len(graph)) if math.isfinite(dist[row, k])}
        assert reached == set(expected)
        assert all(dist[row, k] == expected[k] for k in reached)  # integers: exact
        far = max(reached, key=lambda k: dist[row, k])
        path = graph.path_to(pred[row], far)
        assert path[0] == s and path[-1] == far
        steps = {(min(u, v), max(u, v)): int(w) for u, v, w in g.edges(data="weight")}
        assert (
            sum(steps[min(u, v), max(u, v)] for u, v in itertools.pairwise(path)) == dist[row, far]
        )
    nearest, _ = graph.shortest(sources, nearest=True)
    assert np.array_equal(nearest[0], dist.min(axis=0))


def test_the_grid_is_reused_for_the_same_free_space_only():
    seen = box(0, 0, 30, 40)
    first = WalkGraph(SPACE, cell_m=1.1)
    again = WalkGraph(shapely.from_wkb(shapely.to_wkb(SPACE)), cell_m=1.1, seen=seen)
    assert again.xy is first.xy  # remembered per exact free space and cell (planners.walkgrid)
    assert again.n_seen.sum() > 0 and first.n_seen.sum() == 0  # seen is counted per call
    other = WalkGraph(SPACE.difference(box(0, 0, 5, 5)), cell_m=1.1)
    assert other.xy is not first.xy and len(other) < len(first)
    assert WalkGraph(SPACE, cell_m=1.2).xy is not first.xy


def test_grids_are_not_shared_between_threads():
    """A grid holds prepared geometries, which GEOS does not let two threads use at once
    (routing on one shared grid from two threads crashed the process): each thread builds
    and remembers its own."""
    grids: dict[str, WalkGraph] = {}

    def build(name: str) -> None:
        grids[name] = WalkGraph(SPACE, cell_m=1.3)

    build("main")
    worker = threading.Thread(target=build, args=("worker",))
    worker.start()
    worker.join(60)
    assert grids["worker"].xy is not grids["main"].xy  # built again in the other thread
    assert np.array_equal(grids["worker"].xy, grids["main"].xy)  # the same grid
    assert WalkGraph(SPACE, cell_m=1.3).xy is grids["main"].xy  # still remembered here
