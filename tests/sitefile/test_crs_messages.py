"""A hostile ``site.crs`` is refused with a short message (the fuzzing contract in
tests/core/test_fuzz_sitefile.py: one line under 500 characters), never a traceback."""

from __future__ import annotations

import math
from typing import Any

import pytest

from camwatch.errors import SiteFormatError
from camwatch.sitefile.crs import parse_crs
from tests.core.test_fuzz_sitefile import nest

HOSTILE_CRS: list[Any] = [
    nest(1, 300),
    {"epsg": nest(1, 300)},
    {"epsg": 10**5000},  # repr() of it raises ValueError (int max str digits)
    {"epsg": 4547, "offset": nest(1, 300)},
    {"epsg": 4547, "offset": [nest(1, 300), 0]},
    {"epsg": 4547, "rotation_deg": nest(1.5, 300)},
    {"epsg": 4547, "rotation_deg": math.nan},
    "x" * 2000,
]


@pytest.mark.parametrize("crs", HOSTILE_CRS, ids=lambda c: type(c).__name__)
def test_a_hostile_crs_gets_a_short_message(crs: Any) -> None:
    with pytest.raises(SiteFormatError) as caught:
        parse_crs(crs)
    text = str(caught.value)
    assert text.startswith("site: crs ") and "\n" not in text and len(text) < 500, text


def test_a_short_value_is_shown_as_before() -> None:
    with pytest.raises(SiteFormatError, match=r"got '4547'$"):
        parse_crs({"epsg": "4547"})
    with pytest.raises(SiteFormatError, match=r"got \[1, 2, 3\]$"):
        parse_crs({"epsg": 4547, "offset": [1, 2, 3]})
