"""Drawing devices and planner overlays: cameras, gates, alarms, intercoms, suggestions, routes.

Icons keep a constant size on paper (points converted to metres by the
:class:`~camwatch.render.style.Scale`); their positions are recorded so that
labels keep clear of them.
"""

from __future__ import annotations

from matplotlib.collections import PatchCollection
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, Patch, Wedge
from matplotlib.path import Path
from shapely.geometry import LineString, Point

from camwatch.model import Camera, Site
from camwatch.render import style
from camwatch.render.labels import around
from camwatch.render.layers import Canvas, fill, stroke
from camwatch.render.overlays import Overlays
from camwatch.render.shapes import label_anchor

CAMERA_WEDGE_PT = 11.0  # heading wedge radius on paper
CAMERA_DOT = 26.0  # scatter size (pt²) of the camera body
WEDGE_MARKER = Path.wedge(55.0, 125.0)


def camera_wedge(camera: Camera, radius: float) -> Patch:
    """The heading wedge of a camera: compass heading ± hfov/2 (a ring for 360° cameras)."""
    x, y = camera.position
    hfov = camera.hfov
    if hfov >= 360.0:
        return Circle((x, y), radius)
    mid = 90.0 - camera.heading_deg  # compass (clockwise from north) → math angle
    return Wedge((x, y), radius, mid - hfov / 2.0, mid + hfov / 2.0)


def draw_cameras(cv: Canvas, site: Site) -> None:
    """Cameras as wedges pointing where they look, coloured by status, with their ids."""
    if not site.cameras:
        return
    radius = cv.scale.m(CAMERA_WEDGE_PT)
    wedges = [camera_wedge(c, radius) for c in site.cameras]
    colours = [style.STATUS_COLOURS.get(c.status, style.TEXT) for c in site.cameras]
    cv.ax.add_collection(
        PatchCollection(
            wedges, facecolors=colours, edgecolors="#202020", linewidths=0.5, alpha=0.75, zorder=12
        )
    )
    xs = [c.position[0] for c in site.cameras]
    ys = [c.position[1] for c in site.cameras]
    cv.ax.scatter(xs, ys, s=CAMERA_DOT, c=colours, edgecolors="black", linewidths=0.6, zorder=12.5)
    for cam in site.cameras:
        cv.icons.append(cam.position)
        colour = "#202020" if cam.status == "active" else style.STATUS_COLOURS.get(cam.status)
        cv.label(
            5.0,
            cam.position,
            cam.id,
            offsets=around(6.0),
            color=colour,
            fontsize=cv.scale.font_small,
        )
    for status, colour in style.STATUS_COLOURS.items():
        if any(c.status == status for c in site.cameras):
            handle = Line2D(
                [],
                [],
                linestyle="none",
                marker=WEDGE_MARKER,
                markersize=12,
                markerfacecolor=colour,
                markeredgecolor="#202020",
            )
            cv.add_legend(
                20 + list(style.STATUS_COLOURS).index(status),
                handle,
                f"{cv.t('camera')}: {cv.t(status)}",
            )


def gate_text(cv: Canvas, gate: object) -> str:
    """Name and access control of a gate, e.g. ``北门\\n门禁: 人脸识别 · 对讲``."""
    name = getattr(gate, "name", None) or getattr(gate, "id", None) or ""
    access = getattr(gate, "access_control", "none")
    if access == "none":
        what = "无门禁" if cv.lang == "zh" else "no access control"
    else:
        what = f"{cv.t('access control')}: {cv.t(access)}"
    if getattr(gate, "intercom", False):
        what += f" · {cv.t('intercom')}"
    return f"{name}\n{what}" if name else what


