"""Form helpers shared by the blueprints."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

try:  # WTForms ≥ 3.3 wants SelectChoice objects (tuples are deprecated)
    from wtforms import SelectChoice
except ImportError:  # pragma: no cover - older WTForms
    SelectChoice = None


def choices(pairs: Iterable[tuple[str, Any]]) -> list[Any]:
    """``[(value, label), ...]`` as select choices for the installed WTForms."""
    if SelectChoice is None:  # pragma: no cover
        return list(pairs)
    return [SelectChoice(value, label) for value, label in pairs]
