"""Reading a site file's ``site`` member: identity, the level ladder and the per-level
values (docs/site-format.md §1, §4), into a :class:`camwatch.model.SiteInfo`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from camwatch.errors import ValueRangeError
from camwatch.i18n import msg
from camwatch.ladders import LADDERS, Ladder, ladder_of, not_in_ladder
from camwatch.model import COVERAGE_MODELS, SiteInfo
from camwatch.properties import MAX_DEPRESSION, TARGET_HEIGHT, Property
from camwatch.sitefile.crs import parse_crs
from camwatch.sitefile.values import Ctx, get_count, show

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


def site_info(raw: Any, default_id: str, *, top_levels: Any = None) -> SiteInfo:
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
