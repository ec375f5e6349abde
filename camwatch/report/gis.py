"""KML and RFC 7946 GeoJSON of a site and its analysis (pure: returns bytes).

Layers: the boundary, buildings, zones (with pass/fail), cameras (with their
optics), each camera's footprint per DORI level, and the blind spots. Both
formats carry the same features with the same properties; polygons follow
the right-hand rule (exterior counter-clockwise), as RFC 7946 asks.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any

import shapely
from shapely.geometry import MultiPolygon, Polygon, mapping
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient

from camwatch.areal import polygon_parts
from camwatch.geometry.coverage import Analysis
from camwatch.model import LEVELS, Site
from camwatch.report.geo import site_georef, to_wgs84, wgs84_transform
from camwatch.report.words import word

KML_NS = "http://www.opengis.net/kml/2.2"
# KML colours are aabbggrr
STYLES: dict[str, tuple[str, str]] = {  # layer -> (line colour, fill colour)
    "boundary": ("ff000000", "00ffffff"),
    "building": ("ff555555", "99aaaaaa"),
    "zone_pass": ("ff2e7d32", "332e7d32"),
    "zone_fail": ("ff2823c8", "442823c8"),
    "blind_spot": ("ff0000d0", "990000ff"),
    "detection": ("ffb07d1e", "44e0b04f"),
    "observation": ("ff9a6a00", "55c79b2b"),
    "recognition": ("ff6b3e00", "668a5a0d"),
    "identification": ("ff3d2300", "77602f00"),
    "camera": ("ff1f1f1f", "ff1f1f1f"),
}


@dataclass(frozen=True)
class GisFeature:
    """One exported feature: its layer, name, WGS84 geometry and properties."""

    layer: str
    name: str
    geometry: BaseGeometry
    properties: dict[str, Any]


def _oriented(geom: BaseGeometry) -> BaseGeometry:
    if isinstance(geom, Polygon):
        return orient(geom, 1.0)
    if isinstance(geom, MultiPolygon):
        return MultiPolygon([orient(p, 1.0) for p in geom.geoms])
    return geom


def gis_features(site: Site, analysis: Analysis, *, lang: str = "zh") -> list[GisFeature]:
    """The site's features in WGS84 (UsageError without ``site.crs``)."""
    apply = wgs84_transform(site_georef(site))
    out: list[GisFeature] = []

    def add(layer: str, name: str, geom: BaseGeometry, **props: Any) -> None:
        if geom.is_empty:
            return
        geo = _oriented(to_wgs84(geom, apply))
        out.append(GisFeature(layer, name, geo, {"layer": layer, "name": name, **props}))

    add("boundary", site.info.name or site.id, site.boundary, site=site.id)
    for b in site.buildings:
        add("building", b.name or word("building", lang), b.polygon, height_m=b.height_m)
    zones = {z.name: z for z in analysis.zones}
    for zone in site.zones:
        zres = zones.get(zone.name)
        layer = "zone_pass" if zres is None or zres.passed else "zone_fail"
        add(
            layer,
            zone.name,
            zone.polygon,
            zone_type=zone.zone_type,
            required_level=zone.required_level,
            ratio=None if zres is None else zres.ratio,
            passed=None if zres is None else zres.passed,
        )
    for spot in analysis.blind_spots:
        add("blind_spot", spot.id, spot.geometry, area_m2=spot.area_m2, zones=list(spot.zones))
    results = {c.id: c for c in analysis.cameras}
    for cam in site.cameras:
        res = results.get(cam.id)
        counted = bool(res and res.counted)
        for level in LEVELS:
            parts = polygon_parts(res.footprints.get(level)) if res else []
            if parts:
                geom = parts[0] if len(parts) == 1 else MultiPolygon(parts)
                add(level, f"{cam.id} {word(level, lang)}", geom, camera=cam.id, level=level,
                    area_m2=res.footprint_m2[level] if res else None, counted=counted)  # fmt: skip
        add(
            "camera",
            cam.id,
            shapely.Point(cam.position),
            status=cam.status,
            counted=counted,
            model=cam.model,
            height_m=cam.height_m,
            heading_deg=cam.heading_deg,
            tilt_deg=cam.tilt_deg,
            hfov_deg=round(cam.hfov, 3),
            resolution=list(cam.resolution),
        )
    return out


