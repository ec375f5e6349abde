"""Reading site files: the site member, the features and their per-level values, parsed and
checked into a :class:`camwatch.model.Site` (docs/site-format.md §1–2; the package's
docstring, :mod:`camwatch.sitefile`, describes the errors and decisions)."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from shapely.geometry import Polygon

from camwatch.errors import SiteFormatError, ValueRangeError
from camwatch.i18n import msg
from camwatch.ladders import LADDERS, Ladder, ladder_of, not_in_ladder
from camwatch.model import (
    COVERAGE_MODELS,
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
from camwatch.sitefile.checks import check_site
from camwatch.sitefile.crs import parse_crs
from camwatch.sitefile.features import (
    feature_kind,
    get_count,
    parse_feature,
)
from camwatch.sitefile.values import Ctx, check_tree, show

SITE_KEYS = (
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
TOP_KEYS = ("type", "features", "site")


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
        extra={k: v for k, v in raw.items() if k not in SITE_KEYS},
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
        extra={k: v for k, v in data.items() if k not in (*TOP_KEYS, "levels")},
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
