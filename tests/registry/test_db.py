"""Engines, migrations, optimistic locking, audit rows and backups."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from contextlib import contextmanager

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, select, text

from camwatch.errors import StaleEditError, UsageError
from camwatch.registry.db import (
    backup_db,
    current_revision,
    database_url,
    downgrade_db,
    head_revision,
    init_db,
    make_engine,
    require_current,
    session_scope,
    upgrade_db,
)
from camwatch.registry.models import AuditLog, Base, Compound, Device

from .conftest import PG_ENV, fresh_pg_database


@contextmanager
def empty_database(kind: str, tmp_path):
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
    else:
        server = os.environ.get(PG_ENV)
        if not server:
            pytest.skip(f"set {PG_ENV} to run on PostgreSQL")
        with fresh_pg_database(server) as url:
            yield url


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_migrations_upgrade_from_empty_match_models_and_downgrade(kind, tmp_path):
    with empty_database(kind, tmp_path) as url:
        engine = make_engine(url)
        try:
            assert current_revision(engine) is None
            with pytest.raises(UsageError, match="camwatch db init"):
                require_current(engine)
            assert upgrade_db(engine) == head_revision()
            require_current(engine)
            with engine.connect() as conn:
                ctx = MigrationContext.configure(conn, opts={"compare_type": True})
                assert compare_metadata(ctx, Base.metadata) == []
            tables = set(inspect(engine).get_table_names())
            assert set(Base.metadata.tables) <= tables
            assert downgrade_db(engine, "base") is None
            assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
            assert init_db(engine) == head_revision()  # and back up again
        finally:
            engine.dispose()


def test_init_refuses_foreign_database(tmp_path):
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE stuff (x)")
    conn.close()
    engine = make_engine(f"sqlite:///{path}")
    with pytest.raises(UsageError, match="not a camwatch ledger"):
        init_db(engine)
    engine.dispose()


def test_database_url_rule(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert database_url() == "sqlite:///instance/camwatch.db"
    monkeypatch.setenv("DATABASE_URL", "sqlite:////tmp/x.db")
    assert database_url() == "sqlite:////tmp/x.db"
    assert database_url("postgresql+psycopg://h/db") == "postgresql+psycopg://h/db"


def test_sqlite_pragmas(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'sub' / 'p.db'}")  # folder is created
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    engine.dispose()


def _compound(session, code="c1"):
    compound = Compound(code=code, name=code, plan_json={"type": "FeatureCollection"})
    session.add(compound)
    session.flush()
    return compound


def _camera(compound, code="C1"):
    return Device(
        compound=compound,
        kind="camera",
        code=code,
        geometry={"type": "Point", "coordinates": [1.0, 2.0]},
        properties={"heading_deg": 0},
    )


def test_stale_update_from_second_session_is_refused(engine, session_factory):
    with session_scope(engine, actor="setup") as s:
        compound = _compound(s)
        s.add(_camera(compound))
    first, second = session_factory(), session_factory()
    try:
        d1 = first.scalar(select(Device))
        d2 = second.scalar(select(Device))
        assert d1.version == d2.version == 1
        d1.name = "from first"
        first.commit()
        d2.name = "from second"
        with pytest.raises(StaleEditError, match="camera 'C1'.*changed by someone else"):
            second.commit()
        second.rollback()
    finally:
        first.close()
        second.close()
    with session_scope(engine) as s:
        device = s.scalar(select(Device))
        assert device.name == "from first"
        assert device.version == 2


def test_foreign_keys_enforced(engine):
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError), session_scope(engine) as s:
        s.add(
            Device(
                compound_id=999,
                kind="camera",
                code="X",
                geometry={"type": "Point", "coordinates": [0, 0]},
                properties={},
            )
        )


def test_check_constraints_enforced(engine):
    from sqlalchemy.exc import IntegrityError

    with session_scope(engine) as s:
        _compound(s)
    with pytest.raises(IntegrityError), session_scope(engine) as s:
        compound = s.scalar(select(Compound))
        device = _camera(compound)
        device.status = "broken"
        s.add(device)


def test_every_change_is_audited_in_the_same_transaction(engine):
    with session_scope(engine, actor="ann") as s:
        compound = _compound(s)
        s.add(_camera(compound))
    with session_scope(engine, actor="bob") as s:
        s.scalar(select(Device)).status = "faulty"
    # a rolled-back change leaves no audit row
    with pytest.raises(RuntimeError), session_scope(engine, actor="eve") as s:
        s.scalar(select(Device)).status = "offline"
        s.flush()
        raise RuntimeError("abort")
    with session_scope(engine) as s:
        rows = s.scalars(select(AuditLog).order_by(AuditLog.id)).all()
    assert [(r.actor, r.entity, r.action) for r in rows] == [
        ("ann", "compounds", "insert"),
        ("ann", "devices", "insert"),
        ("bob", "devices", "update"),
    ]
    assert rows[1].entity_id == "1" and rows[1].after["code"] == "C1"
    assert rows[2].before == {"status": "active", "version": 1}
    assert rows[2].after == {"status": "faulty", "version": 2}


def test_backup(engine, tmp_path):
    with session_scope(engine, actor="ann") as s:
        _compound(s, "kept")
    target = backup_db(engine, tmp_path / "backup.db")
    if engine.dialect.name == "sqlite":
        with sqlite3.connect(target) as conn:
            assert conn.execute("SELECT code FROM compounds").fetchall() == [("kept",)]
        conn.close()
    else:
        pg_restore = shutil.which("pg_restore")
        if pg_restore is None:
            pytest.skip("pg_restore not installed")
        listing = subprocess.run(
            [pg_restore, "--list", str(target)], capture_output=True, text=True, check=True
        ).stdout
        assert "TABLE DATA public compounds" in listing
    with pytest.raises(UsageError, match="already exists"):
        backup_db(engine, target)
    assert not list(tmp_path.glob("*.partial"))
