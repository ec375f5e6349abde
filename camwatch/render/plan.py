"""The plan picture: :func:`render_plan` lays out, draws and atomically writes it.

Layout in inches: the site to scale on the left (equal aspect, metres), with a
strip underneath for the scale bar and north arrow; the legend and the title
block in a column on the right. The plan grows with the site (9–15 in on its
long side) so icons and text keep their size on paper.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from camwatch.errors import UsageError
from camwatch.i18n import msg
from camwatch.ladders import ladder, not_in_ladder
from camwatch.model import Site
from camwatch.output import check_output, write_atomic
from camwatch.render.fonts import font_families, has_cjk
from camwatch.render.overlays import Overlays
from camwatch.render.terms import LANGS

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from camwatch.geometry.coverage import Analysis

FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf"}
SAVE_RC = {"svg.fonttype": "path", "pdf.fonttype": 42}  # embed glyphs as TrueType in PDF
MARGIN_IN = 0.25
GUTTER_IN = 0.3
SIDE_IN = 3.5
MIN_SHORT_IN = 3.0


def render_plan(
    site: Site,
    analysis: Analysis,
    path: str | Path,
    *,
    level: str | None = None,
    lang: str = "zh",
    overlays: Overlays | None = None,
    dpi: int = 150,
) -> Path:
    """Draw the site plan with coverage, blind spots and devices to ``path`` (.png/.svg/.pdf).

    ``level`` shows only that level's footprint (default: every level of the
    site's ladder, coloured by the highest level reached); ``lang`` is "zh" or "en";
    ``overlays`` adds planner suggestions and routes. The file is written
    atomically: on any error nothing is left at ``path``. Chinese labels need
    the Noto Sans CJK font (CamwatchError if it is missing).
    """
    if not isinstance(dpi, int) or not 30 <= dpi <= 1200:
        raise UsageError(
            msg("dpi must be an integer in [30, 1200], got %(value)s", value=repr(dpi))
        )
    path = check_output(path, list(FORMATS))
    fmt = FORMATS[path.suffix.lower()]
    import matplotlib

    fig = plan_figure(site, analysis, level=level, lang=lang, overlays=overlays)
    picture = io.BytesIO()
    with matplotlib.rc_context(cast(Any, SAVE_RC)):
        fig.savefig(picture, format=fmt, dpi=dpi, facecolor="white")
    return write_atomic(path, picture.getvalue())


def plan_figure(
    site: Site,
    analysis: Analysis,
    *,
    level: str | None = None,
    lang: str = "zh",
    overlays: Overlays | None = None,
) -> Figure:
    """The plan as a matplotlib Figure (Agg canvas, no pyplot), e.g. to stream from the web.

    Same checks as :func:`render_plan`. Fonts and hatches are fixed when the
    artists are created, so the figure saves the same outside this call.
    """
    chosen = ladder(getattr(analysis, "ladder", None))
    if level is not None and level not in chosen.names:
        raise UsageError(not_in_ladder(str(level), chosen))
    if lang not in LANGS:
        raise UsageError(
            msg(
                "unknown language %(lang)s; expected one of %(names)s",
                lang=repr(lang),
                names=", ".join(LANGS),
            )
        )
    if getattr(analysis, "site_id", site.id) != site.id:
        raise UsageError(
            msg(
                "analysis is of site %(analysed)s, not %(site)s",
                analysed=repr(analysis.site_id),
                site=repr(site.id),
            )
        )
    overlays = overlays or Overlays()
    need_cjk = lang == "zh" or any(has_cjk(s) for s in _texts(site, overlays))
    rc = {
        "font.family": font_families(lang, need_cjk=need_cjk),
        "axes.unicode_minus": False,
        "hatch.linewidth": 0.6,
    }
    import matplotlib

    with matplotlib.rc_context(cast(Any, rc)):
        fig = _draw(site, analysis, level=level, lang=lang, overlays=overlays)
    return fig


def _texts(site: Site, overlays: Overlays) -> list[str]:
    """Every text from the site and overlays that may appear on the plan."""
    out = [site.info.name or "", site.info.district or "", site.info.address or ""]
    out += [b.name or "" for b in site.buildings] + [o.name or "" for o in site.obstacles]
    out += [z.name for z in site.zones] + [c.id for c in site.cameras]
    out += [g.name or g.id or "" for g in site.gates]
    out += [label for _, label in overlays.devices] + [label for _, label in overlays.routes]
    out += [overlays.patrol_label or ""] + [c.id for c, _, _ in overlays.ghost_cameras]
    return out


def _extent(site: Site, overlays: Overlays) -> tuple[float, float, float, float]:
    from shapely import unary_union

    geoms = [site.boundary] + overlays.geometries()
    minx, miny, maxx, maxy = unary_union(geoms).bounds
    # a degenerate extent still gets a drawable frame
    if maxx - minx < 1.0:
        minx, maxx = minx - 0.5, maxx + 0.5
    if maxy - miny < 1.0:
        miny, maxy = miny - 0.5, maxy + 0.5
    return (minx, miny, maxx, maxy)


def _draw(site: Site, analysis: Any, *, level: str | None, lang: str, overlays: Overlays) -> Figure:
    """Build the whole figure (no I/O)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from camwatch.render import decor, devices, layers
    from camwatch.render.labels import LabelPlacer, place_all
    from camwatch.render.style import Scale

    minx, miny, maxx, maxy = _extent(site, overlays)
    span = max(maxx - minx, maxy - miny)
    pad = 0.035 * span
    x0, x1 = minx - pad, maxx + pad
    y0, y1 = miny - pad, maxy + pad
    long_in = min(15.0, max(9.0, 7.5 + span / 60.0))
    w_m, h_m = x1 - x0, y1 - y0
    if w_m >= h_m:
        plan_w = long_in
        plan_h = max(MIN_SHORT_IN, long_in * h_m / w_m)
        extra = plan_h * w_m / plan_w - h_m  # widen the y range if the short side was raised
        y0, y1 = y0 - extra / 2, y1 + extra / 2
    else:
        plan_h = long_in
        plan_w = max(MIN_SHORT_IN, long_in * w_m / h_m)
        extra = plan_w * h_m / plan_h - w_m
        x0, x1 = x0 - extra / 2, x1 + extra / 2
    m_per_pt = (x1 - x0) / (plan_w * 72.0)
    strip_m = decor.STRIP_PT * m_per_pt
    plan_h += decor.STRIP_PT / 72.0
    y0 -= strip_m

    fig = Figure(figsize=(plan_w + SIDE_IN + GUTTER_IN + 2 * MARGIN_IN, plan_h + 2 * MARGIN_IN))
    canvas = FigureCanvasAgg(fig)
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal", adjustable="box")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_linewidth(0.8)
        spine.set_edgecolor("#555555")

    cv = layers.Canvas(ax, lang, Scale(m_per_pt))
    names = tuple(analysis.levels)
    shown = layers.levels_shown(level, names)
    layers.draw_ground(cv, site)
    layers.draw_coverage(cv, analysis, shown)
    layers.draw_uncounted(cv, site, analysis, level or names[0])
    layers.draw_zones(cv, site, analysis)
    layers.draw_blind_spots(cv, analysis)
    layers.draw_structures(cv, site)
    devices.draw_alarms(cv, site)
    devices.draw_gates(cv, site)
    devices.draw_intercoms(cv, site)
    devices.draw_cameras(cv, site)
    devices.draw_overlays(cv, overlays)
    bar_y = y0 + cv.scale.m(14)
    decor.draw_scale_bar(cv, x0 + cv.scale.m(14), bar_y, 0.3 * (x1 - x0))
    decor.draw_north_arrow(cv, x1 - cv.scale.m(18), y0 + cv.scale.m(6))

    # the side column: legend on top, title block at the bottom
    rows = decor.title_rows(site, analysis, level, lang)
    block_h = decor.rows_height_in(rows)
    ax_legend = fig.add_axes((0.0, 0.0, 0.1, 0.1))
    legend = decor.draw_legend(ax_legend, cv)
    renderer = canvas.get_renderer()
    legend_h = legend.get_window_extent(renderer).height / fig.dpi if legend else 0.0
    fig_h = max(plan_h, legend_h + block_h + 0.3) + 2 * MARGIN_IN
    fig_w = plan_w + SIDE_IN + GUTTER_IN + 2 * MARGIN_IN
    fig.set_size_inches(fig_w, fig_h)
    plan_bottom = (fig_h - plan_h) / 2
    ax.set_position((MARGIN_IN / fig_w, plan_bottom / fig_h, plan_w / fig_w, plan_h / fig_h))
    side_x = (MARGIN_IN + plan_w + GUTTER_IN) / fig_w
    top = fig_h - MARGIN_IN
    ax_legend.set_position(
        (side_x, (top - legend_h) / fig_h, SIDE_IN / fig_w, max(legend_h, 0.01) / fig_h)
    )
    ax_block = fig.add_axes((side_x, MARGIN_IN / fig_h, SIDE_IN / fig_w, block_h / fig_h))
    decor.draw_title_block(ax_block, rows)

    ax.apply_aspect()
    placer = LabelPlacer(ax)
    placer.block_points(cv.icons, 4.5)
    place_all(placer, cv.labels)
    return fig
