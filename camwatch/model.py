"""The site model: frozen dataclasses mirroring docs/site-format.md §1–2.

Geometry is held as shapely objects in local planar metres. The model does no
I/O and no geometry beyond simple properties; :mod:`camwatch.sitefile` turns
GeoJSON into these objects (validating them) and back, and
:mod:`camwatch.geometry` computes what cameras see.

Every feature keeps ``index`` (its position in the file, for error messages;
not part of equality) and ``extra`` (properties camwatch does not interpret,
kept so that save → load gives the same site).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any

from shapely.geometry import LineString, MultiPolygon, Point, Polygon

from camwatch.areal import free_space_of
from camwatch.errors import UsageError
from camwatch.i18n import Message, msg
from camwatch.ladders import DEFAULT_TARGET_HEIGHT_M as DEFAULT_TARGET_HEIGHT_M
from camwatch.ladders import DORI, Ladder, ladder

# The DORI ladder (camwatch.ladders, the one table of levels): pixel densities at the
# target, px/m — EN 62676-4:2015 (IEC 62676-4) DORI levels; the default ladder.
DORI_PX_PER_M: dict[str, float] = {lv.name: lv.px_per_m for lv in DORI.levels}
LEVELS: tuple[str, ...] = DORI.names

# Coverage models (docs/site-format.md §4). A file without ``coverage_model`` is analysed
# in the standing model; "ground" reproduces v1 exactly (docs/coverage.md, "Heights").
COVERAGE_MODELS: tuple[str, ...] = ("ground", "standing")
DEFAULT_COVERAGE_MODEL = "standing"
DEFAULT_MAX_DEPRESSION_DEG: dict[str, float] = DORI.max_depressions()  # identification 30°

CAMERA_STATUSES: tuple[str, ...] = ("active", "planned", "faulty", "offline")
ZONE_TYPES: tuple[str, ...] = (
    "entrance",
    "perimeter",
    "parking",
    "bike_shed",
    "playground",
    "lobby",
    "road",
    "square",
    "other",
    "ebike_charging",
    "garage",
    "lift",
)
DEFAULT_REQUIRED_LEVEL: dict[str, str] = DORI.zone_defaults
ACCESS_CONTROL_TYPES: tuple[str, ...] = ("none", "card", "face", "code", "qr")
ALARM_TYPES: tuple[str, ...] = (
    "infrared_beam",
    "electric_fence",
    "door_contact",
    "panic_button",
    "vibration",
)
# Facts for the standards checks (docs/site-format.md §5).
GATE_TYPES: tuple[str, ...] = ("mixed", "vehicle", "pedestrian")
DOOR_TYPES: tuple[str, ...] = ("unit", "garage", "bike_garage", "shop")
CAMERA_PURPOSES: tuple[str, ...] = ("general", "face", "plate", "overview")
DEFAULT_PROFILE = "national"  # the rule profile a site is checked against unless it names one
# Severities of a standards finding (docs/site-format.md §7), most serious first.
SEVERITIES: tuple[str, ...] = ("error", "warning", "info")
# The ledger's vocabulary (camwatch.registry, the command line, the web forms and API).
DEVICE_KINDS: tuple[str, ...] = ("camera", "gate", "alarm", "intercom")
DEVICE_STATUSES: tuple[str, ...] = ("active", "faulty", "offline", "planned", "retired")
# what a device in service may be set to (everything but "retired", which is final)
LIVE_DEVICE_STATUSES: tuple[str, ...] = tuple(s for s in DEVICE_STATUSES if s != "retired")
MAINTENANCE_KINDS: tuple[str, ...] = ("inspection", "repair", "replacement", "cleaning", "firmware")
PROBLEM_SOURCES: tuple[str, ...] = ("analysis", "inspection", "patrol", "resident_report")
PROBLEM_STATUSES: tuple[str, ...] = ("open", "in_progress", "fixed", "verified", "reopened")
# not yet fixed: these count as open and can be overdue
UNRESOLVED_PROBLEM_STATUSES: tuple[str, ...] = ("open", "in_progress", "reopened")
ROLES: tuple[str, ...] = ("admin", "district", "planner", "technician", "manager")
FEATURE_KINDS: tuple[str, ...] = (
    "boundary",
    "building",
    "obstacle",
    "wall",
    "zone",
    "camera",
    "gate",
    "alarm",
    "intercom",
    "mount",
    "door",
)

# Tolerances of docs/site-format.md §1–2.
MOUNT_TOLERANCE_M = 0.05  # a camera may stand this far inside an obstacle / outside the boundary
# A door (§5) is a point on a facade: at most this far from a building's outline.
DOOR_FACADE_TOLERANCE_M = 0.5
MIN_BLIND_SPOT_M2 = 1.0
ZONE_PASS_RATIO = 0.98
DEFAULT_RESOLUTION: tuple[int, int] = (1920, 1080)


def required_level_for(zone_type: str) -> str:
    """Default DORI level a zone of this type must reach (docs/site-format.md §1)."""
    return DEFAULT_REQUIRED_LEVEL.get(zone_type, "detection")


def hfov_from_lens(focal_mm: float, sensor_width_mm: float) -> float:
    """Horizontal field of view in degrees: α = 2·atan(sensor_width / (2·focal)).

    >>> round(hfov_from_lens(4.0, 5.37), 2)
    67.74
    """
    return math.degrees(2.0 * math.atan(sensor_width_mm / (2.0 * focal_mm)))


def parse_resolution(value: Any, *, where: str | Message = "resolution") -> tuple[int, int]:
    """``"1920x1080"``, ``"1920×1080"``, ``"1920,1080"`` or ``[1920, 1080]`` → (1920, 1080).

    The one ``WIDTHxHEIGHT`` reader of the project (command line, lens tables,
    device CSV, web forms and API); a bad value is a UsageError naming ``where``.

    >>> parse_resolution("2560x1440"), parse_resolution([640, 480])
    ((2560, 1440), (640, 480))
    """
    if isinstance(value, list | tuple):
        parts = list(value)
    else:
        parts = str(value).lower().replace("×", "x").replace(",", "x").split("x")
    try:
        if len(parts) != 2:
            raise ValueError
        width, height = (int(str(p).strip()) for p in parts)
    except ValueError:
        raise UsageError(
            msg(
                "%(where)s: expected WIDTHxHEIGHT such as 1920x1080, got %(value)s",
                where=where,
                value=repr(value),
            )
        ) from None
    if width <= 0 or height <= 0:
        raise UsageError(
            msg(
                "%(where)s: expected positive WIDTHxHEIGHT, got %(value)s",
                where=where,
                value=repr(value),
            )
        )
    return width, height


@dataclass(frozen=True)
class SiteInfo:
    """The top-level ``site`` member."""

    id: str
    name: str | None = None
    district: str | None = None
    address: str | None = None
    units: str = "m"
    households: int | None = None
    retention_days: int | None = None
    profile: str | None = None  # None: DEFAULT_PROFILE
    coverage_model: str | None = None  # None: DEFAULT_COVERAGE_MODEL
    # A number for every level or a per-level object, as given (None: the default 1.6 m).
    target_height_m: float | dict[str, float] | None = None
    max_depression_deg: dict[str, float] | None = None  # as given (None: the defaults)
    levels: str | None = None  # the level ladder (camwatch.ladders); None: DORI
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def model(self) -> str:
        """The coverage model the site names, or :data:`DEFAULT_COVERAGE_MODEL`."""
        return self.coverage_model if self.coverage_model is not None else DEFAULT_COVERAGE_MODEL

    @property
    def ladder(self) -> Ladder:
        """The site's level ladder (``levels``; default DORI)."""
        return ladder(self.levels)

    def target_heights(self) -> dict[str, float]:
        """Target height z_L per level of the ladder in the standing model (docs/site-format.md §4)."""
        defaults = self.ladder.target_heights()
        given = self.target_height_m
        if isinstance(given, dict):
            return {lv: float(given.get(lv, z)) for lv, z in defaults.items()}
        if given is None:
            return defaults
        return dict.fromkeys(defaults, float(given))

    def max_depressions(self) -> dict[str, float | None]:
        """Maximum depression δ_L per level (None: no limit); levels left out keep the defaults."""
        given = {**self.ladder.max_depressions(), **(self.max_depression_deg or {})}
        return {lv: (float(given[lv]) if lv in given else None) for lv in self.ladder.names}

    @property
    def rule_profile(self) -> str:
        """The profile the site names, or the default ``national`` (docs/site-format.md §5)."""
        return self.profile if self.profile is not None else DEFAULT_PROFILE


