"""``kill -9`` during an import, a batch edit and a backup: nothing half-written, reruns converge.

Each case runs a ``camwatch`` command in a subprocess (through
:mod:`tests.registry.crash_driver`) against a ledger — a SQLite file in the
test's folder, or PostgreSQL when ``CAMWATCH_TEST_POSTGRES_URL`` is set — and
SIGKILLs it at a named moment (rows flushed but not committed, ``COMMIT``
about to be sent, committed, a backup about to get its name) and after seeded
random delays.  Then:

* the ledger is exactly as before the command or exactly as after an
  uninterrupted run (compounds, devices and audit rows, ids and times aside);
* every compound and device has one ``insert`` audit row, one ``update``
  audit row per version after the first, and no audit row names a row that
  does not exist; SQLite passes ``PRAGMA integrity_check``;
* a backup's final name is absent or a complete database (SQLite: integrity
  check and the ledger's rows; PostgreSQL: the archive restores into an
  empty database with the ledger's rows);
* rerunning the command ends in the uninterrupted state, and another rerun
  changes nothing (byte for byte).  ``import-site`` is an upsert, so its
  rerun exits 0; ``devices import-csv`` and ``db backup`` only add, so once
  the killed run had committed, their rerun refuses with exit 2
  ("already has a device", "already exists") and writes nothing.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import ExitStack, closing, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, inspect, text

from camwatch.registry.db import head_revision, make_engine
from camwatch.registry.models import Base

from .conftest import PG_ENV, _empty_pg, fresh_pg_database
from .helpers import load_tiny
from .sites import feature, point, tiny_site

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
PAUSE_S = 30.0  # a stopped command sleeps this long; the test kills it long before
RANDOM_KILLS = 3
VOLATILE = {"id", "compound_id", "created_at", "updated_at", "status_changed_at"}
TINY_CODES = {"C1", "C2", "C3", "C4", "G1", "gate-2", "A1", "I1"}  # from sites.tiny_site

CSV_ROWS = """kind,code,name,x,y,line,heading_deg,access_control,building
camera,C10,yard,10,5,,90,,
gate,G3,side,,,"0,10 0,14",,card,
intercom,I7,,25,15,,,,Block A
"""


def updated_site() -> dict[str, Any]:
    """The tiny site with two cameras turned, C4 gone (retired), C5 new, Block A taller."""
    site = copy.deepcopy(tiny_site())
    feats = site["features"]
    feats[:] = [f for f in feats if f["properties"].get("id") != "C4"]
    for f in feats:
        props = f["properties"]
        if props.get("id") == "C1":
            props["heading_deg"] = 60
        if props.get("id") == "C2":
            props["heading_deg"] = 200
        if props.get("name") == "Block A":
            props["height_m"] = 24
    feats.append(feature("camera", point(35, 25), id="C5", heading_deg=180))
    return site


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


# -- the cases ---------------------------------------------------------------------------


@dataclass
class Case:
    name: str
    setup: Callable[[str], None]  # brings an empty ledger to the state before the command
    args: Callable[[Path, str], list[str]]  # (tmp folder, url) -> command arguments
    stages: tuple[str, ...]
    rerun_code_when_done: int  # exit code of a rerun after the command had committed


def _with_tiny(url: str) -> None:
    engine = make_engine(url)
    try:
        load_tiny(engine)
    finally:
        engine.dispose()


def _with_tiny_updated(url: str) -> None:
    engine = make_engine(url)
    try:
        load_tiny(engine)
        load_tiny(engine, updated_site(), actor="editor")
    finally:
        engine.dispose()


def _write(path: Path, content: str) -> str:
    path.write_text(content, encoding="utf-8")
    return str(path)


CASES = [
    Case(
        "import-new",
        lambda url: None,
        lambda tmp, url: ["import-site", _write(tmp / "s.geojson", json.dumps(tiny_site()))],
        ("flushed", "commit", "committed"),
        0,
    ),
    Case(
        "import-update",
        _with_tiny,
        lambda tmp, url: ["import-site", _write(tmp / "s.geojson", json.dumps(updated_site()))],
        ("flushed", "commit", "committed"),
        0,
    ),
    Case(
        "import-csv",
        _with_tiny,
        lambda tmp, url: [
            "devices",
            "import-csv",
            _write(tmp / "d.csv", CSV_ROWS),
            "--compound",
            "tiny-court",
        ],
        ("flushed", "commit", "committed"),
        2,
    ),
    Case(
        "backup",
        _with_tiny_updated,
        lambda tmp, url: ["db", "backup", str(tmp / "ledger.backup")],
        ("publish",),
        2,
    ),
]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def fresh_ledger(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[], str]:
    """A function that empties this test's ledger (a migrated database) and returns its URL."""
    if request.param == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        path = tmp_path / "ledger.db"

        def reset_sqlite() -> str:
            for extra in ("", "-wal", "-shm", "-journal"):
                Path(f"{path}{extra}").unlink(missing_ok=True)
            shutil.copyfile(template, path)
            return f"sqlite:///{path}"

        return reset_sqlite
    url = request.getfixturevalue("pg_url")
    cleaner = request.getfixturevalue("pg_cleaner")

    def reset_pg() -> str:
        _empty_pg(cleaner)
        return url

    return reset_pg


def check_backup(target: Path, url: str, tmp_path: Path) -> None:
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


