"""The ledger pages' query: search, filters, sorting and pages of devices (docs/web.md, "Ledger").

One SQL query serves the list, its page count and the CSV export, so what is
exported is exactly what is listed (without the pagination). The order is
always total — the chosen column, then compound code, device code and id — so
pages never repeat or skip a device between requests.

**Maintenance overdue** (decision, docs/web.md): a device in service (status
active, faulty or offline; planned and retired devices are not maintained)
whose latest maintenance record is older than :data:`MAINTENANCE_INTERVAL_DAYS`
days; a device without any record counts from its install date, else from the
day it entered the ledger.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session, contains_eager

from camwatch.model import DEVICE_KINDS, DEVICE_STATUSES
from camwatch.registry.models import Compound, Device, MaintenanceRecord
from web.forms import whole_number

MAINTENANCE_INTERVAL_DAYS = 365
MAINTAINED_STATUSES = ("active", "faulty", "offline")
PAGE_SIZES = (25, 50, 100, 200)
DEFAULT_PAGE_SIZE = 50
SORT_KEYS = (
    "compound",
    "code",
    "name",
    "kind",
    "status",
    "model",
    "serial",
    "install_date",
    "last_maintenance",
)
MAX_QUERY = 200


class FilterError(ValueError):
    """A filter value the page does not offer (the view answers 400)."""


@dataclass(frozen=True)
class Filters:
    """What the list shows: search text, filters, order and page (all from the URL)."""

    q: str = ""
    kind: str = ""
    status: str = ""  # "" = every status but retired; a status, or "all"
    compound: str = ""  # compound code
    district: str = ""
    overdue: bool = False
    sort: str = "compound"
    desc: bool = False
    page: int = 1
    per: int = DEFAULT_PAGE_SIZE

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> Filters:
        """Read the URL's query arguments; a value the page does not offer is a FilterError."""
        q = (args.get("q") or "").strip()
        if len(q) > MAX_QUERY or "\x00" in q:
            raise FilterError("q")
        kind = args.get("kind") or ""
        if kind and kind not in DEVICE_KINDS:
            raise FilterError("kind")
        status = args.get("status") or ""
        if status and status not in (*DEVICE_STATUSES, "all"):
            raise FilterError("status")
        sort = args.get("sort") or "compound"
        if sort not in SORT_KEYS:
            raise FilterError("sort")
        direction = args.get("dir") or "asc"
        if direction not in ("asc", "desc"):
            raise FilterError("dir")
        page = _positive(args.get("page"), 1, "page")
        per = _positive(args.get("per"), DEFAULT_PAGE_SIZE, "per")
        if per not in PAGE_SIZES:
            raise FilterError("per")
        return cls(
            q=q,
            kind=kind,
            status=status,
            compound=(args.get("compound") or "").strip(),
            district=(args.get("district") or "").strip(),
            overdue=args.get("overdue") in ("1", "on", "true", "y"),
            sort=sort,
            desc=direction == "desc",
            page=page,
            per=per,
        )

    def args(self, **changes: Any) -> dict[str, Any]:
        """The URL arguments for these filters (defaults left out), with ``changes`` applied."""
        values: dict[str, Any] = {
            "q": self.q,
            "kind": self.kind,
            "status": self.status,
            "compound": self.compound,
            "district": self.district,
            "overdue": "1" if self.overdue else "",
            "sort": "" if self.sort == "compound" else self.sort,
            "dir": "desc" if self.desc else "",
            "page": self.page,
            "per": self.per if self.per != DEFAULT_PAGE_SIZE else "",
        }
        values.update(changes)
        return {
            k: v for k, v in values.items() if v not in ("", None) and not (k == "page" and v == 1)
        }


def _positive(text: str | None, default: int, name: str) -> int:
    if not text:
        return default
    number = whole_number(text, most_digits=9)
    if number is None or number < 1:
        raise FilterError(name)
    return number


def cutoff(today: date, interval_days: int = MAINTENANCE_INTERVAL_DAYS) -> date:
    """Maintenance on or after this day is recent enough on ``today``."""
    return today - timedelta(days=interval_days)


def last_maintenance_subquery() -> Any:
    """``(device_id, last)``: each maintained device's latest maintenance date."""
    return (
        select(
            MaintenanceRecord.device_id.label("device_id"),
            func.max(MaintenanceRecord.date).label("last"),
        )
        .group_by(MaintenanceRecord.device_id)
        .subquery("last_maintenance")
    )


def overdue_condition(last: Any, today: date, interval_days: int) -> ColumnElement[bool]:
    """SQL: the device is overdue for maintenance on ``today`` (module docstring)."""
    day = cutoff(today, interval_days)
    moment = datetime.combine(day, time.min, tzinfo=UTC)
    return and_(
        Device.status.in_(MAINTAINED_STATUSES),
        or_(
            and_(last.isnot(None), last < day),
            and_(last.is_(None), Device.install_date.isnot(None), Device.install_date < day),
            and_(last.is_(None), Device.install_date.is_(None), Device.created_at < moment),
        ),
    )


