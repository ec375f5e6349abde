"""The ``plan`` command: where to add cameras (``suggest``, ``routes`` and ``patrol``
are in :mod:`planners.advice_cli`).

Registered as a ``camwatch.commands`` entry point (pyproject.toml). ``--json`` prints the
docs/site-format.md §3 object; otherwise a readable table. Bad options raise
:class:`~camwatch.errors.UsageError` before anything is computed or written (exit 2);
``--write`` saves atomically.
"""

from __future__ import annotations

import click

from camwatch.clikit import echo_json
from camwatch.errors import UsageError
from camwatch.i18n import msg
from planners.cli_kit import check_folder, draw, load
from planners.plan_text import method_line as _method_line
from planners.plan_text import print_plan as _print_plan
from planners.plan_text import remark_lines as _remark_lines
from planners.plan_text import said as _said

# exit code of `plan --target` when the plan cannot reach the target (docs/planners.md)
TARGET_NOT_REACHED = 3
# The largest --pool: the pool's atoms and the exact programme grow faster than the pool
# (urban village, --add 3: 300 → 6 s and 0.35 GB, 600 → 17 s and 1.6 GB, 1000 → 31 s
# and 3.4 GB; every candidate, as a larger pool meant, could exhaust the memory).
MAX_POOL = 1000


@click.command("plan")
@click.argument("site_file", type=click.Path(dir_okay=False))
@click.option("--add", "add", type=int, help="Number of cameras to add.")
@click.option(
    "--target", type=float, help="Fewest cameras to reach this ratio (and pass every zone)."
)
@click.option(
    "--level",
    default="detection",
    show_default=True,
    help="Level of --target / the objective (the default, detection, means the lowest level of "
    "the site's ladder).",
)
@click.option(
    "--hfov", type=float, default=90.0, show_default=True, help="Horizontal field of view (deg)."
)
@click.option(
    "--resolution", default="1920x1080", show_default=True, help="WIDTHxHEIGHT in pixels."
)
@click.option("--height", type=float, default=3.0, show_default=True, help="Mounting height (m).")
@click.option(
    "--tilt", type=float, default=15.0, show_default=True, help="Tilt below horizontal (deg)."
)
@click.option("--range", "range_m", type=float, help="Hard range cap (m), e.g. IR reach.")
@click.option(
    "--lenses", type=click.Path(dir_okay=False), help="Table of allowed camera types (JSON/CSV)."
)
@click.option("--budget", type=float, help="Total cost allowed (needs --lenses).")
@click.option("--method", default="auto", show_default=True, help="auto, greedy, local or exact.")
@click.option(
    "--time-limit",
    type=float,
    default=20.0,
    show_default=True,
    help="Seconds for local search + exact.",
)
@click.option(
    "--spacing", type=float, default=2.0, show_default=True, help="Mount sampling step (m)."
)
@click.option(
    "--pool",
    "pool_size",
    type=int,
    default=300,
    show_default=True,
    help="Candidates given to local search/exact.",
)
@click.option(
    "--candidate-limit",
    type=int,
    help="At most this many candidates (spots visited evenly spread, docs/planners.md).",
)
@click.option("--candidate-seconds", type=float, help="Time budget for candidate generation (s).")
@click.option(
    "--no-refine",
    "no_refine",
    is_flag=True,
    help="Keep the chosen candidates: no sliding along the facade or turning (docs/planners.md).",
)
@click.option(
    "--refine-seconds",
    type=float,
    default=10.0,
    show_default=True,
    help="CPU-time bound of the refinement (s).",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Solver seed.")
@click.option(
    "--write",
    "write",
    type=click.Path(dir_okay=False),
    help="Save the site with the suggestions as planned cameras.",
)
@click.option(
    "--picture",
    type=click.Path(dir_okay=False),
    help="Also draw the plan with the suggestions as ghost cameras (PNG/SVG/PDF).",
)
@click.option(
    "--json", "as_json", is_flag=True, help="Print the docs/site-format.md §3 JSON object."
)
def plan_cmd(
    site_file: str,
    add: int | None,
    target: float | None,
    level: str,
    hfov: float,
    resolution: str,
    height: float,
    tilt: float,
    range_m: float | None,
    lenses: str | None,
    budget: float | None,
    method: str,
    time_limit: float,
    spacing: float,
    pool_size: int,
    candidate_limit: int | None,
    candidate_seconds: float | None,
    no_refine: bool,
    refine_seconds: float,
    seed: int,
    write: str | None,
    picture: str | None,
    as_json: bool,
) -> None:
    """Where to add cameras to SITE_FILE: --add K, --target RATIO or --budget B."""
    from camwatch.model import parse_resolution
    from planners.lenses import Lens, load_lenses
    from planners.plan import plan_cameras, site_with_suggestions

    check_folder("--write", write)
    check_folder("--picture", picture)
    if not 1 <= pool_size <= MAX_POOL:
        raise UsageError(
            msg(
                "%(option)s must be in [%(min)s, %(max)s], got %(value)s",
                option="--pool",
                min=1,
                max=MAX_POOL,
                value=pool_size,
            )
        )
    lens = Lens(
        hfov_deg=hfov,
        resolution=parse_resolution(resolution, where="--resolution"),
        height_m=height,
        tilt_deg=tilt,
        range_m=range_m,
    )
    types = load_lenses(lenses, defaults=lens) if lenses else None
    site = load(site_file)
    result = plan_cameras(
        site,
        add=add,
        target=target,
        level=level,
        lens=lens,
        lenses=types,
        budget=budget,
        method=method,
        time_limit=time_limit,
        spacing=spacing,
        seed=seed,
        pool_size=pool_size,
        candidate_limit=candidate_limit,
        candidate_seconds=candidate_seconds,
        refine=not no_refine,
        refine_seconds=refine_seconds,
    )
    if write is not None:
        from camwatch.sitefile import save_site

        save_site(site_with_suggestions(site, result), write)
    if as_json:
        echo_json(result.to_dict())  # exactly the docs/site-format.md §3 object
        click.echo(_method_line(result), err=True)
        for line in _remark_lines(result):
            click.echo(line, err=True)
    else:
        _print_plan(result)
    if write is not None:
        click.echo(msg("wrote %(path)s", path=str(write)).render(), err=True)
    if picture is not None:
        from camwatch.geometry.coverage import analyze
        from planners.overlays import plan_overlays

        draw(site, analyze(site, include_planned=True), picture, plan_overlays(result))
    if result.target is not None and not result.target["reached"]:
        # an answer, but not the one asked for: say so and exit 3 (docs/planners.md)
        reasons = "; ".join(_said(u) for u in result.target["unreachable"])
        click.echo(msg("target not reachable: %(reasons)s", reasons=reasons).render(), err=True)
        raise SystemExit(TARGET_NOT_REACHED)
