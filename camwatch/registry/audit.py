"""The audit trail: one ``audit_log`` row for every inserted, updated or deleted row.

A session event writes the rows in the same transaction as the change, so a
change and its audit entry are committed or rolled back together; nothing can
change the ledger through the ORM without leaving a trace.

Who: ``session.info["actor"]`` (service functions set it from their ``actor``
argument through :func:`set_actor`; the CLI from ``--actor``/``$CAMWATCH_USER``;
the web from the signed-in user).  If no one set it the entry says ``"system"``.

The event runs *after* the flush (``after_flush``), not before it: new rows
only have their primary key then, while the session still shows the
pre-flush state (``new``/``dirty``/``deleted`` and attribute history), so the
before and after values are both at hand.  The rows are inserted with a Core
statement on the session's connection, which is allowed inside a flush.

Updates record only the columns that changed (plus ``version``); password and
token hashes are written as ``"***"``.  Membership of a manager in a
compound (the ``user_compounds`` association) is recorded on the user as a
change of its ``compounds`` list of codes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session, UOWTransaction

from camwatch.registry.models import AnalysisSnapshot, AuditLog, Base, utcnow

REDACTED_COLUMNS = frozenset({"password_hash", "api_token_hash"})
SKIPPED_COLUMNS = frozenset({"updated_at"})  # bookkeeping, changes on every update


def _audited(obj: object) -> bool:
    """Every ledger row except the log itself and derived analysis snapshots."""
    return isinstance(obj, Base) and not isinstance(obj, AuditLog | AnalysisSnapshot)


def set_actor(session: Session, actor: str | None) -> None:
    """Record ``actor`` as the author of this session's following changes."""
    if actor:
        session.info["actor"] = actor


def _plain(value: Any) -> Any:
    """A JSON-safe copy of a column value."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _shown(key: str, value: Any) -> Any:
    if key in REDACTED_COLUMNS and value is not None:
        return "***"
    return _plain(value)


def _entity_id(obj: Any) -> str:
    state = inspect(obj)
    keys = [
        state.dict.get(state.mapper.get_property_by_column(col).key)
        for col in state.mapper.primary_key
    ]
    return "/".join(str(part) for part in keys)


def _related_labels(objs: Iterable[Any]) -> list[str]:
    return sorted(str(getattr(o, "code", None) or _entity_id(o)) for o in objs)


def _full_row(obj: Any) -> dict[str, Any]:
    state = inspect(obj)
    row: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        row[attr.key] = _shown(attr.key, state.dict.get(attr.key))
    for rel in state.mapper.relationships:
        if rel.secondary is not None and rel.key in state.dict:
            row[rel.key] = _related_labels(state.dict[rel.key])
    return row


def _changes(obj: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """(before, after) of the changed columns of a dirty object; empty when nothing changed."""
    state = inspect(obj)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        if attr.key in SKIPPED_COLUMNS:
            continue
        hist = state.attrs[attr.key].history
        if not hist.has_changes():
            continue
        old = hist.deleted[0] if hist.deleted else None
        new = hist.added[0] if hist.added else None
        if old == new:
            continue
        before[attr.key] = _shown(attr.key, old)
        after[attr.key] = _shown(attr.key, new)
    for rel in state.mapper.relationships:
        if rel.secondary is None:
            continue
        hist = state.attrs[rel.key].history
        if not (hist.added or hist.deleted):
            continue
        unchanged = list(hist.unchanged or ())
        before[rel.key] = _related_labels(unchanged + list(hist.deleted or ()))
        after[rel.key] = _related_labels(unchanged + list(hist.added or ()))
    version = state.dict.get("version")
    if before and "version" not in before and isinstance(version, int):
        # the row's UPDATE bumped the counter (version_id_col); show old → new
        rel_keys = {rel.key for rel in state.mapper.relationships}
        column_changed = any(k not in rel_keys for k in before)
        before["version"] = version - 1 if column_changed else version
        after["version"] = version
    return before, after


def _entries(session: Session) -> list[dict[str, Any]]:
    actor = str(session.info.get("actor") or "system")
    at = utcnow()
    rows: list[dict[str, Any]] = []

    def add(obj: Any, action: str, before: Any, after: Any) -> None:
        rows.append(
            {
                "at": at,
                "actor": actor,
                "entity": type(obj).__tablename__,
                "entity_id": _entity_id(obj),
                "action": action,
                "before": before,
                "after": after,
            }
        )

    for obj in session.new:
        if _audited(obj):
            add(obj, "insert", None, _full_row(obj))
    for obj in session.dirty:
        if _audited(obj):
            before, after = _changes(obj)
            if before or after:
                add(obj, "update", before, after)
    for obj in session.deleted:
        if _audited(obj):
            add(obj, "delete", _full_row(obj), None)
    return rows


@event.listens_for(Session, "after_flush")
def _write_audit(session: Session, _flush_context: UOWTransaction) -> None:
    rows = _entries(session)
    if rows:
        table = AuditLog.__table__
        session.connection().execute(table.insert(), rows)  # type: ignore[attr-defined]


def history(
    session: Session, entity: str, entity_id: int | str, *, limit: int | None = None
) -> Sequence[AuditLog]:
    """The audit rows of one record, oldest first."""
    stmt = (
        select(AuditLog)
        .where(AuditLog.entity == entity, AuditLog.entity_id == str(entity_id))
        .order_by(AuditLog.id)
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    return session.scalars(stmt).all()


def recent(
    session: Session, *, limit: int = 50, actor: str | None = None, entity: str | None = None
) -> Sequence[AuditLog]:
    """The newest audit rows, newest first, optionally for one actor or table."""
    stmt = select(AuditLog).order_by(AuditLog.id.desc()).limit(limit)
    if actor:
        stmt = stmt.where(AuditLog.actor == actor)
    if entity:
        stmt = stmt.where(AuditLog.entity == entity)
    return session.scalars(stmt).all()
