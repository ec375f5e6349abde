"""Incremental re-analysis benchmark (``make bench``): figures printed, not a timed test.

For the large generated compound (60 buildings, 200 cameras) and a 480-building,
2,000-camera one, times the full union and blind-spot step
(:func:`~camwatch.geometry.coverage.analyze` with cached footprints, what the
web re-ran after a drag) against :class:`~camwatch.geometry.incremental.CoverageState`
after one camera moves (median of 20 random moves and turns): the update plus
the new :class:`Analysis`, and the moved camera's own footprints apart. Both are
measured in the same run, so the ratio holds on a busy machine. Goals: ≤ 50 ms
(200 cameras) and ≤ 150 ms (2,000 cameras) on an idle machine
(docs/coverage.md, "Incremental re-analysis"). The last state is checked
against a fresh ``analyze``.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import statistics
import time

from shapely.geometry import Point

from bench.synthetic import generate_compound
from camwatch.geometry.coverage import analyze
from camwatch.geometry.footprint import camera_footprints
from camwatch.geometry.incremental import CoverageState
from camwatch.geometry.tiles import TILE_M
from camwatch.sitefile import parse_site

CASES = {"large": (60, 200), "480 buildings": (480, 2000)}


def run(name: str, n_buildings: int, n_cameras: int, moves: int, tile_m: float) -> None:
    """Print one row: full step, incremental move, ratio, and the final check."""
    site = parse_site(generate_compound(n_buildings=n_buildings, n_cameras=n_cameras, seed=1))
    space = site.free_space()
    fps = {c.id: camera_footprints(c, space) for c in site.cameras}
    full = []
    for _ in range(3):
        start = time.perf_counter()
        analyze(site, footprints=fps, space=space)
        full.append(time.perf_counter() - start)
    start = time.perf_counter()
    state = CoverageState(site, space, fps, tile_m=tile_m)
    state.analysis()
    build = time.perf_counter() - start
    rng = random.Random(7)
    counted = [c.id for c in site.cameras if c.counted()]
    cams = {c.id: c for c in site.cameras}
    step, own = [], []
    for _ in range(moves):
        cam = cams[rng.choice(counted)]
        x, y = cam.position[0] + rng.uniform(-5, 5), cam.position[1] + rng.uniform(-5, 5)
        position = (x, y) if space.contains(Point(x, y)) else cam.position
        heading = (cam.heading_deg + rng.uniform(-90, 90)) % 360
        new = dataclasses.replace(cam, position=position, heading_deg=heading)
        start = time.perf_counter()
        new_fps = camera_footprints(new, space)
        mid = time.perf_counter()
        state.update(new, new_fps)
        state.analysis()
        end = time.perf_counter()
        own.append(mid - start)
        step.append(end - mid)
        cams[new.id], fps[new.id] = new, new_fps
    ours = state.analysis()
    ref = analyze(site.with_cameras(list(cams.values())), footprints=fps, space=space)
    same = [s.id for s in ours.blind_spots] == [s.id for s in ref.blind_spots]
    pairs = zip(ours.blind_spots, ref.blind_spots, strict=False)  # compared only when same
    worst = max((abs(a.area_m2 - b.area_m2) / b.area_m2 for a, b in pairs), default=0.0)
    f, s, o = statistics.median(full), statistics.median(step), statistics.median(own)
    print(
        f"{name:14} {len(site.buildings):5d} {len(site.cameras):6d} {len(state.tiles):5d} "
        f"{1000 * f:8.0f} {1000 * build:8.0f} {1000 * s:8.1f} {1000 * o:7.1f} {f / s:6.1f}× "
        f"{'same' if same else 'DIFFERENT'} ids, spot areas ≤ {worst:.1e} rel"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--moves", type=int, default=20)
    parser.add_argument("--tile", type=float, default=TILE_M, help="tile side, m")
    parser.add_argument("--only", choices=list(CASES), help="one compound only")
    args = parser.parse_args()
    print(f"incremental re-analysis — tile {args.tile:g} m, median of {args.moves} moves")
    print(
        f"{'compound':14} {'bldgs':>5} {'cams':>6} {'tiles':>5} {'full ms':>8} {'build ms':>8} "
        f"{'move ms':>8} {'+fp ms':>7} {'ratio':>7}"
    )
    for name, (n_buildings, n_cameras) in CASES.items():
        if args.only in (None, name):
            run(name, n_buildings, n_cameras, args.moves, args.tile)


if __name__ == "__main__":
    main()
