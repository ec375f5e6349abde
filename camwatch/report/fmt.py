"""Number and date formats shared by the reports and the schedule.

Areas are shown with two decimals, as ``camwatch analyze --json`` rounds
them, so a reader can find the analysis's figures in the report verbatim.
"""

from __future__ import annotations

import math
from datetime import date


def area(m2: float) -> str:
    """An area in m² with two decimals and thousands separators.

    >>> area(35274.6), area(0)
    ('35,274.60 m²', '0.00 m²')
    """
    return f"{m2:,.2f} m²"


def pct(ratio: float | None) -> str:
    """A ratio as a percentage with two decimals.

    >>> pct(0.951123), pct(1.0), pct(None)
    ('95.11 %', '100.00 %', '–')
    """
    return "–" if ratio is None else f"{ratio * 100:.2f} %"


def metres(m: float | None, digits: int = 1) -> str:
    """A length in metres; infinite reach reads '∞'.

    >>> metres(38.4), metres(math.inf), metres(None)
    ('38.4', '∞', '–')
    """
    if m is None:
        return "–"
    return "∞" if math.isinf(m) else f"{m:.{digits}f}"


def number(x: float | None, digits: int = 1) -> str:
    """A plain number without trailing noise; None reads '–'.

    >>> number(15.0), number(12.25, 2), number(None)
    ('15', '12.25', '–')
    """
    if x is None:
        return "–"
    text = f"{x:.{digits}f}".rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"


def day(d: date | None) -> str:
    """An ISO date or '–'.

    >>> day(date(2026, 12, 1)), day(None)
    ('2026-12-01', '–')
    """
    return "–" if d is None else d.isoformat()
