"""The device ledger: compounds, devices, maintenance, problems, inspections, users.

Layers: :mod:`.models` (tables) and :mod:`.db` (engines, sessions, migrations);
service modules (:mod:`.compounds`, :mod:`.devices`, :mod:`.maintenance`,
:mod:`.problems`, :mod:`.inspections`, :mod:`.users`) are plain functions
taking a ``Session`` — no Flask, no globals — and :mod:`camwatch.commands`
(outside this package) wires them to ``camwatch`` commands.  Importing the package installs the audit event
(:mod:`.audit`), so every change made through the ORM is audited.

The registry imports :mod:`camwatch.model` and :mod:`camwatch.sitefile` only,
never :mod:`camwatch.geometry`: callers compute analyses and pass them in.
"""

from __future__ import annotations

from camwatch.registry import audit as _audit  # noqa: F401  (installs the audit event)
from camwatch.registry.users import hash_password, verify_password

__all__ = ["hash_password", "verify_password"]
