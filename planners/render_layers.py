"""The planners' layers for ``camwatch render --suggest / --routes / --patrol``.

Each function takes a site and its analysis and returns the
:class:`~camwatch.render.overlays.Overlays` to draw.  They are registered as
``camwatch.overlays`` entry points (pyproject.toml), so the core's ``render``
command draws them without importing this package by name.
"""

from __future__ import annotations

from camwatch.geometry.coverage import Analysis
from camwatch.model import Site
from camwatch.render.overlays import Overlays
from planners.devices import suggest_devices
from planners.overlays import device_overlays, patrol_overlay, route_overlays
from planners.patrol import patrol_route
from planners.routes import intruder_routes


def suggest_layer(site: Site, analysis: Analysis) -> Overlays:
    """Device suggestions (access control, identification cameras, alarms, intercoms)."""
    return device_overlays(suggest_devices(site, analysis))


def routes_layer(site: Site, analysis: Analysis) -> Overlays:
    """The worst intruder routes."""
    return route_overlays(intruder_routes(site, analysis))


def patrol_layer(site: Site, analysis: Analysis) -> Overlays:
    """The closed patrol route."""
    return patrol_overlay(patrol_route(site, analysis))