@dataclass(frozen=True)
class Camera:
    """A camera (§2). Optics are kept as given; :attr:`hfov` resolves them."""

    id: str
    position: tuple[float, float]
    name: str | None = None
    status: str = "active"
    height_m: float = 3.0
    heading_deg: float = 0.0
    tilt_deg: float = 15.0
    hfov_deg: float | None = None
    focal_mm: float | None = None
    sensor_width_mm: float | None = None
    resolution: tuple[int, int] = DEFAULT_RESOLUTION
    vfov_deg: float | None = None
    range_m: float | None = None
    model: str | None = None
    serial: str | None = None
    ptz: bool = False
    wdr: bool = False
    indoor: bool = False
    purpose: str = "general"
    extra: dict[str, Any] = field(default_factory=dict)
    index: int | None = field(default=None, compare=False)

    @property
    def hfov(self) -> float:
        """Resolved horizontal field of view in degrees (hfov_deg wins, then lens, then 90)."""
        if self.hfov_deg is not None:
            return float(self.hfov_deg)
        if self.focal_mm is not None and self.sensor_width_mm is not None:
            return hfov_from_lens(self.focal_mm, self.sensor_width_mm)
        return 90.0

    @property
    def point(self) -> Point:
        return Point(self.position)

    def counted(self, *, include_planned: bool = False) -> bool:
        """Whether analysis counts this camera's footprint in coverage."""
        return self.status == "active" or (include_planned and self.status == "planned")


