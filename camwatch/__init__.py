"""camwatch — coverage planner and device ledger for safe-compound programmes.

The core package: errors, the site model, site files, pure geometry
(optics, visibility, footprint, coverage), the registry and the CLI.
"""

from __future__ import annotations

__version__ = "0.2.0"
