"""docs/site-format.md §5 facts: read, checked, written back (defaults left out)."""

from __future__ import annotations

import copy
import json

import pytest

from camwatch.errors import SiteFormatError
from camwatch.model import DOOR_TYPES, Door
from camwatch.sitefile import dumps_site, parse_site, site_to_geojson
from tests.standards.sites import baseline, feature


def test_facts_are_read():
    site = parse_site(baseline())
    assert (site.info.households, site.info.retention_days, site.info.profile) == (100, 30, None)
    assert site.info.rule_profile == "national"
    gate = site.gates[0]
    assert (gate.gate_type, gate.lanes) == ("mixed", 1)
    (door,) = site.doors
    assert door == Door("D1", (30.0, 15.0), building="B1", door_type="unit", intercom=True)
    gc = next(c for c in site.cameras if c.id == "GC")
    assert (gc.ptz, gc.wdr, gc.indoor, gc.purpose) == (False, False, False, "face")
    assert [a.zone for a in site.alarms] == ["Z1", "Z2"]


def test_round_trip_and_defaults_left_out():
    data = baseline()
    site = parse_site(data)
    again = parse_site(json.loads(dumps_site(site)))
    assert again == site
    out = site_to_geojson(site)
    gate = next(f for f in out["features"] if f["properties"]["kind"] == "gate")
    assert "lanes" not in gate["properties"] and "gate_type" not in gate["properties"]  # defaults
    cams = [f["properties"] for f in out["features"] if f["properties"]["kind"] == "camera"]
    assert all("ptz" not in c and "indoor" not in c for c in cams)
    assert out["site"]["households"] == 100 and "profile" not in out["site"]


def test_a_v1_file_stays_v1():
    data = baseline()
    data["site"] = {"id": "v1"}
    for f in data["features"]:
        props = f["properties"]
        for key in ("gate_type", "lanes", "purpose", "zone"):
            props.pop(key, None)
    data["features"] = [f for f in data["features"] if f["properties"]["kind"] != "door"]
    out = site_to_geojson(parse_site(data))
    text = json.dumps(out)
    for key in ("gate_type", "lanes", "purpose", "ptz", "households", "retention_days", "profile"):
        assert f'"{key}"' not in text


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda s: feature(s, "G1")["properties"].update(gate_type="car"), "unknown gate_type 'car'"),
        (lambda s: feature(s, "G1")["properties"].update(lanes=1.5), "lanes must be a whole number"),
        (lambda s: feature(s, "GC")["properties"].update(purpose="lpr"), "unknown purpose 'lpr'"),
        (lambda s: feature(s, "GC")["properties"].update(ptz="yes"), "ptz must be true or false"),
        (lambda s: feature(s, "D1")["properties"].update(door_type="gate"), "unknown door_type"),
        (lambda s: feature(s, "D1").update(geometry={"type": "Point", "coordinates": [30, 13]}),
         "(door 'D1'): door at (30, 13) is 2.00 m from the nearest building facade"),
        (lambda s: s["features"].append(copy.deepcopy(feature(s, "D1"))), "duplicate door id 'D1'"),
        (lambda s: s["site"].update(households=True), "site: households must be a whole number"),
        (lambda s: s["site"].update(retention_days=0), "site: retention_days must be a whole"),
        (lambda s: s["site"].update(profile=""), "site: profile must be a non-empty string"),
    ],
)  # fmt: skip
def test_bad_facts_are_clear_errors(change, message):
    data = baseline()
    change(data)
    with pytest.raises(SiteFormatError) as err:
        parse_site(data)
    assert message in str(err.value)


def test_a_door_needs_a_building():
    data = baseline()
    data["features"] = [f for f in data["features"] if f["properties"]["kind"] != "building"]
    with pytest.raises(SiteFormatError, match="the site has no buildings"):
        parse_site(data)


@pytest.mark.parametrize("door_type", DOOR_TYPES)
def test_every_door_type_loads(door_type):
    data = baseline()
    feature(data, "D1")["properties"]["door_type"] = door_type
    assert parse_site(data).doors[0].door_type == door_type
