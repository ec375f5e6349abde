"""Benchmark district batches (``make bench``; docs/district.md).

Generates N compounds (default 1,000: three medium to one large, as
:mod:`bench.synthetic` makes them, distinct seeds) into a temporary folder and
runs ``analyze`` over all of them:

- ``pool x2``: a plain two-process ``multiprocessing`` pool calling the engine
  in-process (the reference a home-made batch would reach);
- ``dask x1`` and ``dask x2``: :func:`camwatch.batch.runner.run_jobs` on a
  LocalCluster of one and two worker processes — what ``camwatch district
  analyze FOLDER`` does, minus writing the result files.

It prints compounds per hour of each (cluster start-up excluded, shown apart),
the two-worker speed-up and whether the goals hold (≥ 45,000 compounds/hour
with two workers, ≥ 1.8× one worker)::

    .venv/bin/python -m bench.bench_district [--count 1000]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import tempfile
import time
from pathlib import Path

from bench.synthetic import SIZES, generate_compound
from camwatch.batch.jobs import folder_jobs
from camwatch.batch.runner import Outcome, run_jobs
from camwatch.batch.tasks import analyze_task

GOAL_PER_HOUR = 45_000.0
GOAL_SPEEDUP = 1.8


def write_compounds(folder: Path, count: int) -> None:
    """``count`` generated compounds, every fourth one large."""
    for i in range(count):
        size = "large" if i % 4 == 3 else "medium"
        buildings, cameras = SIZES[size]
        site = generate_compound(n_buildings=buildings, n_cameras=cameras, seed=1000 + i)
        site.setdefault("site", {})["id"] = f"c{i:05d}"
        (folder / f"c{i:05d}.geojson").write_text(json.dumps(site), encoding="utf-8")


def _pool_one(path: str) -> float:
    from camwatch.geometry.coverage import analyze
    from camwatch.sitefile import load_site

    return analyze(load_site(path)).levels["detection"].ratio


def pool_rate(folder: Path, processes: int) -> float:
    files = sorted(str(p) for p in folder.glob("*.geojson"))
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(processes) as pool:
        pool.map(_pool_one, files[:processes])  # warm the imports, as the cluster is warm
        start = time.perf_counter()
        for _ in pool.imap_unordered(_pool_one, files, chunksize=1):
            pass
        seconds = time.perf_counter() - start
    return 3600.0 * len(files) / seconds


def dask_rate(folder: Path, workers: int) -> tuple[float, float, int]:
    jobs = folder_jobs(folder, folder / "out", "analyze", {"include_planned": False})
    failed: list[Outcome] = []
    tally = run_jobs(
        jobs, analyze_task, lambda o: failed.append(o) if o.error else None, workers=workers
    )
    if failed:
        raise SystemExit(f"{len(failed)} compounds failed, e.g. {failed[0].error}")
    return tally.per_hour(), tally.startup_seconds, tally.done


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000, help="compounds to generate")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        write_compounds(folder, args.count)
        print(f"district batch: {args.count} generated compounds (3 medium : 1 large), "
              f"made in {time.perf_counter() - t0:.1f} s")  # fmt: skip
        pool2 = pool_rate(folder, 2)
        print(f"  pool x2 (multiprocessing, in-process analyze): {pool2:9,.0f} compounds/hour")
        rates = {}
        for workers in (1, 2):
            rate, startup, done = dask_rate(folder, workers)
            rates[workers] = rate
            print(f"  dask x{workers} (LocalCluster): {rate:9,.0f} compounds/hour "
                  f"({done} done; cluster start {startup:.1f} s)")  # fmt: skip
        speedup = rates[2] / rates[1] if rates[1] else 0.0
        print(f"  two workers / one: {speedup:.2f}x (goal ≥ {GOAL_SPEEDUP}x); "
              f"dask x2 / pool x2: {rates[2] / pool2:.2f}; "
              f"goal ≥ {GOAL_PER_HOUR:,.0f}/h with two workers: "
              f"{'met' if rates[2] >= GOAL_PER_HOUR else 'NOT met'}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
