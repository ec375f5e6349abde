"""The ``camwatch`` command line.

The core commands (``analyze``, ``render``) live here.  Every other command
group (the ledger's ``db``, ``devices``, ``problems``, ...; the planners'
``plan``, ``suggest``, ...) is found through the ``camwatch.commands`` entry
points declared in pyproject.toml and imported only when used, so
``camwatch analyze`` imports neither SQLAlchemy nor HiGHS and the core names
no layer above it.  ``render --suggest/--routes/--patrol`` draws layers found
the same way (``camwatch.overlays`` entry points).

Every :class:`~camwatch.errors.CamwatchError` is caught once, by the
top-level group: its one-line message goes to stderr and the exit code is 2.

``camwatch --lang zh|en`` (default: the locale's ``LC_ALL``/``LC_MESSAGES``/
``LANG``, English when it names neither) sets the language of messages —
error lines and the text the commands print (:mod:`camwatch.i18n`); ``--json``
keys stay English, and pictures and reports keep their own ``--lang``. Click's
own usage errors (unknown command or option, missing argument, bad choice) are
worded in it too (:func:`camwatch.clikit.worded_usage_error`; exit code 2).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from functools import cache
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from camwatch.clikit import InputError, echo_json, worded_usage_error
from camwatch.errors import CamwatchError, UsageError
from camwatch.i18n import (
    LANGS,
    Message,
    current_language,
    msg,
    normalize,
    term_msg,
    use_language,
)
from camwatch.ladders import ALL_LEVELS, DEFAULT_LADDER, ladder, not_in_ladder

if TYPE_CHECKING:
    from camwatch.render.overlays import Overlays

COMMANDS_GROUP = "camwatch.commands"  # name -> "module:attribute" of a click command
OVERLAYS_GROUP = "camwatch.overlays"  # name -> "module:function(site, analysis) -> Overlays"


@cache
def plugins(group: str) -> dict[str, EntryPoint]:
    """The installed entry points of ``group`` by name (metadata only; nothing is imported).

    When two distributions declare the same name, the first one found wins.
    """
    found: dict[str, EntryPoint] = {}
    for ep in entry_points(group=group):
        found.setdefault(ep.name, ep)
    return found


def load_plugin(group: str, name: str) -> Any:
    """Import the object behind entry point ``name`` of ``group`` (a clear error if it fails)."""
    ep = plugins(group)[name]
    try:
        return ep.load()
    except (ImportError, AttributeError) as exc:
        raise UsageError(
            msg(
                "%(name)s (%(target)s) could not be loaded: %(detail)s",
                name=repr(name),
                target=ep.value,
                detail=str(exc),
            )
        ) from exc


class LazyGroup(click.Group):
    """A click group whose entry-point sub-commands are imported only when used.

    It also turns every :class:`CamwatchError` raised below it into
    :class:`~camwatch.clikit.InputError`, so scripts, ``CliRunner`` tests and
    the console script all see exit code 2 and a one-line message.
    """

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        lang = _lang_option(args)  # before click parses (and consumes) the arguments
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except click.UsageError as exc:  # e.g. a bad --lang or an unknown option of camwatch
            raise worded_usage_error(exc, lang) from exc

    def invoke(self, ctx: click.Context):  # noqa: ANN201 - click's signature
        try:
            return super().invoke(ctx)
        except CamwatchError as exc:  # worded in --lang, whatever context is still open
            lang = _chosen_language(ctx)
            raise InputError(exc.text(lang), lang) from exc
        except click.UsageError as exc:  # click's own (no such command, missing option...)
            raise worded_usage_error(exc, _chosen_language(ctx)) from exc

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(plugins(COMMANDS_GROUP)))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        own = super().get_command(ctx, cmd_name)
        if own is not None or cmd_name not in plugins(COMMANDS_GROUP):
            return own  # the core's own commands win over an entry point of the same name
        try:
            command = load_plugin(COMMANDS_GROUP, cmd_name)
        except CamwatchError as exc:
            return _unavailable(cmd_name, exc.words)
        if not isinstance(command, click.Command):
            return _unavailable(
                cmd_name, msg("entry point %(name)s is not a click command", name=repr(cmd_name))
            )
        return command


def _chosen_language(ctx: click.Context) -> str:
    """The language of this run: ``--lang`` as the group stored it, as given, else the locale's."""
    return ctx.meta.get(LANG_KEY) or ctx.params.get("lang") or locale_language()


