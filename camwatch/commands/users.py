"""``camwatch users``: the web view's accounts (roles, managers' compounds, API tokens).

Shared options (``--db``, ``--actor``) are in :mod:`.common`; the accounts
themselves in :mod:`camwatch.registry.users`.
"""

from __future__ import annotations

from typing import Any

import click

from camwatch.clikit import echo_json
from camwatch.commands.common import actor, console, iso, ledger, ledger_options, table
from camwatch.commands.words import value
from camwatch.i18n import msg
from camwatch.model import ROLES


@click.group()
@ledger_options
def users() -> None:
    """Accounts of the web view (roles, managers' compounds, API tokens)."""


@users.command("add")
@click.argument("username")
@click.option(
    "--role",
    required=True,
    type=click.Choice(ROLES),
)
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    help="Password (asked for when not given).",
)
@click.option("--display-name", help="Name shown in the web view.")
@click.option("--language", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.option("--compound", "compounds", multiple=True, help="Compound a manager may see (repeat).")
@ledger_options
def users_add(
    username: str,
    role: str,
    password: str,
    display_name: str | None,
    language: str,
    compounds: tuple[str, ...],
) -> None:
    """Create a user."""
    from camwatch.registry.users import create_user

    with ledger() as session:
        user = create_user(
            session,
            username,
            password,
            role=role,
            display_name=display_name,
            language=language,
            compounds=compounds,
            actor=actor(),
        )
        click.echo(
            msg(
                "created user %(name)s (%(role)s)",
                name=user.username,
                role=value("role", user.role),
            ).render()
        )


@users.command("list")
@click.option("--json", "as_json", is_flag=True)
@ledger_options
def users_list(as_json: bool) -> None:
    """List users with their roles and compounds."""
    from camwatch.registry.users import list_users

    with ledger() as session:
        rows: list[dict[str, Any]] = [
            {
                "username": u.username,
                "role": u.role,
                "display_name": u.display_name,
                "language": u.language,
                "active": u.active,
                "compounds": [c.code for c in u.compounds],
                "has_token": u.api_token_hash is not None,
                "created_at": iso(u.created_at),
            }
            for u in list_users(session)
        ]
    if as_json:
        echo_json(rows)
        return
    console().print(
        table(
            msg("Users"),
            ["username", "role", "name", "lang", "active", "compounds", "token"],
            [
                [
                    r["username"],
                    value("role", r["role"]),
                    r["display_name"],
                    r["language"],
                    value("flag", "yes" if r["active"] else "no"),
                    ", ".join(r["compounds"]),
                    value("flag", "yes") if r["has_token"] else "",
                ]
                for r in rows
            ],
        )
    )


@users.command("passwd")
@click.argument("username")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@ledger_options
def users_passwd(username: str, password: str) -> None:
    """Set a user's password."""
    from camwatch.registry.users import set_password

    with ledger() as session:
        set_password(session, username, password, actor=actor())
    click.echo(msg("password of %(name)s changed", name=username).render())


@users.command("token")
@click.argument("username")
@click.option("--revoke", is_flag=True, help="Remove the user's token instead.")
@ledger_options
def users_token(username: str, revoke: bool) -> None:
    """Issue a new API token for USERNAME (printed once) or revoke it."""
    from camwatch.registry.users import issue_token, revoke_token

    with ledger() as session:
        if revoke:
            revoke_token(session, username, actor=actor())
            click.echo(msg("token of %(name)s revoked", name=username).render())
            return
        token = issue_token(session, username, actor=actor())
    click.echo(token)
