"""Report benchmark (``make bench``): how long the compound report and the exports take.

For each sample compound, and for a generated 200-camera compound
(:func:`bench.synthetic.generate_compound`): the analysis, the plan picture,
the PDF layout (content + fpdf2), the camera schedule (CSV and XLSX) and, when
the site is georeferenced, the KML export. Wall-clock and CPU seconds are
printed; the target is a whole compound report (analysis + picture + PDF)
under 10 s.

Run: ``python -m bench.bench_report [--cameras 200]``.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.synthetic import generate_compound
from camwatch.geometry.coverage import analyze
from camwatch.model import Site
from camwatch.report import schedule as sch
from camwatch.report.compound import plan_picture
from camwatch.report.content import compound_report
from camwatch.report.gis import kml
from camwatch.report.pdf import report_pdf
from camwatch.sitefile import load_site, parse_site
from camwatch.sitefile.crs import georef_of
from camwatch.standards import check

SAMPLES = Path(__file__).resolve().parents[1] / "sample_sites"
TARGET_S = 10.0


def _timed(fn: Callable[[], Any]) -> tuple[Any, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - wall, time.process_time() - cpu


def bench_site(name: str, site: Site) -> tuple[float, float]:
    """Print the times of one site's report and exports; return the report's wall and CPU time."""
    analysis, t_an, c_an = _timed(lambda: analyze(site))
    standards, t_chk, c_chk = _timed(lambda: check(site))  # the findings section
    png, t_pic, c_pic = _timed(lambda: plan_picture(site, analysis, lang="zh"))
    pdf, t_pdf, c_pdf = _timed(
        lambda: report_pdf(
            compound_report(site, analysis, lang="zh", picture=png, standards=standards)
        )
    )
    rows = sch.schedule_rows(site)
    _, t_csv, _ = _timed(lambda: sch.schedule_csv(rows))
    _, t_xlsx, _ = _timed(
        lambda: sch.schedule_xlsx(rows, sch.model_lines(rows), lang="zh", title=name)
    )
    total, cpu = t_an + t_chk + t_pic + t_pdf, c_an + c_chk + c_pic + c_pdf
    line = (
        f"{name:22} {len(site.cameras):4} cams  report {total:5.2f} s (cpu {cpu:5.2f} s: "
        f"analysis {t_an:4.2f}, check {t_chk:4.2f}, picture {t_pic:4.2f}, pdf {t_pdf:4.2f}; {len(pdf) / 1e6:4.2f} MB)"
        f"  schedule csv {t_csv * 1000:5.1f} ms, xlsx {t_xlsx * 1000:6.1f} ms"
    )
    if georef_of(site.info.extra) is not None:
        data, t_kml, _ = _timed(lambda: kml(site, analysis))
        line += f", kml {t_kml:4.2f} s ({len(data) / 1e6:4.2f} MB)"
    print(line, flush=True)
    return total, cpu


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cameras", type=int, default=200)
    args = parser.parse_args(argv)
    load = os.getloadavg()[0]
    print(f"report benchmark (target: compound report < 10 s; load average {load:.1f})")
    worst, worst_cpu = 0.0, 0.0
    data = generate_compound(n_buildings=60, n_cameras=args.cameras, seed=1)
    sites = [(p.stem, load_site(p)) for p in sorted(SAMPLES.glob("*.geojson"))]
    sites.append((f"synthetic-{args.cameras}", parse_site(data, default_id="bench-compound")))
    for name, site in sites:
        wall, cpu = bench_site(name, site)
        worst, worst_cpu = max(worst, wall), max(worst_cpu, cpu)
    verdict = "within" if worst < TARGET_S else "ABOVE"
    print(
        f"slowest compound report {worst:.2f} s wall ({worst_cpu:.2f} s CPU): "
        f"{verdict} the {TARGET_S:.0f} s target"
        + (" (a loaded machine: compare the CPU time)" if load > (os.cpu_count() or 1) else "")
    )


if __name__ == "__main__":
    main()
