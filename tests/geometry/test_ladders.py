"""Level ladders in the engine: the IEC 62676-4:2025 ladder's rings, nesting, zones, JSON.

The oracle for ring radii is the pixel-density formula written out here from the
published figures (docs/coverage.md, "Ladders"): d = W / (α_rad · P) for a
panoramic camera, and √(d² − (H − z)²) on the ground in the standing model. It
shares no code with camwatch.ladders or camwatch.geometry.optics.
"""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path

import pytest
from shapely.geometry import box

from camwatch.geometry.coverage import analyze
from camwatch.ladders import DORI, IEC2025, LADDERS
from camwatch.model import SiteInfo, Zone
from camwatch.sitefile import parse_site
from tests.common import camera, site

ROOT = Path(__file__).resolve().parents[2]
# Written out from the sources, independent of camwatch.ladders.
EN_2015 = {"detection": 25, "observation": 62.5, "recognition": 125, "identification": 250}
IEC_2025 = {
    "overview": 20,
    "outline": 40,
    "discern": 80,
    "perceive": 125,
    "characterise": 250,
    "validate": 500,
    "scrutinise": 1500,
}
W = 7680  # a panoramic 8K camera: rings of a useful size at every level
H = 3.0


def test_the_table_holds_the_published_figures():
    assert {lv.name: lv.px_per_m for lv in DORI.levels} == EN_2015
    assert {lv.name: lv.px_per_m for lv in IEC2025.levels} == IEC_2025
    for lad in LADDERS.values():
        densities = [lv.px_per_m for lv in lad.levels]
        assert densities == sorted(densities) and len(set(densities)) == len(densities)
        assert all(lv.zh and lv.en for lv in lad.levels)
        assert all(lad.required_level_for(t) in lad.names for t in lad.zone_defaults)
    assert DORI.key == "dori" and IEC2025.lowest == "overview"


def radius(level: str, *, target: float | None = None) -> float:
    """Ground radius of a 360° camera's ring at ``level`` (oracle): the pixel-density distance
    on the ground (ground model, ``target`` None), or its horizontal part for a target at
    ``target`` m (standing model: the slant distance is limited)."""
    d = W / (2 * math.pi * IEC_2025[level])
    if target is None:
        return d
    return math.sqrt(max(d**2 - (H - target) ** 2, 0.0))