def _unavailable(name: str, message: Message | str) -> click.Command:
    """A stand-in for a command group that cannot be loaded.

    ``camwatch --help`` still lists every other command; running this one
    prints ``message`` (worded in ``--lang``) and exits with code 2.
    """

    def fail() -> None:
        raise UsageError(message)

    return click.Command(
        name,
        callback=fail,
        help=f"(not available: {message})",
        context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
    )


LANG_KEY = "camwatch.lang"  # ctx.meta key of the chosen language


def _lang_option(args: list[str]) -> str:
    """The language ``camwatch --lang X ...`` asks for, read before click parses ``args``
    (the locale's when there is none, or when it names no known language)."""
    given: str | None = None
    i = 0
    while i < len(args) and args[i].startswith("-") and args[i] != "--":
        if args[i] == "--lang" and i + 1 < len(args):
            given, i = args[i + 1], i + 1  # the last --lang wins, as click reads it
        elif args[i].startswith("--lang="):
            given = args[i].partition("=")[2]
        i += 1
    return normalize(given) or locale_language()


def locale_language(environ: Mapping[str, str] | None = None) -> str:
    """The language the locale asks for: the first of LC_ALL, LC_MESSAGES, LANG that is set
    (as POSIX reads them), ``zh``/``en`` if it names one, else English.

    >>> locale_language({"LANG": "zh_CN.UTF-8"}), locale_language({"LC_ALL": "C", "LANG": "zh_CN"})
    ('zh', 'en')
    """
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if env.get(name):
            return normalize(env[name]) or "en"
    return "en"


@click.group(cls=LazyGroup)
@click.version_option(package_name="camwatch")
@click.option(
    "--lang",
    type=click.Choice(LANGS),
    default=None,
    help="Language of messages and text output (default: from the locale, else en).",
)
@click.pass_context
def cli(ctx: click.Context, lang: str | None) -> None:
    """camwatch: coverage planner and device ledger for safe compounds."""
    chosen = lang or locale_language()
    ctx.meta[LANG_KEY] = chosen
    ctx.with_resource(use_language(chosen))


def _load(path: str):
    from camwatch.sitefile import load_site

    return load_site(path)


def _print_summary(analysis) -> None:
    """A readable summary of an analysis (rich tables), in the language of messages."""
    from rich.console import Console
    from rich.table import Table

    def word(value: str) -> str:  # an enumerated value (level, zone type) as the plan says it
        return term_msg("plan", value.replace("_", " ")).render() if _translated() else value

    console = Console()
    console.print(
        f"[bold]{analysis.site_id}[/bold]  "
        + msg(
            "monitored area %(area)s m²", area=format(analysis.monitored_area_m2, ",.1f")
        ).render()
        + "  "
        + (
            "[green]" + msg("compliant").render() + "[/green]"
            if analysis.compliant
            else "[red]" + msg("not compliant").render() + "[/red]"
        )
    )
    chosen = ladder(analysis.ladder)
    levels = Table(title=str(msg("Coverage by %(ladder)s level", ladder=chosen.label)))
    levels.add_column(str(msg("level")))
    dense = chosen.key != DEFAULT_LADDER  # px/m shown for ladders other than DORI
    if dense:
        levels.add_column("px/m", justify="right")
    levels.add_column(str(msg("covered m²")), justify="right")
    levels.add_column(str(msg("ratio")), justify="right")
    for level, cov in analysis.levels.items():
        density = [f"{chosen.level(level).px_per_m:g}"] if dense else []
        levels.add_row(word(level), *density, f"{cov.covered_m2:,.1f}", f"{cov.ratio:.1%}")
    console.print(levels)
    if analysis.zones:
        zones = Table(title=str(msg("Zones")))
        columns = (
            (msg("zone"), "left"),
            (msg("type"), "left"),
            (msg("required"), "left"),
            (msg("area m²"), "right"),
            (msg("ratio"), "right"),
            (msg("pass"), "left"),
        )
        for col, justify in columns:
            zones.add_column(str(col), justify=justify)  # type: ignore[arg-type]
        for z in analysis.zones:
            zones.add_row(
                z.name,
                word(z.zone_type),
                word(z.required_level),
                f"{z.area_m2:,.1f}",
                f"{z.ratio:.1%}",
                "[green]" + msg("pass").render() + "[/green]"
                if z.passed
                else "[red]" + msg("FAIL").render() + "[/red]",
            )
        console.print(zones)
    if analysis.blind_spots:
        spots = Table(title=str(msg("Blind spots (%(n)s)", n=len(analysis.blind_spots))))
        for col in (msg("id"), msg("area m²"), msg("centroid"), msg("zones")):
            spots.add_column(str(col))
        for b in analysis.blind_spots:
            spots.add_row(
                b.id,
                f"{b.area_m2:,.1f}",
                f"({b.centroid[0]:.1f}, {b.centroid[1]:.1f})",
                ", ".join(b.zones),
            )
        console.print(spots)
    idle = [c for c in analysis.cameras if not c.counted]
    line = msg(
        "cameras: %(listed)s listed, %(counted)s counted",
        listed=len(analysis.cameras),
        counted=len(analysis.cameras) - len(idle),
    ).render()
    if idle:
        names = ", ".join(f"{c.id} ({word(c.status)})" for c in idle)
        line += msg("; not counted: %(names)s", names=names).render()
    console.print(line)


