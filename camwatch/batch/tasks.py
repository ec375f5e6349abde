"""What a worker runs for one compound: a task turns a site into a JSON-able result.

Tasks are plugins (entry points ``camwatch.batch_tasks``): ``analyze`` and
``check`` live here, ``plan`` comes from the planners. A task is a plain
module-level function, so Dask ships it to workers by reference: every worker
machine needs camwatch installed (docs/district.md).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from camwatch.errors import CamwatchError
from camwatch.i18n import Message
from camwatch.model import Site
from camwatch.standards.context import DeviceHealth

TASK_GROUP = "camwatch.batch_tasks"

Task = Callable[[Site, Sequence[DeviceHealth], Mapping[str, Any]], dict[str, Any]]


def analyze_task(
    site: Site, devices: Sequence[DeviceHealth], options: Mapping[str, Any]
) -> dict[str, Any]:
    """The ``camwatch analyze --json`` object of the site."""
    from camwatch.geometry.coverage import analyze

    result = analyze(
        site,
        include_planned=bool(options.get("include_planned", False)),
        coverage_model=options.get("coverage_model"),
    )
    return result.to_dict()


def check_task(
    site: Site, devices: Sequence[DeviceHealth], options: Mapping[str, Any]
) -> dict[str, Any]:
    """The ``camwatch check --json`` object (DEVICE-HEALTH runs when ledger facts are given)."""
    from camwatch.standards import check

    today = options.get("today")
    return check(
        site,
        options.get("profile"),
        include_planned=bool(options.get("include_planned", False)),
        devices=list(devices) if devices else None,
        today=date.fromisoformat(today) if today else None,
    ).to_dict()


def run_task(
    task: Task, source: Any, devices: Sequence[DeviceHealth], options: Mapping[str, Any]
) -> tuple[dict[str, Any] | None, dict[str, Any] | str | None, float]:
    """Run ``task`` on a worker: ``(result, None, seconds)`` or ``(None, error, seconds)``.

    ``source`` is the job's site input (see :func:`camwatch.batch.jobs.build_site`).
    A camwatch error (bad site, refused value) is the compound's answer and is
    returned, not raised — retrying cannot change it; anything else raises, so
    Dask retries the task (a lost worker, a crash).

    The error is not worded on the worker, which does not know the reader's
    language: it is the catalogue message's stored form (``{"key", "params"}``,
    plain data that crosses to the client) or, for an error that is plain text,
    that text (docs/web.md, "Languages").
    """
    from camwatch.batch.jobs import build_site

    start = time.perf_counter()
    try:
        site = build_site(source)
        result = task(site, devices, options)
    except CamwatchError as exc:
        words = exc.words
        error = words.to_json() if isinstance(words, Message) else words
        return None, error, time.perf_counter() - start
    return result, None, time.perf_counter() - start