def ring_site(zones: list[Zone], *, model: str = "ground"):
    """A 200 m square, one panoramic camera in the middle, the 2025 ladder."""
    cam = camera("C1", 100, 100, hfov_deg=360, resolution=(W, W // 2), height_m=H)
    s = site(box(0, 0, 200, 200), zones=zones, cameras=[cam])
    return replace(s, info=SiteInfo("ring", levels="iec2025", coverage_model=model))


@pytest.mark.parametrize("model, target", [("ground", None), ("standing", 1.6)])
def test_rings_are_the_px_per_m_radii_and_nested(model, target):
    result = analyze(ring_site([], model=model))
    assert tuple(result.levels) == tuple(IEC_2025)
    areas = []
    for level in IEC_2025:
        r = radius(level, target=target)
        disc = math.pi * r * r
        if level in ("characterise", "validate", "scrutinise") and model == "standing":
            # the 30° maximum depression cuts out the middle of the densest rings
            inner = min((H - 1.6) / math.tan(math.radians(30)), r)
            disc -= math.pi * inner * inner
        got = result.levels[level].covered_m2
        assert got == pytest.approx(disc, rel=2e-4, abs=1e-6), level
        areas.append(got)
    assert areas == sorted(areas, reverse=True)
    names = list(result.levels)
    for lower, higher in zip(names, names[1:], strict=False):
        outside = result.levels[higher].geometry.difference(result.levels[lower].geometry)
        assert outside.area < 1e-6, (lower, higher)


@pytest.mark.parametrize(
    "level, inner, outer, passes",
    [
        ("discern", -1.5, -0.5, True),  # wholly within the discern ring
        ("discern", -0.5, 0.5, False),  # half outside: ratio 0.5
        ("outline", -0.5, 0.5, True),  # the outline ring reaches twice as far
        ("scrutinise", -0.5, 0.5, False),  # degenerate: far beyond the densest ring
    ],
)
@pytest.mark.parametrize("model, target", [("ground", None), ("standing", 1.6)])
def test_a_zone_requiring_a_2025_level_passes_as_the_radii_say(
    level, inner, outer, passes, model, target
):
    r = radius("discern", target=target)
    zone = Zone("strip", box(100 + r + inner, 99.75, 100 + r + outer, 100.25), "other", level)
    result = analyze(ring_site([zone], model=model))
    (z,) = result.zones
    assert z.required_level == level and z.passed is passes
    if level == "discern":
        expected = min(max((-inner) / (outer - inner), 0.0), 1.0)
        assert z.ratio == pytest.approx(expected, abs=2e-3)


def test_json_names_the_ladder_its_levels_and_target_heights():
    result = analyze(ring_site([], model="standing")).to_dict()
    assert list(result["levels"]) == list(IEC_2025)
    assert result["ladder"] == "iec2025" and result["px_per_m"] == IEC_2025
    assert result["target_height_m"] == dict.fromkeys(IEC_2025, 1.6)
    assert list(result["cameras"][0]["footprint_m2"]) == list(IEC_2025)
    ground = analyze(ring_site([])).to_dict()
    assert ground["ladder"] == "iec2025" and "target_height_m" not in ground


def test_the_dori_ladder_json_has_no_new_members():
    s = site(box(0, 0, 30, 30), cameras=[camera("C1", 1, 1, heading_deg=45)])
    out = analyze(s).to_dict()
    assert list(out["levels"]) == list(EN_2015)
    assert "ladder" not in out and "px_per_m" not in out
    explicit = analyze(replace(s, info=SiteInfo("x", levels="dori"))).to_dict()
    assert explicit["levels"] == out["levels"] and "ladder" not in explicit


def sample_2025(name: str) -> dict:
    """A sample site under the 2025 ladder, zones moved to the 2025 level of equal or next
    higher density (written out here)."""
    data = json.loads((ROOT / "sample_sites" / f"{name}.geojson").read_text(encoding="utf-8"))
    data["site"]["levels"] = "iec2025"
    to_2025 = {
        "detection": "outline",
        "observation": "discern",
        "recognition": "perceive",
        "identification": "characterise",
    }
    for f in data["features"]:
        props = f["properties"]
        if props["kind"] == "zone" and "required_level" in props:
            props["required_level"] = to_2025[props["required_level"]]
    return data


@pytest.mark.parametrize("model", ["ground", "standing"])
def test_sample_under_the_2025_ladder_nests_and_blind_spots_use_overview(model):
    data = sample_2025("old_residential")
    s = parse_site(data, default_id="xingfu-li")
    result = analyze(s, coverage_model=model)
    names = list(result.levels)
    assert names == list(IEC_2025)
    for lower, higher in zip(names, names[1:], strict=False):
        assert result.levels[higher].covered_m2 <= result.levels[lower].covered_m2 + 1e-9
        extra = result.levels[higher].geometry.difference(result.levels[lower].geometry)
        assert extra.area < 1e-6, (lower, higher)
    # blind spots are what the lowest level (overview, 20 px/m) leaves unseen
    unseen = result.monitored_area_m2 - result.levels["overview"].covered_m2
    assert sum(b.area_m2 for b in result.blind_spots) == pytest.approx(unseen, rel=0.01)
    # a lower density reaches further than DORI's detection (25 px/m)
    dori = analyze(replace(s, info=replace(s.info, levels=None), zones=()), coverage_model=model)
    assert result.levels["overview"].covered_m2 > dori.levels["detection"].covered_m2
    assert result.levels["perceive"].covered_m2 == pytest.approx(
        dori.levels["recognition"].covered_m2, rel=1e-9
    )
    for z in result.zones:
        assert z.required_level in IEC_2025
        assert z.passed is (z.ratio >= 0.98)
