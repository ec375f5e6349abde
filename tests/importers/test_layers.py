"""Layer names → kinds: the default table and TOML overrides."""

from __future__ import annotations

import pytest

from camwatch.errors import UsageError
from camwatch.importers.layers import parse_layer_map, rule_for


@pytest.mark.parametrize(
    "layer, kind, zone_type",
    [
        ("用地红线", "boundary", None),
        ("红线", "boundary", None),
        ("0-BOUNDARY", "boundary", None),
        ("建筑", "building", None),
        ("1号楼轮廓", "building", None),
        ("房屋", "building", None),
        ("A-BLDG", "building", None),
        ("围墙", "wall", None),
        ("wall", "wall", None),
        ("构筑物", "obstacle", None),
        ("OBSTACLE", "obstacle", None),
        ("大门", "gate", None),
        ("出入口", "gate", None),
        ("GATE", "gate", None),
        ("摄像机", "camera", None),
        ("CAMERA", "camera", None),
        ("门", "door", None),
        ("单元门", "door", None),
        ("DOOR", "door", None),
        ("安装点", "mount", None),
        ("区域-停车", "zone", "parking"),
        ("区域-入口", "zone", "entrance"),
        ("ZONE-PLAYGROUND", "zone", "playground"),
        ("区域", "zone", "other"),
        ("文字", "label", None),
        ("DIM", None, None),  # degenerate: not mapped
        ("", None, None),
    ],
)
def test_default_layer_table(layer, kind, zone_type):
    rule = rule_for(layer)
    assert (rule.kind if rule else None) == kind
    if zone_type:
        assert rule.props == {"zone_type": zone_type}


def test_toml_map_overrides_defaults_case_insensitively():
    rules = parse_layer_map('[layers]\n"建筑" = "ignore"\n"x-park" = {kind = "zone"}\n')
    assert rule_for("建筑", rules).kind == "ignore"
    assert rule_for("X-PARK", rules).kind == "zone"
    assert rule_for("用地红线", rules).kind == "boundary"  # defaults still apply


@pytest.mark.parametrize(
    "text, message",
    [
        ("[layers", "invalid TOML"),
        ("[other]\na = 1", "non-empty [layers]"),
        ('[layers]\n"A" = "tree"', "kind must be one of"),
        ('[layers]\n"A" = {kind = "zone", zone_type = "pool"}', "unknown zone_type"),
        ('[layers]\n"A" = {kind = "zone", required_level = "max"}', "unknown required_level"),
        ('[layers]\n"A" = 3', "must map to a kind"),
    ],
)
def test_bad_layer_maps(text, message):
    with pytest.raises(UsageError, match=message.replace("[", r"\[")):
        parse_layer_map(text)
