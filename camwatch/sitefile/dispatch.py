"""One GeoJSON Feature -> its model object: the envelope checked, then its kind's parser.

:func:`feature_kind` checks a Feature's envelope (an object of type ``Feature``
whose ``properties.kind`` is a known kind); :func:`parse_feature` then hands its
properties and geometry to the kind's parser in :data:`PARSERS` (the per-kind
parsers are :mod:`camwatch.sitefile.features`). :mod:`camwatch.sitefile.parse`
runs both over a site's features.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from camwatch.i18n import msg
from camwatch.ladders import DORI, Ladder
from camwatch.model import FEATURE_KINDS
from camwatch.sitefile.features import (
    Feature,
    parse_alarm,
    parse_boundary,
    parse_building,
    parse_camera,
    parse_door,
    parse_gate,
    parse_intercom,
    parse_mount,
    parse_obstacle,
    parse_wall,
    parse_zone,
    properties_of,
)
from camwatch.sitefile.values import Ctx, show

PARSERS: dict[str, Callable[[Any, Any, int | None], Feature]] = {
    "boundary": parse_boundary,
    "building": parse_building,
    "obstacle": parse_obstacle,
    "wall": parse_wall,
    "zone": parse_zone,
    "camera": parse_camera,
    "gate": parse_gate,
    "alarm": parse_alarm,
    "intercom": parse_intercom,
    "mount": parse_mount,
    "door": parse_door,
}


def feature_kind(feature: Any, index: int | None = None) -> str:
    """Check the GeoJSON Feature envelope and return its ``properties.kind``."""
    ctx = Ctx(index)
    if not isinstance(feature, Mapping):
        raise ctx.error(msg("not a GeoJSON Feature object, got %(feature)s", feature=show(feature)))
    if feature.get("type") != "Feature":
        raise ctx.error(
            msg("not a GeoJSON Feature (type is %(value)s)", value=show(feature.get("type")))
        )
    props = properties_of(ctx, feature.get("properties"))
    kind = props.get("kind")
    if kind is None:
        raise ctx.error(msg("properties.kind is missing"))
    if not isinstance(kind, str) or kind not in FEATURE_KINDS:
        raise ctx.error(
            msg(
                "unknown kind %(kind)s (expected one of: %(names)s)",
                kind=show(kind),
                names=", ".join(FEATURE_KINDS),
            )
        )
    return kind


def parse_feature(feature: Any, index: int | None = None, *, ladder: Ladder = DORI) -> Feature:
    """Parse one GeoJSON Feature, dispatching on ``properties.kind``; zones take their
    levels from ``ladder`` (the site's, camwatch.ladders)."""
    return parse_feature_of(feature_kind(feature, index), feature, index, ladder=ladder)


def parse_feature_of(
    kind: str, feature: Any, index: int | None = None, *, ladder: Ladder = DORI
) -> Feature:
    """:func:`parse_feature` of a feature whose envelope :func:`feature_kind` has checked
    (``kind`` is what it returned), without checking it again."""
    if kind == "zone":
        return parse_zone(feature.get("properties"), feature.get("geometry"), index, ladder=ladder)
    return PARSERS[kind](feature.get("properties"), feature.get("geometry"), index)


__all__ = ["PARSERS", "feature_kind", "parse_feature", "parse_feature_of"]
