"""Area rules: zone levels, key areas, the high-point camera of large compounds.

Coverage is the ground model (docs/site-format.md §2) of counted cameras.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from camwatch.ladders import ALL_LEVELS, px_per_m
from camwatch.model import required_level_for
from camwatch.standards.engine import Draft, rule

from .context import Context

LEVEL_ZH = {name: lv.zh for name, lv in ALL_LEVELS.items()}  # every ladder's levels


def _uncovered(ctx: Context, zone: Any, level: str) -> Any:
    watched = zone.polygon.intersection(ctx.analysis.monitored)
    cover = ctx.coverage(level)
    return watched.difference(cover) if not cover.is_empty else watched


def _ratio(ctx: Context, zone: Any, level: str) -> float:
    watched = zone.polygon.intersection(ctx.analysis.monitored)
    if watched.area <= 0:
        return 1.0
    cover = ctx.coverage(level)
    return watched.intersection(cover).area / watched.area if not cover.is_empty else 0.0


@rule(
    "ZONE-LEVEL",
    clause="EN 62676-4:2015 DORI levels (the zone pass of docs/site-format.md §2)",
    severity="error",
    params={"pass_ratio": 0.98},
)
def zone_level(ctx: Context, p: Mapping[str, Any]) -> Iterator[Draft]:
    """Each zone reaches its required level over at least 98 % of its monitored area."""
    for zone in ctx.site.zones:
        ratio = _ratio(ctx, zone, zone.required_level)
        if ratio + 1e-12 >= p["pass_ratio"]:
            continue
        yield Draft(
            zh=f"区域 {zone.name} 仅 {ratio:.1%} 达到{LEVEL_ZH[zone.required_level]}级（要求 "
            f"{p['pass_ratio']:.0%}）",
            en=f"zone {zone.name} reaches {zone.required_level} over {ratio:.1%} of its area "
            f"(required {p['pass_ratio']:.0%})",
            features=(zone.name,),
            geometry=_uncovered(ctx, zone, zone.required_level),
            fix=f"add or re-aim cameras over the uncovered part of {zone.name} "
            "(`camwatch plan SITE --add K` suggests positions)",
        )


KEY_AREA_TYPES = ("parking", "bike_shed", "ebike_charging", "garage", "lift", "lobby")


@rule(
    "KEY-AREAS",
    clause="GB 51348-2019 §14.3.6(8)",
    severity="error",
    params={"pass_ratio": 0.98},
    note="Parking, bike shed, e-bike charging, garage, lift and lobby zones are checked at the "
    "default level of their type. A zone whose required level is at least that default is left "
    "to ZONE-LEVEL when the profile runs it, so one shortfall gives one finding.",
)
def key_areas(ctx: Context, p: Mapping[str, Any]) -> Iterator[Draft]:
    """Key areas are covered at their default levels."""
    for zone in ctx.site.zones:
        if zone.zone_type not in KEY_AREA_TYPES:
            continue
        level = required_level_for(zone.zone_type)
        # compared by pixel density, so a zone of another ladder compares too
        stricter = px_per_m(zone.required_level) >= px_per_m(level)
        if stricter and "ZONE-LEVEL" in ctx.active_rules:
            continue
        ratio = _ratio(ctx, zone, level)
        if ratio + 1e-12 >= p["pass_ratio"]:
            continue
        yield Draft(
            zh=f"重点部位 {zone.name} 仅 {ratio:.1%} 达到{LEVEL_ZH[level]}级",
            en=f"key area {zone.name} ({zone.zone_type}) reaches {level} over {ratio:.1%} "
            f"of its area (required {p['pass_ratio']:.0%})",
            features=(zone.name,),
            geometry=_uncovered(ctx, zone, level),
            fix=f"cover {zone.name} at {level} level (its required_level is "
            f"{zone.required_level}, below the standard's {level})"
            if not stricter
            else f"cover {zone.name} at {level} level",
        )


@rule(
    "HIGH-POINT",
    clause="secondary source (weak): large compounds need a high-point overview camera",
    severity="warning",
    params={"min_area_m2": 50000.0, "min_households": 3000, "min_height_m": 15.0},
    note="Applies when the boundary's area or site.households reaches the threshold; satisfied by "
    "a counted camera with purpose overview mounted at least min_height_m high.",
)
def high_point(ctx: Context, p: Mapping[str, Any]) -> Iterator[Draft]:
    """Compounds of ≥ 50,000 m² or ≥ 3,000 households have a high-point overview camera."""
    area = ctx.site.boundary.area
    households = ctx.site.info.households
    big = area >= p["min_area_m2"] or (households is not None and households >= p["min_households"])
    if not big:
        return
    if any(
        cam.purpose == "overview" and cam.height_m >= p["min_height_m"] for cam, _ in ctx.counted
    ):
        return
    tallest = max(ctx.site.buildings, key=lambda b: b.height_m, default=None)
    where = (
        f" on the roof of {tallest.name or 'the tallest building'} ({tallest.height_m:g} m)"
        if tallest is not None
        else ""
    )
    size = f"{area:,.0f} m²" + (f", {households} households" if households else "")
    yield Draft(
        zh=f"小区规模较大（{size}），缺少高点全景摄像机",
        en=f"a large compound ({size}) without a high-point overview camera",
        geometry=ctx.site.boundary,
        fix=f"add an overview camera (purpose overview) at least {p['min_height_m']:g} m high"
        + where,
    )
