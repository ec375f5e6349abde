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
import json
import os
import random
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from camwatch.registry.db import head_revision, make_engine
from camwatch.registry.models import Base

from .conftest import PG_ENV, _empty_pg, fresh_pg_database
from .crash_checks import (
    REPO,
    check_backup,
    check_consistent,
    digest,
    exact_rows,
    run_camwatch,
    schema,
    snapshot,
)
from .helpers import load_tiny
from .sites import feature, point, tiny_site

pytestmark = pytest.mark.slow

RANDOM_KILLS = 3
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
            check_backup(target, url)
        leftovers = set(tmp_path.glob("*.partial"))  # a killed backup's own file, if any
        outcomes.append((stage, round(delay, 3), "done" if done else "nothing"))

        rerun = run_camwatch(args, marker)
        assert rerun.code == (case.rerun_code_when_done if done else 0), rerun.out
        assert snapshot(url) == after
        check_consistent(url)
        if case.name == "backup":
            check_backup(target, url)
        assert set(tmp_path.glob("*.partial")) == leftovers  # the rerun left none of its own
        rows, file_digest = exact_rows(url), digest(target)
        again = run_camwatch(args, marker)
        assert again.code == case.rerun_code_when_done, again.out
        assert exact_rows(url) == rows and digest(target) == file_digest
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
    check_backup(target, url)
    assert not list(tmp_path.glob("*.partial"))


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
            tables, revisions = schema(url)
            assert (tables, revisions) in (([], []), (full, [head])), "half-made schema"
            assert stage != "ddl" or tables == [], tables
            for _ in range(2):  # the rerun makes the ledger; the next one changes nothing
                rerun = run_camwatch(args, marker)
                assert rerun.code == 0, rerun.out
                assert schema(url) == (full, [head])
