"""Alembic environment for the camwatch ledger.

Run programmatically through :func:`camwatch.registry.db.upgrade_db` (which
passes an open connection in ``config.attributes["connection"]``); a URL in the
``sqlalchemy.url`` option works too.  ``render_as_batch`` lets ALTERs run on
SQLite by copying the table.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from camwatch.registry.db import make_engine
from camwatch.registry.models import Base

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_offline() -> None:
    """Emit SQL to stdout instead of running it (``alembic upgrade --sql``)."""
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        render_as_batch=True,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url"))
    try:
        with engine.begin() as conn:
            _run(conn)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
