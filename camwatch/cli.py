"""The ``camwatch`` command line.

The core commands (``analyze``, ``render``) live here; the registry and planner
command groups are loaded lazily from their own modules (see ``LAZY_COMMANDS``)
so that ``camwatch analyze`` does not import SQLAlchemy or HiGHS, and so that
the core never imports the layers above it at import time.

Every :class:`~camwatch.errors.CamwatchError` is caught once, by the
top-level group: its one-line message goes to stderr and the exit code is 2.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import click

from camwatch.errors import CamwatchError, UsageError
from camwatch.model import LEVELS

# command name -> "module:attribute" of a click command, imported on first use
LAZY_COMMANDS: dict[str, str] = {
    "db": "camwatch.registry.cli:db",
    "import-site": "camwatch.registry.cli:import_site_cmd",
    "export-site": "camwatch.registry.cli:export_site_cmd",
    "compounds": "camwatch.registry.cli:compounds_cmd",
    "users": "camwatch.registry.cli:users",
    "devices": "camwatch.registry.cli_devices:devices",
    "maintenance": "camwatch.registry.cli_devices:maintenance",
    "problems": "camwatch.registry.cli_problems:problems",
    "inspect": "camwatch.registry.cli_problems:inspect_cmd",
    "plan": "planners.cli:plan_cmd",
    "suggest": "planners.cli:suggest_cmd",
    "routes": "planners.cli:routes_cmd",
    "patrol": "planners.cli:patrol_cmd",
    "report": "camwatch.report.cli:report_cmd",
    "schedule": "camwatch.report.cli:schedule_cmd",
    "export": "camwatch.report.cli:export_cmd",
    "district": "camwatch.report.cli:district",
}


class InputError(click.ClickException):
    """A CamwatchError on its way out of the CLI: one line on stderr, exit code 2."""

    exit_code = 2

    def show(self, file=None) -> None:  # noqa: ANN001 - click's signature
        click.echo(f"error: {self.format_message()}", err=True)


class LazyGroup(click.Group):
    """A click group whose listed sub-commands are imported only when used.

    It also turns every :class:`CamwatchError` raised below it into
    :class:`InputError`, so scripts, ``CliRunner`` tests and the console
    script all see exit code 2 and a one-line message.
    """

    def invoke(self, ctx: click.Context):  # noqa: ANN201 - click's signature
        try:
            return super().invoke(ctx)
        except CamwatchError as exc:
            raise InputError(str(exc)) from exc

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(LAZY_COMMANDS))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in LAZY_COMMANDS:
            module_name, attr = LAZY_COMMANDS[cmd_name].split(":")
            return getattr(importlib.import_module(module_name), attr)
        return super().get_command(ctx, cmd_name)


@click.group(cls=LazyGroup)
@click.version_option(package_name="camwatch")
def cli() -> None:
    """camwatch: coverage planner and device ledger for safe compounds."""


def echo_json(obj: object) -> None:
    """Print one JSON object on stdout (UTF-8, Chinese kept readable)."""
    click.echo(json.dumps(obj, ensure_ascii=False, indent=2))


def _load(path: str):
    from camwatch.sitefile import load_site

    return load_site(path)


def _print_summary(analysis) -> None:
    """A readable summary of an analysis (rich tables)."""
    from rich.console import Console
    from rich.table import Table

    console = Console()
    console.print(
        f"[bold]{analysis.site_id}[/bold]  monitored area {analysis.monitored_area_m2:,.1f} m²  "
        + ("[green]compliant[/green]" if analysis.compliant else "[red]not compliant[/red]")
    )
    levels = Table(title="Coverage by DORI level")
    levels.add_column("level")
    levels.add_column("covered m²", justify="right")
    levels.add_column("ratio", justify="right")
    for level, cov in analysis.levels.items():
        levels.add_row(level, f"{cov.covered_m2:,.1f}", f"{cov.ratio:.1%}")
    console.print(levels)
    if analysis.zones:
        zones = Table(title="Zones")
        for col in ("zone", "type", "required", "area m²", "ratio", "pass"):
            zones.add_column(col, justify="right" if col in ("area m²", "ratio") else "left")
        for z in analysis.zones:
            zones.add_row(
                z.name,
                z.zone_type,
                z.required_level,
                f"{z.area_m2:,.1f}",
                f"{z.ratio:.1%}",
                "[green]pass[/green]" if z.passed else "[red]FAIL[/red]",
            )
        console.print(zones)
    if analysis.blind_spots:
        spots = Table(title=f"Blind spots ({len(analysis.blind_spots)})")
        for col in ("id", "area m²", "centroid", "zones"):
            spots.add_column(col)
        for b in analysis.blind_spots:
            spots.add_row(
                b.id,
                f"{b.area_m2:,.1f}",
                f"({b.centroid[0]:.1f}, {b.centroid[1]:.1f})",
                ", ".join(b.zones),
            )
        console.print(spots)
    idle = [c for c in analysis.cameras if not c.counted]
    console.print(
        f"cameras: {len(analysis.cameras)} listed, {len(analysis.cameras) - len(idle)} counted"
        + (f"; not counted: {', '.join(f'{c.id} ({c.status})' for c in idle)}" if idle else "")
    )


@cli.command()
@click.argument("site_file", type=click.Path(dir_okay=False))
@click.option("--include-planned", is_flag=True, help="Count planned cameras too.")
@click.option("--json", "as_json", is_flag=True, help="Print the SITE_FORMAT §3 JSON object.")
def analyze(site_file: str, include_planned: bool, as_json: bool) -> None:
    """Coverage per DORI level, blind spots and zone compliance of SITE_FILE."""
    from camwatch.geometry.coverage import analyze as run

    result = run(_load(site_file), include_planned=include_planned)
    if as_json:
        echo_json(result.to_dict())
    else:
        _print_summary(result)


@cli.command()
@click.argument("site_file", type=click.Path(dir_okay=False))
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False), help="PNG to write."
)
@click.option("--level", type=click.Choice(LEVELS), help="Show only this DORI level.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.option("--include-planned", is_flag=True, help="Count planned cameras too.")
@click.option("--dpi", type=click.IntRange(50, 600), default=150, show_default=True)
@click.option("--suggest", "with_suggest", is_flag=True, help="Draw device suggestions (planners).")
@click.option("--routes", "with_routes", is_flag=True, help="Draw the worst intruder routes.")
@click.option("--patrol", "with_patrol", is_flag=True, help="Draw the patrol route.")
def render(
    site_file: str,
    output: str,
    level: str | None,
    lang: str,
    include_planned: bool,
    dpi: int,
    with_suggest: bool,
    with_routes: bool,
    with_patrol: bool,
) -> None:
    """Draw SITE_FILE to scale with footprints, blind spots, scale bar and legend.

    Ghost cameras of a placement plan are drawn by ``camwatch plan --picture``.
    """
    from camwatch.geometry.coverage import analyze as run
    from camwatch.render import render_plan

    if not Path(output).parent.exists():
        raise UsageError(f"output folder does not exist: {Path(output).parent}")
    site = _load(site_file)
    result = run(site, include_planned=include_planned)
    overlays = None
    if with_suggest or with_routes or with_patrol:
        # The planners sit above the core: reached lazily, only when asked for.
        from planners import overlays as ov
        from planners.devices import suggest_devices
        from planners.routes import intruder_routes, patrol_route

        parts = []
        if with_suggest:
            parts.append(ov.device_overlays(suggest_devices(site, result)))
        if with_routes:
            parts.append(ov.route_overlays(intruder_routes(site, result)))
        if with_patrol:
            parts.append(ov.patrol_overlay(patrol_route(site, result)))
        overlays = ov.combine(*parts)
    path = render_plan(site, result, output, level=level, lang=lang, dpi=dpi, overlays=overlays)
    click.echo(f"wrote {path}", err=True)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point (exit 0 success, 2 invalid input or usage, 1 unexpected)."""
    cli.main(args=argv, prog_name="camwatch")
