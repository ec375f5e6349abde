"""Load, validate and save site files (docs/site-format.md §1–2).

A site file is a GeoJSON FeatureCollection in local planar metres with a
top-level ``site`` member. :func:`load_site` / :func:`parse_site` turn it into a
:class:`camwatch.model.Site`, rejecting every invalid input with one
:class:`SiteFormatError` whose message names the feature and the problem::

    feature #7 (camera 'C3'): hfov_deg must be in (0, 360], got 0

``#7`` is the feature's **0-based** position in the ``features`` array (the
index a program or ``jq '.features[7]'`` uses). The name in parentheses is the
kind and the id (cameras, gates, alarms, intercoms) or name (zones, buildings,
obstacles, walls, mounts) when the feature has a usable one.

:func:`site_to_geojson` / :func:`dumps_site` / :func:`save_site` write a site
back; ``parse_site(site_to_geojson(s)) == s``. Features are written grouped by
kind (boundary, buildings, obstacles, walls, zones, cameras, gates, alarms,
intercoms, mounts, doors); properties camwatch does not interpret, and unknown
top-level members, are kept and written back. Feature-level foreign members
(a Feature's own ``id`` or ``bbox``) and position altitudes are not kept.
Saving is atomic: the text is built and re-validated first, then written to a
temporary file in the same directory and moved over the target, so an error
leaves nothing written.

Decisions where docs/site-format.md is silent: a property given as JSON ``null`` takes
its default; gate, alarm and intercom ids are optional but unique per kind
when given; a camera ``serial`` may be an integer (kept as a string); zones,
gates and devices outside the boundary are allowed (only cameras are placed).

Per-feature parsers (``parse_camera`` ...) come from
:mod:`camwatch.sitefile.features` (value checks in :mod:`camwatch.sitefile.values`,
writing in :mod:`camwatch.sitefile.write`); a feature without an index (built
in code) is named without one: ``camera 'C9': tilt_deg must be ...``. Cross-feature checks
(:func:`check_site`, :func:`check_camera_placement`, :func:`check_camera_id_free`)
are here so the registry can validate a device against an existing site.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from camwatch.errors import SiteFormatError, UsageError, ValueRangeError, named, short
from camwatch.i18n import Message, msg
from camwatch.ladders import LADDERS, Ladder, ladder_of, not_in_ladder
from camwatch.model import (
    COVERAGE_MODELS,
    DOOR_FACADE_TOLERANCE_M,
    MOUNT_TOLERANCE_M,
    ROBUST_GRID_M,
    Alarm,
    Building,
    Camera,
    Door,
    Gate,
    Intercom,
    Mount,
    Obstacle,
    Site,
    SiteInfo,
    Wall,
    Zone,
)
from camwatch.properties import MAX_DEPRESSION, TARGET_HEIGHT, Property
from camwatch.sitefile.crs import parse_crs
from camwatch.sitefile.features import (
    Feature,
    feature_kind,
    get_count,
    parse_alarm,
    parse_boundary,
    parse_building,
    parse_camera,
    parse_door,
    parse_feature,
    parse_gate,
    parse_intercom,
    parse_mount,
    parse_obstacle,
    parse_wall,
    parse_zone,
)
from camwatch.sitefile.values import Ctx, check_tree, show
from camwatch.sitefile.write import feature_to_geojson

__all__ = [
    "check_camera_id_free",
    "check_camera_placement",
    "check_site",
    "dumps_site",
    "loads_site",
    "feature_to_geojson",
    "load_site",
    "parse_alarm",
    "parse_boundary",
    "parse_building",
    "parse_camera",
    "parse_door",
    "parse_feature",
    "parse_gate",
    "parse_intercom",
    "parse_mount",
    "parse_obstacle",
    "parse_site",
    "parse_wall",
    "parse_zone",
    "save_site",
    "site_free_space",
    "site_to_geojson",
]

_SITE_KEYS = (
    "id",
    "name",
    "district",
    "address",
    "units",
    "households",
    "retention_days",
    "profile",
    "coverage_model",
    "target_height_m",
    "max_depression_deg",
    "levels",
)
_TOP_KEYS = ("type", "features", "site")
# Tolerance on top of MOUNT_TOLERANCE_M for floating-point distance error.
_EPS = 1e-9


# -- reading -----------------------------------------------------------------------


def _ladder_key(raw: Any, top: Any) -> str | None:
    """``site.levels`` (docs/site-format.md §4), or a top-level ``levels`` member read the same."""
    ctx = Ctx()
    given = raw.get("levels") if isinstance(raw, Mapping) else None
    if top is not None:
        if given is not None and given != top:
            raise ctx.error(
                msg(
                    "levels: the top-level member (%(top)s) and site.levels (%(given)s) differ",
                    top=show(top),
                    given=show(given),
                )
            )
        given = top
    if given is not None and given not in LADDERS:
        raise ctx.error(
            msg(
                "site: levels must be one of %(ladders)s (the level ladder), got %(given)s",
                ladders=", ".join(LADDERS),
                given=show(given),
            )
        )
    return given


def _site_info(raw: Any, default_id: str, *, top_levels: Any = None) -> SiteInfo:
    ctx = Ctx()
    if raw is None:
        raw = {}
    if not isinstance(raw, Mapping):
        raise ctx.error(
            msg("site: the 'site' member must be an object, got %(raw)s", raw=show(raw))
        )
    levels = _ladder_key(raw, top_levels)
    chosen = LADDERS[levels] if levels is not None else LADDERS["dori"]
    for key in ("name", "district", "address"):
        if raw.get(key) is not None and not isinstance(raw[key], str):
            raise ctx.error(
                msg("site: %(key)s must be a string, got %(value)s", key=key, value=show(raw[key]))
            )
    site_id = raw.get("id")
    if site_id is None:
        site_id = default_id
    elif isinstance(site_id, int) and not isinstance(site_id, bool):
        site_id = str(site_id)
    elif not isinstance(site_id, str) or not site_id.strip():
        raise ctx.error(
            msg("site: id must be a non-empty string, got %(site_id)s", site_id=show(site_id))
        )
    units = raw.get("units", "m")
    if units != "m":
        raise ctx.error(
            msg('site: units must be "m" (local planar metres), got %(units)s', units=show(units))
        )
    if raw.get("crs") is not None:
        parse_crs(raw["crs"])  # docs/site-format.md §6; kept as given in ``extra``
    profile = raw.get("profile")
    if profile is not None and (not isinstance(profile, str) or not profile.strip()):
        raise ctx.error(
            msg("site: profile must be a non-empty string, got %(profile)s", profile=show(profile))
        )
    site_ctx = Ctx(kind="site")
    model = raw.get("coverage_model")
    if model is not None and model not in COVERAGE_MODELS:
        raise ctx.error(
            msg(
                "site: coverage_model must be one of %(names)s, got %(model)s",
                names=", ".join(COVERAGE_MODELS),
                model=show(model),
            )
        )
    return SiteInfo(
        id=site_id,
        name=raw.get("name"),
        district=raw.get("district"),
        address=raw.get("address"),
        units="m",
        households=get_count(site_ctx, raw, "households", None),
        retention_days=get_count(site_ctx, raw, "retention_days", None),
        profile=profile,
        coverage_model=model,
        target_height_m=_per_level(raw, TARGET_HEIGHT, chosen, scalar=True),
        max_depression_deg=_per_level(raw, MAX_DEPRESSION, chosen, scalar=False),  # type: ignore[arg-type]
        levels=levels,
        extra={k: v for k, v in raw.items() if k not in _SITE_KEYS},
    )


def _per_level(
    raw: Mapping[str, Any], prop: Property, ladder: Ladder, *, scalar: bool
) -> float | dict[str, float] | None:
    """A per-level site member (docs/site-format.md §4): an object level (of ``ladder``) →
    number in ``prop``'s range (or, with ``scalar``, one number for every level); None when
    absent."""
    ctx = Ctx(kind="site")
    value = raw.get(prop.name)
    if value is None:
        return None
    if scalar and not isinstance(value, Mapping):
        try:
            return prop.check(value)
        except ValueRangeError as exc:
            raise ctx.located(exc) from None
    if not isinstance(value, Mapping):
        raise ctx.error(
            msg(
                "%(name)s must be an object of level → number, got %(value)s",
                name=prop.name,
                value=show(value),
            )
        )
    out: dict[str, float] = {}
    for level, number in value.items():
        if level not in ladder.names and ladder_of(str(level)) is not None:
            raise ctx.error(
                msg("%(name)s: %(why)s", name=prop.name, why=not_in_ladder(str(level), ladder))
            )
        if level not in ladder.names:
            raise ctx.error(
                msg(
                    "%(name)s: unknown level %(level)s (one of %(names)s)",
                    name=prop.name,
                    level=show(level),
                    names=", ".join(ladder.names),
                )
            )
        try:
            out[level] = prop.check(number)
        except ValueRangeError as exc:
            raise ctx.error(
                msg("%(name)s.%(level)s: %(exc)s", name=prop.name, level=level, exc=exc)
            ) from None
    return out


def parse_site(data: Mapping[str, Any], *, default_id: str = "site") -> Site:
    """Validate a site FeatureCollection (already decoded JSON) and build the Site."""
    if not isinstance(data, Mapping):
        raise SiteFormatError(
            msg(
                "not a GeoJSON FeatureCollection (got %(type_name)s)",
                type_name=type(data).__type_name,
            )
        )
    if data.get("type") != "FeatureCollection":
        raise SiteFormatError(
            msg("not a GeoJSON FeatureCollection (type is %(value)s)", value=show(data.get("type")))
        )
    features = data.get("features")
    if not isinstance(features, list):
        raise SiteFormatError(
            msg("'features' must be a list, got %(features)s", features=show(features))
        )
    info = _site_info(data.get("site"), default_id, top_levels=data.get("levels"))

    boundary: Polygon | None = None
    boundary_index = -1
    groups: dict[type, list[Any]] = {
        t: [] for t in (Building, Obstacle, Wall, Zone, Camera, Gate, Alarm, Intercom, Mount, Door)
    }
    for index, feature in enumerate(features):
        kind = feature_kind(feature, index)
        if kind == "boundary" and boundary is not None:
            raise Ctx(index, "boundary").error(
                msg(
                    "second boundary (feature #%(boundary_index)s is already the boundary; a site has exactly one)",
                    boundary_index=boundary_index,
                )
            )
        obj = parse_feature(feature, index, ladder=info.ladder)
        if isinstance(obj, Polygon):
            boundary, boundary_index = obj, index
        else:
            groups[type(obj)].append(obj)
    if boundary is None:
        raise SiteFormatError(msg("site has no boundary feature (exactly one is required)"))
    _check_values(data, features, groups)

    site = Site(
        info=info,
        boundary=boundary,
        buildings=tuple(groups[Building]),
        obstacles=tuple(groups[Obstacle]),
        walls=tuple(groups[Wall]),
        zones=tuple(groups[Zone]),
        cameras=tuple(groups[Camera]),
        gates=tuple(groups[Gate]),
        alarms=tuple(groups[Alarm]),
        intercoms=tuple(groups[Intercom]),
        mounts=tuple(groups[Mount]),
        doors=tuple(groups[Door]),
        extra={k: v for k, v in data.items() if k not in (*_TOP_KEYS, "levels")},
    )
    check_site(site)
    return site


def _check_values(
    data: Mapping[str, Any], features: list[Any], groups: dict[type, list[Any]]
) -> None:
    """Every value, kept or interpreted, is writable JSON (:func:`check_tree`); after the
    per-feature checks, so a value out of its range gets that range's message first."""
    named = {obj.index: obj for items in groups.values() for obj in items}
    for index, feature in enumerate(features):
        obj = named.get(index)
        kind = feature["properties"]["kind"]
        ident = getattr(obj, "id", None) or getattr(obj, "name", None)
        check_tree(Ctx(index, kind, ident), feature, "feature")
    for key, value in data.items():
        if key != "features":
            check_tree(Ctx(), value, key)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def load_site(path: str | os.PathLike[str]) -> Site:
    """Read and validate a site file; ``site.id`` defaults to the file name without extension."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise SiteFormatError(msg("%(p)s: no such file", p=p)) from None
    except IsADirectoryError:
        raise SiteFormatError(msg("%(p)s: is a directory, not a site file", p=p)) from None
    except OSError as exc:
        raise SiteFormatError(
            msg("%(p)s: cannot read (%(value)s)", p=p, value=exc.strerror or exc)
        ) from None
    return loads_site(data, str(p))


def loads_site(data: bytes, name: str) -> Site:
    """Validate a site file's bytes; ``name`` is its file name (in messages; the id's default)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SiteFormatError(msg("%(p)s: not UTF-8 text", p=name)) from None
    try:
        raw = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise SiteFormatError(
            msg(
                "%(p)s: invalid JSON: %(msg)s at line %(lineno)s column %(colno)s",
                p=name,
                msg=exc.msg,
                lineno=exc.lineno,
                colno=exc.colno,
            )
        ) from None
    except (ValueError, RecursionError) as exc:
        raise SiteFormatError(msg("%(p)s: invalid JSON: %(exc)s", p=name, exc=exc)) from None
    if not isinstance(raw, dict) or raw.get("type") != "FeatureCollection":
        raise SiteFormatError(msg("%(p)s: not a GeoJSON FeatureCollection", p=name))
    return parse_site(raw, default_id=Path(name).stem)


