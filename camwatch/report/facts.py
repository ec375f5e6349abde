"""Ledger facts a report shows, as plain data (filled by :mod:`camwatch.report.ledger`).

A report of a site file has none of these; a report of a ledger compound has
its code, open problems, latest inspection and each device's install date and
last maintenance.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class ProblemFact:
    """An unresolved rectification item."""

    id: int
    description: str
    responsible: str
    deadline: date
    status: str
    overdue_days: int
    reference: dict[str, Any] | None = None  # what an analysis finding refers to (ledger)
    words: dict[str, Any] | None = None  # the description as a stored message, if it has one


@dataclass(frozen=True)
class CheckItem:
    """One item of a recorded inspection (``key`` as in the ledger's checklist)."""

    key: str
    title: str
    passed: bool
    weight: float
    detail: str
    rule: str | None = None  # a rule result (recorded by `camwatch inspect` or the web)
    severity: str | None = None
    count: int = 0


@dataclass(frozen=True)
class InspectionFact:
    """A recorded inspection."""

    date: date
    inspector: str
    score: float
    passed: bool
    items: tuple[CheckItem, ...]


@dataclass(frozen=True)
class DeviceFact:
    """What the ledger knows of a device beyond the site file."""

    status: str
    install_date: date | None = None
    last_maintenance: date | None = None
    manufacturer: str | None = None


@dataclass(frozen=True)
class LedgerFacts:
    """Everything the ledger adds to a compound report."""

    code: str
    problems: tuple[ProblemFact, ...] = ()
    inspection: InspectionFact | None = None
    devices: dict[str, DeviceFact] = field(default_factory=dict)
