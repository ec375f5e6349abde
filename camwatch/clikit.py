"""Command-line helpers every command module may import (core, registry commands, planners).

It sits just above :mod:`camwatch.errors` and imports nothing else of the
project, so the ledger's commands and the planners' commands share JSON output
and error handling without importing :mod:`camwatch.cli` (which finds them
through entry points, never by name).
"""

from __future__ import annotations

import json

import click


class InputError(click.ClickException):
    """A CamwatchError on its way out of the CLI: one line on stderr, exit code 2."""

    exit_code = 2

    def show(self, file=None) -> None:  # noqa: ANN001 - click's signature
        click.echo(f"error: {self.format_message()}", err=True)


def echo_json(obj: object) -> None:
    """Print one JSON object on stdout (UTF-8, Chinese kept readable)."""
    click.echo(json.dumps(obj, ensure_ascii=False, indent=2))