# -- cross-feature checks -----------------------------------------------------------


def site_free_space(site: Site) -> BaseGeometry:
    """Boundary minus buildings, obstacles and wall footprints (for placement checks)."""
    return site.free_space()


def _camera_ctx(camera: Camera) -> Ctx:
    return Ctx(camera.index, "camera", camera.id)


def _blocker(site: Site, camera: Camera) -> Message | str | None:
    """Which opaque feature holds the camera, for the message (None: none does)."""
    pt = camera.point
    holders: Iterable[tuple[str, Any, Polygon]] = (
        [("building", b, b.polygon) for b in site.buildings]
        + [("obstacle", o, o.polygon) for o in site.obstacles]
        + [("wall", w, w.footprint) for w in site.walls]
    )
    for kind, obj, poly in holders:
        if poly.covers(pt):
            what = named(kind, obj.name)
            if obj.index is None:
                return what
            return msg("%(what)s (feature #%(index)s)", what=what, index=obj.index)
    return msg("an obstacle") if site.boundary.covers(pt) else None


def _metres(distance: float) -> str:
    """A distance for a message, with enough digits to show it exceeds the tolerance."""
    text = f"{distance:.2f}"
    return text if float(text) > MOUNT_TOLERANCE_M else f"{distance:.9g}"


