"""Engines, sessions, schema migrations and backups of the ledger database.

Which database: :func:`database_url` — an explicit URL wins, else the
``DATABASE_URL`` environment variable, else the SQLite file
``instance/camwatch.db`` relative to the current directory (its folder is
created on first use).  PostgreSQL works through
``postgresql+psycopg://user:pass@host/db``.

A new SQLite file is created readable by its owner only (mode 0600; backups
too). SQLite connections get ``journal_mode=WAL`` (readers do not block the writer),
``foreign_keys=ON`` and a 5 s busy timeout.  The schema is only ever created
by the Alembic migrations shipped in ``camwatch/registry/migrations`` (one
path for a new and an old database alike); see :func:`upgrade_db`.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from camwatch.errors import StaleEditError, UsageError, kind_word
from camwatch.i18n import Message, msg, term_msg

DEFAULT_SQLITE_PATH = Path("instance") / "camwatch.db"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def database_url(url: str | None = None) -> str:
    """The database URL to use: ``url``, else ``$DATABASE_URL``, else ``instance/camwatch.db``."""
    if url:
        return url
    env = os.environ.get("DATABASE_URL")
    if env:
        return env
    return f"sqlite:///{DEFAULT_SQLITE_PATH}"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA journal_mode=WAL")
    finally:
        cursor.close()


def create_private_file(path: Path) -> None:
    """Create ``path`` (and its folder) readable and writable by its owner only (0600),
    unless it exists. An empty file is an empty SQLite database, and SQLite gives
    its ``-wal`` and ``-shm`` files the database file's mode."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))


