"""Results of a ledger compound: a current snapshot when there is one, else computed and kept.

The one place that decides whether a stored result may stand for a compound
as it is now (its fingerprint; docs/district.md). The district report and the
web view's lists read through it; a stored error is never served (the
caller computes again and words the error for its reader).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from camwatch.batch.jobs import ANALYZE_DEFAULTS, CHECK_DEFAULTS, ledger_source, task_digest
from camwatch.registry.snapshots import find_snapshot


def current_result(
    session: Any,
    compound: Any,
    task: str,
    options: Mapping[str, Any],
    devices: Sequence[Any] = (),
) -> tuple[str, dict[str, Any] | None]:
    """The fingerprint of ``task`` on the compound as it is, and its stored result if current."""
    digest = task_digest(task, ledger_source(compound), options, devices)
    snap = find_snapshot(session, compound.id, task, digest)
    return digest, (snap.result if snap is not None and snap.error is None else None)


Keep = Callable[[str, str, dict[str, Any], float], None]  # task, digest, result, seconds


def _stored_or(
    session: Any,
    compound: Any,
    task: str,
    options: Mapping[str, Any],
    devices: Sequence[Any],
    compute: Callable[[], dict[str, Any]],
    keep: Keep,
) -> dict[str, Any]:
    digest, stored = current_result(session, compound, task, options, devices)
    if stored is not None:
        return stored
    start = time.perf_counter()
    result = compute()
    keep(task, digest, result, time.perf_counter() - start)
    return result


def analysis_summary(
    session: Any, compound: Any, keep: Keep, compute: Callable[[], dict[str, Any]] | None = None
) -> dict[str, Any]:
    """The ``camwatch analyze --json`` object of a ledger compound (stored or computed)."""

    def plain() -> dict[str, Any]:
        from camwatch.geometry.coverage import analyze
        from camwatch.registry.compounds import export_site

        return analyze(export_site(session, compound.code)).to_dict()

    return _stored_or(session, compound, "analyze", ANALYZE_DEFAULTS, (), compute or plain, keep)


def check_report(
    session: Any,
    compound: Any,
    today: date,
    keep: Keep,
    compute: Callable[[], dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The ``camwatch check --json`` object of a ledger compound on ``today`` (stored or computed)."""
    from camwatch.compliance import compound_check, device_health

    options = {**CHECK_DEFAULTS, "today": today.isoformat()}
    devices = device_health(session, compound)

    def plain() -> dict[str, Any]:
        return compound_check(session, compound.code, today=today, devices=devices).to_dict()

    return _stored_or(session, compound, "check", options, devices, compute or plain, keep)


def keeper(session: Any, compound: Any) -> Keep:
    """A ``keep`` that stores results as snapshots in ``session`` (which it commits)."""
    from camwatch.registry.snapshots import save_snapshot

    def keep(task: str, digest: str, result: dict[str, Any], seconds: float) -> None:
        save_snapshot(session, compound.id, task, digest, result=result, seconds=seconds)

    return keep
