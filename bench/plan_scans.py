"""Scanned-looking plans rendered from known sites, with their exact truth (for import-image).

:func:`render_scan` draws a site's boundary (outline) and buildings (filled or
outlined) to scale, adds what a paper plan carries (labels, dimension lines,
a scale bar, a north arrow), then what scanning adds (a few degrees of
rotation, blur, sensor noise, specks, JPEG artefacts). It returns the image
and the truth: the boundary and buildings in the metres of docs/site-format.md §8
(origin at the image's bottom-left corner, x right, y up), computed from the
site's coordinates and the same transforms, with no code shared with
:mod:`camwatch.importers.image`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from shapely import affinity
from shapely.geometry import Polygon, shape

SUPERSAMPLE = 4  # drawn at 4× then reduced with area averaging (anti-aliased edges)


@dataclass
class Scan:
    image: np.ndarray  # uint8 grey, white paper
    px_per_m: float
    scale_bar: tuple[float, float, float, float, float]  # x1, y1, x2, y2 (pixels), metres
    boundary: Polygon  # truth, §8 metres
    buildings: list[Polygon]  # truth, §8 metres


def _polys(site: Mapping[str, Any], kind: str) -> list[Polygon]:
    return [shape(f["geometry"]) for f in site["features"] if f["properties"]["kind"] == kind]


def render_scan(
    site: Mapping[str, Any],
    *,
    px_per_m: float = 4.0,
    rotation_deg: float = 2.0,
    filled: bool = True,
    labels: bool = True,
    blur_px: float = 1.0,
    noise: float = 8.0,
    jpeg_quality: int = 60,
    margin_m: float = 15.0,
    seed: int = 0,
) -> Scan:
    """Render ``site`` (a FeatureCollection) as a scanned paper plan (see module docstring)."""
    rng = np.random.default_rng(seed)
    boundary = _polys(site, "boundary")[0]
    buildings = _polys(site, "building")
    minx, miny, maxx, maxy = boundary.bounds
    s, k = px_per_m, SUPERSAMPLE
    width = int(math.ceil((maxx - minx + 2 * margin_m) * s))
    height = int(math.ceil((maxy - miny + 2 * margin_m + 10) * s))  # 10 m strip for the bar

    def to_px(g: Polygon) -> Polygon:  # site metres -> continuous pixel coordinates (y down)
        g = affinity.translate(g, -minx + margin_m, -miny + margin_m + 10)
        return affinity.affine_transform(g, [s, 0, 0, -s, 0, height])

    big = np.full((height * k, width * k), 255, np.uint8)

    def draw(poly: Polygon, *, fill: bool, thick: float) -> None:
        rings = [poly.exterior, *poly.interiors]
        for n, ring in enumerate(rings):
            pts = np.round((np.asarray(ring.coords) * k - 0.5) * 16).astype(np.int32)
            if fill:
                cv2.fillPoly(big, [pts], 0 if n == 0 else 255, cv2.LINE_8, 4)
            else:
                cv2.polylines(big, [pts], True, 0, max(1, round(thick * k)), cv2.LINE_8, 4)

    draw(to_px(boundary), fill=False, thick=0.6 * s)
    for b in buildings:
        draw(to_px(b), fill=filled, thick=0.5 * s)
    img = cv2.resize(big, (width, height), interpolation=cv2.INTER_AREA)
    font = cv2.FONT_HERSHEY_SIMPLEX
    if labels:
        for i, b in enumerate(buildings):
            c = to_px(b).representative_point()
            colour = 255 if filled else 0
            cv2.putText(img, f"B{i + 1}", (int(c.x) - 8, int(c.y) + 4), font, 0.35, colour, 1)
        for _ in range(6):  # dimension texts and short lines in the yard
            p = to_px(boundary).representative_point()
            x = int(p.x + rng.uniform(-0.3, 0.3) * width * 0.5)
            y = int(p.y + rng.uniform(-0.3, 0.3) * height * 0.5)
            cv2.putText(
                img, f"{rng.integers(10, 99)}.{rng.integers(0, 9)}", (x, y), font, 0.3, 0, 1
            )
    bar_m = 20.0 if maxx - minx < 150 else 50.0
    x1, y1 = margin_m * s, height - 5 * s
    x2 = x1 + bar_m * s
    cv2.line(img, (int(x1), int(y1)), (int(x2), int(y1)), 0, 2)
    for x in (x1, x2):
        cv2.line(img, (int(x), int(y1 - 6)), (int(x), int(y1 + 6)), 0, 2)
    cv2.putText(img, f"{bar_m:g} m", (int(x2 + 8), int(y1 + 4)), font, 0.4, 0, 1)
    cv2.putText(img, "N", (width - 30, 30), font, 0.6, 0, 2)
    # the scan: rotate about the centre on a canvas that holds the whole page
    rot = cv2.getRotationMatrix2D((width / 2 - 0.5, height / 2 - 0.5), rotation_deg, 1.0)
    cos, sin = abs(rot[0, 0]), abs(rot[0, 1])
    out_w = int(math.ceil(width * cos + height * sin))
    out_h = int(math.ceil(width * sin + height * cos))
    rot[0, 2] += (out_w - width) / 2
    rot[1, 2] += (out_h - height) / 2
    img = cv2.warpAffine(img, rot, (out_w, out_h), flags=cv2.INTER_LINEAR, borderValue=255)
    if blur_px > 0:
        img = cv2.GaussianBlur(img, (0, 0), blur_px)
    noisy = img.astype(np.float32) + rng.normal(0, noise, img.shape)
    specks = rng.random(img.shape) < 0.0005
    noisy[specks] = 0
    img = np.clip(noisy, 0, 255).astype(np.uint8)
    ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, jpeg_quality])
    assert ok
    img = cv2.imdecode(buf, cv2.IMREAD_GRAYSCALE)

    # truth: continuous pixel coordinates c map as c' = R(c - 0.5) + 0.5 (cv2 works on
    # pixel centres), then §8: (u, v) -> (u / s, (H - v) / s)
    def final(g: Polygon) -> Polygon:
        p = to_px(g)
        p = affinity.affine_transform(
            p,
            [
                rot[0, 0],
                rot[0, 1],
                rot[1, 0],
                rot[1, 1],
                rot[0, 2] + 0.5 - 0.5 * (rot[0, 0] + rot[0, 1]),
                rot[1, 2] + 0.5 - 0.5 * (rot[1, 0] + rot[1, 1]),
            ],
        )
        return affinity.affine_transform(p, [1 / s, 0, 0, -1 / s, 0, out_h / s])

    def bar_point(x: float, y: float) -> tuple[float, float]:
        u = rot[0, 0] * x + rot[0, 1] * y + rot[0, 2]
        v = rot[1, 0] * x + rot[1, 1] * y + rot[1, 2]
        return float(u), float(v)

    (bx1, by1), (bx2, by2) = bar_point(int(x1), int(y1)), bar_point(int(x2), int(y1))
    return Scan(
        image=img,
        px_per_m=s,
        scale_bar=(bx1, by1, bx2, by2, math.hypot(bx2 - bx1, by2 - by1) / s),
        boundary=final(boundary),
        buildings=[final(b) for b in buildings],
    )


def write_scan(scan: Scan, path: str | Path) -> None:
    """Write the scan image (PNG, deterministic bytes)."""
    ok, buf = cv2.imencode(".png", scan.image, [cv2.IMWRITE_PNG_COMPRESSION, 9])
    assert ok
    Path(path).write_bytes(buf.tobytes())
