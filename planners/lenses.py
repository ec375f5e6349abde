"""Camera types the planner may install: lens, resolution, mounting and unit cost.

A :class:`Lens` is everything about a suggested camera except where it stands
and where it looks. ``camwatch plan`` builds one from ``--hfov/--resolution/
--height/--tilt/--range``; ``--lenses FILE`` reads a small table of allowed
types (JSON list of objects, or CSV with a header) with columns
``name, hfov_deg | focal_mm + sensor_width_mm, resolution, unit_cost`` and
optional ``height_m, tilt_deg, range_m``.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from camwatch.errors import UsageError, ValueRangeError
from camwatch.i18n import Message, msg
from camwatch.model import Camera, hfov_from_lens, parse_resolution
from camwatch.properties import CAMERA, check_optics, check_resolution


@dataclass(frozen=True)
class Lens:
    """A camera type: optics, mounting height and tilt, optional range cap, unit cost."""

    name: str = "default"
    hfov_deg: float = 90.0
    resolution: tuple[int, int] = (1920, 1080)
    height_m: float = 3.0
    tilt_deg: float = 15.0
    range_m: float | None = None
    unit_cost: float = 1.0
    focal_mm: float | None = None
    sensor_width_mm: float | None = None
    named: bool = False  # from a --lenses table: the name is written as the camera's model

    def __post_init__(self) -> None:
        where = msg("lens '%(name)s'", name=self.name)
        try:  # the ranges of docs/ranges.md, by the core's one validator per property
            for key in (
                "hfov_deg",
                "height_m",
                "tilt_deg",
                "range_m",
                "focal_mm",
                "sensor_width_mm",
            ):
                if getattr(self, key) is not None:
                    CAMERA[key].check(getattr(self, key))
            check_resolution(list(self.resolution))
            check_optics(
                hfov_deg=None if self.focal_mm is not None else self.hfov_deg,
                focal_mm=self.focal_mm,
                sensor_width_mm=self.sensor_width_mm,
                resolution=self.resolution,
            )
        except ValueRangeError as exc:
            raise UsageError(msg("%(who)s: %(detail)s", who=where, detail=exc.words)) from None
        if not (math.isfinite(self.unit_cost) and self.unit_cost >= 0.0):
            raise UsageError(
                msg(
                    "%(where)s: unit_cost must be >= 0, got %(value)s",
                    where=where,
                    value=format(self.unit_cost, "g"),
                )
            )

    def camera(
        self,
        camera_id: str,
        position: tuple[float, float],
        heading_deg: float,
        *,
        status: str = "planned",
    ) -> Camera:
        """A camera of this type at ``position`` looking along ``heading_deg``."""
        return Camera(
            id=camera_id,
            position=position,
            status=status,
            height_m=self.height_m,
            heading_deg=heading_deg,
            tilt_deg=self.tilt_deg,
            hfov_deg=None if self.focal_mm is not None else self.hfov_deg,
            focal_mm=self.focal_mm,
            sensor_width_mm=self.sensor_width_mm,
            resolution=self.resolution,
            range_m=self.range_m,
            model=self.name if self.named else None,
        )


def _number(
    row: Mapping[str, Any], key: str, where: Message, default: float | None
) -> float | None:
    value = row.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        return default
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise UsageError(
            msg(
                "%(where)s: %(key)s must be a number, got %(value)s",
                where=where,
                key=key,
                value=repr(value),
            )
        ) from None
    if not math.isfinite(number):
        raise UsageError(
            msg(
                "%(where)s: %(key)s must be finite, got %(value)s",
                where=where,
                key=key,
                value=repr(value),
            )
        )
    return number


def lens_from_row(row: Mapping[str, Any], index: int, *, defaults: Lens | None = None) -> Lens:
    """One row of a lenses table (keys as in the module docstring)."""
    base = defaults or Lens()
    name = str(row.get("name") or f"lens{index + 1}").strip()
    where = msg("lenses row %(row)s ('%(name)s')", row=index + 1, name=name)
    hfov = _number(row, "hfov_deg", where, None)
    focal = _number(row, "focal_mm", where, None)
    sensor = _number(row, "sensor_width_mm", where, None)
    if hfov is None:
        if focal is None or sensor is None:
            raise UsageError(
                msg("%(where)s: give hfov_deg, or focal_mm and sensor_width_mm", where=where)
            )
        if focal <= 0 or sensor <= 0:
            raise UsageError(
                msg("%(where)s: focal_mm and sensor_width_mm must be > 0", where=where)
            )
        hfov = hfov_from_lens(focal, sensor)
    else:
        focal = sensor = None
    res_value = row.get("resolution")
    resolution = (
        base.resolution if res_value in (None, "") else parse_resolution(res_value, where=where)
    )
    cost = _number(row, "unit_cost", where, None)
    if cost is None:
        raise UsageError(msg("%(where)s: unit_cost is required", where=where))
    try:
        return Lens(
            name=name,
            hfov_deg=hfov,
            resolution=resolution,
            height_m=_number(row, "height_m", where, base.height_m) or base.height_m,
            tilt_deg=_number(row, "tilt_deg", where, base.tilt_deg),  # type: ignore[arg-type]
            range_m=_number(row, "range_m", where, base.range_m),
            unit_cost=cost,
            focal_mm=focal,
            sensor_width_mm=sensor,
            named=True,
        )
    except UsageError as exc:
        raise UsageError(msg("%(who)s: %(detail)s", who=where, detail=exc.words)) from None


def load_lenses(path: str | Path, *, defaults: Lens | None = None) -> list[Lens]:
    """Read a lenses table: ``.json`` (a list of objects) or ``.csv`` (header row)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise UsageError(
            msg(
                "--lenses %(path)s: cannot read (%(detail)s)",
                path=str(p),
                detail=str(exc.strerror or exc),
            )
        ) from None
    rows: list[Mapping[str, Any]]
    if p.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise UsageError(
                msg(
                    "--lenses %(path)s: invalid JSON: %(detail)s at line %(line)s",
                    path=str(p),
                    detail=exc.msg,
                    line=exc.lineno,
                )
            ) from None
        if isinstance(data, dict) and isinstance(data.get("lenses"), list):
            data = data["lenses"]
        if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
            raise UsageError(msg("--lenses %(path)s: expected a JSON list of objects", path=str(p)))
        rows = data
    else:
        rows = list(csv.DictReader(text.splitlines()))
    if not rows:
        raise UsageError(msg("--lenses %(path)s: no camera types in the table", path=str(p)))
    lenses = [lens_from_row(row, i, defaults=defaults) for i, row in enumerate(rows)]
    names = [lens.name for lens in lenses]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise UsageError(
            msg(
                "--lenses %(path)s: duplicate lens name(s): %(names)s",
                path=str(p),
                names=", ".join(dup),
            )
        )
    return lenses
