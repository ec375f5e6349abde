"""Generate the three sample compounds in ``sample_sites/`` (deterministic).

Realistic, different compounds for demos, tests and benchmarks, one module each
(``tools/sample_<compound>.py``, built with :mod:`sample_kit`):

- ``old_residential.geojson`` — 幸福里小区, an old residential compound (老旧小区):
  1990s six-storey slabs in rows, one main gate, bike sheds (2.5 m roofs), walled
  ground-floor gardens, 1.2 m hedges, six cameras (one faulty): large blind spots.
- ``modern_gated.geojson`` — 锦绣华庭, a modern gated community: 30-storey
  towers, north and south gates, guard kiosks, a parking ramp, an infrared-beam
  perimeter with a solid wall on the north side and a camera on a pole above it, a
  see-through railing round the playground, parking hedges, a low water-feature
  wall, 40 cameras incl. two 360° fisheyes, mounting spots for planners.
- ``urban_village.geojson`` — 南岗村, an urban village (城中村): dense self-built
  houses in 2–4 m alleys, an irregular boundary, an ancestral hall round a
  courtyard, a see-through garden fence, a 2.8 m newspaper kiosk, fifteen
  cameras of mixed age.

Run from the repository root::

    .venv/bin/python tools/make_samples.py            # (re)writes sample_sites/*.geojson
    .venv/bin/python tools/make_samples.py --check    # exit 1 if the files are stale

Heights follow docs/site-format.md §4 (what a camera sees of a standing person):
buildings and kiosks block sight, hedges and low walls (~1.2 m) are below a
face at 1.6 m, bike-shed roofs (2.5 m) cast bounded shadows, railings are
``see_through``. The files name no ``coverage_model``: they are analysed in the
default (standing) model, and ``--coverage-model ground`` gives the v1 figures.

Every site is checked with shapely (valid polygons, cameras inside the
boundary and in free space or on a facade, unique ids and zone names) before
anything is written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sample_kit import check, render
from sample_modern_gated import modern_gated
from sample_old_residential import old_residential
from sample_urban_village import urban_village

OUT_DIR = Path(__file__).resolve().parents[1] / "sample_sites"

SAMPLES = {
    "old_residential.geojson": old_residential,
    "modern_gated.geojson": modern_gated,
    "urban_village.geojson": urban_village,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the sample compounds (deterministic).")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="output directory")
    parser.add_argument("--check", action="store_true", help="only check the files are current")
    args = parser.parse_args(argv)
    texts = {}
    for filename, make in SAMPLES.items():
        fc = make()
        problems = check(fc)
        if problems:
            print(f"{filename}: " + "; ".join(problems), file=sys.stderr)
            return 1
        texts[filename] = render(fc)
    if args.check:
        stale = [
            name
            for name, text in texts.items()
            if not (args.out / name).is_file() or (args.out / name).read_text("utf-8") != text
        ]
        for name in stale:
            print(f"{name} is stale: run tools/make_samples.py", file=sys.stderr)
        return 1 if stale else 0
    args.out.mkdir(parents=True, exist_ok=True)
    for filename, text in texts.items():
        (args.out / filename).write_text(text, encoding="utf-8")
        print(f"wrote {args.out / filename}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
