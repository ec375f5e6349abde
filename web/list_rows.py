"""The compound list's rows, read with a few queries for all compounds at once.

``compound_status`` gathers everything about one compound (the overview page:
checklist, latest inspection, problems), with several queries each; the list
(``/compounds/``) shows only a part of it and, with dozens of compounds, spent
~200 ms of CPU per request on those queries (docs/web.md, "Performance"). Here
the list's rows read the devices' versions and every compound's problems in one
query each for all compounds; the coverage summary and the standards check come
from the same per-state caches (and stored snapshots) as ``compound_status``,
so the numbers are the same — ``tests/web/test_list_rows.py`` compares them.

With ``defer`` (the list page), a compound whose row is being computed on the
cache's worker after a write (:mod:`web.warm`) is waited for at most
``LIST_WAIT_S`` (for all such rows of the request together) and otherwise listed as **pending** (``pending`` True, its
coverage and standard unknown): the page says so and its script fetches it
again, as the analysis page does for its routes (docs/web.md, "Performance").
Decision: the list never shows an older state's numbers; it says they are
coming, and does not compute in the request what the worker is computing.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from flask import current_app, g
from sqlalchemy import select

from camwatch.registry.models import Compound, Device, Problem
from camwatch.registry.problems import UNRESOLVED_PROBLEM_STATUSES
from camwatch.standards import meets_standard
from web.cache import wait_left
from web.db import db_session
from web.messages import analysis_failed
from web.summary import camera_figures, findings_outcome, summary_figures, summary_outcome
from web.warm import warming


def list_rows(
    compounds: Sequence[Compound], today: date | None = None, *, defer: bool = False
) -> list[dict[str, Any]]:
    """One row per compound with what the compound list shows (keys as
    :func:`web.summary.compound_status` names them, without checklist and inspection;
    ``pending`` when ``defer`` left the row to the worker computing it)."""
    day = today or date.today()
    ids = [c.id for c in compounds]
    if not ids:
        return []
    session = db_session()
    devices: dict[int, list[tuple[int, int, str, str]]] = defaultdict(list)
    for cid, did, version, kind, status in session.execute(
        select(Device.compound_id, Device.id, Device.version, Device.kind, Device.status)
        .where(Device.compound_id.in_(ids))
        .order_by(Device.id)
    ):
        devices[cid].append((did, version, kind, status))
    problems: dict[int, list[tuple[int, str, date, int | None]]] = defaultdict(list)
    for cid, pid, status, deadline, device_id in session.execute(
        select(Problem.compound_id, Problem.id, Problem.status, Problem.deadline, Problem.device_id)
        .where(Problem.compound_id.in_(ids))
        .order_by(Problem.deadline, Problem.id)
    ):
        problems[cid].append((pid, status, deadline, device_id))
    # the state digests read these rows (web.ledger.device_rows): one query served them all
    memo = g.setdefault("_device_rows", {})
    for c in compounds:
        memo.setdefault((c.id, c.version), tuple(devices[c.id]))
    return [_row(c, devices[c.id], problems[c.id], day, defer) for c in compounds]


def _row(
    compound: Compound,
    devices: list[tuple[int, int, str, str]],
    problems: list[tuple[int, str, date, int | None]],
    today: date,
    defer: bool,
) -> dict[str, Any]:
    unresolved = [p for p in problems if p[1] in UNRESOLVED_PROBLEM_STATUSES]
    cams: Counter[str] = Counter(status for _id, _v, kind, status in devices if kind == "camera")
    row: dict[str, Any] = {
        "compound": compound,
        "error": None,
        "pending": False,
        **camera_figures(cams),
        "open_problems": len(unresolved),
        "overdue_problems": sum(1 for p in unresolved if p[2] < today),
    }
    if defer:
        computing = warming(compound.id)
        wait_s = float(current_app.config["LIST_WAIT_S"])
        if computing is not None and not computing.wait(wait_left("list", wait_s)):
            row["pending"] = True
            return _unknown(row)
    summary, failure = summary_outcome(compound)
    if failure is not None:
        row["error"] = analysis_failed(failure)
    if summary is None:
        return _unknown(row)
    row.update(summary_figures(summary))
    pkey = tuple(
        (pid, status, deadline.isoformat(), dev) for pid, status, deadline, dev in problems
    )
    report, failed = findings_outcome(compound, today, problems_key=pkey)
    row["findings"] = report
    row["meets_standard"] = report is not None and meets_standard(report)
    if failed is not None:
        row["error"] = analysis_failed(failed)
    return row


def _unknown(row: dict[str, Any]) -> dict[str, Any]:
    """The row without coverage and standard (failed, or still being computed)."""
    unknown = ("summary", "detection", "blind_spots", "blind_area", "key_uncovered")
    row.update(dict.fromkeys(unknown + ("zones_pass", "zones", "findings")))
    row.update(compliant=False, meets_standard=False)
    return row
