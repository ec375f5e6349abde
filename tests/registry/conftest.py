"""Fixtures for the registry tests: a fresh ledger database per test.

``engine`` is parametrised over SQLite (a copy of a migrated template file in
the test's tmp folder) and, when ``CAMWATCH_TEST_POSTGRES_URL`` names a
PostgreSQL server (see ``.ci/postgres.sh``), PostgreSQL: one throw-away
database per test session, migrated once, emptied before each test, dropped
at the end.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from camwatch.registry.db import make_engine, make_session_factory, upgrade_db
from camwatch.registry.models import Base

PG_ENV = "CAMWATCH_TEST_POSTGRES_URL"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "real_argon2: hash passwords with the production costs")


@pytest.fixture(autouse=True)
def cheap_password_hashing(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2 with tiny costs (same algorithm and code path) unless a test asks for the real one."""
    if request.node.get_closest_marker("real_argon2"):
        return
    from argon2 import PasswordHasher

    import camwatch.registry.users as users

    monkeypatch.setattr(
        users, "_hasher", PasswordHasher(time_cost=1, memory_cost=256, parallelism=1)
    )


@contextmanager
def fresh_pg_database(server_url: str) -> Iterator[str]:
    """Create an empty database on the server of ``server_url``; yield its URL; drop it."""
    server = make_url(server_url)
    name = f"camwatch_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite ledger migrated to head once; tests get copies."""
    path = tmp_path_factory.mktemp("template") / "ledger.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade_db(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """URL of a migrated throw-away PostgreSQL database (skips without a server)."""
    server = os.environ.get(PG_ENV)
    if not server:
        pytest.skip(f"set {PG_ENV} (e.g. from .ci/postgres.sh start) to run on PostgreSQL")
    with fresh_pg_database(server) as url:
        engine = make_engine(url)
        upgrade_db(engine)
        engine.dispose()
        yield url


def _empty_pg(engine: Engine) -> None:
    """Delete every row and restart the id sequences (faster than TRUNCATE on tiny tables)."""
    with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())
        for table in Base.metadata.sorted_tables:
            if "id" in table.c and table.c.id.primary_key:
                conn.execute(
                    text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), 1, false)")
                )


@pytest.fixture(scope="session")
def pg_cleaner(pg_url: str) -> Iterator[Engine]:
    engine = make_engine(pg_url)
    yield engine
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """URL of an empty, migrated ledger database for this test."""
    if request.param == "sqlite":
        path = tmp_path / "ledger.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("pg_url")
    _empty_pg(request.getfixturevalue("pg_cleaner"))
    return url


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = make_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def session_factory(engine: Engine):
    return make_session_factory(engine)
