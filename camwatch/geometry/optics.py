"""Camera optics: fields of view, DORI distances and ground limits (docs/site-format.md §2).

All angles are degrees at the interface, distances metres. Pure functions of a
:class:`~camwatch.model.Camera`.

Notes: closed-form, O(1). A panoramic camera (hfov ≥ 180°) ignores tilt and
vfov: it sees from its foot (near = 0) to its DORI limit.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from camwatch.ladders import ALL_LEVELS, px_per_m
from camwatch.model import DORI_PX_PER_M as DORI_PX_PER_M  # re-exported (reports)
from camwatch.model import LEVELS, Camera

PANORAMIC_HFOV_DEG = 180.0


def is_panoramic(camera: Camera) -> bool:
    """True for fisheye/panoramic cameras (hfov ≥ 180°)."""
    return camera.hfov >= PANORAMIC_HFOV_DEG


def vfov(camera: Camera) -> float:
    """Vertical field of view in degrees: given, else β = 2·atan(tan(α/2)·H/W).

    Only meaningful for α < 180°; panoramic cameras return 180.

    >>> from camwatch.model import Camera
    >>> round(vfov(Camera(id="c", position=(0, 0), hfov_deg=90)), 2)
    58.72
    """
    if camera.vfov_deg is not None:
        return float(camera.vfov_deg)
    if is_panoramic(camera):
        return 180.0
    width, height = camera.resolution
    half = math.radians(camera.hfov) / 2.0
    return math.degrees(2.0 * math.atan(math.tan(half) * height / width))


def dori_distance(camera: Camera, level: str) -> float:
    """Distance (m) up to which the camera reaches the pixel density of ``level``
    (a level of any ladder, camwatch.ladders).

    d_L = W / (2·P_L·tan(α/2)) for α < 180°, W / (α_rad·P_L) for panoramic cameras.

    >>> from camwatch.model import Camera
    >>> round(dori_distance(Camera(id="c", position=(0, 0), hfov_deg=90), "detection"), 2)
    38.4
    """
    if level not in ALL_LEVELS:
        raise ValueError(f"unknown level {level!r}; expected one of {', '.join(ALL_LEVELS)}")
    width = camera.resolution[0]
    density = px_per_m(level)
    alpha = math.radians(camera.hfov)
    # Guard: the loader keeps hfov and resolution in range (docs/ranges.md); a camera
    # built in code with a degenerate field of view gets a clear error, not a division by 0.
    denominator = alpha * density if is_panoramic(camera) else 2.0 * density * math.tan(alpha / 2.0)
    if not (denominator > 0.0 and math.isfinite(denominator)):
        raise ValueError(f"camera {camera.id!r}: hfov {camera.hfov!r} gives no DORI distance")
    distance = width / denominator
    if not math.isfinite(distance):
        raise ValueError(f"camera {camera.id!r}: hfov {camera.hfov!r} gives no DORI distance")
    return distance


def ground_limits(camera: Camera) -> tuple[float, float]:
    """(near, far) horizontal ground distances seen by the vertical field.

    near = h/tan(τ+β/2) if τ+β/2 < 90° else 0; far = h/tan(τ−β/2) if τ−β/2 > 0
    else ∞. A camera looking above the horizon (τ+β/2 ≤ 0) sees no ground:
    returns (0, 0). Panoramic cameras: (0, ∞).

    >>> from camwatch.model import Camera
    >>> ground_limits(Camera(id="c", position=(0, 0), tilt_deg=-60, hfov_deg=60))
    (0.0, 0.0)
    """
    if is_panoramic(camera):
        return 0.0, math.inf
    tau = camera.tilt_deg
    half_beta = vfov(camera) / 2.0
    if tau + half_beta <= 0.0:
        return 0.0, 0.0
    h = camera.height_m
    lower = tau + half_beta
    upper = tau - half_beta
    near = _over_tan(h, lower) if lower < 90.0 else 0.0
    far = _over_tan(h, upper) if upper > 0.0 else math.inf
    return max(near, 0.0), far


def _over_tan(h: float, angle_deg: float) -> float:
    """h / tan(angle) for 0 < angle < 90; ∞ when the angle is too small to have a tangent."""
    tangent = math.tan(math.radians(angle_deg))
    return h / tangent if tangent > 0.0 else math.inf


def reach(camera: Camera, level: str) -> float:
    """Outer radius of the footprint at ``level``: min(d_L, far, range_m)."""
    _, far = ground_limits(camera)
    limit = min(dori_distance(camera, level), far)
    if camera.range_m is not None:
        limit = min(limit, camera.range_m)
    return limit


def max_reach(camera: Camera, levels: Sequence[str] = LEVELS) -> float:
    """Outer radius of the widest footprint of ``levels`` (its lowest level's); 0 if the
    camera sees no ground."""
    return max(reach(camera, level) for level in levels)


def frame_distances(drop: float, lower_deg: float, upper_deg: float) -> tuple[float, float]:
    """Horizontal distances d > 0 whose depression atan2(drop, d) lies in [lower, upper] (degrees).

    ``drop`` = H − z is how far the target point lies below the camera (negative:
    above it). Returns (near, far); far ≤ near means no distance qualifies.

    >>> [round(x, 9) for x in frame_distances(3.0, 45.0, 90.0)]   # from the foot out to 3 m
    [0.0, 3.0]
    >>> frame_distances(0.0, -5.0, 5.0)    # a target at the camera's height: every distance
    (0.0, inf)
    """
    if drop == 0.0:
        return (0.0, math.inf) if lower_deg <= 0.0 <= upper_deg else (0.0, 0.0)
    if drop > 0.0:  # depression falls from 90° at the foot towards 0° far away
        if upper_deg <= 0.0:
            return 0.0, 0.0
        near = _over_tan(drop, upper_deg) if upper_deg < 90.0 else 0.0
        far = _over_tan(drop, lower_deg) if lower_deg > 0.0 else math.inf
        return max(near, 0.0), far
    # Target above the camera: the angle rises from −90° at the foot towards 0° far away.
    if lower_deg >= 0.0:
        return 0.0, 0.0
    near = _over_tan(-drop, -lower_deg) if lower_deg > -90.0 else 0.0
    far = _over_tan(-drop, -upper_deg) if upper_deg < 0.0 else math.inf
    return max(near, 0.0), far


def standing_limits(
    camera: Camera, level: str, target_m: float, max_depression_deg: float | None
) -> tuple[float, float]:
    """(near, far) horizontal distances of the footprint at ``level`` for a target at
    height ``target_m`` (docs/site-format.md §4): the vertical frame as a depression
    interval, the maximum depression, and the slant distance √(d² + (H − z)²) within
    d_L and ``range_m``. far ≤ near means an empty footprint.

    >>> from camwatch.model import Camera
    >>> cam = Camera(id="c", position=(0, 0), height_m=4.0, tilt_deg=30, hfov_deg=60, vfov_deg=40)
    >>> [round(x, 3) for x in standing_limits(cam, "identification", 1.6, 30.0)]
    [4.157, 6.203]
    """
    drop = camera.height_m - target_m
    if is_panoramic(camera):
        near, far = 0.0, math.inf
    else:
        half = vfov(camera) / 2.0
        near, far = frame_distances(drop, camera.tilt_deg - half, camera.tilt_deg + half)
    if max_depression_deg is not None and drop > 0.0:
        near = max(near, _over_tan(drop, max_depression_deg) if max_depression_deg < 90.0 else 0.0)
    limit = dori_distance(camera, level)
    if camera.range_m is not None:
        limit = min(limit, camera.range_m)
    if limit <= abs(drop):
        return 0.0, 0.0
    return near, min(far, math.sqrt(limit * limit - drop * drop))
