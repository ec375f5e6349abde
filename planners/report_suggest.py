"""Camera suggestions for ``camwatch report --suggest K`` (docs/reports.md).

The report lives in the core and never imports the planners; it finds this
function through the ``camwatch.report_suggestions`` entry point and gets back
the plain ``camwatch plan --json`` object (docs/planners.md).
"""

from __future__ import annotations

from typing import Any

from camwatch.model import Site

REPORT_METHOD = "greedy"  # the report's suggestions must come quickly (report target < 10 s)


def report_suggestions(site: Site, add: int) -> dict[str, Any]:
    """``add`` cameras suggested by the greedy planner, as ``camwatch plan --json`` prints them."""
    from planners.plan import plan_cameras

    return plan_cameras(site, add=add, method=REPORT_METHOD).to_dict()
