"""Shared pieces of the registry's commands: options, database access, output.

Every registry command (and its group) takes ``--db URL`` (default
``$DATABASE_URL``, else ``sqlite:///instance/camwatch.db``) and ``--actor
NAME`` (default ``$CAMWATCH_USER``, else the OS user name), recorded in the
audit log as the author of every change.  Both may be given on the group or
on the command: ``camwatch devices --db URL list X`` = ``camwatch devices list X --db URL``.
"""

from __future__ import annotations

import getpass
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from camwatch.clikit import BadValue
from camwatch.errors import UsageError
from camwatch.i18n import Message, msg, text_of
from camwatch.registry.db import (
    RegistrySession,
    database_url,
    make_engine,
    require_current,
    session_scope,
)

DB_KEY = "camwatch.registry.db"
ACTOR_KEY = "camwatch.registry.actor"
F = TypeVar("F", bound=Callable[..., Any])


def _store(key: str) -> Callable[[click.Context, click.Parameter, Any], Any]:
    def callback(ctx: click.Context, _param: click.Parameter, value: Any) -> Any:
        if value is not None:
            ctx.meta[key] = value
        return value

    return callback


def ledger_options(f: F) -> F:
    """Add ``--db`` and ``--actor`` (stored in the click context, not passed as arguments)."""
    f = click.option(
        "--actor",
        metavar="NAME",
        expose_value=False,
        callback=_store(ACTOR_KEY),
        help="Who makes the change, for the audit log [default: $CAMWATCH_USER or OS user].",
    )(f)
    f = click.option(
        "--db",
        metavar="URL",
        expose_value=False,
        callback=_store(DB_KEY),
        help="Database URL [default: $DATABASE_URL, else sqlite:///instance/camwatch.db].",
    )(f)
    return f


#: The audit actor when neither ``--actor`` nor ``$CAMWATCH_USER`` names a person and the
#: OS user is a shared account (docs/registry.md "CLI summary").
CLI_ACTOR = "cli"
#: OS accounts that name no person: recording them would look like a person did it.
SHARED_OS_USERS = frozenset({"root", "nobody", "unknown", "admin", "administrator", "system"})


def actor() -> str:
    """The audit actor: ``--actor``, else ``$CAMWATCH_USER``, else a personal OS user, else 'cli'.

    A shared or unknown OS account (root, nobody, ...) is never recorded as if it were a
    person; the change is then recorded as made by ``cli``.
    """
    ctx = click.get_current_context()
    name = ctx.meta.get(ACTOR_KEY) or os.environ.get("CAMWATCH_USER", "").strip()
    if name:
        return str(name)
    try:
        os_user = getpass.getuser().strip()
    except (OSError, KeyError):
        os_user = ""
    if not os_user or os_user.lower() in SHARED_OS_USERS:
        return CLI_ACTOR
    return os_user


def open_engine(*, for_init: bool = False) -> Engine:
    """The engine for ``--db``; unless ``for_init``, the database must exist and be current."""
    ctx = click.get_current_context()
    url = database_url(ctx.meta.get(DB_KEY))
    try:
        parsed = make_url(url)
    except Exception as exc:  # noqa: BLE001 - sqlalchemy raises ArgumentError or ValueError
        raise UsageError(
            msg("bad database URL %(url)s: %(detail)s", url=repr(url), detail=str(exc))
        ) from None
    if parsed.get_backend_name() == "sqlite" and not for_init:
        path = parsed.database or ""
        if path and path != ":memory:" and not Path(path).exists():
            raise UsageError(
                msg("no ledger database at %(path)s; run `camwatch db init` first", path=path)
            )
    engine = make_engine(url)
    ctx.call_on_close(engine.dispose)
    if not for_init:
        require_current(engine)
    return engine


@contextmanager
def ledger() -> Iterator[RegistrySession]:
    """A session in one transaction on the command's database, with the actor set."""
    engine = open_engine()
    with session_scope(engine, actor=actor()) as session:
        yield session


class DateType(click.ParamType):
    """``YYYY-MM-DD`` or ``today``."""

    name = "DATE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        if str(value).strip().lower() == "today":
            return date.today()
        try:
            return date.fromisoformat(str(value).strip())
        except ValueError:
            raise BadValue(
                msg("%(value)s is not a date YYYY-MM-DD", value=repr(value)), ctx, param
            ) from None


DATE = DateType()


def parse_point(text: str) -> dict[str, Any]:
    """``"x,y"`` → a GeoJSON Point."""
    parts = text.replace(" ", "").split(",")
    try:
        if len(parts) != 2:
            raise ValueError
        return {"type": "Point", "coordinates": [float(parts[0]), float(parts[1])]}
    except ValueError:
        raise UsageError(
            msg("--at must be X,Y in metres, got %(value)s", value=repr(text))
        ) from None


def parse_line(text: str) -> dict[str, Any]:
    """``"x1,y1 x2,y2 ..."`` → a GeoJSON LineString."""
    coords = []
    for pair in text.replace(";", " ").split():
        parts = pair.split(",")
        try:
            if len(parts) != 2:
                raise ValueError
            coords.append([float(parts[0]), float(parts[1])])
        except ValueError:
            raise UsageError(
                msg("--line must be 'x1,y1 x2,y2 ...', got %(value)s", value=repr(text))
            ) from None
    return {"type": "LineString", "coordinates": coords}


def parse_assignments(items: Sequence[str]) -> dict[str, Any]:
    """``key=value`` pairs; values are JSON when they parse as JSON, else text."""
    out: dict[str, Any] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(msg("--set expects key=value, got %(value)s", value=repr(item)))
        try:
            value = json.loads(raw)
        except json.JSONDecodeError:
            value = raw
        out[key.strip()] = value
    return out


def console() -> Any:
    """A rich console on stdout (wide when not a terminal, so tables do not wrap in logs)."""
    from rich.console import Console

    return Console() if sys.stdout.isatty() else Console(width=140)


def table(
    title: Message | str | None, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> Any:
    """A rich table with these columns and rows (None shown as an empty cell); the title and
    the headings are worded in ``--lang``."""
    from rich.table import Table

    from camwatch.commands.words import heading

    t = Table(title=None if title is None else text_of(title))
    for col in columns:
        t.add_column(text_of(heading(col)))  # worded in --lang (English: as given)
    for row in rows:
        t.add_row(*("" if v is None else str(v) for v in row))
    return t


def field_lines(data: dict[str, Any], keys: Sequence[str], width: int) -> list[str]:
    """``key: value`` lines of a record's fields (None left out), each key worded in
    ``--lang`` (English: as it is) and right-aligned to ``width`` terminal cells."""
    from rich.cells import cell_len

    from camwatch.commands.words import heading

    lines = []
    for key in keys:
        if data[key] is not None:
            label = text_of(heading(key))
            lines.append(" " * max(0, width - cell_len(label)) + f"{label}: {data[key]}")
    return lines


def iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None
