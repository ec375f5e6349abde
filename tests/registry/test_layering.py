"""The registry imports the model and the site loader, never geometry, planners or web."""

from __future__ import annotations

import subprocess
import sys

MODULES = [
    "camwatch.registry",
    "camwatch.registry.models",
    "camwatch.registry.db",
    "camwatch.registry.compounds",
    "camwatch.registry.devices",
    "camwatch.registry.maintenance",
    "camwatch.registry.problems",
    "camwatch.registry.inspections",
    "camwatch.registry.users",
    "camwatch.registry.demo",
]


def test_registry_does_not_import_upper_layers():
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in MODULES)
        + "bad = sorted(m for m in sys.modules if m.startswith(('camwatch.geometry', "
        "'planners', 'web')))\n"
        "print(','.join(bad))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""