def draw_gates(cv: Canvas, site: Site) -> None:
    """Gates: a square (point gate) or a thick bar (gate line), with name and access control."""
    for gate in site.gates:
        geom = gate.geometry
        if isinstance(geom, LineString):
            xy = list(geom.coords)
            cv.ax.plot(
                [p[0] for p in xy],
                [p[1] for p in xy],
                color=style.GATE,
                linewidth=5,
                solid_capstyle="butt",
                zorder=11,
            )
            anchor = label_anchor(geom)
            # keep labels off the whole bar, not only its middle
            n = max(2, int(geom.length / cv.scale.m(6.0)) + 1)
            cv.icons.extend(
                (p.x, p.y)
                for p in (geom.interpolate(i / (n - 1), normalized=True) for i in range(n))
            )
        else:
            anchor = (geom.x, geom.y)
            cv.ax.scatter(
                [geom.x],
                [geom.y],
                s=70,
                marker="s",
                c=style.GATE,
                edgecolors="black",
                linewidths=0.8,
                zorder=11,
            )
        cv.icons.append(anchor)
        cv.label(
            2.0,
            anchor,
            gate_text(cv, gate),
            offsets=around(8.0),
            required=True,
            color="#8a3b00",
            fontsize=cv.scale.font,
        )
    if site.gates:
        cv.add_legend(
            30,
            Line2D(
                [],
                [],
                linestyle="none",
                marker="s",
                markersize=8,
                markerfacecolor=style.GATE,
                markeredgecolor="black",
            ),
            f"{cv.t('gate')} ({cv.t('access control')})",
        )


def draw_alarms(cv: Canvas, site: Site) -> None:
    """Alarm lines red dash-dot along their stretch; point alarms as small red triangles."""
    points = []
    for alarm in site.alarms:
        geom = alarm.geometry
        if isinstance(geom, LineString):
            stroke(
                cv.ax,
                geom,
                edgecolor=style.ALARM,
                linewidth=1.9,
                linestyle=(0, (6, 2, 1.5, 2)),
                zorder=10,
            )
            cv.add_legend(
                31,
                Line2D([], [], color=style.ALARM, linewidth=1.9, linestyle=(0, (6, 2, 1.5, 2))),
                f"{cv.t('alarm line')}",
            )
            cv.label(
                7.0,
                label_anchor(geom),
                cv.t(alarm.alarm_type),
                offsets=around(5.0),
                color=style.ALARM,
                fontsize=cv.scale.font_small,
            )
        else:
            points.append((geom.x, geom.y))
    if points:
        _markers(cv, points, marker="^", area=30, size=6, colour=style.ALARM, order=32, key="alarm")


def draw_intercoms(cv: Canvas, site: Site) -> None:
    """Building door intercoms as small purple diamonds."""
    if not site.intercoms:
        return
    xy = [i.position for i in site.intercoms]
    _markers(cv, xy, marker="D", area=22, size=5, colour=style.INTERCOM, order=33, key="intercom")


def _markers(
    cv: Canvas,
    xy: list[tuple[float, float]],
    *,
    marker: str,
    area: float,
    size: float,
    colour: str,
    order: int,
    key: str,
) -> None:
    """Point devices as white-edged markers, kept clear of labels, with their legend entry."""
    cv.ax.scatter(
        [p[0] for p in xy],
        [p[1] for p in xy],
        s=area,
        marker=marker,
        c=colour,
        edgecolors="white",
        linewidths=0.6,
        zorder=11,
    )
    cv.icons.extend(xy)
    cv.add_legend(
        order,
        Line2D(
            [],
            [],
            linestyle="none",
            marker=marker,
            markersize=size,
            markerfacecolor=colour,
            markeredgecolor="white",
        ),
        cv.t(key),
    )


