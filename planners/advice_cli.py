"""Click commands that advise on a site without placing cameras: ``suggest``, ``routes``, ``patrol``.

Registered as ``camwatch.commands`` entry points (pyproject.toml). ``--json`` prints the
machine-readable object; otherwise a readable table or list in ``--lang``. Bad options
raise :class:`~camwatch.errors.UsageError` before anything is computed (exit 2).
"""

from __future__ import annotations

import click

from camwatch.clikit import echo_json
from camwatch.errors import UsageError
from camwatch.i18n import msg
from planners.cli_kit import (
    analysis_of,
    check_cell,
    check_folder,
    draw,
    json_option,
    load,
    picture_option,
    planned_option,
)
from planners.cli_words import suggestion_word
from planners.cli_words import word as _word
from planners.plan_text import said as _said


@click.command("suggest")
@click.argument("site_file", type=click.Path(dir_okay=False))
@planned_option
@picture_option
@json_option
def suggest_cmd(site_file: str, include_planned: bool, picture: str | None, as_json: bool) -> None:
    """Access control, identification cameras, perimeter alarms and intercoms SITE_FILE lacks."""
    from planners.devices import suggest_devices
    from planners.overlays import device_overlays

    check_folder("--picture", picture)
    site = load(site_file)
    analysis = analysis_of(site, include_planned)
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
    draw(site, analysis, picture, device_overlays(items))


@click.command("routes")
@click.argument("site_file", type=click.Path(dir_okay=False))
@click.option(
    "--cell", "cell_m", type=float, help="Walking grid step (m); default from the site's size."
)
@planned_option
@picture_option
@json_option
def routes_cmd(
    site_file: str, cell_m: float | None, include_planned: bool, picture: str | None, as_json: bool
) -> None:
    """Intruder routes: for every building the way in that stays unseen longest (worst first)."""
    from planners.overlays import route_overlays
    from planners.routes import intruder_routes

    check_folder("--picture", picture)
    check_cell(cell_m)
    site = load(site_file)
    analysis = analysis_of(site, include_planned)
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
    draw(site, analysis, picture, route_overlays(routes))


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
@planned_option
@picture_option
@json_option
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

    check_folder("--picture", picture)
    check_cell(cell_m)
    point = _parse_xy(start)
    site = load(site_file)
    analysis = analysis_of(site, include_planned)
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
    draw(site, analysis, picture, patrol_overlay(patrol))
