"""Which site-feature kind each CAD layer holds (docs/importers.md, "Layer table").

A layer is mapped by the first default rule whose pattern occurs in its name
(case-insensitive substring); a TOML file given with ``--layers`` overrides or
extends the defaults. Zones take their ``zone_type`` from the layer name too
(``区域-停车`` → parking).

>>> rule_for("用地红线").kind, rule_for("1-BLDG-OUTLINE").kind, rule_for("大门").kind
('boundary', 'building', 'gate')
>>> rule_for("区域-停车").props
{'zone_type': 'parking'}
>>> rule_for("DIM") is None
True
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from camwatch.errors import UsageError
from camwatch.i18n import Message, msg
from camwatch.model import LEVELS, ZONE_TYPES

# Kinds a layer can hold; ``door`` is read but not written (the loader has no door
# kind yet, docs/importers.md), ``ignore`` drops a layer on purpose.
LAYER_KINDS: tuple[str, ...] = (
    "boundary",
    "building",
    "obstacle",
    "wall",
    "zone",
    "camera",
    "gate",
    "mount",
    "door",
    "label",
    "ignore",
)


@dataclass(frozen=True)
class LayerRule:
    """What a layer holds: a kind and default properties for its features."""

    kind: str
    props: dict[str, Any] = field(default_factory=dict)


# Ordered: the first pattern found in the layer name wins, so "大门" (gate) is
# tried before "门" (door) and "区域-入口" (zone) before "入口".
DEFAULT_RULES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("区域", "ZONE"), "zone"),
    (("用地红线", "红线", "用地界", "BOUNDARY", "PROPERTY", "SITE-LINE"), "boundary"),
    (("围墙", "挡墙", "WALL", "FENCE"), "wall"),
    (("大门", "出入口", "GATE", "ENTRANCE"), "gate"),
    (("摄像", "监控", "CAMERA", "CCTV"), "camera"),
    (("安装点", "立杆", "MOUNT"), "mount"),
    (("构筑物", "岗亭", "车棚", "OBSTACLE", "KIOSK", "SHED"), "obstacle"),
    (("建筑", "楼", "房屋", "BLDG", "BUILDING"), "building"),
    (("单元门", "门", "DOOR"), "door"),
    (("文字", "注记", "标注", "TEXT", "ANNO", "LABEL"), "label"),
)

# Zone type from words in a zone layer's name (first match; else "other").
ZONE_WORDS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("入口", "ENTRANCE"), "entrance"),
    (("周界", "PERIMETER"), "perimeter"),
    (("车库", "地库", "GARAGE"), "garage"),
    (("停车", "PARKING"), "parking"),
    (("充电", "EBIKE", "CHARGING"), "ebike_charging"),
    (("车棚", "BIKE"), "bike_shed"),
    (("游乐", "儿童", "PLAYGROUND"), "playground"),
    (("电梯", "LIFT"), "lift"),
    (("大堂", "LOBBY"), "lobby"),
    (("道路", "通道", "ROAD", "LANE"), "road"),
    (("广场", "健身", "SQUARE"), "square"),
)


def _zone_type(name: str) -> str:
    upper = name.upper()
    for words, zone_type in ZONE_WORDS:
        if any(w in upper for w in words):
            return zone_type
    return "other"


def rule_for(layer: str, overrides: Mapping[str, LayerRule] | None = None) -> LayerRule | None:
    """The rule for ``layer``: an exact override, else the first matching default, else None."""
    if overrides:
        if layer in overrides:
            return overrides[layer]
        folded = {k.casefold(): v for k, v in overrides.items()}
        if layer.casefold() in folded:
            return folded[layer.casefold()]
    upper = layer.upper()
    for patterns, kind in DEFAULT_RULES:
        if any(p in upper for p in patterns):
            if kind == "zone":
                return LayerRule("zone", {"zone_type": _zone_type(layer)})
            return LayerRule(kind)
    return None


def _rule_from_toml(layer: str, value: Any) -> LayerRule:
    if isinstance(value, str):
        value = {"kind": value}
    if not isinstance(value, Mapping):
        raise UsageError(
            msg(
                "layer map: layer %(layer)s must map to a kind or a table, got %(value)s",
                layer=repr(layer),
                value=repr(value),
            )
        )
    kind = value.get("kind")
    if kind not in LAYER_KINDS:
        raise UsageError(
            msg(
                "layer map: layer %(layer)s: kind must be one of %(kinds)s, got %(kind)s",
                layer=repr(layer),
                kinds=", ".join(LAYER_KINDS),
                kind=repr(kind),
            )
        )
    props = {k: v for k, v in value.items() if k != "kind"}
    if kind == "zone":
        props.setdefault("zone_type", _zone_type(layer))
        if props["zone_type"] not in ZONE_TYPES:
            raise UsageError(
                msg(
                    "layer map: layer %(layer)s: unknown zone_type %(value)s",
                    layer=repr(layer),
                    value=repr(props["zone_type"]),
                )
            )
        level = props.get("required_level")
        if level is not None and level not in LEVELS:
            raise UsageError(
                msg(
                    "layer map: layer %(layer)s: unknown required_level %(value)s",
                    layer=repr(layer),
                    value=repr(level),
                )
            )
    return LayerRule(kind, props)


LAYER_MAP = msg("layer map")  # what a layer map without a file is called in messages


def parse_layer_map(text: str, *, source: str | Message = LAYER_MAP) -> dict[str, LayerRule]:
    """Parse a TOML layer map: a ``[layers]`` table of ``"LAYER" = "kind"`` or
    ``"LAYER" = {kind = "zone", zone_type = "parking"}``.

    >>> parse_layer_map('[layers]\\n"A-PLAN" = "building"')["A-PLAN"].kind
    'building'
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(
            msg("%(source)s: invalid TOML: %(detail)s", source=source, detail=str(exc))
        ) from None
    layers = data.get("layers")
    if not isinstance(layers, Mapping) or not layers:
        raise UsageError(msg("%(source)s: needs a non-empty [layers] table", source=source))
    return {str(name): _rule_from_toml(str(name), value) for name, value in layers.items()}


def load_layer_map(path: str | Path) -> dict[str, LayerRule]:
    """Read a TOML layer map file (see :func:`parse_layer_map`)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(
            msg("%(path)s: cannot read the layer map (%(detail)s)", path=str(p), detail=str(exc))
        ) from None
    return parse_layer_map(text, source=str(p))