def _translated() -> bool:
    """Whether messages are worded in a language other than English just now."""
    return current_language() != "en"


@cli.command()
@click.argument("site_file", type=click.Path(dir_okay=False))
@click.option("--include-planned", is_flag=True, help="Count planned cameras too.")
@click.option(
    "--json", "as_json", is_flag=True, help="Print the docs/site-format.md §3 JSON object."
)
@click.option(
    "--coverage-model",
    type=click.Choice(["ground", "standing"]),
    help="Override the site's coverage model (default: the file's, else standing; docs/site-format.md §4).",
)
def analyze(
    site_file: str, include_planned: bool, as_json: bool, coverage_model: str | None
) -> None:
    """Coverage per level (DORI, or the site's ladder), blind spots and zone compliance of
    SITE_FILE."""
    from camwatch.geometry.coverage import analyze as run

    site = _load(site_file)
    result = run(site, include_planned=include_planned, coverage_model=coverage_model)
    if as_json:
        echo_json(result.to_dict())
    else:
        _print_summary(result)


@cli.command()
@click.argument("site_file", type=click.Path(dir_okay=False))
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False), help="PNG to write."
)
@click.option(
    "--level",
    type=click.Choice(tuple(ALL_LEVELS)),
    help="Show only this level (of the site's ladder: DORI unless site.levels says otherwise).",
)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.option("--include-planned", is_flag=True, help="Count planned cameras too.")
@click.option("--dpi", type=click.IntRange(50, 600), default=150, show_default=True)
@click.option("--suggest", "with_suggest", is_flag=True, help="Draw device suggestions (planners).")
@click.option("--routes", "with_routes", is_flag=True, help="Draw the worst intruder routes.")
@click.option("--patrol", "with_patrol", is_flag=True, help="Draw the patrol route.")
@click.option(
    "--coverage-model",
    type=click.Choice(["ground", "standing"]),
    help="Override the site's coverage model (docs/site-format.md §4).",
)
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
    coverage_model: str | None,
) -> None:
    """Draw SITE_FILE to scale with footprints, blind spots, scale bar and legend.

    Ghost cameras of a placement plan are drawn by ``camwatch plan --picture``.
    """
    from camwatch.geometry.coverage import analyze as run
    from camwatch.render import render_plan
    from camwatch.render.overlays import combine

    if not Path(output).parent.exists():
        raise UsageError(
            msg("output folder does not exist: %(folder)s", folder=str(Path(output).parent))
        )
    wanted = [n for n, on in (("suggest", with_suggest), ("routes", with_routes)) if on]
    wanted += ["patrol"] if with_patrol else []
    layers = _layers(wanted)  # before any work: a missing layer is a usage error
    site = _load(site_file)
    if level is not None and level not in site.info.ladder.names:
        why = not_in_ladder(level, site.info.ladder)
        raise UsageError(msg("%(who)s: %(detail)s", who="--level", detail=why))
    result = run(site, include_planned=include_planned, coverage_model=coverage_model)
    overlays = combine(*(layer(site, result) for layer in layers)) if layers else None
    path = render_plan(site, result, output, level=level, lang=lang, dpi=dpi, overlays=overlays)
    click.echo(msg("wrote %(path)s", path=str(path)).render(), err=True)


def _layers(names: list[str]) -> list[Callable[[Any, Any], Overlays]]:
    """The ``camwatch.overlays`` layers ``names``: f(site, analysis) -> Overlays each."""
    missing = [n for n in names if n not in plugins(OVERLAYS_GROUP)]
    if missing:
        flags = ", ".join(f"--{n}" for n in missing)
        raise UsageError(
            msg(
                "%(flags)s: no such layer is installed (entry points %(group)s)",
                flags=flags,
                group=OVERLAYS_GROUP,
            )
        )
    return [load_plugin(OVERLAYS_GROUP, n) for n in names]


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point (exit 0 success, 2 invalid input or usage, 1 unexpected)."""
    cli.main(args=argv, prog_name="camwatch")