def check_camera_placement(
    camera: Camera, site: Site, *, free_space: BaseGeometry | None = None
) -> None:
    """A camera must stand in free space, allowing MOUNT_TOLERANCE_M (0.05 m) slack.

    On a facade (an obstacle's edge) is fine; up to 0.05 m inside an obstacle or
    outside the boundary is fine (analysis moves it to its nearest free point).
    Pass ``free_space`` (from :func:`site_free_space`) when checking many cameras.
    A camera too far from free space that no obstacle holds is outside the
    boundary, and is reported so (free space is snapped to a fine grid, so its
    distance can exceed the distance to the boundary by a hair).
    """
    ctx = _camera_ctx(camera)
    pt = camera.point
    outside = pt.distance(site.boundary)
    at = {"x": f"{pt.x:g}", "y": f"{pt.y:g}", "allowed": f"{MOUNT_TOLERANCE_M}"}
    if outside > MOUNT_TOLERANCE_M + _EPS:
        raise ctx.error(
            msg(
                "camera at (%(x)s, %(y)s) is %(distance)s m outside the boundary (allowed %(allowed)s m)",
                distance=_metres(outside),
                **at,
            )
        )
    free = site_free_space(site) if free_space is None else free_space
    if free.is_empty:
        raise ctx.error(msg("the site has no free space to place a camera in"))
    inside = pt.distance(free)
    # Free space is snap-rounded to ROBUST_GRID_M, which may move its edge that far.
    if inside > MOUNT_TOLERANCE_M + _EPS + ROBUST_GRID_M:
        blocker = _blocker(site, camera)
        if blocker is None:
            raise ctx.error(
                msg(
                    "camera at (%(x)s, %(y)s) is %(distance)s m outside the boundary (allowed %(allowed)s m)",
                    distance=_metres(inside),
                    **at,
                )
            )
        raise ctx.error(
            msg(
                "camera at (%(x)s, %(y)s) is inside %(blocker)s, %(distance)s m from free space (allowed %(allowed)s m)",
                blocker=blocker,
                distance=_metres(inside),
                **at,
            )
        )


