"""The options of ``camwatch plan`` checked before any work (:func:`check_options`).

Every bad value is a UsageError naming the option as the command line spells it
(``--add``, ``--target``, ``--budget``...), the same for :func:`planners.plan.plan_cameras`
called from the command line, the web's plan jobs or a district batch.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence

from camwatch.errors import UsageError
from camwatch.i18n import msg
from camwatch.ladders import ALL_LEVELS
from planners.lenses import Lens
from planners.refine import REFINE_SECONDS

METHODS = ("auto", "greedy", "local", "exact")


def check_options(
    add: int | None,
    target: float | None,
    budget: float | None,
    level: str,
    method: str,
    time_limit: float,
    spacing: float,
    lenses: Sequence[Lens] | None,
    *,
    candidate_limit: int | None = None,
    candidate_seconds: float | None = None,
    refine_seconds: float = REFINE_SECONDS,
) -> None:
    """Refuse bad options of :func:`planners.plan.plan_cameras` with a UsageError naming the
    option, before any work."""
    _one_of("--level", level, ALL_LEVELS)
    _one_of("--method", method, METHODS)
    if add is None and target is None and budget is None:
        raise UsageError(msg("give --add K, --target RATIO or --budget B (with --lenses)"))
    if target is not None and (add is not None or budget is not None):
        raise UsageError(msg("--target cannot be combined with --add or --budget"))
    if add is not None:
        _at_least_one("--add", add)
    if target is not None and not (0.0 < target <= 1.0):
        raise UsageError(
            msg("--target must be a ratio in (0, 1], got %(value)s", value=format(target, "g"))
        )
    if budget is not None:
        _positive("--budget", budget)
    if budget is not None and not lenses:
        raise UsageError(msg("--budget needs --lenses (a table with unit costs)"))
    _positive("--time-limit", time_limit)
    if not (math.isfinite(spacing) and spacing >= 0.1):
        raise UsageError(
            msg("--spacing must be at least 0.1 m, got %(value)s", value=format(spacing, "g"))
        )
    if candidate_limit is not None:
        _at_least_one("--candidate-limit", candidate_limit)
    if candidate_seconds is not None:
        _positive("--candidate-seconds", candidate_seconds)
    _positive("--refine-seconds", refine_seconds)


def _one_of(option: str, value: str, choices: Collection[str]) -> None:
    if value not in choices:
        raise UsageError(
            msg(
                "%(option)s must be one of %(choices)s, got %(value)s",
                option=option,
                choices=", ".join(choices),
                value=repr(value),
            )
        )


def _at_least_one(option: str, value: int) -> None:
    if value < 1:
        raise UsageError(
            msg(
                "%(option)s must be at least %(min)s, got %(value)s",
                option=option,
                min=1,
                value=value,
            )
        )


def _positive(option: str, value: float) -> None:
    if not (math.isfinite(value) and value > 0):
        raise UsageError(
            msg(
                "%(option)s must be positive, got %(value)s",
                option=option,
                value=format(value, "g"),
            )
        )
