"""A task that fails once per job (a lost worker, say), for the retry test."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def fails_once(site: Any, devices: Any, options: dict[str, Any]) -> dict[str, Any]:
    marker = Path(options["marker_dir"]) / site.id
    if not marker.exists():
        marker.write_text("failed once", encoding="utf-8")
        raise RuntimeError("worker lost")
    return {"site": site.id, "attempts": 2}


def always_fails(site: Any, devices: Any, options: dict[str, Any]) -> dict[str, Any]:
    raise RuntimeError("always")