def geojson84(site: Site, analysis: Analysis, *, lang: str = "zh") -> bytes:
    """An RFC 7946 FeatureCollection (longitude, latitude; WGS84), UTF-8."""
    feats = [
        {"type": "Feature", "properties": f.properties, "geometry": mapping(f.geometry)}
        for f in gis_features(site, analysis, lang=lang)
    ]
    doc = {"type": "FeatureCollection", "name": site.info.name or site.id, "features": feats}
    text = json.dumps(doc, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return (text + "\n").encode("utf-8")


def _coords(seq: Any) -> str:
    return " ".join(f"{float(x)!r},{float(y)!r},0" for x, y in seq)


def _kml_geometry(parent: ET.Element, geom: BaseGeometry) -> None:
    if geom.geom_type == "Point":
        point = ET.SubElement(parent, "Point")
        ET.SubElement(point, "coordinates").text = _coords([(geom.x, geom.y)])
        return
    polys = polygon_parts(geom)
    holder = ET.SubElement(parent, "MultiGeometry") if len(polys) > 1 else parent
    for poly in polys:
        el = ET.SubElement(holder, "Polygon")
        rings = [("outerBoundaryIs", poly.exterior)]
        rings += [("innerBoundaryIs", ring) for ring in poly.interiors]
        for tag, ring in rings:
            lr = ET.SubElement(ET.SubElement(el, tag), "LinearRing")
            ET.SubElement(lr, "coordinates").text = _coords(ring.coords)


def _style(doc: ET.Element, layer: str, line: str, fill: str) -> None:
    style = ET.SubElement(doc, "Style", id=layer)  # children in the KML 2.2 schema's order
    ET.SubElement(ET.SubElement(style, "IconStyle"), "color").text = line
    ET.SubElement(ET.SubElement(style, "LineStyle"), "color").text = line
    ET.SubElement(ET.SubElement(style, "PolyStyle"), "color").text = fill


FOLDERS = (
    ("boundary", ("boundary",)),
    ("building", ("building",)),
    ("zone", ("zone_pass", "zone_fail")),
    ("blind spots", ("blind_spot",)),
    ("cameras", ("camera",)),
    *((level, (level,)) for level in LEVELS),
)


def kml(site: Site, analysis: Analysis, *, lang: str = "zh") -> bytes:
    """A KML 2.2 document: one folder per layer, one styled placemark per feature."""
    feats = gis_features(site, analysis, lang=lang)
    root = ET.Element("kml", xmlns=KML_NS)
    doc = ET.SubElement(root, "Document")
    ET.SubElement(doc, "name").text = site.info.name or site.id
    for layer, (line, fill) in STYLES.items():
        _style(doc, layer, line, fill)
    for title, layers in FOLDERS:
        members = [f for f in feats if f.layer in layers]
        if not members:
            continue
        folder = ET.SubElement(doc, "Folder")
        ET.SubElement(folder, "name").text = word(title, lang)
        for f in members:
            mark = ET.SubElement(folder, "Placemark")
            ET.SubElement(mark, "name").text = f.name
            ET.SubElement(mark, "styleUrl").text = f"#{f.layer}"
            data = ET.SubElement(mark, "ExtendedData")
            for key, value in f.properties.items():
                if value is None or key in ("layer", "name"):
                    continue
                el = ET.SubElement(data, "Data", name=key)
                shown = json.dumps(value, ensure_ascii=False) if isinstance(value, list) else value
                ET.SubElement(el, "value").text = str(shown)
            _kml_geometry(mark, f.geometry)
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")
