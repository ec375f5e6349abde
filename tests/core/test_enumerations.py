"""Enumerations are declared once, in camwatch.model, and used everywhere else."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from camwatch import model

ROOT = Path(__file__).resolve().parents[2]
ENUMERATIONS = {
    name: frozenset(getattr(model, name))
    for name in (
        "LEVELS",
        "CAMERA_STATUSES",
        "ZONE_TYPES",
        "ACCESS_CONTROL_TYPES",
        "ALARM_TYPES",
        "FEATURE_KINDS",
        "DEVICE_KINDS",
        "DEVICE_STATUSES",
        "MAINTENANCE_KINDS",
        "PROBLEM_SOURCES",
        "PROBLEM_STATUSES",
        "UNRESOLVED_PROBLEM_STATUSES",
        "ROLES",
    )
}


def redeclared(source: str) -> list[tuple[int, str]]:
    """(line, enumeration) for every literal list/tuple/set of strings equal to an enumeration."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Tuple | ast.List | ast.Set) and len(node.elts) >= 3:
            values = [e.value for e in node.elts if isinstance(e, ast.Constant)]
            if len(values) == len(node.elts) and all(isinstance(v, str) for v in values):
                found += [
                    (node.lineno, name)
                    for name, enum in ENUMERATIONS.items()
                    if set(values) == enum
                ]
    return found


def test_the_checker_sees_a_copy():
    assert redeclared('X = ["camera", "gate", "alarm", "intercom"]\n') == [(1, "DEVICE_KINDS")]
    assert redeclared("def f():\n    return ('none', 'qr', 'card', 'face', 'code')\n") == [
        (2, "ACCESS_CONTROL_TYPES")
    ]


@pytest.mark.parametrize("top", ["camwatch", "planners", "web"])
def test_no_module_redeclares_an_enumeration(top):
    copies = [
        f"{path.relative_to(ROOT)}:{line} {name}"
        for path in sorted((ROOT / top).rglob("*.py"))
        if path != ROOT / "camwatch" / "model.py" and "migrations" not in path.parts
        for line, name in redeclared(path.read_text(encoding="utf-8"))
    ]
    assert copies == []


def test_the_web_api_lists_the_model_enumerations():
    from web.api.openapi import DEVICE_STATUSES, EDITABLE, LEVELS

    assert (tuple(DEVICE_STATUSES), tuple(EDITABLE), tuple(LEVELS)) == (
        model.DEVICE_STATUSES,
        model.LIVE_DEVICE_STATUSES,
        model.LEVELS,
    )
