"""The walking grid: clearance from obstacles, and a lattice that moves with the site."""

from __future__ import annotations

import math

import numpy as np
import pytest
from shapely import affinity
from shapely.geometry import LineString, Point, box
from shapely.ops import unary_union

from planners.paths import CLEARANCE_M, WalkGraph

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
        blocked.distance(LineString([graph.xy[u], graph.xy[v]])) for u, v in graph.graph.edges
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
    assert after.graph.number_of_edges() == before.graph.number_of_edges()


def test_grid_lengths_are_exact_integers():
    graph = WalkGraph(SPACE, cell_m=1.0)
    units = {d["units"] for _, _, d in graph.graph.edges(data=True)}
    assert units == {1_000_000, 1_414_214}
