"""Reading site files: the features (the ``site`` member in :mod:`~camwatch.sitefile.member`),
parsed and checked into a :class:`camwatch.model.Site` (docs/site-format.md §1–2; the package's
docstring, :mod:`camwatch.sitefile`, describes the errors and decisions)."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from shapely.geometry import Polygon

from camwatch.errors import SiteFormatError
from camwatch.i18n import msg
from camwatch.ladders import Ladder
from camwatch.model import (
    Alarm,
    Building,
    Camera,
    Door,
    Gate,
    Intercom,
    Mount,
    Obstacle,
    Site,
    Wall,
    Zone,
)
from camwatch.sitefile.checks import check_site
from camwatch.sitefile.dispatch import feature_kind, parse_feature_of
from camwatch.sitefile.member import site_info
from camwatch.sitefile.values import Ctx, check_tree, show

TOP_KEYS = ("type", "features", "site")


GROUPS: tuple[type, ...] = (
    Building,
    Obstacle,
    Wall,
    Zone,
    Camera,
    Gate,
    Alarm,
    Intercom,
    Mount,
    Door,
)


@dataclass(frozen=True)
class Leading:
    """The first ``count`` features of a site, parsed and value-checked with the site's
    level ``ladder`` (by :func:`parse_leading`): given to :func:`parse_site` as
    ``leading``, they are not parsed again, only the features after them. Immutable, so
    one serves many parses (the ledger's plan, docs/registry.md "Loader speed")."""

    count: int
    ladder: Ladder
    boundary: Polygon | None
    boundary_index: int
    groups: Mapping[type, tuple[Any, ...]]


@dataclass
class _Parsed:
    """Features parsed so far: the boundary and the model objects by type."""

    boundary: Polygon | None = None
    boundary_index: int = -1
    groups: dict[type, list[Any]] = field(default_factory=lambda: {t: [] for t in GROUPS})


def _features_of(data: Any) -> list[Any]:
    """The ``features`` list of a FeatureCollection (the envelope checked)."""
    if not isinstance(data, Mapping):
        raise SiteFormatError(
            msg(
                "not a GeoJSON FeatureCollection (got %(type_name)s)",
                type_name=type(data).__name__,
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
    return features


def _parse_features(features: list[Any], start: int, ladder: Ladder, into: _Parsed) -> None:
    """Parse ``features[start:]`` (indexes from ``start``) into ``into``."""
    for index in range(start, len(features)):
        feature = features[index]
        kind = feature_kind(feature, index)
        if kind == "boundary" and into.boundary is not None:
            raise Ctx(index, "boundary").error(
                msg(
                    "second boundary (feature #%(boundary_index)s is already the boundary; a site has exactly one)",
                    boundary_index=into.boundary_index,
                )
            )
        obj = parse_feature_of(kind, feature, index, ladder=ladder)
        if isinstance(obj, Polygon):
            into.boundary, into.boundary_index = obj, index
        else:
            into.groups[type(obj)].append(obj)


def _check_features(features: list[Any], start: int, parsed: _Parsed) -> None:
    """Every value of ``features[start:]``, kept or interpreted, is writable JSON
    (:func:`check_tree`); after the per-feature checks, so a value out of its range gets
    that range's message first."""
    named = {obj.index: obj for items in parsed.groups.values() for obj in items}
    for index in range(start, len(features)):
        feature = features[index]
        obj = named.get(index)
        kind = feature["properties"]["kind"]
        ident = getattr(obj, "id", None) or getattr(obj, "name", None)
        check_tree(Ctx(index, kind, ident), feature, "feature")


def parse_leading(data: Mapping[str, Any], count: int, *, default_id: str = "site") -> Leading:
    """Check the ``site`` member and the first ``count`` features of ``data`` as
    :func:`parse_site` does (each feature, a second boundary, every value), for
    ``parse_site(data2, leading=...)`` of any ``data2`` whose ``site`` member gives the same
    level ladder and whose first ``count`` features are equal to these.

    Raises the first :class:`SiteFormatError` in them, which need not be the one
    :func:`parse_site` reports first (it parses every feature before checking values):
    for the error, parse the whole site.
    """
    features = _features_of(data)
    if not 0 <= count <= len(features):
        raise ValueError(f"count {count} outside 0..{len(features)} features")
    info = site_info(data.get("site"), default_id, top_levels=data.get("levels"))
    parsed = _Parsed()
    head = features[:count]
    _parse_features(head, 0, info.ladder, parsed)
    _check_features(head, 0, parsed)
    return Leading(
        count=count,
        ladder=info.ladder,
        boundary=parsed.boundary,
        boundary_index=parsed.boundary_index,
        groups=MappingProxyType({t: tuple(items) for t, items in parsed.groups.items()}),
    )


def parse_site(
    data: Mapping[str, Any], *, default_id: str = "site", leading: Leading | None = None
) -> Site:
    """Validate a site FeatureCollection (already decoded JSON) and build the Site.

    ``leading`` (from :func:`parse_leading`): the first ``leading.count`` features of
    ``data``, already parsed with the same ladder; only the features after them are
    parsed and value-checked, the cross-feature checks (:func:`check_site`) see all. The
    answer, Site or error, is the one a parse without ``leading`` gives when those
    features are equal to the ones ``leading`` was made from (the caller's promise).
    """
    features = _features_of(data)
    info = site_info(data.get("site"), default_id, top_levels=data.get("levels"))
    parsed = _Parsed()
    start = 0
    if leading is not None:
        if leading.ladder != info.ladder or leading.count > len(features):
            raise ValueError("leading features parsed for another site (ladder or count)")
        start = leading.count
        parsed.boundary, parsed.boundary_index = leading.boundary, leading.boundary_index
        parsed.groups = {t: list(leading.groups[t]) for t in GROUPS}
    _parse_features(features, start, info.ladder, parsed)
    if parsed.boundary is None:
        raise SiteFormatError(msg("site has no boundary feature (exactly one is required)"))
    _check_features(features, start, parsed)
    for key, value in data.items():
        if key != "features":
            check_tree(Ctx(), value, key)

    groups = parsed.groups
    site = Site(
        info=info,
        boundary=parsed.boundary,
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
