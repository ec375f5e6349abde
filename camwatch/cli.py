"""The ``camwatch`` command line.

The core commands (``analyze``, ``render``) live here; the registry and planner
command groups are loaded lazily from their own modules (see ``LAZY_COMMANDS``)
so that ``camwatch analyze`` does not import SQLAlchemy or HiGHS, and so that
the core never imports the layers above it at import time.

Every :class:`~camwatch.errors.CamwatchError` is caught once, in :func:`main`:
its one-line message goes to stderr and the exit code is 2.
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

import click

from camwatch.errors import CamwatchError, UsageError
from camwatch.model import LEVELS

# command name -> "module:attribute" of a click command, imported on first use
LAZY_COMMANDS: dict[str, str] = {}


class LazyGroup(click.Group):
    """A click group whose listed sub-commands are imported only when used."""

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


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: run the CLI, turning CamwatchError into exit 2."""
    try:
        cli.main(args=argv, prog_name="camwatch", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2 if exc.exit_code in (1, 2) else exc.exit_code)
    except CamwatchError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
