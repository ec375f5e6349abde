"""Drawing the site's areas: ground, coverage by level (of the site's ladder), zones, blind spots, buildings.

Each ``draw_*`` function adds shapes to the plan axes and queues its labels
and legend entries on the :class:`Canvas`; labels are placed at the end, when
everything that they must avoid is known.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, PathPatch
from shapely.errors import GEOSException
from shapely.geometry.base import BaseGeometry

from camwatch.ladders import ladder
from camwatch.model import ZONE_TYPES, Site
from camwatch.render import style
from camwatch.render.labels import LabelRequest, centred
from camwatch.render.shapes import label_anchor, lines_path, long_axis, polygon_path
from camwatch.render.terms import term


@dataclass
class Canvas:
    """The plan axes plus what is queued for the legend and the label pass."""

    ax: Axes
    lang: str
    scale: style.Scale
    legend: list[tuple[float, Artist, str]] = field(default_factory=list)
    labels: list[LabelRequest] = field(default_factory=list)
    icons: list[tuple[float, float]] = field(default_factory=list)

    def t(self, key: str) -> str:
        """The term for ``key`` in this plan's language."""
        return term(key, self.lang)

    def add_legend(self, rank: float, handle: Artist, label: str) -> None:
        """Queue a legend entry once; entries are listed by ``rank``."""
        if all(existing != label for _, _, existing in self.legend):
            self.legend.append((rank, handle, label))

    def legend_entries(self) -> tuple[list[Artist], list[str]]:
        """Handles and labels in legend order."""
        entries = sorted(self.legend, key=lambda e: e[0])
        labels = [t[:1].upper() + t[1:] if self.lang == "en" else t for _, _, t in entries]
        return [h for _, h, _ in entries], labels

    def label(self, priority: float, xy: tuple[float, float], text: str, **kwargs: Any) -> None:
        """Queue a label at ``xy`` (see :class:`~camwatch.render.labels.LabelRequest`)."""
        self.labels.append(LabelRequest(priority, xy[0], xy[1], text, **kwargs))


def fill(ax: Axes, geom: BaseGeometry | None, **kwargs: Any) -> PathPatch | None:
    """Fill the polygons of ``geom`` (holes open) as one patch."""
    path = polygon_path(geom)
    if path is None:
        return None
    patch = PathPatch(path, **kwargs)
    ax.add_artist(patch)  # not add_patch: limits are fixed, and autoscaling big paths is slow
    return patch


def stroke(ax: Axes, geom: BaseGeometry | None, **kwargs: Any) -> PathPatch | None:
    """Draw the lines (or polygon outlines) of ``geom`` as one unfilled patch."""
    path = lines_path(geom)
    if path is None:
        return None
    patch = PathPatch(path, fill=False, **kwargs)
    ax.add_artist(patch)  # not add_patch: limits are fixed, and autoscaling big paths is slow
    return patch


def text_width_em(text: str) -> float:
    """Approximate width of the widest line of ``text`` in em (CJK ≈ 1 em, Latin ≈ 0.6 em)."""
    widths = []
    for line in text.split("\n"):
        w = 0.0
        for ch in line:
            if ord(ch) >= 0x2E80:
                w += 1.0
            elif ch == " ":
                w += 0.32
            elif ch.isupper() or ch.isdigit():
                w += 0.64
            else:
                w += 0.55
        widths.append(w)
    return max(widths, default=0.0)


def draw_ground(cv: Canvas, site: Site) -> None:
    """Outside grey, inside white, the boundary as a thick dark outline on top."""
    cv.ax.set_facecolor(style.OUTSIDE)
    fill(cv.ax, site.boundary, facecolor=style.INSIDE, edgecolor="none", zorder=1)
    stroke(
        cv.ax, site.boundary, edgecolor=style.BOUNDARY, linewidth=2.4, zorder=9, joinstyle="miter"
    )
    cv.add_legend(50, Line2D([], [], color=style.BOUNDARY, linewidth=2.4), cv.t("boundary"))


