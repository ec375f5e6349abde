"""DXF shapes → a site FeatureCollection (pure; docs/importers.md).

:func:`convert_shapes` takes the shapes :mod:`camwatch.importers.dxf_read` read
(drawing units), the metres-per-unit scale and the layer rules, and returns the
site as GeoJSON (validated by the site loader) with a :class:`Report` of what
was read, converted and ignored per layer.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from shapely.geometry import Point, Polygon

from camwatch.errors import SiteFormatError, UsageError, kind_word
from camwatch.i18n import Said, msg, term_msg
from camwatch.importers.attributes import attribute_props, heading_from_rotation
from camwatch.importers.dxf_read import Shape
from camwatch.importers.layers import LayerRule, rule_for
from camwatch.importers.outlines import close_chains, drop_duplicates, valid_polygon
from camwatch.importers.report import LayerReport, Report
from camwatch.sitefile import parse_site

POLYGON_KINDS = ("boundary", "building", "obstacle", "zone")
POINT_KINDS = ("camera", "gate", "door", "mount")
# A drawing whose coordinates reach beyond this (metres) is moved to a local origin.
LOCAL_ORIGIN_ABOVE_M = 1e5
MAX_COORD_M = 1e7  # site-format limit on |x|, |y|
SIZE_WARN_M = (10.0, 5000.0)  # a site outside this width suggests wrong units
_ROUND = 6  # decimals (µm) kept in the written coordinates


@dataclass
class _Outline:
    poly: Polygon
    layer: str
    props: dict[str, Any]


@dataclass
class _Collected:
    outlines: dict[str, list[_Outline]] = field(default_factory=dict)
    chains: dict[tuple[str, str], list[list[tuple[float, float]]]] = field(default_factory=dict)
    labels: list[tuple[str, str, Shape]] = field(default_factory=list)  # (target kind, layer, text)
    tags: list[tuple[str, Shape]] = field(default_factory=list)  # (kind, INSERT point)
    features: list[tuple[str, Any, dict[str, Any], str]] = field(default_factory=list)


def _scaled(shape: Shape, scale: float) -> Shape:
    props = dict(shape.props)
    for key in ("height", "width"):
        if key in props:
            props[key] = props[key] * scale
    return Shape(
        shape.layer,
        shape.dxftype,
        shape.form,
        [(x * scale, y * scale) for x, y in shape.coords],
        [[(x * scale, y * scale) for x, y in h] for h in shape.holes],
        props,
        shape.text,
        shape.block,
    )


def _collect(shape: Shape, rule: LayerRule, lr: LayerReport, got: _Collected) -> None:
    kind, form = rule.kind, shape.form
    props: dict[str, Any]
    in_block = shape.props.get("in_block", False)
    if form in ("unsupported", "broken"):
        detail = shape.text or msg("entity type not read")
        lr.ignored[Said(msg("%(type)s (%(detail)s)", type=shape.dxftype, detail=detail))] += 1
    elif kind == "ignore":
        lr.ignored[Said(msg("%(type)s (layer mapped to ignore)", type=shape.dxftype))] += 1
    elif kind == "door":
        if form == "point" and not in_block:
            lr.ignored[Said(msg("door (the site loader has no door kind yet)"))] += 1
    elif form == "text":
        if kind in POLYGON_KINDS or kind == "label":
            got.labels.append((kind, shape.layer, shape))
        else:
            lr.ignored[
                Said(
                    msg(
                        "TEXT on a %(kind)s layer (names only buildings, obstacles, zones)",
                        kind=kind_word(kind),
                    )
                )
            ] += 1
    elif kind in POLYGON_KINDS:
        if form == "polygon":
            poly = valid_polygon(shape.coords, shape.holes)
            if poly is None:
                lr.ignored[
                    Said(msg("%(type)s (self-intersecting or empty outline)", type=shape.dxftype))
                ] += 1
            else:
                found = attribute_props(shape.props.get("block_attribs", {}))
                if "height" in shape.props:
                    found["height"] = shape.props["height"]
                got.outlines.setdefault(kind, []).append(_Outline(poly, shape.layer, found))
        elif form == "line":
            got.chains.setdefault((kind, shape.layer), []).append(shape.coords)
        elif form == "point" and shape.props.get("attribs"):
            got.tags.append((kind, shape))
    elif kind == "wall" and form in ("line", "polygon"):
        coords = shape.coords + shape.coords[:1] if form == "polygon" else shape.coords
        props = {}
        if "width" in shape.props:
            props["thickness_m"] = round(shape.props["width"], _ROUND)
        if "height" in shape.props:
            props["height_m"] = round(shape.props["height"], _ROUND)
        got.features.append(("wall", ("LineString", coords), props, shape.layer))
    elif kind in ("camera", "gate", "mount") and form == "point" and not in_block:
        props = attribute_props(shape.props.get("attribs", {}))
        if kind == "camera" and "heading_deg" not in props and shape.dxftype == "INSERT":
            props["heading_deg"] = heading_from_rotation(shape.props["rotation"])
        got.features.append((kind, ("Point", shape.coords[0]), props, shape.layer))
    elif kind in ("gate", "mount") and form in ("line", "polygon") and not in_block:
        coords = shape.coords + shape.coords[:1] if form == "polygon" else shape.coords
        got.features.append((kind, ("LineString", coords), {}, shape.layer))
    elif not in_block:
        lr.ignored[
            Said(msg("%(type)s (not a %(kind)s shape)", type=shape.dxftype, kind=kind_word(kind)))
        ] += 1


def _close_outlines(got: _Collected, report: Report) -> None:
    for (kind, layer), lines in got.chains.items():
        polys, unused = close_chains(lines)
        got.outlines.setdefault(kind, []).extend(_Outline(p, layer, {}) for p in polys)
        lr = report.layer(layer)
        if polys:
            report.notes.append(
                Said(
                    msg(
                        "layer %(layer)s: %(lines)s lines closed into %(outlines)s outlines",
                        layer=repr(layer),
                        lines=len(lines),
                        outlines=len(polys),
                    )
                )
            )
        if unused:
            lr.ignored[
                Said(
                    msg(
                        "open line (closes no %(kind)s outline within the snap tolerance)",
                        kind=kind_word(kind),
                    )
                )
            ] += unused


def _name_outlines(got: _Collected, report: Report) -> None:
    """Texts name the smallest outline containing them; tag blocks add their attributes."""
    order = {"label": ("building", "obstacle", "zone")}
    for kind, layer, shape in got.labels:
        point = Point(shape.coords[0])
        target = None
        for k in order.get(kind, (kind,)):
            hits = [o for o in got.outlines.get(k, []) if o.poly.covers(point)]
            if hits:
                target = min(hits, key=lambda o: o.poly.area)
                break
        if target is None or kind == "boundary":
            why = (
                msg("TEXT (outside every outline)")
                if target is None
                else msg("TEXT (boundary names are not kept)")
            )
            report.layer(layer).ignored[Said(why)] += 1
        elif "name" in target.props:
            report.layer(layer).ignored[Said(msg("TEXT (outline already named)"))] += 1
        else:
            target.props["name"] = shape.text
    for kind, shape in got.tags:
        point = Point(shape.coords[0])
        hits = [o for o in got.outlines.get(kind, []) if o.poly.covers(point)]
        if hits:
            min(hits, key=lambda o: o.poly.area).props.update(
                attribute_props(shape.props["attribs"])
            )
        else:
            why = msg("INSERT %(block)s (tag outside every %(kind)s)", block=shape.block,
                      kind=kind_word(kind))  # fmt: skip
            report.layer(shape.layer).ignored[Said(why)] += 1


def _offset(boundary: Polygon, keep: bool, report: Report) -> tuple[float, float]:
    minx, miny, maxx, maxy = boundary.bounds
    far = max(abs(minx), abs(miny), abs(maxx), abs(maxy))
    if keep:
        if far > MAX_COORD_M:
            raise UsageError(
                msg(
                    "coordinates reach %(far)s m, beyond the site format's 1e7 m limit: "
                    "leave out --keep-coordinates (or the easting has a zone prefix to remove)",
                    far=format(far, ",.0f"),
                )
            )
        return 0.0, 0.0
    if far <= LOCAL_ORIGIN_ABOVE_M:
        return 0.0, 0.0
    x0, y0 = float(math.floor(minx)), float(math.floor(miny))
    report.notes.append(
        Said(
            msg(
                "moved to a local origin: offset (%(x)s, %(y)s) m in site.crs",
                x=format(x0, ".0f"),
                y=format(y0, ".0f"),
            )
        )
    )
    return x0, y0


def _feature(kind: str, geometry: tuple[str, Any], props: dict[str, Any], x0: float, y0: float):
    def pt(p: Sequence[float]) -> list[float]:
        return [round(p[0] - x0, _ROUND), round(p[1] - y0, _ROUND)]

    gtype, coords = geometry
    if gtype == "Point":
        out: Any = pt(coords)
    elif gtype == "LineString":
        out = [pt(p) for p in coords]
    else:
        poly: Polygon = coords
        out = [[pt(p) for p in poly.exterior.coords]] + [
            [pt(p) for p in ring.coords] for ring in poly.interiors
        ]
    return {
        "type": "Feature",
        "properties": {"kind": kind, **props},
        "geometry": {"type": gtype, "coordinates": out},
    }


def _outline_props(kind: str, outline: _Outline, rule: LayerRule | None) -> dict[str, Any]:
    props = dict(rule.props) if rule else {}
    if "height" in outline.props and kind in ("building", "obstacle"):
        props["height_m"] = round(outline.props["height"], _ROUND)
    props.update({k: v for k, v in outline.props.items() if k not in ("height", "width")})
    return props


def convert_shapes(
    shapes: Sequence[Shape],
    *,
    scale: float,
    overrides: Mapping[str, LayerRule] | None = None,
    site: Mapping[str, Any] | None = None,
    keep_coordinates: bool = False,
    epsg: int | None = None,
) -> tuple[dict[str, Any], Report]:
    """Build a validated site FeatureCollection from DXF shapes and report what happened.

    Raises :class:`UsageError` when no layer is mapped or no closed boundary is
    found, and :class:`SiteFormatError` when the result breaks the site format.
    """
    report = Report()
    got = _Collected()
    for raw in shapes:
        rule = rule_for(raw.layer, overrides)
        lr = report.layer(raw.layer, rule.kind if rule else None)
        if raw.block and (rule is None or rule.kind in ("label", "ignore")):
            # a camera/gate/door/mount symbol on a neutral layer: known by its block name
            by_name = rule_for(raw.block, overrides)
            if by_name and by_name.kind in POINT_KINDS:
                rule = by_name
        if rule is None:
            if not raw.props.get("in_block"):
                lr.ignored[Said(msg("%(type)s (layer not mapped)", type=raw.dxftype))] += 1
            continue
        _collect(_scaled(raw, scale), rule, lr, got)
    if not any(lr.kind not in (None, "ignore") for lr in report.layers.values()):
        layers = ", ".join(sorted(report.layers)) or term_msg("list", "none")
        raise UsageError(
            msg(
                "no layer maps to a site feature kind (layers: %(layers)s); give a --layers map",
                layers=layers,
            )
        )
    _close_outlines(got, report)
    for kind, outlines in got.outlines.items():
        keep = drop_duplicates([o.poly for o in outlines])
        for i in set(range(len(outlines))) - set(keep):
            why = msg("%(kind)s outline (duplicate of another)", kind=kind_word(kind))
            report.layer(outlines[i].layer).ignored[Said(why)] += 1
        got.outlines[kind] = [outlines[i] for i in keep]
    boundaries = sorted(got.outlines.get("boundary", []), key=lambda o: -o.poly.area)
    if not boundaries:
        raise UsageError(
            msg("no closed boundary outline found (a boundary layer such as 用地红线)")
        )
    boundary = boundaries[0].poly
    for extra in boundaries[1:]:
        lr = report.layer(extra.layer)
        if boundaries[0].poly.contains(extra.poly):  # an enclave: a hole of the boundary
            boundary = boundary.difference(extra.poly)
            lr.written["boundary hole"] += 1
        else:
            lr.ignored[Said(msg("boundary outline (a site has one: kept the largest)"))] += 1
    if not isinstance(boundary, Polygon) or boundary.is_empty:
        raise UsageError(msg("the boundary's enclaves split it into pieces; draw one outline"))
    _name_outlines(got, report)
    x0, y0 = _offset(boundary, keep_coordinates, report)
    info = dict(site or {})
    crs: dict[str, Any] = {}
    if epsg is not None:
        crs["epsg"] = epsg
    if (x0, y0) != (0.0, 0.0):
        crs["offset"] = [x0, y0]
    if crs:
        info["crs"] = crs
    info["units"] = "m"
    features = [_feature("boundary", ("Polygon", boundary), {}, x0, y0)]
    report.layer(boundaries[0].layer).written["boundary"] += 1
    for kind in ("building", "obstacle", "zone"):
        for n, o in enumerate(got.outlines.get(kind, []), 1):
            props = _outline_props(kind, o, rule_for(o.layer, overrides))
            if kind == "zone" and "name" not in props:  # zone names are required and unique
                props["name"] = f"{o.layer} #{n}"
            features.append(_feature(kind, ("Polygon", o.poly), props, x0, y0))
            report.layer(o.layer).written[kind] += 1
    counters: Counter[str] = Counter()
    for kind, geom, props, layer in got.features:
        rule = rule_for(layer, overrides)
        props = {**(rule.props if rule else {}), **props}
        counters[kind] += 1
        if kind == "camera" and "id" not in props:
            props["id"] = f"CAM{counters[kind]:02d}"
        elif kind == "gate" and "id" not in props:
            props["id"] = f"G{counters[kind]}"
        features.append(_feature(kind, geom, props, x0, y0))
        report.layer(layer).written[kind] += 1
    _check_size(boundary, report)
    data = {"type": "FeatureCollection", "site": info, "features": features}
    try:
        parse_site(data, default_id=str(info.get("id", "site")))
    except SiteFormatError as exc:
        raise SiteFormatError(
            msg("the imported site is invalid: %(detail)s", detail=exc.words)
        ) from None
    return data, report


def _check_size(boundary: Polygon, report: Report) -> None:
    minx, miny, maxx, maxy = boundary.bounds
    across = max(maxx - minx, maxy - miny)
    low, high = SIZE_WARN_M
    if not low <= across <= high:
        report.warnings.append(
            Said(
                msg(
                    "the site is %(across)s m across (expected %(low)s–%(high)s m): wrong units?",
                    across=format(across, ",.2f"),
                    low=format(low, ".0f"),
                    high=format(high, ".0f"),
                )
            )
        )
