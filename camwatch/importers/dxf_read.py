"""Read a DXF drawing into plain shapes (drawing units), for :mod:`camwatch.importers.dxf`.

This is the only importer module that touches ezdxf and files. Every model-space
entity becomes zero or more :class:`Shape` records: curves are flattened to
polylines, blocks are exploded with their transforms (entities on layer ``0``
inside a block take the block reference's layer, as in CAD), and a block
reference also yields a ``point`` shape carrying its insertion point, rotation
and attributes (camera and gate symbols, tag blocks).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ezdxf
from ezdxf import path as dxfpath
from ezdxf.lldxf.encoding import decode_dxf_unicode

from camwatch.errors import UsageError
from camwatch.i18n import msg

# $INSUNITS code -> metres per drawing unit (AutoCAD's table; 0 = unitless).
INSUNITS_M: dict[int, float] = {
    1: 0.0254,  # inches
    2: 0.3048,  # feet
    4: 0.001,  # millimetres
    5: 0.01,  # centimetres
    6: 1.0,  # metres
    7: 1000.0,  # kilometres
    14: 0.1,  # decimetres
}
UNIT_NAMES: dict[str, float] = {"mm": 0.001, "cm": 0.01, "dm": 0.1, "m": 1.0}
# Largest distance between a flattened curve and its chords, in metres.
CHORD_ERROR_M = 0.01
_MAX_DEPTH = 8  # nested block references followed this deep


@dataclass
class Shape:
    """One thing read from the drawing, in drawing units (x, y only).

    ``form`` is ``polygon`` (closed ring, ``holes`` optional), ``line`` (open
    polyline), ``point`` (block reference or POINT) or ``text``.
    """

    layer: str
    dxftype: str
    form: str
    coords: list[tuple[float, float]]
    holes: list[list[tuple[float, float]]] = field(default_factory=list)
    props: dict[str, Any] = field(default_factory=dict)
    text: str | None = None
    block: str | None = None


@dataclass
class Drawing:
    """What :func:`read_dxf` found: shapes, the unit scale from the header, entity counts."""

    shapes: list[Shape]
    insunits: int
    header_scale: float | None
    counts: dict[str, Counter[str]]


def _xy(points: Iterable[Any]) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for p in points:
        xy = (float(p.x), float(p.y))
        if not out or out[-1] != xy:
            out.append(xy)
    return out


def _is_closed(entity: Any, pts: list[tuple[float, float]], tol: float) -> bool:
    t = entity.dxftype()
    if t == "LWPOLYLINE":
        flag = bool(entity.closed)
    elif t == "POLYLINE":
        flag = bool(entity.is_closed)
    elif t == "SPLINE":
        flag = bool(entity.closed)
    elif t == "CIRCLE":
        return True
    elif t == "ELLIPSE":
        span = (entity.dxf.end_param - entity.dxf.start_param) % (2 * math.pi)
        flag = span < 1e-9
    else:
        flag = False
    return flag or (len(pts) > 2 and math.dist(pts[0], pts[-1]) <= tol)


def _height(entity: Any) -> float | None:
    """Extrusion thickness, else a positive elevation, as a height (drawing units)."""
    dxf = entity.dxf
    thickness = dxf.get("thickness", 0.0) if dxf.is_supported("thickness") else 0.0
    if thickness and thickness > 0:
        return float(thickness)
    elevation = dxf.get("elevation", 0.0) if dxf.is_supported("elevation") else 0.0
    if hasattr(elevation, "z"):  # POLYLINE stores elevation as a point
        elevation = elevation.z
    return float(elevation) if elevation and elevation > 0 else None


def _curve(entity: Any, layer: str, chord: float) -> Iterator[Shape]:
    if entity.dxftype() == "SPLINE":  # the B-spline itself, not a Bézier approximation
        pts = _xy(entity.construction_tool().flattening(chord))
    else:
        pts = _xy(dxfpath.make_path(entity).flattening(chord))
    if len(pts) < 2:
        return
    props: dict[str, Any] = {}
    height = _height(entity)
    if height is not None:
        props["height"] = height
    width = entity.dxf.get("const_width", 0.0) if entity.dxftype() == "LWPOLYLINE" else 0.0
    width = width or 0.0
    if width:
        props["width"] = float(width)
    if _is_closed(entity, pts, chord):
        if pts[0] == pts[-1]:
            pts = pts[:-1]
        if len(pts) >= 3:
            yield Shape(layer, entity.dxftype(), "polygon", pts, props=props)
            return
    yield Shape(layer, entity.dxftype(), "line", pts, props=props)


def _hatch(entity: Any, layer: str, chord: float) -> Iterator[Shape]:
    rings = []
    for p in dxfpath.from_hatch(entity):
        pts = _xy(p.flattening(chord))
        if len(pts) > 1 and pts[0] == pts[-1]:
            pts = pts[:-1]
        if len(pts) >= 3:
            rings.append(pts)
    if not rings:
        return
    # The largest ring is the outline; rings inside it are holes (even-odd fill).
    rings.sort(key=lambda r: -abs(_ring_area(r)))
    yield Shape(layer, "HATCH", "polygon", rings[0], holes=rings[1:])


def _ring_area(ring: list[tuple[float, float]]) -> float:
    return 0.5 * sum(
        x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True)
    )


def _entity_shapes(entity: Any, layer: str, chord: float, depth: int = 0) -> Iterator[Shape]:
    t = entity.dxftype()
    if t in ("LINE", "LWPOLYLINE", "POLYLINE", "CIRCLE", "ARC", "ELLIPSE", "SPLINE"):
        yield from _curve(entity, layer, chord)
    elif t == "HATCH":
        yield from _hatch(entity, layer, chord)
    elif t in ("TEXT", "MTEXT"):
        text = _text(entity.plain_text())  # MTEXT paragraphs on one line
        if text:
            # an aligned TEXT is placed by its alignment point, not its insert; TEXT is in OCS
            p = entity.ocs().to_wcs(entity.get_placement()[1]) if t == "TEXT" else entity.dxf.insert
            yield Shape(layer, t, "text", [(float(p.x), float(p.y))], text=text)
    elif t == "POINT":
        p = entity.dxf.location
        yield Shape(layer, t, "point", [(float(p.x), float(p.y))])
    elif t == "INSERT" and depth < _MAX_DEPTH:
        inserts = entity.multi_insert() if entity.mcount > 1 else [entity]  # MINSERT arrays
        for ref in inserts:
            yield from _insert_shapes(ref, layer, chord, depth)
    else:
        yield Shape(layer, t, "unsupported", [])


def _insert_shapes(ref: Any, layer: str, chord: float, depth: int) -> Iterator[Shape]:
    """A block reference: its point (insertion, direction of the block's +x axis in the
    drawing, attributes), then its exploded entities."""
    m = ref.matrix44()  # handles rotation, mirroring, scale and the OCS
    origin = m.transform((0, 0, 0))
    axis = m.transform_direction((1, 0, 0))
    attribs = {_text(a.dxf.tag).upper(): _text(a.dxf.text) for a in ref.attribs}
    yield Shape(
        layer,
        "INSERT",
        "point",
        [(float(origin.x), float(origin.y))],
        props={"rotation": math.degrees(math.atan2(axis.y, axis.x)), "attribs": attribs},
        block=ref.dxf.name,
    )
    for sub in ref.virtual_entities():
        sub_layer = sub.dxf.layer if sub.dxf.layer != "0" else layer
        for shape in _entity_shapes(sub, sub_layer, chord, depth + 1):
            shape.props["in_block"] = True
            if shape.form == "polygon" and attribs:  # a building block's NAME, HEIGHT...
                shape.props.setdefault("block_attribs", attribs)
            yield shape


def _text(value: str) -> str:
    """Attribute or text value, with DXF \\U+XXXX escapes decoded and whitespace folded."""
    return " ".join(decode_dxf_unicode(value).split())


def _open(path: str | Path) -> Any:
    p = Path(path)
    if not p.is_file():
        raise UsageError(msg("%(path)s: no such file", path=str(p)))
    try:
        return ezdxf.readfile(str(p))
    except (OSError, ezdxf.DXFError, UnicodeDecodeError, ValueError, KeyError) as exc:
        raise UsageError(
            msg("%(path)s: not a readable DXF drawing (%(detail)s)", path=str(p), detail=str(exc))
        ) from None


def list_layers(path: str | Path) -> dict[str, Counter[str]]:
    """Layer name -> entity type counts in model space (layers without entities included)."""
    doc = _open(path)
    counts: dict[str, Counter[str]] = {layer.dxf.name: Counter() for layer in doc.layers}
    for entity in doc.modelspace():
        counts.setdefault(entity.dxf.layer, Counter())[entity.dxftype()] += 1
    return counts


def read_dxf(path: str | Path, *, units_m: float | None = None) -> Drawing:
    """Read the model space of ``path``; ``units_m`` is only used to choose the chord error
    when the header has no units (the caller decides which scale wins)."""
    doc = _open(path)
    insunits = int(doc.header.get("$INSUNITS", 0) or 0)
    header_scale = INSUNITS_M.get(insunits)
    scale = header_scale or units_m or 1.0
    chord = CHORD_ERROR_M / scale
    shapes: list[Shape] = []
    counts: dict[str, Counter[str]] = {}
    for entity in doc.modelspace():
        layer = entity.dxf.layer
        counts.setdefault(layer, Counter())[entity.dxftype()] += 1
        try:
            shapes.extend(_entity_shapes(entity, layer, chord))
        except (ValueError, TypeError, ZeroDivisionError, ezdxf.DXFError) as exc:
            shapes.append(
                Shape(layer, entity.dxftype(), "broken", [], text=f"{type(exc).__name__}: {exc}")
            )
    return Drawing(shapes, insunits, header_scale, counts)
