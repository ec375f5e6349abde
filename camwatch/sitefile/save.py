"""Writing a site back: GeoJSON, text and an atomic save (``parse_site(site_to_geojson(s))
== s``; features grouped by kind, foreign members kept; see :mod:`camwatch.sitefile`)."""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Any

from camwatch.errors import SiteFormatError, UsageError
from camwatch.i18n import msg
from camwatch.model import (
    Site,
)
from camwatch.sitefile.features import (
    Feature,
)
from camwatch.sitefile.member import SITE_KEYS
from camwatch.sitefile.parse import TOP_KEYS, parse_site
from camwatch.sitefile.values import show
from camwatch.sitefile.write import feature_to_geojson


def _features(site: Site) -> list[Feature]:
    return [
        site.boundary,
        *site.buildings,
        *site.obstacles,
        *site.walls,
        *site.zones,
        *site.cameras,
        *site.gates,
        *site.alarms,
        *site.intercoms,
        *site.mounts,
        *site.doors,
    ]


def site_to_geojson(site: Site) -> dict[str, Any]:
    """The site as a GeoJSON FeatureCollection dict (plain lists, JSON-ready)."""
    info = site.info
    meta: dict[str, Any] = {"id": info.id}
    meta.update(
        (k, v)
        for k, v in (("name", info.name), ("district", info.district), ("address", info.address))
        if v is not None
    )
    meta["units"] = info.units
    meta.update(
        (k, v)
        for k, v in (
            ("households", info.households),
            ("retention_days", info.retention_days),
            ("profile", info.profile),
            ("coverage_model", info.coverage_model),
            ("target_height_m", info.target_height_m),
            ("max_depression_deg", info.max_depression_deg),
            ("levels", info.levels),
        )
        if v is not None
    )
    clash = sorted(k for k in info.extra if k in SITE_KEYS)
    if clash:
        raise SiteFormatError(
            msg(
                "site: extra members clash with interpreted ones: %(names)s", names=", ".join(clash)
            )
        )
    meta.update(info.extra)
    clash = sorted(k for k in site.extra if k in TOP_KEYS)
    if clash:
        raise SiteFormatError(
            msg(
                "extra top-level members clash with GeoJSON ones: %(names)s", names=", ".join(clash)
            )
        )
    out: dict[str, Any] = {"type": "FeatureCollection", "site": meta}
    out.update(site.extra)
    out["features"] = [feature_to_geojson(f) for f in _features(site)]
    return out


def dumps_site(site: Site) -> str:
    """The site file text: JSON, 2-space indent, UTF-8 characters kept, trailing newline."""
    try:
        text = json.dumps(site_to_geojson(site), indent=2, ensure_ascii=False, allow_nan=False)
        text.encode("utf-8")
    except (TypeError, ValueError, RecursionError) as exc:  # UnicodeEncodeError is a ValueError
        raise SiteFormatError(
            msg("site cannot be written as JSON: %(value)s", value=show(str(exc)))
        ) from None
    return text + "\n"


def save_site(site: Site, path: str | os.PathLike[str], *, validate: bool = True) -> None:
    """Write the site atomically; with ``validate`` the text is re-checked first.

    Nothing is written when the site is invalid or cannot be serialised; the
    target is replaced in one ``os.replace`` so readers never see half a file.
    """
    text = dumps_site(site)
    if validate:
        parse_site(json.loads(text), default_id=site.id)
    target = Path(path)
    tmp = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as exc:
        raise UsageError(
            msg("cannot write %(target)s: %(value)s", target=target, value=exc.strerror or exc)
        ) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        if target.exists():
            os.chmod(tmp, target.stat().st_mode & 0o7777)
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UsageError(
            msg("cannot write %(target)s: %(value)s", target=target, value=exc.strerror or exc)
        ) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
