"""The ledger database as the web app sees it: one engine per app, one session per request.

Views call :func:`db_session` to get the request's session; its actor (for the
audit trail) is the signed-in user. Views that change data call
``session.commit()`` themselves, once, when everything succeeded; whatever is
left uncommitted at the end of the request is rolled back, so an error half
way through a view writes nothing.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, g
from sqlalchemy import Engine, event

from camwatch.registry.db import RegistrySession, make_engine, make_session_factory
from camwatch.registry.models import Compound

_EXT = "camwatch_db"


def init_app(app: Flask) -> None:
    """Create the app's engine (lazily connected) and the per-request teardown."""
    engine = make_engine(app.config["DATABASE_URL"], **app.config.get("ENGINE_OPTIONS", {}))
    app.extensions[_EXT] = {"engine": engine, "factory": make_session_factory(engine)}
    app.teardown_appcontext(_close_session)


def engine(app: Flask | None = None) -> Engine:
    """The app's engine."""
    return (app or current_app).extensions[_EXT]["engine"]


def new_session(app: Flask | None = None, *, actor: str | None = None) -> RegistrySession:
    """A fresh session outside any request (caller closes it)."""
    session = (app or current_app).extensions[_EXT]["factory"]()
    if actor:
        session.info["actor"] = actor
    return session


def db_session() -> RegistrySession:
    """The current request's session (created on first use)."""
    session = g.get("_db_session")
    if session is None:
        user = g.get("user")
        session = new_session(actor=user.username if user is not None else None)
        # per-request memos of row versions (web.ledger.device_rows) end with any write
        event.listen(session, "after_flush", _forget_versions)
        event.listen(session, "after_rollback", _forget_versions)
        event.listen(session, "after_commit", _expire_after_commit)
        # which compounds a committed write touched (web.warm warms their list rows)
        event.listen(session, "after_flush", _note_compounds)
        event.listen(session, "after_commit", _committed_compounds)
        event.listen(session, "after_rollback", _rolled_back_compounds)
        g._db_session = session
    return session


def _note_compounds(session: Any, _context: Any) -> None:
    """Remember the compounds of the rows this flush writes (until commit or rollback)."""
    found = session.info.setdefault("changed_compounds", set())
    for obj in (*session.new, *session.dirty, *session.deleted):
        cid = obj.id if isinstance(obj, Compound) else getattr(obj, "compound_id", None)
        if isinstance(cid, int):
            found.add(cid)


def _committed_compounds(session: Any) -> None:
    g.setdefault("written_compounds", set()).update(session.info.pop("changed_compounds", ()))


def _rolled_back_compounds(session: Any) -> None:
    session.info.pop("changed_compounds", None)


def _forget_versions(*_args: Any) -> None:
    g.pop("_device_rows", None)


def _expire_after_commit(session: Any) -> None:
    """After a write, objects read before it are reloaded on next use (docs/web.md,
    "Caching"): another request may have committed in between, and this request's
    state digest and site must describe the rows as they are now, not as first read."""
    session.expire_all()


def _close_session(_exc: Any = None) -> None:
    session = g.pop("_db_session", None)
    if session is not None:
        try:
            session.rollback()
        finally:
            session.close()