def draw_coverage(cv: Canvas, analysis: Any, levels: Sequence[str]) -> None:
    """Coverage areas coloured by the highest level shown that reaches them.

    With all levels the bands are nested differences (detection only,
    observation only, …) so the colours do not stack; with one level, its
    whole coverage. The legend says the coverage model and, in the standing
    model, each level's target height (docs/site-format.md §4).
    """
    chosen = ladder(getattr(analysis, "ladder", None))
    heights: dict[str, float] = dict(getattr(analysis, "target_heights", {}) or {})
    standing = getattr(analysis, "coverage_model", "ground") == "standing"
    cv.add_legend(9, Patch(facecolor="none", edgecolor="none"), model_caption(cv, standing))
    for i, level in enumerate(levels):
        geom = analysis.levels[level].geometry
        if i + 1 < len(levels) and geom is not None and not geom.is_empty:
            upper = analysis.levels[levels[i + 1]].geometry
            # on GEOS topology trouble draw it whole: the next band is drawn over it
            with contextlib.suppress(GEOSException):
                geom = geom.difference(upper)
        fill(
            cv.ax,
            geom,
            facecolor=style.LEVEL_COLOURS[level],
            alpha=style.LEVEL_ALPHA,
            edgecolor="none",
            zorder=2,
        )
        label = f"{cv.t(level)}  ≥{chosen.level(level).px_per_m:g} px/m"
        if standing and level in heights:
            label += f" · {cv.t('target height')} {heights[level]:g} m"
        cv.add_legend(
            10 + 0.5 * chosen.names.index(level),
            Patch(facecolor=style.LEVEL_COLOURS[level], alpha=style.LEVEL_ALPHA),
            label,
        )


def draw_uncounted(cv: Canvas, site: Site, analysis: Any, level: str) -> None:
    """Dashed outlines of footprints of cameras not counted (planned, faulty, offline)."""
    status = {c.id: c.status for c in site.cameras}
    drawn = False
    for cam in analysis.cameras:
        if cam.counted:
            continue
        geom = cam.footprints.get(level)
        colour = style.STATUS_COLOURS.get(status.get(cam.id, cam.status), style.TEXT)
        if (
            stroke(cv.ax, geom, edgecolor=colour, linewidth=0.9, linestyle=(0, (3, 2)), zorder=3)
            is not None
        ):
            drawn = True
    if drawn:
        cv.add_legend(
            14,
            Line2D([], [], color=style.TEXT, linewidth=0.9, linestyle=(0, (3, 2))),
            cv.t("not counted (footprint)"),
        )


def draw_zones(cv: Canvas, site: Site, analysis: Any) -> None:
    """Zone outlines in their type's colour; failing zones red dashed with their ratio."""
    results = {z.name: z for z in analysis.zones}
    for zone in site.zones:
        res = results.get(zone.name)
        failing = res is not None and not res.passed
        colour = style.FAIL if failing else style.ZONE_COLOURS.get(zone.zone_type, style.TEXT)
        stroke(
            cv.ax,
            zone.polygon,
            edgecolor=colour,
            linewidth=2.0 if failing else 1.4,
            linestyle=(0, (5, 3)) if failing else "-",
            zorder=5 if failing else 4,
        )
        anchor = label_anchor(zone.polygon)
        if res is not None and failing:
            text = f"{zone.name}\n{cv.t(res.required_level)} {res.ratio:.1%}"
            cv.label(
                1.0,
                anchor,
                text,
                offsets=centred(8),
                required=True,
                color=style.FAIL,
                fontsize=cv.scale.font,
                fontweight="bold",
                ha="center",
                va="center",
            )
            cv.add_legend(
                40,
                Line2D([], [], color=style.FAIL, linewidth=2.0, linestyle=(0, (5, 3))),
                f"{cv.t('failing zone')} ({cv.t('coverage')})",
            )
        else:
            cv.label(
                4.0,
                anchor,
                zone.name,
                offsets=centred(8),
                color=colour,
                fontsize=cv.scale.font,
                ha="center",
                va="center",
            )
            cv.add_legend(
                41 + ZONE_TYPES.index(zone.zone_type) / 100,
                Line2D([], [], color=colour, linewidth=1.4),
                f"{cv.t('zone')}: {cv.t(zone.zone_type)}",
            )


def draw_blind_spots(cv: Canvas, analysis: Any, *, required_count: int = 12) -> None:
    """Blind spots hatched red, labelled B1, B2… with their area (largest first)."""
    spots = list(analysis.blind_spots)
    if not spots:
        return
    from shapely import unary_union

    union = unary_union([s.geometry for s in spots])
    fill(
        cv.ax,
        union,
        facecolor=style.BLIND_FACE,
        edgecolor=style.BLIND,
        hatchcolor=style.BLIND_HATCH,
        hatch="///",
        linewidth=0.8,
        zorder=6,
    )
    tiny_m = cv.scale.m(7.0)
    tiny = []
    for i, spot in enumerate(spots):
        area = spot.area_m2
        text = f"{spot.id}\n{area:.1f} m²" if area < 10 else f"{spot.id}\n{area:.0f} m²"
        xy = tuple(spot.label_point)
        minx, miny, maxx, maxy = spot.geometry.bounds
        if max(maxx - minx, maxy - miny) < tiny_m:
            tiny.append(xy)
        cv.label(
            0.0 + i * 1e-3,
            xy,
            text,
            offsets=centred(9),
            required=i < required_count,
            color=style.BLIND,
            fontsize=cv.scale.font,
            fontweight="bold",
            ha="center",
            va="center",
        )
    if tiny:
        xs, ys = zip(*tiny, strict=True)
        cv.ax.scatter(
            xs, ys, s=30, facecolors="none", edgecolors=style.BLIND, linewidths=1.0, zorder=6.5
        )
    cv.add_legend(
        15,
        Patch(
            facecolor=style.BLIND_FACE,
            edgecolor=style.BLIND,
            hatchcolor=style.BLIND_HATCH,
            hatch="///",
        ),
        cv.t("blind spot"),
    )