def draw_overlays(cv: Canvas, overlays: Overlays) -> None:
    """Planner results: ghost cameras and their footprints, devices, routes, the patrol."""
    ax = cv.ax
    radius = cv.scale.m(CAMERA_WEDGE_PT)
    for cam, footprint, gain in overlays.ghost_cameras:
        fill(ax, footprint, facecolor=style.GHOST, alpha=0.16, edgecolor="none", zorder=5.5)
        stroke(
            ax, footprint, edgecolor=style.GHOST, linewidth=1.0, linestyle=(0, (4, 2)), zorder=5.5
        )
        wedge = camera_wedge(cam, radius)
        wedge.set(
            facecolor="white",
            alpha=0.85,
            edgecolor=style.GHOST,
            linewidth=1.3,
            linestyle="--",
            zorder=12,
        )
        ax.add_patch(wedge)
        ax.scatter(
            [cam.position[0]],
            [cam.position[1]],
            s=CAMERA_DOT,
            c="white",
            edgecolors=style.GHOST,
            linewidths=1.2,
            zorder=12.5,
        )
        cv.icons.append(cam.position)
        cv.label(
            1.5,
            cam.position,
            f"{cam.id} +{gain:.0f} m²",
            offsets=around(7.0),
            required=True,
            color=style.GHOST,
            fontsize=cv.scale.font,
            fontweight="bold",
        )
    if overlays.ghost_cameras:
        cv.add_legend(
            24,
            Line2D(
                [],
                [],
                linestyle="none",
                marker=WEDGE_MARKER,
                markersize=12,
                markerfacecolor="white",
                markeredgecolor=style.GHOST,
            ),
            cv.t("suggested camera"),
        )
    for geom, text in overlays.devices:
        if isinstance(geom, Point):
            ax.scatter(
                [geom.x],
                [geom.y],
                s=130,
                marker="*",
                c=style.DEVICE,
                edgecolors="white",
                linewidths=0.6,
                zorder=14,
            )
            anchor = (geom.x, geom.y)
            cv.icons.append(anchor)
        else:
            stroke(
                ax, geom, edgecolor=style.DEVICE, linewidth=2.6, linestyle=(0, (6, 2)), zorder=13
            )
            anchor = label_anchor(geom)
        cv.label(
            2.5,
            anchor,
            text,
            offsets=around(8.0),
            required=True,
            color=style.DEVICE,
            fontsize=cv.scale.font,
        )
    if overlays.devices:
        cv.add_legend(
            34,
            Line2D(
                [],
                [],
                linestyle="none",
                marker="*",
                markersize=10,
                markerfacecolor=style.DEVICE,
                markeredgecolor="white",
            ),
            cv.t("suggested device"),
        )
    for line, text in overlays.routes:
        _route(cv, line, text, colour=style.ROUTE, linestyle="-", priority=2.0)
    if overlays.routes:
        cv.add_legend(35, Line2D([], [], color=style.ROUTE, linewidth=2.2), cv.t("intruder route"))
    if overlays.patrol is not None:
        _route(
            cv,
            overlays.patrol,
            overlays.patrol_label or "",
            colour=style.PATROL,
            linestyle=(0, (5, 2)),
            priority=2.2,
            arrow=False,
        )
        cv.add_legend(
            36,
            Line2D([], [], color=style.PATROL, linewidth=2.2, linestyle=(0, (5, 2))),
            cv.t("patrol route"),
        )


def _route(
    cv: Canvas,
    line: LineString,
    text: str,
    *,
    colour: str,
    linestyle: object,
    priority: float,
    arrow: bool = True,
) -> None:
    """A walked path: a line, a dot where it starts and an arrow where it ends."""
    xy = list(line.coords)
    if len(xy) < 2:
        return
    cv.ax.plot(
        [p[0] for p in xy],
        [p[1] for p in xy],
        color=colour,
        linewidth=2.2,
        linestyle=linestyle,
        alpha=0.9,
        zorder=13,
        solid_capstyle="round",
    )
    if arrow:
        cv.ax.scatter([xy[0][0]], [xy[0][1]], s=22, c=colour, zorder=13)
        cv.ax.annotate(
            "",
            xy=xy[-1][:2],
            xytext=xy[-2][:2],
            arrowprops={"arrowstyle": "-|>", "color": colour, "lw": 2.2, "mutation_scale": 14},
            zorder=13,
        )
    if text:
        cv.label(
            priority,
            label_anchor(line),
            text,
            offsets=around(6.0),
            required=True,
            color=colour,
            fontsize=cv.scale.font,
            fontweight="bold",
        )
