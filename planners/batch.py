"""The ``plan`` task of ``camwatch district plan`` (entry point ``camwatch.batch_tasks``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from camwatch.model import Site
from camwatch.standards.context import DeviceHealth


def plan_task(
    site: Site, devices: Sequence[DeviceHealth], options: Mapping[str, Any]
) -> dict[str, Any]:
    """The ``camwatch plan --json`` object: ``add`` cameras, or the fewest to reach ``target``."""
    from planners.plan import plan_cameras

    return plan_cameras(
        site,
        add=options.get("add"),
        target=options.get("target"),
        time_limit=float(options.get("time_limit", 20.0)),
    ).to_dict()
