"""The ledger's tables: SQLAlchemy 2 typed models.

::

    Compound 1─* Device 1─* MaintenanceRecord
        │  └────────────* Problem 1─* ProblemEvent      (Problem.device optional)
        ├─* Inspection
        └─* user_compounds *─1 User                      (compounds a manager may see)
    AuditLog                                             (one row per changed row, see audit.py)

Editable tables (compounds, devices, problems, users) carry a ``version``
column used by SQLAlchemy's optimistic locking (``version_id_col``): an UPDATE
only matches the row if its version is still the one that was read, so a stale
write is refused instead of overwriting someone else's change.  Append-only
tables (maintenance records, problem events, inspections, audit rows) have no
version.  Enumerations are plain strings guarded by CHECK constraints so that
SQLite and PostgreSQL hold the same rules.

Times are stored as UTC (``UTCDateTime``), dates as ``Date``; geometry is the
GeoJSON geometry object of docs/site-format.md §1 (local metres) in a JSON column.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from camwatch.i18n import text_of
from camwatch.model import (
    COVERAGE_MODELS,
    DEVICE_KINDS,
    DEVICE_STATUSES,
    MAINTENANCE_KINDS,
    PROBLEM_SOURCES,
    PROBLEM_STATUSES,
    ROLES,
)

LANGUAGES: tuple[str, ...] = ("zh", "en")
AUDIT_ACTIONS: tuple[str, ...] = ("insert", "update", "delete")

NAMING_CONVENTION: dict[str, str] = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """The current time, timezone-aware UTC (what every timestamp column stores)."""
    return datetime.now(UTC)


def _one_of(column: str, values: tuple[str, ...], name: str | None = None) -> CheckConstraint:
    """CHECK (column IN (...)) named after the column, e.g. ``ck_devices_status``."""
    listed = ", ".join(f"'{v}'" for v in values)
    return CheckConstraint(f"{column} IN ({listed})", name=name or column)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every backend.

    PostgreSQL keeps the zone (``timestamptz``); SQLite drops it, so values are
    converted to UTC before storing and tagged UTC again when read.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column; use datetime.now(UTC)")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base with a naming convention (stable constraint names for Alembic)."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON(),
        list[Any]: JSON(),
    }


user_compounds = Table(
    "user_compounds",
    Base.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("compound_id", ForeignKey("compounds.id", ondelete="CASCADE"), primary_key=True),
)


class Compound(Base):
    """A residential compound: its plan (site format, without devices) and identity."""

    __tablename__ = "compounds"
    __table_args__ = (_one_of("coverage_model", COVERAGE_MODELS),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str | None] = mapped_column(String(200))
    district: Mapped[str | None] = mapped_column(String(100), index=True)
    address: Mapped[str | None] = mapped_column(String(300))
    # site-format FeatureCollection of the non-device features + the "site" member
    plan_json: Mapped[dict[str, Any]]
    # optional georeference of the local metres, e.g. {"crs": "EPSG:4547", "origin": [x, y]}
    georef: Mapped[dict[str, Any] | None]
    target_standard: Mapped[str | None] = mapped_column(String(100))
    # heights settings of docs/site-format.md §4, as the site member gives them (None: the
    # site format's default); checked by the site loader (camwatch.properties ranges)
    coverage_model: Mapped[str | None] = mapped_column(String(16))
    # a number for every level, or {level: metres}
    target_height_m: Mapped[Any] = mapped_column(JSON(none_as_null=True), nullable=True)
    # {level: degrees}
    max_depression_deg: Mapped[dict[str, Any] | None] = mapped_column(
        JSON(none_as_null=True), nullable=True
    )
    # when an import last changed it (devices changed later are not retired silently)
    imported_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer)

    devices: Mapped[list[Device]] = relationship(
        back_populates="compound", order_by="Device.id", lazy="selectin"
    )
    problems: Mapped[list[Problem]] = relationship(back_populates="compound", order_by="Problem.id")
    inspections: Mapped[list[Inspection]] = relationship(
        back_populates="compound", order_by="Inspection.id"
    )

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"Compound({self.code!r})"


class Device(Base):
    """A camera, gate, alarm or intercom of a compound; retired, never deleted."""

    __tablename__ = "devices"
    __table_args__ = (
        UniqueConstraint("compound_id", "code"),
        _one_of("kind", DEVICE_KINDS),
        _one_of("status", DEVICE_STATUSES),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    compound_id: Mapped[int] = mapped_column(ForeignKey("compounds.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    code: Mapped[str] = mapped_column(String(64))
    name: Mapped[str | None] = mapped_column(String(200))
    # GeoJSON geometry (Point, or LineString for gates and alarms), local metres
    geometry: Mapped[dict[str, Any]]
    # kind-specific site-format properties (camera optics, access_control, alarm_type, ...)
    properties: Mapped[dict[str, Any]]
    manufacturer: Mapped[str | None] = mapped_column(String(100))
    model: Mapped[str | None] = mapped_column(String(100))
    serial: Mapped[str | None] = mapped_column(String(100))
    install_date: Mapped[date | None]
    warranty_end: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(16), default="active")
    notes: Mapped[str | None] = mapped_column(Text)  # free text; retirement reasons are appended
    status_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer)

    compound: Mapped[Compound] = relationship(back_populates="devices")
    maintenance: Mapped[list[MaintenanceRecord]] = relationship(
        back_populates="device", order_by="MaintenanceRecord.id"
    )

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"Device({self.kind} {self.code!r}, {self.status})"


class MaintenanceRecord(Base):
    """One maintenance visit to a device (append-only)."""

    __tablename__ = "maintenance_records"
    __table_args__ = (
        _one_of("kind", MAINTENANCE_KINDS),
        _one_of("status_before", DEVICE_STATUSES),
        _one_of("status_after", DEVICE_STATUSES),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id"), index=True)
    date: Mapped[date]
    kind: Mapped[str] = mapped_column(String(16))
    technician: Mapped[str] = mapped_column(String(100))
    notes: Mapped[str | None] = mapped_column(Text)
    status_before: Mapped[str] = mapped_column(String(16))
    status_after: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    device: Mapped[Device] = relationship(back_populates="maintenance")


class Problem(Base):
    """A rectification item: what is wrong, who fixes it by when, and its re-check."""

    __tablename__ = "problems"
    __table_args__ = (
        _one_of("source", PROBLEM_SOURCES),
        _one_of("status", PROBLEM_STATUSES),
        Index("ix_problems_compound_status", "compound_id", "status"),
        # one not-yet-verified problem per finding (docs/registry.md, "One problem per finding")
        Index("uq_problems_compound_open_key", "compound_id", "open_key", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    compound_id: Mapped[int] = mapped_column(ForeignKey("compounds.id"))
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id"), index=True)
    zone_name: Mapped[str | None] = mapped_column(String(200))
    # stable key used to avoid duplicates from repeated analyses: "zone:<name>" / "blind_spot"
    ref_key: Mapped[str | None] = mapped_column(String(300))
    # the finding's key while the problem is not verified (NULL once verified or not a finding)
    open_key: Mapped[str | None] = mapped_column(String(300))
    # details of the referenced finding, e.g. the blind spot's area, centroid and zones
    reference: Mapped[dict[str, Any] | None]
    description: Mapped[str] = mapped_column(Text)  # English (or as typed by a person)
    # the description as a catalogue message {"key", "params"} (camwatch.i18n), NULL when it
    # is text typed by a person or the row predates messages
    description_msg: Mapped[dict[str, Any] | None]
    source: Mapped[str] = mapped_column(String(20))
    responsible_unit: Mapped[str | None] = mapped_column(String(200))
    responsible_person: Mapped[str | None] = mapped_column(String(100))
    deadline: Mapped[date] = mapped_column(index=True)
    status: Mapped[str] = mapped_column(String(16), default="open")
    recheck_date: Mapped[date | None]
    recheck_result: Mapped[str | None] = mapped_column(Text)
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]
    created_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer)

    compound: Mapped[Compound] = relationship(back_populates="problems")
    device: Mapped[Device | None] = relationship()
    events: Mapped[list[ProblemEvent]] = relationship(
        back_populates="problem", order_by="ProblemEvent.id"
    )

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"Problem(#{self.id}, {self.status}, due {self.deadline})"

    def description_text(self, lang: str | None = None) -> str:
        """The description in ``lang`` (default: the current language); plain text as stored."""
        if self.description_msg:
            return text_of(self.description_msg, lang)
        return self.description


class ProblemEvent(Base):
    """One step in a problem's history (opened, status change, re-check, edit)."""

    __tablename__ = "problem_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    problem_id: Mapped[int] = mapped_column(ForeignKey("problems.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(20))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str | None] = mapped_column(String(16))
    deadline: Mapped[date | None]
    note: Mapped[str | None] = mapped_column(Text)

    problem: Mapped[Problem] = relationship(back_populates="events")