@dataclass(frozen=True)
class Building:
    polygon: Polygon
    name: str | None = None
    height_m: float = 10.0
    extra: dict[str, Any] = field(default_factory=dict)
    index: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Obstacle:
    polygon: Polygon
    name: str | None = None
    height_m: float = 2.0
    extra: dict[str, Any] = field(default_factory=dict)
    index: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Wall:
    line: LineString
    thickness_m: float = 0.2
    name: str | None = None
    height_m: float = 2.2
    see_through: bool = False  # a railing: blocks walking, not sight (standing model)
    extra: dict[str, Any] = field(default_factory=dict)
    index: int | None = field(default=None, compare=False)

    @property
    def footprint(self) -> Polygon:
        """The wall's opaque area: flat caps, mitre joins (docs/site-format.md §1)."""
        return self.line.buffer(self.thickness_m / 2.0, cap_style="flat", join_style="mitre")


@dataclass(frozen=True)
class Zone:
    name: str
    polygon: Polygon
    zone_type: str = "other"
    required_level: str = "detection"
    weight: float = 1.0
    extra: dict[str, Any] = field(default_factory=dict)
    index: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Gate:
    id: str | None
    geometry: Point | LineString
    name: str | None = None
    access_control: str = "none"
    intercom: bool = False
    gate_type: str = "mixed"
    lanes: int = 1
    extra: dict[str, Any] = field(default_factory=dict)
    index: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Alarm:
    id: str | None
    geometry: Point | LineString
    alarm_type: str
    name: str | None = None
    zone: str | None = None  # perimeter defence zone (防区) id, docs/site-format.md §5
    extra: dict[str, Any] = field(default_factory=dict)
    index: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Intercom:
    id: str | None
    position: tuple[float, float]
    building: str | None = None
    name: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    index: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Door:
    """A building entrance (单元门), a point on a facade (docs/site-format.md §5)."""

    id: str | None
    position: tuple[float, float]
    building: str | None = None
    name: str | None = None
    door_type: str = "unit"
    intercom: bool = False
    extra: dict[str, Any] = field(default_factory=dict)
    index: int | None = field(default=None, compare=False)

    @property
    def point(self) -> Point:
        return Point(self.position)


@dataclass(frozen=True)
class Mount:
    geometry: Point | LineString
    name: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    index: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Site:
    """A compound: its boundary, what blocks sight, zones and devices."""

    info: SiteInfo
    boundary: Polygon
    buildings: tuple[Building, ...] = ()
    obstacles: tuple[Obstacle, ...] = ()
    walls: tuple[Wall, ...] = ()
    zones: tuple[Zone, ...] = ()
    cameras: tuple[Camera, ...] = ()
    gates: tuple[Gate, ...] = ()
    alarms: tuple[Alarm, ...] = ()
    intercoms: tuple[Intercom, ...] = ()
    mounts: tuple[Mount, ...] = ()
    doors: tuple[Door, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.info.id

    def camera(self, camera_id: str) -> Camera:
        """The camera with this id (KeyError if none)."""
        for cam in self.cameras:
            if cam.id == camera_id:
                return cam
        raise KeyError(camera_id)

    def with_cameras(self, cameras: tuple[Camera, ...] | list[Camera]) -> Site:
        """A copy of the site with this camera list."""
        return replace(self, cameras=tuple(cameras))

    def opaque_polygons(self) -> list[Polygon]:
        """Buildings, obstacles and wall footprints: everything that blocks sight."""
        polys = [b.polygon for b in self.buildings] + [o.polygon for o in self.obstacles]
        polys += [w.footprint for w in self.walls]
        return polys

    def free_space(self) -> Polygon | MultiPolygon:
        """Free space F = boundary − (buildings ∪ obstacles ∪ wall footprints) (docs/site-format.md §1).

        Only areal parts are kept; snap-rounded and remembered per exact outlines
        (:func:`camwatch.areal.free_space_of`).
        """
        return free_space_of(self.boundary, self.opaque_polygons())
