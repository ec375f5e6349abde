"""The parent side of the ``kill -9`` tests: run a command, read the ledger as data, check it.

Reading is plain SQL (no registry code), so the checks share nothing with
what they check.  :func:`run_camwatch` runs ``camwatch`` through
:mod:`tests.registry.crash_driver` and kills it where the test says.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, inspect, text

from camwatch.registry.models import Base

from .conftest import PG_ENV, fresh_pg_database

REPO = Path(__file__).resolve().parents[2]
PAUSE_S = 30.0  # a stopped command sleeps this long; the test kills it long before
VOLATILE = {"id", "compound_id", "created_at", "updated_at", "status_changed_at", "imported_at"}


# -- the ledger as data ----------------------------------------------------------------


def _json(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in "{[":
        return json.loads(value)
    return value


def _strip(value: Any) -> Any:
    value = _json(value)
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if k not in VOLATILE}
    return value


def snapshot(url: str) -> dict[str, Any]:
    """Compounds, devices and audit rows without ids and times (comparable across runs)."""
    engine = create_engine(url)
    try:
        with engine.connect() as c:
            codes = dict(c.execute(text("SELECT id, code FROM compounds")).all())
            compounds = sorted(
                (r.code, r.name, r.district, r.address, _json(r.plan_json), r.version)
                for r in c.execute(text("SELECT * FROM compounds"))
            )
            devices = sorted(
                (codes[r.compound_id], r.code, r.kind, r.name, r.status, _json(r.geometry))
                + (_json(r.properties), r.serial, r.notes, r.version)
                for r in c.execute(text("SELECT * FROM devices"))
            )
            # one flush writes its audit rows in the session's (unordered) order: a multiset
            audit = sorted(
                json.dumps([r.entity, r.action, r.actor, _strip(r.before), _strip(r.after)])
                for r in c.execute(text("SELECT * FROM audit_log"))
            )
    finally:
        engine.dispose()
    return {"compounds": compounds, "devices": devices, "audit": audit}


def exact_rows(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every ledger table, every column (for "the rerun changed nothing")."""
    engine = create_engine(url)
    try:
        with engine.connect() as c:
            return {
                t.name: [tuple(map(str, r)) for r in c.execute(text(f"SELECT * FROM {t.name}"))]
                for t in Base.metadata.sorted_tables
            }
    finally:
        engine.dispose()


def check_consistent(url: str) -> None:
    """Audit rows match the rows they describe; SQLite's own integrity check passes."""
    engine = create_engine(url)
    try:
        with engine.connect() as c:
            if engine.dialect.name == "sqlite":
                assert c.execute(text("PRAGMA integrity_check")).scalar() == "ok"
                assert c.execute(text("PRAGMA foreign_key_check")).all() == []
            for table in ("compounds", "devices"):
                versions = {
                    str(i): v for i, v in c.execute(text(f"SELECT id, version FROM {table}"))
                }
                audit = c.execute(
                    text("SELECT entity_id, action FROM audit_log WHERE entity = :t"), {"t": table}
                ).all()
                inserts = sorted(e for e, a in audit if a == "insert")
                assert inserts == sorted(versions), f"{table}: insert audit rows vs rows"
                for ident, version in versions.items():
                    updates = sum(1 for e, a in audit if e == ident and a == "update")
                    assert updates == version - 1, (
                        f"{table} #{ident}: v{version}, {updates} updates"
                    )
    finally:
        engine.dispose()


# -- running the command -----------------------------------------------------------------


@dataclass
class Run:
    code: int | None  # None: killed
    out: str
    stage_reached: bool
    seconds_after_start: float


def run_camwatch(
    args: list[str], marker: Path, *, stage: str = "start", kill_after: float | None = None
) -> Run:
    """Run ``camwatch ARGS``; with ``kill_after`` SIGKILL it that long after it reaches STAGE."""
    marker.unlink(missing_ok=True)
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    pause = str(PAUSE_S) if stage != "start" else "0"
    argv = [sys.executable, "-m", "tests.registry.crash_driver", str(marker), stage, pause, *args]
    proc = subprocess.Popen(
        argv,
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group, so an orphaned pg_dump is found later
    )
    try:
        deadline = time.monotonic() + 60
        while not marker.exists() and proc.poll() is None:
            assert time.monotonic() < deadline, f"{argv} never reached {stage}"
            time.sleep(0.01)
        reached = marker.exists()
        started = time.monotonic()
        if kill_after is not None and reached:
            while proc.poll() is None and time.monotonic() - started < kill_after:
                time.sleep(0.002)
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate(timeout=120)
        elapsed = time.monotonic() - started
    finally:
        with suppress(ProcessLookupError):  # whatever the command left running (pg_dump)
            os.killpg(proc.pid, signal.SIGKILL)
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    code = None if proc.returncode == -signal.SIGKILL else proc.returncode
    return Run(code, out, reached, elapsed)


def check_backup(target: Path, url: str) -> None:
    """``target`` is a complete copy of the ledger at ``url``."""
    if url.startswith("sqlite"):
        with closing(sqlite3.connect(f"file:{target}?mode=ro", uri=True)) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert snapshot(f"sqlite:///{target}") == snapshot(url)
        return
    pg_restore = shutil.which("pg_restore")
    if pg_restore is None:
        pytest.skip("pg_restore not installed")
    with fresh_pg_database(os.environ[PG_ENV]) as restored:
        libpq = restored.replace("postgresql+psycopg://", "postgresql://")
        subprocess.run(
            [pg_restore, "--exit-on-error", "--no-owner", f"--dbname={libpq}", str(target)],
            check=True,
            capture_output=True,
        )
        assert snapshot(restored) == snapshot(url)


def digest(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def schema(url: str) -> tuple[list[str], list[str]]:
    """(table names, Alembic revisions) of a database."""
    engine = create_engine(url)
    try:
        with engine.connect() as c:
            tables = sorted(inspect(c).get_table_names())
            revisions = (
                [r for (r,) in c.execute(text("SELECT version_num FROM alembic_version"))]
                if "alembic_version" in tables
                else []
            )
    finally:
        engine.dispose()
    return tables, revisions