class Inspection(Base):
    """An inspection of a compound against the checklist (append-only)."""

    __tablename__ = "inspections"
    __table_args__ = (
        # one inspection per submitted form (the web's form token; docs/web.md)
        Index("uq_inspections_compound_request_key", "compound_id", "request_key", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    compound_id: Mapped[int] = mapped_column(ForeignKey("compounds.id"), index=True)
    date: Mapped[date]
    inspector: Mapped[str] = mapped_column(String(100))
    # [{"key", "title", "passed", "weight", "detail", "value"}, ...]
    items: Mapped[list[Any]]
    score: Mapped[float] = mapped_column(Float)
    passed: Mapped[bool] = mapped_column(Boolean)
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    request_key: Mapped[str | None] = mapped_column(String(64))

    compound: Mapped[Compound] = relationship(back_populates="inspections")


class User(Base):
    """A person who signs in; managers see only their listed compounds."""

    __tablename__ = "users"
    __table_args__ = (_one_of("role", ROLES), _one_of("language", LANGUAGES))

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    display_name: Mapped[str | None] = mapped_column(String(100))
    language: Mapped[str] = mapped_column(String(2), default="zh")
    # sha256 hex of the API token (tokens are random 256-bit strings, so a fast hash is enough)
    api_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # a session cookie names the session_version it was issued under; signing out or
    # changing the password increments it, which ends every session of the user
    session_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    version: Mapped[int] = mapped_column(Integer)

    # loaded when first read (a manager's visibility checks), not with every user: signing
    # in a request would otherwise load the compounds with their plans and devices
    compounds: Mapped[list[Compound]] = relationship(
        secondary=user_compounds, order_by="Compound.code", lazy="select"
    )

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"User({self.username!r}, {self.role})"


class AuditLog(Base):
    """Who changed which row, when, and how (written in the same transaction)."""

    __tablename__ = "audit_log"
    __table_args__ = (
        _one_of("action", AUDIT_ACTIONS),
        Index(None, "entity", "entity_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(100))
    entity: Mapped[str] = mapped_column(String(50))
    entity_id: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(10))
    before: Mapped[dict[str, Any] | None]
    after: Mapped[dict[str, Any] | None]


class AnalysisSnapshot(Base):
    """A stored result of a batch task (analyze, check, plan) for one state of a compound.

    ``fingerprint`` digests what the result was computed from (the site as
    exported, the task's options, camwatch's version and, for checks, the day
    and the devices' repair deadlines): a snapshot is current exactly when the
    fingerprint of today's compound equals it (docs/district.md). Snapshots are
    derived data, so they are not audited and go with their compound.
    """

    __tablename__ = "analysis_snapshots"
    __table_args__ = (
        UniqueConstraint("compound_id", "task", "fingerprint"),
        Index("ix_analysis_snapshots_compound_task", "compound_id", "task", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    compound_id: Mapped[int] = mapped_column(ForeignKey("compounds.id", ondelete="CASCADE"))
    task: Mapped[str] = mapped_column(String(16))
    fingerprint: Mapped[str] = mapped_column(String(64))
    result: Mapped[dict[str, Any] | None]
    error: Mapped[str | None] = mapped_column(Text)
    seconds: Mapped[float] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
