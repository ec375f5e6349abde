"""Fixtures for district batches: one in-process Dask cluster per module, a seeded ledger."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from camwatch.registry.db import make_engine, session_scope, upgrade_db
from camwatch.registry.demo import seed_demo

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_sites"


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """The address of a threads-only LocalCluster (cheap; the process cluster has its own test)."""
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=False,
        dashboard_address=":0",  # its HTTP server on a free port, not a fixed one
        silence_logs=logging.ERROR,
    ) as cluster:
        yield cluster.scheduler_address


@pytest.fixture
def ledger_url(tmp_path: Path) -> str:
    """A SQLite ledger with the three sample compounds (the demo seed)."""
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    engine = make_engine(url)
    upgrade_db(engine)
    with session_scope(engine, actor="tests") as session:
        seed_demo(session, sites_dir=SAMPLES, actor="tests")
    engine.dispose()
    return url