def is_overdue(device: Device, last: date | None, today: date, interval_days: int) -> bool:
    """The same rule in Python, for one listed row (the badge)."""
    if device.status not in MAINTAINED_STATUSES:
        return False
    day = cutoff(today, interval_days)
    if last is not None:
        return last < day
    if device.install_date is not None:
        return device.install_date < day
    return device.created_at.date() < day


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclass
class Page:
    """One page of the list: rows ``(device, last maintenance, overdue)`` and the counts."""

    rows: list[tuple[Device, date | None, bool]]
    total: int
    page: int
    pages: int
    filters: Filters
    numbers: list[int | None] = field(default_factory=list)


def _statement(
    f: Filters, compound_ids: Iterable[int] | None, today: date, interval_days: int
) -> tuple[Select[Any], Any]:
    last_sub = last_maintenance_subquery()
    last = last_sub.c.last
    stmt = (
        select(Device, last)
        .join(Device.compound)
        .outerjoin(last_sub, last_sub.c.device_id == Device.id)
        .options(contains_eager(Device.compound))
    )
    if compound_ids is not None:
        stmt = stmt.where(Device.compound_id.in_(list(compound_ids)))
    if f.q:
        pattern = f"%{_escape_like(f.q)}%"
        stmt = stmt.where(
            or_(
                *(
                    col.ilike(pattern, escape="\\")
                    for col in (Device.code, Device.name, Device.model, Device.serial)
                )
            )
        )
    if f.kind:
        stmt = stmt.where(Device.kind == f.kind)
    if f.status == "":
        stmt = stmt.where(Device.status != "retired")
    elif f.status != "all":
        stmt = stmt.where(Device.status == f.status)
    if f.compound:
        stmt = stmt.where(Compound.code == f.compound)
    if f.district:
        stmt = stmt.where(Compound.district == f.district)
    if f.overdue:
        stmt = stmt.where(overdue_condition(last, today, interval_days))
    return stmt, last


_TEXT_SORTS = ("compound", "code", "name", "kind", "status", "model", "serial")


def _order(f: Filters, last: Any, dialect: str) -> list[Any]:
    """ORDER BY: the column (empty last), then compound, code, id; text by code point on both
    databases (PostgreSQL's collation would otherwise follow the server's locale)."""

    def text(col: Any) -> Any:
        return col.collate("C") if dialect == "postgresql" else col

    column = {
        "compound": Compound.code,
        "code": Device.code,
        "name": Device.name,
        "kind": Device.kind,
        "status": Device.status,
        "model": Device.model,
        "serial": Device.serial,
        "install_date": Device.install_date,
        "last_maintenance": last,
    }[f.sort]
    if f.sort in _TEXT_SORTS:
        column = text(column)
    # empty values last in both directions, on SQLite and PostgreSQL alike
    keys: list[Any] = [column.is_(None), column.desc() if f.desc else column.asc()]
    ties = (text(Compound.code), text(Device.code), Device.id)
    return keys + [t.desc() if f.desc else t.asc() for t in ties]


def query(
    session: Session,
    f: Filters,
    *,
    compound_ids: Iterable[int] | None,
    today: date,
    interval_days: int = MAINTENANCE_INTERVAL_DAYS,
    paginate: bool = True,
) -> Page:
    """The devices matching ``f`` among ``compound_ids`` (None = every compound)."""
    ids = list(compound_ids) if compound_ids is not None else None
    stmt, last = _statement(f, ids, today, interval_days)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    dialect = session.get_bind().dialect.name
    ordered = stmt.order_by(*_order(f, last, dialect))
    pages = max(1, -(-total // f.per))
    page = min(f.page, pages)
    if paginate:
        ordered = ordered.limit(f.per).offset((page - 1) * f.per)
    rows = [
        (device, day, is_overdue(device, day, today, interval_days))
        for device, day in session.execute(ordered).all()
    ]
    return Page(rows, total, page, pages, f, page_numbers(page, pages))


def page_numbers(page: int, pages: int, around: int = 2) -> list[int | None]:
    """Page links to show: first, last and ``around`` either side of ``page`` (None = a gap)."""
    wanted = {1, pages, *range(page - around, page + around + 1)}
    shown = sorted(n for n in wanted if 1 <= n <= pages)
    out: list[int | None] = []
    for n in shown:
        if out and out[-1] is not None and n - out[-1] > 1:
            out.append(None)
        out.append(n)
    return out


def districts(compounds: Sequence[Compound]) -> list[str]:
    """The districts of these compounds, sorted, without blanks."""
    return sorted({c.district for c in compounds if c.district})