def make_engine(url: str | None = None, **kwargs: Any) -> Engine:
    """An engine for ``url`` (see :func:`database_url`), with SQLite pragmas set on connect."""
    resolved = make_url(database_url(url))
    if resolved.get_backend_name() == "sqlite":
        path = resolved.database
        if path and path != ":memory:" and not path.startswith("file:"):
            create_private_file(Path(path))
    elif resolved.get_backend_name() == "postgresql" and resolved.drivername == "postgresql":
        resolved = resolved.set(drivername="postgresql+psycopg")  # psycopg 3, not psycopg2
    engine = create_engine(resolved, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


class RegistrySession(Session):
    """A Session whose flush turns an optimistic-locking miss into :class:`StaleEditError`."""

    def flush(self, objects: Any = None) -> None:
        labels = [_label(obj) for obj in self.dirty if hasattr(obj, "version")]
        try:
            super().flush(objects)
        except StaleDataError as exc:
            what = labels[0] if len(labels) == 1 else msg("a record")
            raise StaleEditError(
                msg(
                    "conflict: %(what)s was changed by someone else since it was read; "
                    "nothing was saved — reload and try again",
                    what=what,
                )
            ) from exc


# what a conflicting record is, in the reader's language (devices by their kind)
_KIND_WORDS: dict[str, Message] = {
    "compound": term_msg("record", "compound"),
    "user": term_msg("record", "user"),
    "problem": term_msg("record", "problem"),
    "inspection": term_msg("record", "inspection"),
}


def _label(obj: Any) -> Message | str:
    kind = getattr(obj, "kind", None) or type(obj).__name__.lower()
    ident = getattr(obj, "code", None) or getattr(obj, "username", None) or getattr(obj, "id", "?")
    return msg("%(kind)s '%(ident)s'", kind=_KIND_WORDS.get(kind, kind_word(kind)), ident=ident)


def make_session_factory(engine: Engine) -> sessionmaker[RegistrySession]:
    """A session factory bound to ``engine`` producing :class:`RegistrySession` objects."""
    return sessionmaker(bind=engine, class_=RegistrySession, expire_on_commit=False)


@contextmanager
def session_scope(engine: Engine, *, actor: str | None = None) -> Iterator[RegistrySession]:
    """A session in one transaction: committed on success, rolled back on any error.

    ``actor`` is recorded as the author of every change (see :mod:`.audit`).
    """
    session = make_session_factory(engine)()
    if actor:
        session.info["actor"] = actor
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def alembic_config(engine: Engine | None = None) -> Any:
    """An Alembic ``Config`` for the packaged migrations (no ``alembic.ini`` needed)."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if engine is not None:
        cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return cfg


@contextmanager
def _schema_transaction(engine: Engine) -> Iterator[Connection]:
    """A connection whose migration is one transaction, DDL included (all of it or nothing).

    Python's sqlite3 driver opens a transaction only before INSERT, UPDATE or
    DELETE, so each ``CREATE TABLE`` of a migration would be committed on its
    own and a migration killed midway would leave a half-made schema (which
    :func:`init_db` then refuses as "not a camwatch ledger").  SQLite's DDL is
    transactional: an explicit ``BEGIN IMMEDIATE`` (which also waits for, then
    excludes, other writers) makes the whole migration one transaction.
    PostgreSQL's DDL is transactional already.
    """
    with engine.begin() as connection:
        if engine.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        yield connection


def upgrade_db(engine: Engine, revision: str = "head") -> str | None:
    """Migrate the database to ``revision`` (default the newest); return the revision reached."""
    from alembic import command

    cfg = alembic_config(engine)
    with _schema_transaction(engine) as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)
    return current_revision(engine)


def downgrade_db(engine: Engine, revision: str = "base") -> str | None:
    """Migrate the database down to ``revision`` (``base`` drops every table)."""
    from alembic import command

    cfg = alembic_config(engine)
    with _schema_transaction(engine) as connection:
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, revision)
    return current_revision(engine)


def current_revision(engine: Engine) -> str | None:
    """The Alembic revision the database is at (None for an empty database)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    """The newest revision shipped with this version of camwatch."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def init_db(engine: Engine) -> str | None:
    """Create the schema of a new database (or bring an existing one up to date).

    Refuses a database that has tables but no Alembic revision: that is not a
    camwatch ledger, and adding tables to it would mix two schemas.
    """
    tables = set(inspect(engine).get_table_names()) - {"alembic_version"}
    if tables and current_revision(engine) is None:
        raise UsageError(
            msg(
                "database %(url)s already has tables (%(tables)s) "
                "but is not a camwatch ledger; refusing to init",
                url=engine.url.render_as_string(),
                tables=sorted(tables)[:5],
            )
        )
    return upgrade_db(engine)


def require_current(engine: Engine) -> None:
    """Raise UsageError unless the database is at the newest migration."""
    here, head = current_revision(engine), head_revision()
    if here != head:
        hint = "camwatch db init" if here is None else "camwatch db upgrade"
        raise UsageError(
            msg(
                "database %(url)s is at revision %(here)s, camwatch needs %(head)s; run `%(hint)s`",
                url=engine.url.render_as_string(),
                here=here or "none",
                head=head,
                hint=hint,
            )
        )


def backup_db(engine: Engine, path: str | os.PathLike[str]) -> Path:
    """Write a consistent copy of the database to ``path`` and return it.

    SQLite: the online backup API (safe while others write; WAL included).
    PostgreSQL: ``pg_dump --format=custom`` (restore with ``pg_restore``); a
    clear error if ``pg_dump`` is not installed.

    The copy is written to a temporary file of its own next to ``path``
    (``<name>.<random>.partial``), flushed to disk, then hard-linked to
    ``path``, which fails if ``path`` exists.  So ``path`` is either absent
    or a complete copy, even when the process is killed (``kill -9``) at any
    moment; two backups started together to one name give one copy and one
    "already exists" error; and a ``pg_dump`` orphaned by a killed backup
    writes only into its own ``.partial`` file.  A killed backup may leave
    that ``.partial`` file behind (never the final name); delete it.
    """
    target = Path(path)
    if target.exists():
        raise UsageError(
            msg(
                "backup target %(target)s already exists; choose a new file name",
                target=str(target),
            )
        )
    if not target.parent.is_dir():
        raise UsageError(msg("backup folder %(folder)s does not exist", folder=str(target.parent)))
    url = engine.url
    source_path = url.database or ""
    if engine.dialect.name == "sqlite":
        if not source_path or source_path == ":memory:":
            raise UsageError(msg("cannot back up an in-memory SQLite database"))
    elif engine.dialect.name != "postgresql":
        raise UsageError(
            msg("backup is not supported for %(dialect)s databases", dialect=engine.dialect.name)
        )
    # mkstemp creates the file readable by its owner only (0600); pg_dump and SQLite keep that
    fd, tmp_name = tempfile.mkstemp(prefix=f"{target.name}.", suffix=".partial", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        if engine.dialect.name == "sqlite":
            with closing(sqlite3.connect(source_path)) as src, closing(sqlite3.connect(tmp)) as dst:
                src.backup(dst)
        else:
            pg_dump = shutil.which("pg_dump")
            if pg_dump is None:
                raise UsageError(
                    msg("backing up PostgreSQL needs pg_dump on PATH (postgresql-client)")
                )
            libpq_url = url.set(drivername="postgresql").render_as_string(hide_password=False)
            done = subprocess.run(
                [pg_dump, "--format=custom", f"--file={tmp}", f"--dbname={libpq_url}"],
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode != 0:
                raise UsageError(
                    msg(
                        "pg_dump failed: %(detail)s",
                        detail=str(done.stderr.strip().splitlines()[-1:]),
                    )
                )
        _fsync(tmp)
        _publish(tmp, target)
        _fsync(target.parent)
    finally:
        tmp.unlink(missing_ok=True)
    return target


def _fsync(path: Path) -> None:
    """Flush a file's (or a folder's) data to disk, so a rename survives a power cut."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError:  # some file systems cannot fsync a folder; the copy is still complete
        if not path.is_dir():
            raise
    finally:
        os.close(fd)


def _publish(tmp: Path, target: Path) -> None:
    """Give the complete ``tmp`` the name ``target``, never replacing an existing file."""
    try:
        os.link(tmp, target)
    except FileExistsError:
        raise UsageError(
            msg(
                "backup target %(target)s already exists; choose a new file name",
                target=str(target),
            )
        ) from None
    except OSError:  # no hard links on this file system: check, then rename
        if target.exists():
            raise UsageError(
                msg(
                    "backup target %(target)s already exists; choose a new file name",
                    target=str(target),
                )
            ) from None
        tmp.replace(target)
