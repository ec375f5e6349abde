"""Analysis snapshots: batch results kept per compound state (docs/district.md).

A snapshot is found by its *fingerprint*, a digest of everything its result
was computed from — the site as exported (plan and live devices), the task and
its options, camwatch's version and, for standards checks, the day and the
devices' health facts. A changed compound has a new fingerprint, so an old
snapshot is never served for it; re-running a batch skips compounds whose
current fingerprint already has a snapshot (resuming an interrupted run).
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Mapping
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from camwatch.registry.models import AnalysisSnapshot

TASKS = ("analyze", "check", "plan")
KEPT_PER_TASK = 3  # older snapshots of a compound and task are deleted when a new one is stored


@functools.cache  # the installed metadata, read once: a process runs the code it started with
def _camwatch_version() -> str:
    try:
        return version("camwatch")
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "unknown"


def fingerprint(task: str, site: Mapping[str, Any], options: Mapping[str, Any]) -> str:
    """The sha256 hex digest of a task's inputs (``site`` is the site GeoJSON dict).

    Canonical JSON (sorted keys, no spaces), so equal inputs give equal digests
    on any machine; ``options`` holds everything else the result depends on.
    """
    payload = [1, _camwatch_version(), task, dict(options), dict(site)]
    text = json.dumps(
        payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    )
    return hashlib.sha256(text.encode()).hexdigest()


def find_snapshot(
    session: Session, compound_id: int, task: str, digest: str
) -> AnalysisSnapshot | None:
    """The snapshot of this compound, task and fingerprint, if one was stored."""
    return session.scalars(
        select(AnalysisSnapshot).where(
            AnalysisSnapshot.compound_id == compound_id,
            AnalysisSnapshot.task == task,
            AnalysisSnapshot.fingerprint == digest,
        )
    ).first()


def save_snapshot(
    session: Session,
    compound_id: int,
    task: str,
    digest: str,
    *,
    result: dict[str, Any] | None,
    error: str | None = None,
    seconds: float = 0.0,
    replace: bool = False,
) -> bool:
    """Store a result (or the error that replaced it) and commit; False if one was there.

    Commits the session (a batch keeps every finished compound even if it is
    interrupted right after). Two writers storing the same snapshot at once is
    harmless: the unique key keeps one, and the loser's transaction is rolled
    back, not raised. Only the newest ``KEPT_PER_TASK`` snapshots of a compound
    and task are kept. ``replace`` drops a stored snapshot of the same
    fingerprint first (a forced recomputation).
    """
    if task not in TASKS:
        raise ValueError(f"unknown task {task!r}")
    existing = find_snapshot(session, compound_id, task, digest)
    if existing is not None:
        if not replace:
            return False
        session.delete(existing)
        session.flush()
    # ids only: loading the stale rows would parse their results (a check report is large)
    # only to delete them; one DELETE by id also leaves a row another writer pruned first alone
    stale = session.scalars(
        select(AnalysisSnapshot.id)
        .where(AnalysisSnapshot.compound_id == compound_id, AnalysisSnapshot.task == task)
        .order_by(AnalysisSnapshot.created_at.desc(), AnalysisSnapshot.id.desc())
        .offset(KEPT_PER_TASK - 1)
    ).all()
    if stale:
        session.execute(
            delete(AnalysisSnapshot)
            .where(AnalysisSnapshot.id.in_(stale))
            .execution_options(synchronize_session="fetch")
        )
    session.add(
        AnalysisSnapshot(
            compound_id=compound_id,
            task=task,
            fingerprint=digest,
            result=result,
            error=error,
            seconds=round(float(seconds), 4),
        )
    )
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        return False
    return True
