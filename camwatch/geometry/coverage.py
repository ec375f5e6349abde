"""Coverage analysis of a site: levels, blind spots, zones, compliance (docs/site-format.md §2–3).

:func:`analyze` is the engine behind ``camwatch analyze``; :meth:`Analysis.to_dict`
is exactly the §3 JSON object. Geometry stays on the result for drawing.

Notes: one exact visibility computation per camera (see
:mod:`camwatch.geometry.footprint`), then GEOS unions per level. Zone and
level areas are areas of exact polygons; only arcs are chorded (< 0.01 %).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from camwatch.areal import ROBUST_GRID_M, areal, polygon_parts
from camwatch.geometry.blindspots import blind_spot_parts, label_point, without_slits
from camwatch.geometry.footprint import EMPTY, camera_footprints
from camwatch.geometry.heights import Scene, standing_footprints, standing_stand_point
from camwatch.geometry.space import free_space, stand_point
from camwatch.ladders import DEFAULT_LADDER, ladder
from camwatch.model import COVERAGE_MODELS, MIN_BLIND_SPOT_M2, ZONE_PASS_RATIO, Site, Zone

# A blind spot "touches" a zone when a part of their overlap has more area than this and is
# wider than ZONE_TOUCH_WIDTH_M on average (2·area/perimeter): a sliver left by rounding
# along a shared edge is ~ROBUST_GRID_M wide, however long (so its area may exceed 1e-6 m²).
ZONE_TOUCH_M2 = 1e-6
# What clipping a cover to free space may remove, per metre of its outline, before the
# floating result is taken for wrong and redone snap-rounded (see ``within``).
SLIVER_WIDTH_M = 1e-8
ZONE_TOUCH_WIDTH_M = 1e-5

Footprints = dict[str, Polygon | MultiPolygon]


@dataclass(frozen=True)
class LevelCoverage:
    level: str
    covered_m2: float
    ratio: float
    geometry: BaseGeometry = field(repr=False, compare=False)


@dataclass(frozen=True)
class BlindSpot:
    id: str
    area_m2: float
    centroid: tuple[float, float]
    label_point: tuple[float, float]
    zones: tuple[str, ...]
    geometry: Polygon = field(repr=False, compare=False)


@dataclass(frozen=True)
class ZoneResult:
    name: str
    zone_type: str
    required_level: str
    area_m2: float
    covered_m2: float
    ratio: float
    passed: bool
    weight: float = 1.0


@dataclass(frozen=True)
class CameraResult:
    id: str
    status: str
    counted: bool
    footprint_m2: dict[str, float]
    stand_point: tuple[float, float]
    footprints: Footprints = field(repr=False, compare=False)


@dataclass(frozen=True)
class Analysis:
    site_id: str
    monitored_area_m2: float
    levels: dict[str, LevelCoverage]
    blind_spots: tuple[BlindSpot, ...]
    zones: tuple[ZoneResult, ...]
    cameras: tuple[CameraResult, ...]
    compliant: bool
    include_planned: bool = False
    monitored: BaseGeometry = field(default=EMPTY, repr=False, compare=False)
    coverage_model: str = "ground"
    target_heights: dict[str, float] = field(default_factory=dict)
    ladder: str = DEFAULT_LADDER  # the level ladder (camwatch.ladders); levels are its names

    def ratios(self) -> dict[str, float]:
        """Coverage ratio per level, rounded as in the JSON output."""
        return {level: round(cov.ratio, 6) for level, cov in self.levels.items()}

    def to_dict(self) -> dict[str, Any]:
        """The docs/site-format.md §3 JSON object."""
        return {
            "site": self.site_id,
            "monitored_area_m2": _m2(self.monitored_area_m2),
            "levels": {
                level: {"covered_m2": _m2(cov.covered_m2), "ratio": round(cov.ratio, 6)}
                for level, cov in self.levels.items()
            },
            "blind_spots": [
                {
                    "id": spot.id,
                    "area_m2": _m2(spot.area_m2),
                    "centroid": [round(spot.centroid[0], 3), round(spot.centroid[1], 3)],
                    "label_point": [round(spot.label_point[0], 3), round(spot.label_point[1], 3)],
                    "zones": list(spot.zones),
                }
                for spot in self.blind_spots
            ],
            "zones": [
                {
                    "name": z.name,
                    "zone_type": z.zone_type,
                    "required_level": z.required_level,
                    "area_m2": _m2(z.area_m2),
                    "covered_m2": _m2(z.covered_m2),
                    "ratio": round(z.ratio, 6),
                    "pass": z.passed,
                }
                for z in self.zones
            ],
            "cameras": [
                {
                    "id": cam.id,
                    "status": cam.status,
                    "footprint_m2": {lv: _m2(a) for lv, a in cam.footprint_m2.items()},
                }
                for cam in self.cameras
            ],
            "compliant": self.compliant,
            **self._model_members(),
        }

    def _model_members(self) -> dict[str, Any]:
        """Standing model and non-default ladders only (the ground DORI JSON stays as in
        docs/site-format.md §3): the ladder and its px/m, the model and target heights."""
        out: dict[str, Any] = {}
        if self.ladder != DEFAULT_LADDER:
            chosen = ladder(self.ladder)
            out["ladder"] = chosen.key
            out["px_per_m"] = {lv.name: lv.px_per_m for lv in chosen.levels}
        if self.coverage_model == "standing":
            out["coverage_model"] = self.coverage_model
            out["target_height_m"] = {lv: self.target_heights[lv] for lv in self.levels}
        return out


def _m2(value: float) -> float:
    return round(float(value), 2)


def covered_share(part: float, whole: float) -> float:
    """part/whole clamped to [0, 1]; a whole of zero area is fully covered by definition
    (a level's or a zone's ratio; the incremental engine uses it too).

    >>> covered_share(3.0, 4.0), covered_share(4.0 + 1e-9, 4.0), covered_share(0.0, 0.0)
    (0.75, 1.0, 1.0)
    """
    if whole <= 0.0:
        return 1.0
    return min(max(part / whole, 0.0), 1.0)


def union(geoms: Iterable[BaseGeometry]) -> BaseGeometry:
    """Union of polygons (empty polygon when there are none)."""
    items = [g for g in geoms if not g.is_empty]
    return shapely.union_all(items) if items else EMPTY


def within(cover: BaseGeometry, space: BaseGeometry) -> Polygon | MultiPolygon:
    """``cover`` ∩ ``space``, for a cover that lies in ``space`` up to rounding (footprints).

    The floating overlay is kept when it removes no more than a rounding sliver
    (``SLIVER_WIDTH_M`` wide on average along the cover's outline); otherwise, as when
    GEOS lost a footprint lying along free space's edges, it is redone snap-rounded
    (see :func:`snapped_difference`).

    >>> from shapely.geometry import box
    >>> within(box(0, 0, 2, 2), box(1, 0, 3, 2)).area
    2.0
    """
    if cover.is_empty or space.is_empty:
        return EMPTY
    clipped = areal(cover.intersection(space))
    if cover.area - clipped.area <= SLIVER_WIDTH_M * cover.length:
        return clipped
    return snapped_intersection(cover, space)


def snapped_intersection(a: BaseGeometry, b: BaseGeometry) -> Polygon | MultiPolygon:
    """The areal part of a ∩ b, snap-rounded to ``ROBUST_GRID_M`` (see :func:`snapped_difference`)."""
    if a.is_empty or b.is_empty:
        return EMPTY
    return areal(shapely.intersection(a, b, grid_size=ROBUST_GRID_M))


def snapped_difference(a: BaseGeometry, b: BaseGeometry) -> Polygon | MultiPolygon:
    """The areal part of a − b, snap-rounded to ``ROBUST_GRID_M``.

    Footprints lie along free space's edges, a rounding error off them (their vertices
    are intersections computed in coordinates local to the camera). GEOS's floating
    overlay of such nearly coincident edges can silently return a wrong result (a
    footprint lost from the cover, a building's hole lost from the blind spots);
    its snap-rounding overlay cannot, and free space is already on that grid
    (docs/coverage.md, "Exact at its edges").

    >>> from shapely.geometry import box
    >>> snapped_difference(box(0, 0, 2, 2), box(1, 0, 3, 2)).area
    2.0
    """
    if a.is_empty:
        return EMPTY
    if b.is_empty:
        return areal(a)
    return areal(shapely.difference(a, b, grid_size=ROBUST_GRID_M))


def touches_zone(spot: Polygon, zone: BaseGeometry) -> bool:
    """True when a part of spot ∩ zone has more than ``ZONE_TOUCH_M2`` of area and is
    wider than ``ZONE_TOUCH_WIDTH_M`` on average.

    A shared edge (or a rounding sliver along it, ~``ROBUST_GRID_M`` wide however long)
    is not touching; an overlap of 1 mm² is not either.

    >>> from shapely.geometry import box
    >>> touches_zone(box(0, 0, 1, 1), box(1, 0, 2, 1)), touches_zone(box(0, 0, 1, 1), box(0.9, 0, 2, 1))
    (False, True)
    >>> touches_zone(box(0, 0, 100, 1), box(0, 1 - 1e-7, 100, 2))   # a 0.1 µm rounding sliver
    False
    """
    parts = polygon_parts(snapped_intersection(spot, zone))
    return any(
        p.area > ZONE_TOUCH_M2 and 2.0 * p.area > ZONE_TOUCH_WIDTH_M * p.length for p in parts
    )


def zone_result(zone: Zone, area_m2: float, covered_m2: float, pass_ratio: float) -> ZoneResult:
    """A zone's figures: its watched area, the part covered at its required level, pass/fail."""
    ratio = covered_share(covered_m2, area_m2)
    return ZoneResult(
        name=zone.name,
        zone_type=zone.zone_type,
        required_level=zone.required_level,
        area_m2=area_m2,
        covered_m2=covered_m2,
        ratio=ratio,
        passed=ratio >= pass_ratio,
        weight=zone.weight,
    )


def analyze(
    site: Site,
    *,
    include_planned: bool = False,
    min_blind_spot_m2: float = MIN_BLIND_SPOT_M2,
    zone_pass_ratio: float = ZONE_PASS_RATIO,
    footprints: Mapping[str, Footprints] | None = None,
    space: BaseGeometry | None = None,
    coverage_model: str | None = None,
) -> Analysis:
    """Analyse the coverage of ``site`` (docs/site-format.md §2).

    Counts active cameras (and planned ones with ``include_planned``); faulty
    and offline cameras are reported with their footprints but not counted.
    ``footprints`` (camera id → per-level footprints) and ``space`` (free
    space) may be passed when already computed, e.g. by planners.
    ``coverage_model`` ("ground" | "standing") overrides the site's
    (docs/site-format.md §4); passed footprints must be of that model.

    >>> from shapely.geometry import box
    >>> from camwatch.model import Site, SiteInfo
    >>> a = analyze(Site(SiteInfo("empty"), box(0, 0, 10, 10)))
    >>> a.levels["detection"].ratio, a.blind_spots[0].area_m2, a.compliant
    (0.0, 100.0, True)
    """
    monitored = free_space(site) if space is None else space
    monitored_area = monitored.area
    model = site.info.model if coverage_model is None else coverage_model
    if model not in COVERAGE_MODELS:
        raise ValueError(f"unknown coverage model {model!r}; expected one of {COVERAGE_MODELS}")
    scene = Scene(site, monitored) if model == "standing" else None
    names = site.info.ladder.names  # the levels computed, lowest first (camwatch.ladders)
    targets = site.info.target_heights()
    depressions = site.info.max_depressions()
    cam_results: list[CameraResult] = []
    counted: list[Footprints] = []
    for cam in site.cameras:
        fps = footprints[cam.id] if footprints and cam.id in footprints else None
        if fps is not None and set(fps) != set(names):
            fps = None  # footprints of another ladder's levels: computed afresh
        stand = (
            standing_stand_point(cam, scene)
            if scene is not None
            else stand_point(cam.position, monitored)
        )
        if fps is None and scene is not None:
            fps = standing_footprints(cam, scene, targets, depressions)
        elif fps is None:
            fps = camera_footprints(cam, monitored, levels=names, origin=stand)
        is_counted = cam.counted(include_planned=include_planned)
        if is_counted:
            counted.append(fps)
        cam_results.append(
            CameraResult(
                id=cam.id,
                status=cam.status,
                counted=is_counted,
                footprint_m2={lv: fps[lv].area for lv in names},
                stand_point=stand,
                footprints=fps,
            )
        )

    levels: dict[str, LevelCoverage] = {}
    for level in names:
        cover = within(union(fp[level] for fp in counted), monitored)
        levels[level] = LevelCoverage(
            level, cover.area, covered_share(cover.area, monitored_area), cover
        )

    uncovered = snapped_difference(monitored, without_slits(levels[names[0]].geometry))
    spots = []
    for i, part in enumerate(blind_spot_parts(uncovered, min_area_m2=min_blind_spot_m2), 1):
        touched = tuple(z.name for z in site.zones if touches_zone(part, z.polygon))
        cen = part.centroid
        spots.append(
            BlindSpot(f"B{i}", part.area, (cen.x, cen.y), label_point(part), touched, part)
        )

    zones = []
    for zone in site.zones:
        watched = snapped_intersection(zone.polygon, monitored)
        covered = snapped_intersection(watched, levels[zone.required_level].geometry).area
        zones.append(zone_result(zone, watched.area, covered, zone_pass_ratio))
    return Analysis(
        site_id=site.id,
        monitored_area_m2=monitored_area,
        levels=levels,
        blind_spots=tuple(spots),
        zones=tuple(zones),
        cameras=tuple(cam_results),
        compliant=all(z.passed for z in zones),
        include_planned=include_planned,
        monitored=monitored,
        coverage_model=model,
        target_heights=targets if model == "standing" else {},
        ladder=site.info.ladder.key,
    )
