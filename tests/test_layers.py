"""The direction of imports stays true (STYLE.md): each layer imported in a
fresh interpreter must not pull in the layers above it."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

FORBIDDEN = {
    "camwatch.model": [
        "camwatch.geometry",
        "camwatch.registry",
        "planners",
        "web",
        "sqlalchemy",
        "flask",
    ],
    "camwatch.sitefile": ["camwatch.geometry", "camwatch.registry", "planners", "web", "flask"],
    "camwatch.geometry.coverage": [
        "camwatch.registry",
        "planners",
        "web",
        "sqlalchemy",
        "flask",
        "matplotlib",
    ],
    "camwatch.registry": ["camwatch.geometry", "planners", "web", "flask"],
    "camwatch.cli": [
        "camwatch.registry",
        "planners",
        "web",
        "sqlalchemy",
        "flask",
        "matplotlib",
        "highspy",
    ],
    "camwatch.render": [
        "camwatch.registry",
        "planners",
        "web",
        "flask",
        "sqlalchemy",
        "matplotlib",
    ],
    "planners": ["camwatch.registry", "web", "flask", "sqlalchemy"],
}


@pytest.mark.parametrize("module, forbidden", sorted(FORBIDDEN.items()))
def test_layer_does_not_import_upwards(module, forbidden):
    code = (
        "import importlib, json, sys\n"
        f"importlib.import_module({module!r})\n"
        "print(json.dumps(sorted(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = json.loads(out.stdout)
    crossings = [m for m in loaded if any(m == f or m.startswith(f + ".") for f in forbidden)]
    assert crossings == [], f"{module} imports {crossings}"
