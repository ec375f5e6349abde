"""One error tree for camwatch.

::

    CamwatchError                 anything camwatch reports to a person (CLI exit 2, HTTP 4xx)
    ├── SiteFormatError           a site file or site feature breaks docs/site-format.md §1–2
    ├── UsageError                bad option or argument value (CLI flags, API parameters)
    ├── NotFoundError             a compound, device, problem... that does not exist
    ├── StaleEditError            optimistic-locking conflict: the row changed since it was read
    └── PlanningError             a planner cannot do what was asked (e.g. target unreachable)

Messages are one line and name the offender, e.g.
``feature #7 (camera 'C3'): hfov_deg must be in (0, 360], got 0``.
"""

from __future__ import annotations


class CamwatchError(Exception):
    """Base of every error camwatch reports to a person instead of a traceback."""


class SiteFormatError(CamwatchError):
    """A site file or feature is invalid; carries the feature index and id/name."""

    def __init__(
        self,
        message: str,
        *,
        index: int | None = None,
        kind: str | None = None,
        ident: str | None = None,
    ) -> None:
        self.index = index
        self.kind = kind
        self.ident = ident
        self.detail = message
        super().__init__(self._format())

    def _format(self) -> str:
        if self.index is None:
            return self.detail
        who = f"feature #{self.index}"
        if self.kind:
            who += f" ({self.kind}" + (f" '{self.ident}'" if self.ident is not None else "") + ")"
        return f"{who}: {self.detail}"


class UsageError(CamwatchError):
    """An option or argument has a bad value."""


class NotFoundError(CamwatchError):
    """The named record does not exist."""


class StaleEditError(CamwatchError):
    """Someone else changed the record since it was read; nothing was overwritten."""


class PlanningError(CamwatchError):
    """A planner cannot satisfy the request; the message says why."""
