"""Drafts for "new compound from the web": an upload → a site FeatureCollection.

Each source becomes a draft site the page shows on a map before anything is
written (docs/web.md, "New compound"):

* DXF — :func:`camwatch.importers.dxf.convert_shapes` with the layer kinds the
  person chose (``mapping``: layer → kind, overriding the default table), and
  the per-layer report;
* image — :func:`camwatch.importers.image.trace_plan` with the scale from two
  clicked pixel points and the distance typed in metres;
* GeoJSON — a site file, checked by the site loader;
* empty — a boundary rectangle of the given size.

Every function checks its input with the importers' and the loader's rules and
raises :class:`~camwatch.errors.CamwatchError` with one message; the upload
lives in a temporary folder that is removed before the function returns.
"""

from __future__ import annotations

import json
import math
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from camwatch.errors import UsageError
from camwatch.importers.layers import LAYER_KINDS, LayerRule, rule_for
from camwatch.sitefile import parse_site

MAX_EMPTY_SIDE_M = 5000.0  # the importers warn above this width too (docs/importers.md)
# an A1 sheet scanned at 300 dpi has ~70 million pixels; one byte each once decoded
MAX_IMAGE_PIXELS = 100_000_000


def _report_json(report: Any, counts: Mapping[str, Any], overrides: Mapping[str, Any]) -> list:
    rows = []
    for name in sorted(set(report.layers) | set(counts)):
        rule = rule_for(name, overrides)
        lr = report.layers.get(name)
        read = dict(counts.get(name) or {})
        rows.append(
            {
                "layer": name,
                "kind": rule.kind if rule else None,
                "read": read,
                "written": dict(lr.written) if lr else {},
                "ignored": dict(lr.ignored) if lr else {},
            }
        )
    return rows


def parse_mapping(text: str | None) -> dict[str, LayerRule]:
    """The person's layer choices (JSON ``{"LAYER": "kind"}``) as layer rules."""
    if not text:
        return {}
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        raise UsageError("the layer mapping is not JSON") from None
    if not isinstance(data, dict):
        raise UsageError("the layer mapping must be an object of layer → kind")
    rules: dict[str, LayerRule] = {}
    for layer, kind in data.items():
        if kind not in LAYER_KINDS:
            raise UsageError(f"layer {layer!r}: unknown kind {kind!r}")
        default = rule_for(str(layer))
        props = default.props if default and default.kind == kind else {}
        rules[str(layer)] = LayerRule(kind, dict(props))
    return rules


def dxf_draft(
    data: bytes, *, site_id: str, units: str | None, mapping: dict[str, LayerRule]
) -> dict[str, Any]:
    """A DXF drawing → ``{"site", "layers", "notes", "warnings", "kinds"}``."""
    from camwatch.importers.dxf import convert_shapes
    from camwatch.importers.dxf_read import INSUNITS_M, UNIT_NAMES, read_dxf

    if not data.strip():
        raise UsageError("the file is empty")
    with tempfile.TemporaryDirectory(prefix="camwatch-dxf-") as folder:
        path = Path(folder) / "plan.dxf"
        path.write_bytes(data)
        if units is not None and units not in UNIT_NAMES:
            raise UsageError(f"unknown units {units!r}")
        try:
            drawing = read_dxf(path, units_m=UNIT_NAMES[units] if units else None)
        except UsageError as exc:  # name the upload, not the temporary file
            raise UsageError(exc.text("en").replace(str(path), "the file")) from None
    if drawing.header_scale is not None:
        scale = drawing.header_scale
    elif units:
        scale = UNIT_NAMES[units]
    else:
        known = ", ".join(str(k) for k in sorted(INSUNITS_M))
        raise UsageError(
            f"the drawing has no usable units ($INSUNITS = {drawing.insunits}, known: {known}); "
            "choose the units"
        )
    site, report = convert_shapes(
        drawing.shapes, scale=scale, overrides=mapping, site={"id": site_id}
    )
    return {
        "site": site,
        "layers": _report_json(report, drawing.counts, mapping),
        "notes": report.notes,
        "warnings": report.warnings,
        "kinds": list(LAYER_KINDS),
    }


def _check_pixels(data: bytes) -> None:
    """Refuse an image whose header announces more than MAX_IMAGE_PIXELS (before decoding:
    a small compressed file can unpack to gigabytes)."""
    import io
    import warnings

    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # checked below
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
    except Image.DecompressionBombError:
        raise UsageError(f"the image has more than {MAX_IMAGE_PIXELS} pixels") from None
    except (UnidentifiedImageError, OSError, ValueError):
        raise UsageError("not an image that can be read (PNG, JPEG, TIFF...)") from None
    if width * height > MAX_IMAGE_PIXELS:
        raise UsageError(f"the image has {width} × {height} pixels, more than {MAX_IMAGE_PIXELS}")


def image_draft(
    data: bytes, *, site_id: str, points: tuple[float, float, float, float], metres: float
) -> dict[str, Any]:
    """A scanned plan → ``{"site", "px_per_m", "width", "height", "found"}`` (a draft)."""
    import cv2
    import numpy as np

    from camwatch.importers.image import parse_scale, trace_plan, trace_to_site

    x1, y1, x2, y2 = points
    parse_scale(f"{x1},{y1},{x2},{y2},{metres}")
    _check_pixels(data)
    gray = cv2.imdecode(np.frombuffer(data, dtype=np.uint8), cv2.IMREAD_GRAYSCALE)
    if gray is None:
        raise UsageError("not an image that can be read (PNG, JPEG, TIFF...)")
    s = math.hypot(x2 - x1, y2 - y1) / metres
    trace = trace_plan(gray, px_per_m=s)
    site = trace_to_site(trace, px_per_m=s, image_height=gray.shape[0], site_id=site_id)
    parse_site(site, default_id=site_id)
    return {
        "site": site,
        "px_per_m": s,
        "width": int(gray.shape[1]),
        "height": int(gray.shape[0]),
        "found": {"buildings": len(trace.buildings), "boundary": trace.boundary_source},
    }


def geojson_draft(data: bytes, *, site_id: str) -> dict[str, Any]:
    """A site file, checked by the loader → ``{"site"}`` (the file as it was sent)."""
    try:
        site = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UsageError(f"the file is not JSON: {exc}") from None
    parse_site(site, default_id=site_id)
    return {"site": site}


def empty_draft(*, site_id: str, width: float, height: float) -> dict[str, Any]:
    """A boundary rectangle ``width`` × ``height`` metres with its corner at the origin."""
    for value in (width, height):
        if not math.isfinite(value) or not 1.0 <= value <= MAX_EMPTY_SIDE_M:
            raise UsageError(f"the size must be between 1 and {MAX_EMPTY_SIDE_M:g} m")
    ring = [[0.0, 0.0], [width, 0.0], [width, height], [0.0, height], [0.0, 0.0]]
    site = {
        "type": "FeatureCollection",
        "site": {"id": site_id, "units": "m"},
        "features": [
            {
                "type": "Feature",
                "properties": {"kind": "boundary"},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        ],
    }
    parse_site(site, default_id=site_id)
    return {"site": site}
