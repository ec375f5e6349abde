"""Camera optics: fields of view, DORI distances and ground limits (docs/site-format.md §2).

All angles are degrees at the interface, distances metres. Pure functions of a
:class:`~camwatch.model.Camera`.

Notes: closed-form, O(1). A panoramic camera (hfov ≥ 180°) ignores tilt and
vfov: it sees from its foot (near = 0) to its DORI limit.
"""

from __future__ import annotations

import math

from camwatch.model import DORI_PX_PER_M, LEVELS, Camera

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
    """Distance (m) up to which the camera reaches the pixel density of ``level``.

    d_L = W / (2·P_L·tan(α/2)) for α < 180°, W / (α_rad·P_L) for panoramic cameras.

    >>> from camwatch.model import Camera
    >>> round(dori_distance(Camera(id="c", position=(0, 0), hfov_deg=90), "detection"), 2)
    38.4
    """
    if level not in DORI_PX_PER_M:
        raise ValueError(f"unknown level {level!r}; expected one of {', '.join(LEVELS)}")
    width = camera.resolution[0]
    density = DORI_PX_PER_M[level]
    alpha = math.radians(camera.hfov)
    if is_panoramic(camera):
        return width / (alpha * density)
    return width / (2.0 * density * math.tan(alpha / 2.0))


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
    near = h / math.tan(math.radians(lower)) if lower < 90.0 else 0.0
    far = h / math.tan(math.radians(upper)) if upper > 0.0 else math.inf
    return max(near, 0.0), far


def reach(camera: Camera, level: str) -> float:
    """Outer radius of the footprint at ``level``: min(d_L, far, range_m)."""
    _, far = ground_limits(camera)
    limit = min(dori_distance(camera, level), far)
    if camera.range_m is not None:
        limit = min(limit, camera.range_m)
    return limit


def max_reach(camera: Camera) -> float:
    """Outer radius of the widest (detection) footprint; 0 if the camera sees no ground."""
    return max(reach(camera, level) for level in LEVELS)
