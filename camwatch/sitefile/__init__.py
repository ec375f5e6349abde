"""Load, validate and save site files (docs/site-format.md §1–2).

A site file is a GeoJSON FeatureCollection in local planar metres with a
top-level ``site`` member. :func:`load_site` / :func:`parse_site` turn it into a
:class:`camwatch.model.Site`, rejecting every invalid input with one
:class:`SiteFormatError` whose message names the feature and the problem::

    feature #7 (camera 'C3'): hfov_deg must be in (0, 360], got 0

``#7`` is the feature's **0-based** position in the ``features`` array (the
index a program or ``jq '.features[7]'`` uses). The name in parentheses is the
kind and the id (cameras, gates, alarms, intercoms) or name (zones, buildings,
obstacles, walls, mounts) when the feature has a usable one.

:func:`site_to_geojson` / :func:`dumps_site` / :func:`save_site` write a site
back; ``parse_site(site_to_geojson(s)) == s``. Features are written grouped by
kind (boundary, buildings, obstacles, walls, zones, cameras, gates, alarms,
intercoms, mounts, doors); properties camwatch does not interpret, and unknown
top-level members, are kept and written back. Feature-level foreign members
(a Feature's own ``id`` or ``bbox``) and position altitudes are not kept.
Saving is atomic: the text is built and re-validated first, then written to a
temporary file in the same directory and moved over the target, so an error
leaves nothing written.

Decisions where docs/site-format.md is silent: a property given as JSON ``null`` takes
its default; gate, alarm and intercom ids are optional but unique per kind
when given; a camera ``serial`` may be an integer (kept as a string); zones,
gates and devices outside the boundary are allowed (only cameras are placed).

The package's modules: :mod:`~camwatch.sitefile.parse` reads a site's features
(:func:`parse_leading` parses its first ones once for many parses: the ledger's plan,
docs/registry.md "Loader speed"), :mod:`~camwatch.sitefile.member` its ``site`` member
(per-level values), :mod:`~camwatch.sitefile.dispatch` checks one feature's envelope and
picks its kind's parser, :mod:`~camwatch.sitefile.features`
parses one feature of a kind (``parse_camera`` ...; value checks in
:mod:`~camwatch.sitefile.values`, geometries in :mod:`~camwatch.sitefile.shapes`), :mod:`~camwatch.sitefile.checks` holds the
cross-feature checks (:func:`check_site`, :func:`check_camera_placement`,
:func:`check_camera_id_free`; apart, so the registry can validate a device
against an existing site), :mod:`~camwatch.sitefile.write` writes one feature
and :mod:`~camwatch.sitefile.save` a whole site. A feature without an index
(built in code) is named without one: ``camera 'C9': tilt_deg must be ...``.
Import from the package (``from camwatch.sitefile import parse_site``).
"""

from __future__ import annotations

from camwatch.sitefile.checks import (
    check_camera_id_free,
    check_camera_placement,
    check_site,
    site_free_space,
)
from camwatch.sitefile.dispatch import parse_feature
from camwatch.sitefile.features import (
    parse_alarm,
    parse_boundary,
    parse_building,
    parse_camera,
    parse_door,
    parse_gate,
    parse_intercom,
    parse_mount,
    parse_obstacle,
    parse_wall,
    parse_zone,
)
from camwatch.sitefile.parse import Leading, load_site, loads_site, parse_leading, parse_site
from camwatch.sitefile.save import dumps_site, save_site, site_to_geojson
from camwatch.sitefile.write import feature_to_geojson

__all__ = [
    "Leading",
    "check_camera_id_free",
    "check_camera_placement",
    "check_site",
    "dumps_site",
    "loads_site",
    "feature_to_geojson",
    "load_site",
    "parse_alarm",
    "parse_boundary",
    "parse_building",
    "parse_camera",
    "parse_door",
    "parse_feature",
    "parse_gate",
    "parse_intercom",
    "parse_leading",
    "parse_mount",
    "parse_obstacle",
    "parse_site",
    "parse_wall",
    "parse_zone",
    "save_site",
    "site_free_space",
    "site_to_geojson",
]
