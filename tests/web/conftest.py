"""Fixtures for the web tests.

* ``template_db`` (session): a ledger migrated and seeded once with the sample
  compounds, the demo users and a few problems (one overdue) — each test gets
  its own copy of the file (``app``), so tests never see each other's writes.
* The analysis cache is shared between the apps of the test session: its keys
  are content digests (see :func:`web.ledger.state_key`), so sharing is safe
  and the sample compounds are analysed once.
* ``login(client, username)`` signs a user in through the session cookie (the
  real login form is tested on its own in ``test_auth.py``).
"""

from __future__ import annotations

import shutil
import threading
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from camwatch.registry.db import init_db, make_engine, session_scope
from camwatch.registry.demo import seed_demo
from camwatch.registry.models import Compound, Device, Inspection, Problem, User
from camwatch.registry.problems import open_problem
from web import create_app
from web.cache import LRUCache

REPO = Path(__file__).resolve().parents[2]
SAMPLE_SITES = REPO / "sample_sites"
ROLES = ("admin", "district", "planner", "technician", "manager")


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A seeded ledger file to copy: sample compounds, demo users, problems."""
    path = tmp_path_factory.mktemp("template") / "camwatch.db"
    engine = make_engine(f"sqlite:///{path}")
    init_db(engine)
    today = date.today()
    with session_scope(engine, actor="tests") as s:
        seed_demo(s, sites_dir=SAMPLE_SITES, actor="tests")
        manager = s.scalar(select(User).where(User.username == "manager"))
        own = manager.compounds[0].code
        other = s.scalar(select(Compound.code).where(Compound.code != own).order_by(Compound.code))
        open_problem(
            s,
            own,
            description="Gate camera faulty",
            deadline=today - timedelta(days=3),
            today=today - timedelta(days=20),
            source="patrol",
            responsible_unit="Property office",
            responsible_person="Wang",
            actor="tests",
        )
        open_problem(
            s,
            own,
            description="Bike shed unlit",
            deadline=today + timedelta(days=10),
            source="resident_report",
            actor="tests",
        )
        open_problem(
            s,
            other,
            description="Perimeter fence broken",
            deadline=today + timedelta(days=5),
            source="inspection",
            actor="tests",
        )
    with session_scope(engine, actor="tests") as s:
        from camwatch.geometry.coverage import analyze
        from camwatch.registry.compounds import export_site
        from camwatch.registry.inspections import run_inspection

        run_inspection(
            s, own, analyze(export_site(s, own)).to_dict(), inspector="Inspector Li", actor="tests"
        )
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def shared_cache() -> LRUCache:
    return LRUCache(1024 * 2**20)


@pytest.fixture
def db_path(template_db: Path, tmp_path: Path) -> Path:
    target = tmp_path / "camwatch.db"
    shutil.copyfile(template_db, target)
    return target


def make_app(db_file: Path, cache: LRUCache, **config):
    """An app on ``db_file`` sharing ``cache``. Warming after writes (web.warm) is off
    unless asked for: its jobs run on the shared cache's worker and could outlive the test
    and the engine it disposes (a PostgreSQL connection then left open)."""
    application = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-of-at-least-32-characters",
            "DATABASE_URL": f"sqlite:///{db_file}",
            "WTF_CSRF_ENABLED": False,
            "WARM_AFTER_WRITE": False,
            **config,
        }
    )
    application.extensions["camwatch_cache"] = cache
    return application


@pytest.fixture
def app(db_path: Path, shared_cache: LRUCache):
    application = make_app(db_path, shared_cache)
    yield application
    from web.db import engine

    engine(application).dispose()


@pytest.fixture(scope="module")
def read_app(template_db: Path, shared_cache: LRUCache, tmp_path_factory: pytest.TempPathFactory):
    """One app per test module for requests that change nothing (GET)."""
    path = tmp_path_factory.mktemp("read") / "camwatch.db"
    shutil.copyfile(template_db, path)
    application = make_app(path, shared_cache)
    yield application
    from web.db import engine

    engine(application).dispose()


@pytest.fixture
def read_client(read_app):
    return read_app.test_client()


@pytest.fixture
def client(app):
    return app.test_client()


def user_id(app, username: str) -> int:
    return _user_row(app, username)[0]


def _user_row(app, username: str) -> tuple[int, int]:
    from web.db import new_session

    with app.app_context():
        session = new_session(app)
        try:
            row = session.execute(
                select(User.id, User.session_version).where(User.username == username)
            ).one_or_none()
            return (row[0], row[1]) if row is not None else (None, None)  # type: ignore[return-value]
        finally:
            session.close()


def login(client, username: str) -> None:
    """Sign ``username`` in by writing the session cookie (fast; no password hashing)."""
    uid, version = _user_row(client.application, username)
    assert uid is not None, username
    with client.session_transaction() as sess:
        sess["uid"] = uid
        sess["username"] = username
        sess["sv"] = version


@pytest.fixture(scope="session")
def ids(template_db: Path) -> dict:
    """Row ids of the template (equal in every copy): compounds, cameras, problems, an inspection."""
    from camwatch.registry.db import make_session_factory

    engine = make_engine(f"sqlite:///{template_db}")
    s = make_session_factory(engine)()
    try:
        out: dict = {c.code: c.id for c in s.scalars(select(Compound))}
        manager = s.scalar(select(User).where(User.username == "manager"))
        own = manager.compounds[0]
        other = s.scalar(select(Compound).where(Compound.id != own.id).order_by(Compound.code))
        out["own"], out["other"] = own.id, other.id
        out["own_code"], out["other_code"] = own.code, other.code
        for key, comp in (("own_cam", own), ("other_cam", other)):
            cam = s.scalar(
                select(Device)
                .where(
                    Device.compound_id == comp.id,
                    Device.kind == "camera",
                    Device.status == "active",
                )
                .order_by(Device.id)
            )
            out[key], out[key + "_code"] = cam.id, cam.code
            out[key + "_xy"] = tuple(cam.geometry["coordinates"])
        problems = {p.description: p for p in s.scalars(select(Problem))}
        out["overdue_problem"] = problems["Gate camera faulty"].id
        out["own_problem"] = problems["Bike shed unlit"].id
        out["other_problem"] = problems["Perimeter fence broken"].id
        out["inspection"] = s.scalar(select(Inspection.id))
        zones = [
            f["properties"]["name"]
            for f in own.plan_json["features"]
            if f["properties"]["kind"] == "zone"
        ]
        out["own_zone"] = zones[0]
        # a point in free space where a new camera may stand and sees only unwatched ground
        # whichever way it looks: the pole of inaccessibility of the largest blind spot
        from shapely.ops import polylabel

        from camwatch.geometry.coverage import analyze
        from camwatch.registry.compounds import export_site

        analysis = analyze(export_site(s, own.code))
        pole = polylabel(analysis.blind_spots[0].geometry, tolerance=0.1)
        out["free_xy"] = (round(pole.x, 3), round(pole.y, 3))
        return out
    finally:
        s.close()
        engine.dispose()


@pytest.fixture
def held_warm_rows(monkeypatch):
    """The rows warmed after a write (web.warm) wait, on the worker, until the returned event
    is set (set at the end of the test at the latest)."""
    import web.warm

    release = threading.Event()
    real = web.warm._compute_row

    def held(cid):
        release.wait(60)
        return real(cid)

    monkeypatch.setattr(web.warm, "_compute_row", held)
    yield release
    release.set()
