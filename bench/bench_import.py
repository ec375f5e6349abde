"""Benchmark the importers (``make bench``; docs/importers.md).

- import-image: every sample compound rendered as a scanned plan
  (:mod:`bench.plan_scans`: filled or outlined buildings, rotation, blur,
  noise, JPEG), traced, and compared with the truth: IoU of the union of the
  buildings and IoU of the boundary (targets 0.9 and 0.95).
- import-dxf: the sample CAD plan imported and analysed; the largest relative
  difference of any area from the original compound's analysis (target 0.5 %).

    .venv/bin/python -m bench.bench_import
"""

from __future__ import annotations

import argparse
import json
import math
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from shapely.geometry import Polygon
from shapely.ops import unary_union

from bench.plan_scans import render_scan
from camwatch.importers.image import to_metres, trace_plan

ROOT = Path(__file__).resolve().parents[1]
SITES = ("old_residential", "modern_gated", "urban_village")
ROTATIONS = (0.0, 2.0, -3.5)
TARGETS = {"buildings": 0.9, "boundary": 0.95}


@dataclass
class ScanResult:
    site: str
    filled: bool
    rotation_deg: float
    px_per_m: float
    buildings_iou: float
    boundary_iou: float
    found: int
    truth: int
    seconds: float


def iou(a: Polygon, b: Polygon) -> float:
    """Intersection over union of two areas (0 when both are empty)."""
    union = a.union(b).area
    return a.intersection(b).area / union if union > 0 else 0.0


def measure_scan(
    name: str, *, filled: bool, rotation_deg: float, px_per_m: float = 4.0, seed: int = 1
) -> ScanResult:
    """Render one scan of a sample compound, trace it and score it against the truth."""
    site = json.loads((ROOT / "sample_sites" / f"{name}.geojson").read_text(encoding="utf-8"))
    scan = render_scan(site, px_per_m=px_per_m, rotation_deg=rotation_deg, filled=filled, seed=seed)
    x1, y1, x2, y2, metres = scan.scale_bar
    s = math.hypot(x2 - x1, y2 - y1) / metres
    start = time.perf_counter()
    trace = trace_plan(scan.image, px_per_m=s)
    seconds = time.perf_counter() - start
    h = scan.image.shape[0]
    found = unary_union([to_metres(b, px_per_m=s, image_height=h) for b in trace.buildings])
    boundary = to_metres(trace.boundary, px_per_m=s, image_height=h)
    return ScanResult(
        name,
        filled,
        rotation_deg,
        px_per_m,
        iou(found, unary_union(scan.buildings)),
        iou(boundary, scan.boundary),
        len(trace.buildings),
        len(scan.buildings),
        seconds,
    )


def dxf_worst_difference() -> float:
    """Largest relative difference of any analysed area: sample DXF vs original compound."""
    from click.testing import CliRunner

    from camwatch.cli import cli
    from camwatch.geometry.coverage import analyze
    from camwatch.sitefile import load_site

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "site.geojson"
        plan = ROOT / "sample_sites" / "old_residential_plan.dxf"
        result = CliRunner().invoke(cli, ["import-dxf", str(plan), "-o", str(out)])
        if result.exit_code != 0:
            raise SystemExit(result.output)
        got = analyze(load_site(out)).to_dict()
    want = analyze(load_site(ROOT / "sample_sites" / "old_residential.geojson")).to_dict()
    pairs = [(got["monitored_area_m2"], want["monitored_area_m2"])]
    pairs += [(got["levels"][k]["covered_m2"], v["covered_m2"]) for k, v in want["levels"].items()]
    zones = {z["name"]: z for z in got["zones"]}
    for z in want["zones"]:
        pairs += [(zones[z["name"]][k], z[k]) for k in ("area_m2", "covered_m2")]
    spots = zip(
        sorted(s["area_m2"] for s in got["blind_spots"]),
        sorted(s["area_m2"] for s in want["blind_spots"]),
        strict=True,
    )
    pairs += list(spots)
    return max(abs(a - b) / max(abs(a), abs(b)) for a, b in pairs if max(abs(a), abs(b)) > 0)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args(argv)
    print("import-image on generated scans (4 px/m, blur 1 px, noise, JPEG q60)")
    print(f"{'site':16} {'drawing':8} {'rot°':>5} {'bldg IoU':>9} {'bnd IoU':>8} found  ms")
    worst = {"buildings": 1.0, "boundary": 1.0}
    for name in SITES:
        for filled in (True, False):
            for rot in ROTATIONS:
                r = measure_scan(name, filled=filled, rotation_deg=rot)
                worst["buildings"] = min(worst["buildings"], r.buildings_iou)
                worst["boundary"] = min(worst["boundary"], r.boundary_iou)
                print(
                    f"{name:16} {'filled' if filled else 'outlined':8} {rot:5.1f} "
                    f"{r.buildings_iou:9.4f} {r.boundary_iou:8.4f} {r.found:2d}/{r.truth:<2d}"
                    f" {r.seconds * 1000:4.0f}"
                )
    print("resolution sweep (rotation 1.5°, seed 5): buildings / boundary IoU")
    for px in (3.0, 6.0):
        for name in SITES:
            cells = []
            for filled in (True, False):
                r = measure_scan(name, filled=filled, rotation_deg=1.5, px_per_m=px, seed=5)
                cells.append(f"{r.buildings_iou:.4f} / {r.boundary_iou:.4f}")
            print(f"{px:3.0f} px/m {name:16} filled {cells[0]}   outlined {cells[1]}")
    for key, target in TARGETS.items():
        status = "meets" if worst[key] >= target else "BELOW"
        print(f"worst {key} IoU at 4 px/m {worst[key]:.4f} ({status} the target {target})")
    print(f"import-dxf sample: worst area difference {dxf_worst_difference():.4%} (target 0.5 %)")


if __name__ == "__main__":
    main()
