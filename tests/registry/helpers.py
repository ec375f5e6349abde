"""Small helpers shared by the registry tests."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from camwatch.registry.db import session_scope
from camwatch.registry.site_import import import_site
from camwatch.sitefile import parse_site

from .sites import tiny_site


def load_tiny(engine: Engine, site: dict[str, Any] | None = None, *, actor: str = "setup") -> str:
    """Import the tiny site (or ``site``) and return the compound code."""
    parsed = parse_site(site or tiny_site())
    with session_scope(engine, actor=actor) as session:
        return import_site(session, parsed, actor=actor).compound