def _fitted_label(
    cv: Canvas, poly: Any, text: str, *, max_font: float, priority: float, colour: str
) -> None:
    """Queue a name inside a polygon, turned along it if elongated and shrunk to fit."""
    if not text:
        return
    angle, long_side, short_side = long_axis(poly)
    minx, miny, maxx, maxy = poly.bounds
    rectangular = long_side * short_side > 0 and poly.area / (long_side * short_side) > 0.7
    if rectangular and long_side > 1.6 * short_side and abs(angle) > 3:
        avail_w, avail_h, rotation = long_side, short_side, angle
    else:
        avail_w, avail_h, rotation = maxx - minx, maxy - miny, 0.0
    lines = text.count("\n") + 1
    em = text_width_em(text)
    s = cv.scale
    size = min(
        max_font,
        0.85 * avail_w / s.m_per_pt / max(em, 0.1),
        0.8 * avail_h / s.m_per_pt / (1.25 * lines),
    )
    if size < s.font_min:
        return
    cv.label(
        priority,
        label_anchor(poly),
        text,
        offsets=[(0.0, 0.0, "center", "center")],
        fontsize=size,
        rotation=rotation,
        rotation_mode="anchor",
        color=colour,
        ha="center",
        va="center",
    )


def draw_structures(cv: Canvas, site: Site) -> None:
    """Buildings (grey, named), obstacles (darker, lightly hatched), wall footprints (black)."""
    for b in site.buildings:
        fill(
            cv.ax,
            b.polygon,
            facecolor=style.BUILDING_FACE,
            edgecolor=style.BUILDING_EDGE,
            linewidth=0.8,
            zorder=7,
        )
        _fitted_label(
            cv,
            b.polygon,
            b.name or "",
            max_font=cv.scale.font_building,
            priority=3.0,
            colour=style.TEXT,
        )
    if site.buildings:
        cv.add_legend(
            51,
            Patch(facecolor=style.BUILDING_FACE, edgecolor=style.BUILDING_EDGE),
            cv.t("building"),
        )
    for o in site.obstacles:
        fill(
            cv.ax,
            o.polygon,
            facecolor=style.OBSTACLE_FACE,
            edgecolor=style.OBSTACLE_EDGE,
            hatch="..",
            linewidth=0.7,
            zorder=7,
        )
        _fitted_label(
            cv,
            o.polygon,
            o.name or "",
            max_font=cv.scale.font_small,
            priority=6.0,
            colour="#333333",
        )
    if site.obstacles:
        cv.add_legend(
            52,
            Patch(facecolor=style.OBSTACLE_FACE, edgecolor=style.OBSTACLE_EDGE, hatch=".."),
            cv.t("obstacle"),
        )
    for w in site.walls:
        fill(cv.ax, w.footprint, facecolor=style.WALL, edgecolor="none", zorder=8)
        # a 0.2 m wall is thinner than a pixel on a large plan: stroke its axis too
        stroke(cv.ax, w.line, edgecolor=style.WALL, linewidth=1.1, capstyle="butt", zorder=8)
    if site.walls:
        cv.add_legend(53, Line2D([], [], color=style.WALL, linewidth=3), cv.t("wall"))


def model_caption(cv: Canvas, standing: bool) -> str:
    """The legend's line naming the coverage model (ground: targets at 0 m)."""
    if standing:
        return f"{cv.t('coverage model')}: {cv.t('standing person')}"
    return f"{cv.t('coverage model')}: {cv.t('ground level')} · {cv.t('target height')} 0 m"


def levels_shown(level: str | None, names: Sequence[str]) -> tuple[str, ...]:
    """The levels drawn: all of the ladder's ``names``, or only the one asked for."""
    return tuple(names) if level is None else (level,)