def _digest(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_kill_9_leaves_the_ledger_consistent_and_a_rerun_converges(
    case: Case, fresh_ledger: Callable[[], str], tmp_path: Path
) -> None:
    marker = tmp_path / "stage"
    target = tmp_path / "ledger.backup"

    def prepare() -> tuple[str, list[str]]:
        url = fresh_ledger()
        case.setup(url)
        for leftover in [target, *tmp_path.glob("*.partial")]:
            leftover.unlink(missing_ok=True)
        return url, [*case.args(tmp_path, url), "--db", url, "--actor", "crash-test"]

    # the two states a kill may leave: before the command, and after an uninterrupted run
    url, args = prepare()
    before = snapshot(url)
    reference = run_camwatch(args, marker)
    assert reference.code == 0, reference.out
    after = snapshot(url)
    assert after != before or case.name == "backup"
    if case.name == "import-new":  # the whole compound with all its devices (oracle: the file)
        assert {d[1] for d in after["devices"]} == TINY_CODES

    rng = random.Random(f"{case.name}-{url.split(':')[0]}")
    trials = [(stage, 0.0) for stage in case.stages]
    trials += [
        ("start", rng.uniform(0, reference.seconds_after_start)) for _ in range(RANDOM_KILLS)
    ]
    outcomes = []
    for stage, delay in trials:
        url, args = prepare()
        killed = run_camwatch(args, marker, stage=stage, kill_after=delay)
        assert killed.stage_reached, killed.out
        assert killed.code in (None, 0), killed.out  # killed, or done before the random kill
        state = snapshot(url)
        assert state in (before, after), f"{stage}+{delay:.3f}s: half-written ledger"
        check_consistent(url)
        done = state == after if case.name != "backup" else target.exists()
        if target.exists():
            check_backup(target, url, tmp_path)
        assert not any(p.name == target.name for p in tmp_path.glob("*.partial"))
        outcomes.append((stage, round(delay, 3), "done" if done else "nothing"))

        rerun = run_camwatch(args, marker)
        assert rerun.code == (case.rerun_code_when_done if done else 0), rerun.out
        assert snapshot(url) == after
        check_consistent(url)
        if case.name == "backup":
            check_backup(target, url, tmp_path)
        rows, digest = exact_rows(url), _digest(target)
        again = run_camwatch(args, marker)
        assert again.code == case.rerun_code_when_done, again.out
        assert exact_rows(url) == rows and _digest(target) == digest
    # the deterministic stages were hit as designed (the random ones fall where they fall)
    expected = {
        "flushed": "nothing",
        "commit": "nothing",
        "committed": "done",
        "publish": "nothing",
    }
    assert [o[2] for o in outcomes[: len(case.stages)]] == [expected[s] for s in case.stages]
    print(case.name, outcomes)


def test_two_backups_to_one_name_give_one_copy_and_one_clear_refusal(
    fresh_ledger: Callable[[], str], tmp_path: Path
) -> None:
    url = fresh_ledger()
    _with_tiny_updated(url)
    target = tmp_path / "ledger.backup"
    args = ["db", "backup", str(target), "--db", url]
    first = subprocess.Popen(
        [sys.executable, "-m", "tests.registry.crash_driver", str(tmp_path / "m1"), "publish"]
        + ["3", *args],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not (tmp_path / "m1").exists():  # the first copy is complete, not yet named
            assert first.poll() is None and time.monotonic() < deadline, first.communicate()[0]
            time.sleep(0.01)
        second = run_camwatch(args, tmp_path / "m2")
        assert second.code == 0, second.out
        out, _ = first.communicate(timeout=60)
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    assert first.returncode == 2, out
    assert "already exists" in out and "Traceback" not in out
    check_backup(target, url, tmp_path)
    assert not list(tmp_path.glob("*.partial"))


def _schema(url: str) -> tuple[list[str], list[str]]:
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


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_kill_9_during_db_init_leaves_no_half_made_schema(kind: str, tmp_path: Path) -> None:
    """A migration killed midway leaves no table; ``db init`` then makes the whole ledger."""
    marker = tmp_path / "stage"
    full = sorted([*Base.metadata.tables, "alembic_version"])
    head = head_revision()
    rng = random.Random(f"init-{kind}")
    delays = [None, rng.uniform(0, 0.3), rng.uniform(0, 0.3)]  # None: at the third CREATE TABLE
    for n, delay in enumerate(delays):
        with ExitStack() as stack:
            if kind == "sqlite":
                url = f"sqlite:///{tmp_path / f'init{n}.db'}"
            else:
                if not os.environ.get(PG_ENV):
                    pytest.skip(f"set {PG_ENV} to run on PostgreSQL")
                url = stack.enter_context(fresh_pg_database(os.environ[PG_ENV]))
            args = ["db", "init", "--db", url]
            stage = "ddl" if delay is None else "start"
            killed = run_camwatch(args, marker, stage=stage, kill_after=delay or 0.0)
            assert killed.stage_reached, killed.out
            tables, revisions = _schema(url)
            assert (tables, revisions) in (([], []), (full, [head])), "half-made schema"
            assert stage != "ddl" or tables == [], tables
            for _ in range(2):  # the rerun makes the ledger; the next one changes nothing
                rerun = run_camwatch(args, marker)
                assert rerun.code == 0, rerun.out
                assert _schema(url) == (full, [head])
