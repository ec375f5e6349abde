"""Click commands of the planners: ``plan``, ``suggest``, ``routes``, ``patrol``.

Registered as ``camwatch.commands`` entry points (pyproject.toml). ``--json`` prints the
machine-readable object (docs/site-format.md §3 for ``plan``); otherwise a readable
table. Bad options raise :class:`~camwatch.errors.UsageError` before anything
is computed or written (exit 2); ``--write`` saves atomically.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from camwatch.clikit import echo_json
from camwatch.errors import UsageError
from camwatch.i18n import msg
from planners.cli_words import suggestion_word
from planners.cli_words import word as _word
from planners.plan_text import method_line as _method_line
from planners.plan_text import print_plan as _print_plan
from planners.plan_text import said as _said


def _load(path: str):  # noqa: ANN202
    from camwatch.sitefile import load_site

    return load_site(path)


def _check_out(path: str | None) -> None:
    if path is not None and not Path(path).resolve().parent.is_dir():
        raise UsageError(
            msg(
                "%(option)s: folder does not exist: %(folder)s",
                option="--write",
                folder=str(Path(path).parent),
            )
        )


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

    _check_out(write)
    _check_picture(picture)
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
    site = _load(site_file)
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
    else:
        _print_plan(result)
    if write is not None:
        click.echo(msg("wrote %(path)s", path=str(write)).render(), err=True)
    if picture is not None:
        from camwatch.geometry.coverage import analyze
        from planners.overlays import plan_overlays

        _draw(site, analyze(site, include_planned=True), picture, plan_overlays(result))
    if result.target is not None and not result.target["reached"]:
        # an answer, but not the one asked for: say so and exit 3 (docs/planners.md)
        reasons = "; ".join(_said(u) for u in result.target["unreachable"])
        click.echo(msg("target not reachable: %(reasons)s", reasons=reasons).render(), err=True)
        raise SystemExit(TARGET_NOT_REACHED)


def _analysis(site: Any, include_planned: bool) -> Any:
    from camwatch.geometry.coverage import analyze

    return analyze(site, include_planned=include_planned)


def _draw(site: Any, analysis: Any, picture: str | None, overlays: Any) -> None:
    if picture is None:
        return
    from camwatch.render import render_plan

    path = render_plan(site, analysis, picture, overlays=overlays)
    click.echo(msg("wrote %(path)s", path=str(path)).render(), err=True)


def _check_picture(picture: str | None) -> None:
    if picture is not None and not Path(picture).resolve().parent.is_dir():
        raise UsageError(
            msg(
                "%(option)s: folder does not exist: %(folder)s",
                option="--picture",
                folder=str(Path(picture).parent),
            )
        )


_picture = click.option(
    "--picture", type=click.Path(dir_okay=False), help="Also draw the result to this PNG/SVG/PDF."
)
_planned = click.option("--include-planned", is_flag=True, help="Count planned cameras too.")
_json = click.option("--json", "as_json", is_flag=True, help="Print JSON.")


@click.command("suggest")
@click.argument("site_file", type=click.Path(dir_okay=False))
@_planned
@_picture
@_json
def suggest_cmd(site_file: str, include_planned: bool, picture: str | None, as_json: bool) -> None:
    """Access control, identification cameras, perimeter alarms and intercoms SITE_FILE lacks."""
    from planners.devices import suggest_devices
    from planners.overlays import device_overlays

    _check_picture(picture)
    site = _load(site_file)
    analysis = _analysis(site, include_planned)
    items = suggest_devices(site, analysis)
    if as_json:
        echo_json({"site": site.id, "suggestions": items})
    else:
        from rich.console import Console
        from rich.table import Table

        title = msg("%(site)s: device suggestions (%(n)s)", site=site.id, n=len(items))
        table = Table(title=title.render())
        for col in (msg("type"), msg("position"), msg("reason")):
            table.add_column(col.render())
        for it in items:
            position = f"({it['position'][0]:.1f}, {it['position'][1]:.1f})"
            table.add_row(suggestion_word(it["type"]), position, _said(it))
        Console().print(table)
    _draw(site, analysis, picture, device_overlays(items))


@click.command("routes")
@click.argument("site_file", type=click.Path(dir_okay=False))
@click.option(
    "--cell", "cell_m", type=float, help="Walking grid step (m); default from the site's size."
)
@_planned
@_picture
@_json
def routes_cmd(
    site_file: str, cell_m: float | None, include_planned: bool, picture: str | None, as_json: bool
) -> None:
    """Intruder routes: for every building the way in that stays unseen longest (worst first)."""
    from planners.overlays import route_overlays
    from planners.routes import intruder_routes

    _check_picture(picture)
    if cell_m is not None and not (0.1 <= cell_m <= 50):
        raise UsageError(
            msg("--cell must be in [0.1, 50] m, got %(value)s", value=format(cell_m, "g"))
        )
    site = _load(site_file)
    analysis = _analysis(site, include_planned)
    routes = intruder_routes(site, analysis, cell_m=cell_m)
    if as_json:
        echo_json({"site": site.id, "routes": routes})
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(title=msg("%(site)s: intruder routes, worst first", site=site.id).render())
        for col in (msg("id"), msg("building"), msg("entry")):
            table.add_column(col.render())
        for col in (msg("unseen m"), msg("seen m"), msg("length m")):
            table.add_column(col.render(), justify="right")
        for r in routes:
            if not r["reachable"]:
                table.add_row(r["id"], r["building"], _said(r), "", "", "")
                continue
            entry = _word(r["entry"]["kind"]) + (
                f" {r['entry'].get('name') or r['entry'].get('id')}"
                if r["entry"]["kind"] == "gate"
                else ""
            )
            table.add_row(
                r["id"],
                r["building"],
                entry,
                f"{r['unseen_m']:.1f}",
                f"{r['seen_m']:.1f}",
                f"{r['length_m']:.1f}",
            )
        Console().print(table)
    _draw(site, analysis, picture, route_overlays(routes))


def _parse_xy(text: str | None) -> tuple[float, float] | None:
    if text is None:
        return None
    try:
        x, y = (float(v) for v in text.split(","))
    except ValueError:
        raise UsageError(
            msg("--start: expected X,Y in metres, got %(value)s", value=repr(text))
        ) from None
    return x, y


@click.command("patrol")
@click.argument("site_file", type=click.Path(dir_okay=False))
@click.option("--start", help="Start point X,Y (default: a guard kiosk, else a gate).")
@click.option(
    "--min-area",
    "min_area",
    type=float,
    default=10.0,
    show_default=True,
    help="Visit blind spots at least this large (m²).",
)
@click.option("--speed", type=float, default=1.2, show_default=True, help="Walking speed (m/s).")
@click.option("--cell", "cell_m", type=float, help="Walking grid step (m).")
@_planned
@_picture
@_json
def patrol_cmd(
    site_file: str,
    start: str | None,
    min_area: float,
    speed: float,
    cell_m: float | None,
    include_planned: bool,
    picture: str | None,
    as_json: bool,
) -> None:
    """A closed patrol route from the guard kiosk (or a gate) through every large blind spot."""
    from planners.overlays import patrol_overlay
    from planners.patrol import patrol_route

    _check_picture(picture)
    if cell_m is not None and not (0.1 <= cell_m <= 50):
        raise UsageError(
            msg("--cell must be in [0.1, 50] m, got %(value)s", value=format(cell_m, "g"))
        )
    point = _parse_xy(start)
    site = _load(site_file)
    analysis = _analysis(site, include_planned)
    patrol = patrol_route(
        site, analysis, start=point, min_area_m2=min_area, speed_m_s=speed, cell_m=cell_m
    )
    if as_json:
        echo_json({"site": site.id, **patrol})
    else:
        head = msg(
            "%(site)s: patrol from %(start)s through %(n)s blind spots ≥ %(area)s m²: "
            "%(length)s m, %(minutes)s min at %(speed)s m/s",
            site=site.id,
            start=str(patrol["start"].get("name") or patrol["start"]["point"]),
            n=len(patrol["stops"]),
            area=format(min_area, "g"),
            length=format(patrol["length_m"], ".0f"),
            minutes=format(patrol["time_min"], ".1f"),
            speed=format(speed, "g"),
        )
        click.echo(head.render())
        for k, stop in enumerate(patrol["stops"], 1):
            line = msg(
                "%(k)s. %(spot)s (%(area)s m²) at (%(x)s, %(y)s)",
                k=k,
                spot=stop["blind_spot"],
                area=format(stop["area_m2"], ".0f"),
                x=format(stop["point"][0], ".1f"),
                y=format(stop["point"][1], ".1f"),
            )
            click.echo("  " + line.render())
        for s in patrol["skipped"]:
            line = msg("skipped %(spot)s: %(reason)s", spot=s["blind_spot"], reason=_said(s))
            click.echo("  " + line.render())
    _draw(site, analysis, picture, patrol_overlay(patrol))
