"""Small server-side SVG charts (no JavaScript, no external library; CSP-friendly).

Text is escaped; colours come from the same palette as ``static/css/app.css``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from markupsafe import Markup

GREEN, RED, AMBER, GREY, BLUE, INK = (
    "#2c9a6b",
    "#c93a32",
    "#c47f12",
    "#d9dee5",
    "#1d5fa7",
    "#1f2933",
)


def share_gauge(share: float | None, target: float, *, label: str, target_label: str) -> Markup:
    """A half-ring gauge of ``share`` (0–1) with a tick at ``target``."""
    w, h, r, cx, cy, thick = 280, 150, 95, 140, 115, 22
    value = 0.0 if share is None else max(0.0, min(1.0, share))

    def point(frac: float, radius: float) -> tuple[float, float]:
        angle = math.pi * (1 - frac)
        return cx + radius * math.cos(angle), cy - radius * math.sin(angle)

    def arc(frac0: float, frac1: float) -> str:
        x0, y0 = point(frac0, r)
        x1, y1 = point(frac1, r)
        large = 1 if (frac1 - frac0) > 0.5 else 0
        return f"M{x0:.2f},{y0:.2f} A{r},{r} 0 {large} 1 {x1:.2f},{y1:.2f}"

    colour = GREEN if share is not None and value >= target else RED
    parts = [
        f'<svg class="chart gauge" viewBox="0 0 {w} {h}" role="img" aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg">',
        f'<path d="{arc(0, 1)}" fill="none" stroke="{GREY}" stroke-width="{thick}"/>',
    ]
    if value > 0:
        parts.append(
            f'<path d="{arc(0, max(value, 0.002))}" fill="none" stroke="{colour}" stroke-width="{thick}"/>'
        )
    tx0, ty0 = point(target, r - thick / 2 - 4)
    tx1, ty1 = point(target, r + thick / 2 + 4)
    lx, ly = point(target, r + thick / 2 + 14)
    parts += [
        f'<line x1="{tx0:.2f}" y1="{ty0:.2f}" x2="{tx1:.2f}" y2="{ty1:.2f}" stroke="{INK}" stroke-width="3"/>',
        f'<text x="{lx:.1f}" y="{ly:.1f}" font-size="11" text-anchor="middle" fill="{INK}">{escape(target_label)}</text>',
        f'<text x="{cx}" y="{cy - 8}" font-size="30" font-weight="700" text-anchor="middle" fill="{colour}">'
        f"{'—' if share is None else f'{value * 100:.0f} %'}</text>",
        f'<text x="{cx}" y="{cy + 14}" font-size="12" text-anchor="middle" fill="#6b7480">{escape(label)}</text>',
        "</svg>",
    ]
    return Markup("".join(parts))


def bar_chart(
    rows: Sequence[tuple[str, float, bool]],
    *,
    target: float | None,
    max_value: float,
    unit: str = "",
    label: str,
    target_label: str = "",
) -> Markup:
    """Horizontal bars: ``(name, value, good)`` rows; green when good, red otherwise."""
    bar_h, gap, left, right, top = 20, 8, 150, 60, 10
    width = 640
    inner = width - left - right
    height = top * 2 + len(rows) * (bar_h + gap) + 16
    scale = inner / max_value if max_value > 0 else 0
    parts = [
        f'<svg class="chart bars" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}" '
        f'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, (name, value, good) in enumerate(rows):
        y = top + i * (bar_h + gap)
        short = name if len(name) <= 18 else name[:17] + "…"
        parts.append(
            f'<text x="{left - 8}" y="{y + bar_h * 0.72:.1f}" font-size="12" text-anchor="end" fill="{INK}">'
            f"<title>{escape(name)}</title>{escape(short)}</text>"
        )
        parts.append(
            f'<rect x="{left}" y="{y}" width="{inner}" height="{bar_h}" fill="#eef0f3" rx="3"/>'
        )
        bw = max(0.0, min(value, max_value)) * scale
        parts.append(
            f'<rect x="{left}" y="{y}" width="{bw:.1f}" height="{bar_h}" fill="{GREEN if good else RED}" rx="3"/>'
        )
        parts.append(
            f'<text x="{left + inner + 6}" y="{y + bar_h * 0.72:.1f}" font-size="12" fill="{INK}">'
            f"{value:.0f}{escape(unit)}</text>"
        )
    if target is not None and max_value > 0:
        x = left + target * scale
        bottom = top + len(rows) * (bar_h + gap)
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{bottom}" stroke="{INK}" stroke-width="2" stroke-dasharray="4 3"/>'
        )
        parts.append(
            f'<text x="{x:.1f}" y="{bottom + 13}" font-size="11" text-anchor="middle" fill="{INK}">{escape(target_label)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
