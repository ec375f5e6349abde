"""Greedy label placement so that labels do not pile up on each other.

Labels are placed in priority order. Each tries a few positions around its
anchor; the first that overlaps no earlier label or blocked area (device icons)
and stays inside the axes wins. An optional label that fits nowhere is
dropped; a required one takes its least-overlapping position.

Notes: boxes are measured with the real renderer, so this is exact for the
final picture; cost O(labels × tries × placed), vectorised over placed boxes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal, cast

import numpy as np
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text
from matplotlib.transforms import ScaledTranslation

HAlign = Literal["left", "center", "right"]
VAlign = Literal["bottom", "baseline", "center", "center_baseline", "top"]
# (dx, dy in points, horizontal alignment, vertical alignment)
Offset = tuple[float, float, HAlign, VAlign]


def around(distance: float) -> list[Offset]:
    """Positions beside a point marker: right, left, above, below, then diagonals."""
    d = distance
    e = d * 0.75
    return [
        (d, 0.0, "left", "center"),
        (-d, 0.0, "right", "center"),
        (0.0, d, "center", "bottom"),
        (0.0, -d, "center", "top"),
        (e, e, "left", "bottom"),
        (-e, e, "right", "bottom"),
        (e, -e, "left", "top"),
        (-e, -e, "right", "top"),
    ]


def centred(shift: float) -> list[Offset]:
    """Positions for an area label: on the anchor, then nudged around it."""
    s = shift
    return [(dx, dy, "center", "center") for dx, dy in ((0, 0), (0, s), (0, -s), (s, 0), (-s, 0))]


HALO: list[patheffects.AbstractPathEffect] = [
    patheffects.withStroke(linewidth=2.2, foreground="white")
]


class LabelPlacer:
    """Places texts on ``ax`` avoiding each other; the axes layout must be final."""

    def __init__(self, ax: Axes, *, pad_px: float = 1.5) -> None:
        self.ax = ax
        self.fig = ax.figure
        self.renderer = cast(FigureCanvasAgg, self.fig.canvas).get_renderer()
        self.pad = pad_px
        self.boxes = np.empty((0, 4))
        bb = ax.get_window_extent(self.renderer)
        self.frame = (bb.x0, bb.y0, bb.x1, bb.y1)
        self.dropped = 0

    def block(self, x0: float, y0: float, x1: float, y1: float) -> None:
        """Mark a display-space box as taken."""
        self.boxes = np.vstack([self.boxes, [x0, y0, x1, y1]])

    def block_points(self, xy: Sequence[tuple[float, float]], radius_pt: float) -> None:
        """Mark squares of ``radius_pt`` around data points (device icons) as taken."""
        if not len(xy):
            return
        px = self.ax.transData.transform(np.asarray(xy, dtype=float))
        r = radius_pt * self.fig.dpi / 72.0
        new = np.column_stack([px[:, 0] - r, px[:, 1] - r, px[:, 0] + r, px[:, 1] + r])
        self.boxes = np.vstack([self.boxes, new])

    def _overlap(self, box: np.ndarray) -> float:
        if not len(self.boxes):
            return 0.0
        b = self.boxes
        w = np.minimum(b[:, 2], box[2]) - np.maximum(b[:, 0], box[0])
        h = np.minimum(b[:, 3], box[3]) - np.maximum(b[:, 1], box[1])
        return float(np.sum(np.clip(w, 0, None) * np.clip(h, 0, None)))

    def _outside(self, box: np.ndarray) -> float:
        fx0, fy0, fx1, fy1 = self.frame
        w = box[2] - box[0]
        h = box[3] - box[1]
        inside_w = max(0.0, min(box[2], fx1) - max(box[0], fx0))
        inside_h = max(0.0, min(box[3], fy1) - max(box[1], fy0))
        return w * h - inside_w * inside_h

    def place(
        self,
        x: float,
        y: float,
        text: str,
        *,
        offsets: Sequence[Offset],
        required: bool = False,
        halo: bool = True,
        **kwargs: Any,
    ) -> Text | None:
        """Add ``text`` near data point (x, y) at the first free offset; None if dropped."""
        if not text:
            return None
        t = self.ax.text(x, y, text, zorder=kwargs.pop("zorder", 20), **kwargs)
        if halo:
            t.set_path_effects(HALO)
        base = self.ax.transData
        if required:  # before overlapping, try farther out
            offsets = [
                *offsets,
                *(
                    (dx * k, dy * k, ha, va)
                    for k in (2.0, 3.2)
                    for dx, dy, ha, va in offsets
                    if dx or dy
                ),
            ]
        best: tuple[float, int, np.ndarray] | None = None
        for i, (dx, dy, ha, va) in enumerate(offsets):
            t.set_transform(
                base + ScaledTranslation(dx / 72.0, dy / 72.0, self.fig.dpi_scale_trans)
            )
            t.set_horizontalalignment(ha)
            t.set_verticalalignment(va)
            bb = t.get_window_extent(self.renderer)
            box = np.array([bb.x0 - self.pad, bb.y0 - self.pad, bb.x1 + self.pad, bb.y1 + self.pad])
            cost = self._overlap(box) + 4.0 * self._outside(box)
            if cost == 0.0:
                self.boxes = np.vstack([self.boxes, box])
                return t
            if best is None or cost < best[0]:
                best = (cost, i, box)
        if not required or best is None:
            t.remove()
            self.dropped += 1
            return None
        dx, dy, ha, va = offsets[best[1]]
        t.set_transform(base + ScaledTranslation(dx / 72.0, dy / 72.0, self.fig.dpi_scale_trans))
        t.set_horizontalalignment(ha)
        t.set_verticalalignment(va)
        self.boxes = np.vstack([self.boxes, best[2]])
        return t


class LabelRequest:
    """A label to place later, once every shape and icon is drawn (lower priority first)."""

    __slots__ = ("priority", "x", "y", "text", "offsets", "required", "kwargs")

    def __init__(
        self,
        priority: float,
        x: float,
        y: float,
        text: str,
        *,
        offsets: Sequence[Offset],
        required: bool = False,
        **kwargs: Any,
    ) -> None:
        self.priority = priority
        self.x = x
        self.y = y
        self.text = text
        self.offsets = offsets
        self.required = required
        self.kwargs = kwargs


def place_all(placer: LabelPlacer, requests: Sequence[LabelRequest]) -> int:
    """Place requests by priority (stable); returns how many were placed."""
    placed = 0
    for req in sorted(requests, key=lambda r: r.priority):
        t = placer.place(
            req.x, req.y, req.text, offsets=req.offsets, required=req.required, **req.kwargs
        )
        placed += t is not None
    return placed