def check_camera_id_free(camera: Camera, site: Site) -> None:
    """The camera's id must not be used by another camera of the site."""
    for other in site.cameras:
        if other.id == camera.id and other is not camera:
            if other.index is not None:
                text = msg(
                    "duplicate camera id '%(id)s' (also feature #%(index)s)",
                    id=short(camera.id),
                    index=other.index,
                )
            else:
                text = msg(
                    "duplicate camera id '%(id)s' (also another camera)", id=short(camera.id)
                )
            raise _camera_ctx(camera).error(text)


def _check_unique(kind: str, items: Iterable[Any], attr: str, what: Message) -> None:
    seen: dict[str, Any] = {}
    for item in items:
        key = getattr(item, attr)
        if key is None:
            continue
        if key in seen:
            first = seen[key].index
            if first is not None:
                text = msg(
                    "duplicate %(what)s '%(key)s' (also feature #%(index)s)",
                    what=what,
                    key=short(key),
                    index=first,
                )
            else:
                text = msg("duplicate %(what)s '%(key)s'", what=what, key=short(key))
            raise Ctx(item.index, kind, key).error(text)
        seen[key] = item


def check_door_on_facade(door: Door, site: Site) -> None:
    """A door (docs/site-format.md §5) lies on a building's outline, within 0.5 m."""
    ctx = Ctx(door.index, "door", door.id)
    pt = door.point
    gap = min((b.polygon.boundary.distance(pt) for b in site.buildings), default=None)
    if gap is None:
        raise ctx.error(msg("a door must be on a building facade, but the site has no buildings"))
    if gap > DOOR_FACADE_TOLERANCE_M + _EPS:
        raise ctx.error(
            msg(
                "door at (%(x)s, %(y)s) is %(gap)s m from the nearest building facade (allowed %(allowed)s m)",
                x=format(pt.x, "g"),
                y=format(pt.y, "g"),
                gap=format(gap, ".2f"),
                allowed=DOOR_FACADE_TOLERANCE_M,
            )
        )


