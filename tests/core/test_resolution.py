"""The one ``WIDTHxHEIGHT`` reader (camwatch.model.parse_resolution) and its users."""

from __future__ import annotations

import pytest

from camwatch.errors import UsageError
from camwatch.model import parse_resolution


@pytest.mark.parametrize(
    "value, expected",
    [
        ("1920x1080", (1920, 1080)),
        ("2688X1520", (2688, 1520)),
        ("1280×720", (1280, 720)),
        (" 640 , 480 ", (640, 480)),
        ([3840, 2160], (3840, 2160)),
        (("800", "600"), (800, 600)),
    ],
)
def test_accepted_forms(value, expected):
    assert parse_resolution(value) == expected


@pytest.mark.parametrize(
    "value, message",
    [
        ("big", "expected WIDTHxHEIGHT"),
        ("1920x1080x3", "expected WIDTHxHEIGHT"),
        ("1920.5x1080", "expected WIDTHxHEIGHT"),
        ([1920], "expected WIDTHxHEIGHT"),
        ([True, 1080], "expected WIDTHxHEIGHT"),
        ("0x1080", "expected positive"),
        ("1920x-1", "expected positive"),
    ],
)
def test_bad_values_name_the_field(value, message):
    with pytest.raises(UsageError, match=f"^--resolution: {message}"):
        parse_resolution(value, where="--resolution")


def test_the_other_parsers_are_gone():
    """No module but camwatch.model splits a resolution string on 'x' itself."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders = [
        str(path.relative_to(root))
        for top in ("camwatch", "planners", "web")
        for path in (root / top).rglob("*.py")
        if path.name != "model.py" and 'split("x")' in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
