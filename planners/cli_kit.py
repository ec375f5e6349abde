"""What the planners' click commands share: reading the site, its analysis, the picture.

``--picture`` and ``--write`` name a file whose folder must exist: that is checked
before anything is computed (exit 2), so a long plan never ends in a failed write.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from camwatch.errors import UsageError
from camwatch.i18n import msg


def load(path: str) -> Any:
    """The site in SITE_FILE (a site-file error exits 2 through the CLI's handler)."""
    from camwatch.sitefile import load_site

    return load_site(path)


def analysis_of(site: Any, include_planned: bool) -> Any:
    """The exact coverage analysis the command works from."""
    from camwatch.geometry.coverage import analyze

    return analyze(site, include_planned=include_planned)


def check_folder(option: str, path: str | None) -> None:
    """Refuse ``option``'s file when its folder does not exist (before any work)."""
    if path is not None and not Path(path).resolve().parent.is_dir():
        raise UsageError(
            msg(
                "%(option)s: folder does not exist: %(folder)s",
                option=option,
                folder=str(Path(path).parent),
            )
        )


def check_cell(cell_m: float | None) -> None:
    """``--cell``, the walking grid's step of ``routes`` and ``patrol``: 0.1 to 50 m."""
    if cell_m is not None and not (0.1 <= cell_m <= 50):
        raise UsageError(
            msg("--cell must be in [0.1, 50] m, got %(value)s", value=format(cell_m, "g"))
        )


def draw(site: Any, analysis: Any, picture: str | None, overlays: Any) -> None:
    """Draw the plan with the command's overlays to ``--picture``, if one was asked for."""
    if picture is None:
        return
    from camwatch.render import render_plan

    path = render_plan(site, analysis, picture, overlays=overlays)
    click.echo(msg("wrote %(path)s", path=str(path)).render(), err=True)


picture_option = click.option(
    "--picture", type=click.Path(dir_okay=False), help="Also draw the result to this PNG/SVG/PDF."
)
planned_option = click.option("--include-planned", is_flag=True, help="Count planned cameras too.")
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON.")