def check_site(site: Site) -> None:
    """Cross-feature rules: unique camera ids, zone names and device ids; camera placement."""
    _check_unique("camera", site.cameras, "id", msg("camera id"))
    _check_unique("zone", site.zones, "name", msg("zone name"))
    _check_unique("gate", site.gates, "id", msg("gate id"))
    _check_unique("alarm", site.alarms, "id", msg("alarm id"))
    _check_unique("intercom", site.intercoms, "id", msg("intercom id"))
    _check_unique("door", site.doors, "id", msg("door id"))
    for door in site.doors:
        check_door_on_facade(door, site)
    if site.cameras:
        free = site_free_space(site)
        for camera in site.cameras:
            check_camera_placement(camera, site, free_space=free)


# -- writing -----------------------------------------------------------------------


def _features(site: Site) -> list[Feature]:
    return [
        site.boundary,
        *site.buildings,
        *site.obstacles,
        *site.walls,
        *site.zones,
        *site.cameras,
        *site.gates,
        *site.alarms,
        *site.intercoms,
        *site.mounts,
        *site.doors,
    ]


def site_to_geojson(site: Site) -> dict[str, Any]:
    """The site as a GeoJSON FeatureCollection dict (plain lists, JSON-ready)."""
    info = site.info
    meta: dict[str, Any] = {"id": info.id}
    meta.update(
        (k, v)
        for k, v in (("name", info.name), ("district", info.district), ("address", info.address))
        if v is not None
    )
    meta["units"] = info.units
    meta.update(
        (k, v)
        for k, v in (
            ("households", info.households),
            ("retention_days", info.retention_days),
            ("profile", info.profile),
            ("coverage_model", info.coverage_model),
            ("target_height_m", info.target_height_m),
            ("max_depression_deg", info.max_depression_deg),
            ("levels", info.levels),
        )
        if v is not None
    )
    clash = sorted(k for k in info.extra if k in _SITE_KEYS)
    if clash:
        raise SiteFormatError(
            msg(
                "site: extra members clash with interpreted ones: %(names)s", names=", ".join(clash)
            )
        )
    meta.update(info.extra)
    clash = sorted(k for k in site.extra if k in _TOP_KEYS)
    if clash:
        raise SiteFormatError(
            msg(
                "extra top-level members clash with GeoJSON ones: %(names)s", names=", ".join(clash)
            )
        )
    out: dict[str, Any] = {"type": "FeatureCollection", "site": meta}
    out.update(site.extra)
    out["features"] = [feature_to_geojson(f) for f in _features(site)]
    return out


def dumps_site(site: Site) -> str:
    """The site file text: JSON, 2-space indent, UTF-8 characters kept, trailing newline."""
    try:
        text = json.dumps(site_to_geojson(site), indent=2, ensure_ascii=False, allow_nan=False)
        text.encode("utf-8")
    except (TypeError, ValueError, RecursionError) as exc:  # UnicodeEncodeError is a ValueError
        raise SiteFormatError(
            msg("site cannot be written as JSON: %(value)s", value=show(str(exc)))
        ) from None
    return text + "\n"


def save_site(site: Site, path: str | os.PathLike[str], *, validate: bool = True) -> None:
    """Write the site atomically; with ``validate`` the text is re-checked first.

    Nothing is written when the site is invalid or cannot be serialised; the
    target is replaced in one ``os.replace`` so readers never see half a file.
    """
    text = dumps_site(site)
    if validate:
        parse_site(json.loads(text), default_id=site.id)
    target = Path(path)
    tmp = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as exc:
        raise UsageError(
            msg("cannot write %(target)s: %(value)s", target=target, value=exc.strerror or exc)
        ) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        if target.exists():
            os.chmod(tmp, target.stat().st_mode & 0o7777)
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UsageError(
            msg("cannot write %(target)s: %(value)s", target=target, value=exc.strerror or exc)
        ) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
