"""Map furniture: scale bar, north arrow, legend and title block.

The scale bar and north arrow sit in a strip below the site inside the plan
axes (so they never hide the plan); the legend and the title block sit in a
column to the right of it.
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Sequence
from typing import Any

from matplotlib.axes import Axes
from matplotlib.legend import Legend
from matplotlib.patches import Polygon as MplPolygon
from matplotlib.patches import Rectangle

from camwatch.model import CAMERA_STATUSES, Site
from camwatch.render import style
from camwatch.render.layers import Canvas
from camwatch.render.terms import heading, term

STRIP_PT = 46.0  # height of the strip under the site holding the scale bar and north arrow


def nice_length(limit: float) -> float:
    """The largest 1, 2 or 5 × 10^k not above ``limit`` (a round scale-bar length).

    >>> nice_length(37.0), nice_length(180.0), nice_length(0.7)
    (20.0, 100.0, 0.5)
    """
    if limit <= 0:
        raise ValueError("limit must be positive")
    exp = math.floor(math.log10(limit))
    for mantissa in (5.0, 2.0, 1.0):
        value = mantissa * 10.0**exp
        if value <= limit * (1 + 1e-12):
            return value
    return 10.0**exp


def _fmt_m(value: float) -> str:
    return f"{value:g} m"


def draw_scale_bar(cv: Canvas, x0: float, y0: float, max_len: float) -> tuple[float, float]:
    """An alternating black/white bar of a round length starting at (x0, y0); returns (x1, y1)."""
    length = nice_length(max_len)
    lead = round(length / 10.0 ** math.floor(math.log10(length)))
    parts = 4 if lead == 2 else 5
    h = cv.scale.m(4.5)
    step = length / parts
    for i in range(parts):
        cv.ax.add_patch(
            Rectangle(
                (x0 + i * step, y0),
                step,
                h,
                facecolor="black" if i % 2 == 0 else "white",
                edgecolor="black",
                linewidth=0.7,
                zorder=15,
            )
        )
    fs = cv.scale.font
    cv.ax.text(x0, y0 - cv.scale.m(2), "0", ha="center", va="top", fontsize=fs, zorder=15)
    cv.ax.text(
        x0 + length / 2,
        y0 - cv.scale.m(2),
        f"{length / 2:g}",
        ha="center",
        va="top",
        fontsize=fs,
        zorder=15,
    )
    cv.ax.text(
        x0 + length,
        y0 - cv.scale.m(2),
        _fmt_m(length),
        ha="center",
        va="top",
        fontsize=fs,
        zorder=15,
    )
    cv.ax.text(
        x0,
        y0 + h + cv.scale.m(3),
        heading("scale", cv.lang),
        ha="left",
        va="bottom",
        fontsize=fs,
        zorder=15,
    )
    return (x0 + length, y0 + h)


def draw_north_arrow(cv: Canvas, x: float, y: float) -> None:
    """A half-black arrow pointing to +y (north) with N / 北 above it; (x, y) is its base."""
    h = cv.scale.m(24)
    w = cv.scale.m(7)
    notch = y + 0.28 * h
    tip = (x, y + h)
    cv.ax.add_patch(
        MplPolygon(
            [tip, (x - w, y), (x, notch)],
            closed=True,
            facecolor="black",
            edgecolor="black",
            linewidth=0.8,
            zorder=15,
        )
    )
    cv.ax.add_patch(
        MplPolygon(
            [tip, (x + w, y), (x, notch)],
            closed=True,
            facecolor="white",
            edgecolor="black",
            linewidth=0.8,
            zorder=15,
        )
    )
    letter = "北 N" if cv.lang == "zh" else "N"
    cv.ax.text(
        x,
        y + h + cv.scale.m(2),
        letter,
        ha="center",
        va="bottom",
        fontsize=cv.scale.font + 2,
        fontweight="bold",
        zorder=15,
    )


def draw_legend(ax: Axes, cv: Canvas, *, fontsize: float = 7.5) -> Legend | None:
    """The legend, top-left of its own axes, listing only what the plan shows."""
    ax.set_axis_off()
    handles, labels = cv.legend_entries()
    if not handles:
        return None
    leg = ax.legend(
        handles,
        labels,
        loc="upper left",
        bbox_to_anchor=(0.0, 1.0),
        borderaxespad=0.0,
        frameon=True,
        fontsize=fontsize,
        title=heading("legend", cv.lang),
        title_fontsize=fontsize + 1.5,
        alignment="left",
        handlelength=2.4,
        handleheight=1.1,
        labelspacing=0.55,
        borderpad=0.7,
    )
    leg.get_frame().set_linewidth(0.8)
    leg.get_frame().set_edgecolor("#444444")
    return leg


def title_rows(
    site: Site, analysis: Any, level: str | None, lang: str, *, date: _dt.date | None = None
) -> list[tuple[float, str, list[tuple[float, str, str]]]]:
    """The title block as rows of (fontsize, weight/colour key, [(x, align, text), …])."""

    def t(key: str) -> str:
        return heading(key, lang)

    def v(key: str) -> str:
        return term(key, lang)

    rows: list[tuple[float, str, list[tuple[float, str, str]]]] = []
    rows.append((9.0, "bold", [(0.04, "left", t("camera coverage plan"))]))
    rows.append((13.0, "bold", [(0.04, "left", site.info.name or site.id)]))
    where = " · ".join(x for x in (site.info.district, site.info.address) if x)
    if where:
        rows.append((7.5, "normal", [(0.04, "left", where)]))
    shown = v("all levels") if level is None else v(level)
    rows.append((8.0, "normal", [(0.04, "left", f"{t('level shown')}: {shown}")]))
    rows.append(
        (
            8.0,
            "bold",
            [
                (
                    0.04,
                    "left",
                    f"{t('coverage')} · {t('monitored area')} {analysis.monitored_area_m2:,.0f} m²",
                )
            ],
        )
    )
    for lv, res in analysis.levels.items():
        weight = "bold" if lv == level else "normal"
        rows.append(
            (
                8.0,
                weight,
                [
                    (0.08, "left", t(lv)),
                    (0.62, "right", f"{res.ratio:.1%}"),
                    (0.96, "right", f"{res.covered_m2:,.0f} m²"),
                ],
            )
        )
    spots = list(analysis.blind_spots)
    total = sum(s.area_m2 for s in spots)
    rows.append(
        (
            8.0,
            "normal",
            [
                (0.04, "left", f"{t('blind spots')}: {len(spots)}"),
                (0.96, "right", f"{total:,.0f} m²"),
            ],
        )
    )
    zones = list(analysis.zones)
    passed = sum(1 for z in zones if z.passed)
    rows.append((8.0, "normal", [(0.04, "left", f"{t('zones passed')}: {passed}/{len(zones)}")]))
    counts = [
        f"{v(s)} {n}"
        for s in CAMERA_STATUSES
        if (n := sum(1 for c in site.cameras if c.status == s))
    ]
    rows.append(
        (8.0, "normal", [(0.04, "left", f"{t('cameras')}: " + (" · ".join(counts) or "0"))])
    )
    verdict = v("compliant") if analysis.compliant else v("not compliant")
    rows.append(
        (
            10.0,
            "pass" if analysis.compliant else "fail",
            [(0.04, "left", f"{t('compliance')}: {verdict}")],
        )
    )
    day = (date or _dt.date.today()).isoformat()
    rows.append(
        (7.0, "muted", [(0.04, "left", f"{t('date')}: {day}"), (0.96, "right", "camwatch")])
    )
    return rows


def rows_height_in(rows: Sequence[tuple[float, str, Any]], *, spacing: float = 1.55) -> float:
    """Height in inches of the title block with these rows (plus padding)."""
    return sum(size * spacing for size, _, _ in rows) / 72.0 + 0.16


def draw_title_block(
    ax: Axes, rows: Sequence[tuple[float, str, Any]], *, spacing: float = 1.55
) -> None:
    """Draw the rows top-down in a framed box filling ``ax`` (its height from rows_height_in)."""
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.add_patch(
        Rectangle(
            (0, 0),
            1,
            1,
            transform=ax.transAxes,
            facecolor="white",
            edgecolor="#444444",
            linewidth=1.0,
            clip_on=False,
        )
    )
    height_pt = ax.get_window_extent().height * 72.0 / ax.figure.dpi
    y = 1.0 - 0.08 * 72.0 / height_pt
    colours = {"pass": "#1a7f1a", "fail": style.FAIL, "muted": "#666666"}
    for size, key, cells in rows:
        y -= size * spacing / height_pt
        weight = "bold" if key in ("bold", "pass", "fail") else "normal"
        for x, align, text in cells:
            ax.text(
                x,
                y + 0.25 * size / height_pt,
                text,
                ha=align,
                va="baseline",
                fontsize=size,
                fontweight=weight,
                color=colours.get(key, style.TEXT),
            )
