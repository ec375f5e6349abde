"""The direction of imports holds (README "Architecture"), read from the source.

Every module of ``camwatch/``, ``planners/`` and ``web/`` is parsed with
:mod:`ast`; every import at any depth counts — inside functions, methods,
``try`` and ``if TYPE_CHECKING`` blocks, relative imports, and
``importlib.import_module("...")`` with a literal name.  Rules are checked on
the transitive closure of project imports, so a layer cannot reach a forbidden
one through an intermediate module either.  A second set of tests starts fresh
interpreters and checks what ``camwatch analyze`` really loads.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("camwatch", "planners", "web")

# Project modules each layer may import (prefixes; a layer may always import itself).
ALLOWED: dict[str, tuple[str, ...]] = {
    # the one message catalogue (docs/web.md, "Languages"): below everything, even the errors
    "camwatch.i18n": (),
    # robust areal overlays (free space, the areal part of a result): pure shapely, below the model
    "camwatch.areal": (),
    "camwatch.errors": ("camwatch.i18n",),
    "camwatch.ladders": ("camwatch.errors", "camwatch.i18n"),  # the level table (the model's)
    "camwatch.model": ("camwatch.errors", "camwatch.i18n", "camwatch.ladders", "camwatch.areal"),
    "camwatch.properties": (
        "camwatch.errors",
        "camwatch.i18n",
        "camwatch.ladders",
        "camwatch.model",
        "camwatch.areal",
    ),  # ranges (docs/ranges.md)
    "camwatch.clikit": ("camwatch.errors", "camwatch.i18n"),
    "camwatch.sitefile": (
        "camwatch.errors",
        "camwatch.i18n",
        "camwatch.ladders",
        "camwatch.model",
        "camwatch.areal",
        "camwatch.properties",
    ),
    "camwatch.geometry": (
        "camwatch.errors",
        "camwatch.i18n",
        "camwatch.ladders",
        "camwatch.model",
        "camwatch.areal",
    ),
    "camwatch.output": ("camwatch.errors", "camwatch.i18n"),  # output paths, atomic writes
    "camwatch.render": (
        "camwatch.errors",
        "camwatch.i18n",
        "camwatch.ladders",
        "camwatch.model",
        "camwatch.areal",
        "camwatch.geometry",
        "camwatch.output",
    ),
    "camwatch.registry": (
        "camwatch.errors",
        "camwatch.i18n",
        "camwatch.ladders",
        "camwatch.model",
        "camwatch.areal",
        "camwatch.properties",
        "camwatch.sitefile",
    ),
    "camwatch.standards": (
        "camwatch.errors",
        "camwatch.ladders",
        "camwatch.i18n",
        "camwatch.model",
        "camwatch.areal",
        "camwatch.geometry",
    ),
}

# Project modules a layer must never import (checked in addition to ALLOWED).
FORBIDDEN: dict[str, tuple[str, ...]] = {
    # the core names no layer above it; the command line finds commands by entry point
    "camwatch": ("planners", "web"),
    "camwatch.cli": ("camwatch.registry", "camwatch.commands"),
    "camwatch.commands": ("camwatch.cli",),
    "planners": ("camwatch.registry", "camwatch.commands", "camwatch.cli", "web"),
    "web": ("camwatch.cli", "camwatch.commands"),
}

# Third-party packages a layer must never import.
FORBIDDEN_THIRD_PARTY: dict[str, tuple[str, ...]] = {
    "camwatch.i18n": ("sqlalchemy", "flask", "flask_babel", "matplotlib", "click", "highspy"),
    "camwatch.model": ("sqlalchemy", "flask", "matplotlib", "click", "highspy"),
    "camwatch.areal": ("sqlalchemy", "flask", "matplotlib", "click", "highspy"),
    "camwatch.ladders": ("sqlalchemy", "flask", "matplotlib", "click", "highspy"),
    "camwatch.properties": ("sqlalchemy", "flask", "matplotlib", "click", "highspy"),
    "camwatch.sitefile": ("sqlalchemy", "flask", "matplotlib", "click", "highspy"),
    "camwatch.geometry": ("sqlalchemy", "flask", "matplotlib", "click", "highspy", "networkx"),
    "camwatch.registry": ("flask", "click", "matplotlib", "highspy"),
    "camwatch.render": ("sqlalchemy", "flask", "highspy"),
    "camwatch.standards": ("sqlalchemy", "flask", "matplotlib", "click", "highspy"),
    "planners": ("sqlalchemy", "flask"),
}


def _under(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def _layer(module: str, table: Mapping[str, object]) -> str | None:
    """The longest key of ``table`` that ``module`` lies under."""
    keys = [k for k in table if _under(module, k)]
    return max(keys, key=len) if keys else None


def imports_of(source: str, module: str, *, is_package: bool = False) -> set[str]:
    """Every module name ``source`` imports, at any depth (absolute names).

    ``from a import b`` yields both ``a`` and ``a.b`` (``b`` may be a module).
    """
    package = module if is_package else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parent = ".".join(parts[: len(parts) - node.level + 1])
                base = f"{parent}.{base}" if base else parent
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names if alias.name != "*")
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            arg = node.args[0]
            literal = isinstance(arg, ast.Constant) and isinstance(arg.value, str)
            if name in ("import_module", "__import__") and literal:
                found.add(str(arg.value))
    return found


def project_modules(root: Path = ROOT) -> dict[str, set[str]]:
    """Module name -> the names it imports, for every module of the three packages."""
    graph: dict[str, set[str]] = {}
    for top in PACKAGES:
        for path in sorted((root / top).rglob("*.py")):
            rel = path.relative_to(root).with_suffix("")
            parts = list(rel.parts)
            is_package = parts[-1] == "__init__"
            if is_package:
                parts.pop()
            name = ".".join(parts)
            graph[name] = imports_of(path.read_text(encoding="utf-8"), name, is_package=is_package)
    return graph


def _project_targets(names: Iterable[str], modules: Iterable[str]) -> set[str]:
    """The project modules behind imported names (``a.b.func`` -> module ``a.b``)."""
    known = set(modules)
    targets = set()
    for name in names:
        parts = name.split(".")
        while parts and ".".join(parts) not in known:
            parts.pop()
        if parts:
            targets.add(".".join(parts))
    return targets


def crossings(graph: Mapping[str, set[str]]) -> list[str]:
    """Every import (direct or through other project modules) that breaks a rule."""
    edges = {m: _project_targets(names, graph) - {m} for m, names in graph.items()}
    problems = []
    for module in sorted(graph):
        # breadth-first over project modules, remembering how each was reached
        via: dict[str, str] = {}
        queue = [module]
        while queue:
            current = queue.pop(0)
            for nxt in sorted(edges[current]):
                if nxt != module and nxt not in via:
                    via[nxt] = current
                    queue.append(nxt)
        reached_third = set(graph[module])
        for other in via:
            reached_third |= graph[other]
        for target in sorted(via):
            if _breaks(module, target):
                chain = [target]
                while chain[-1] in via and via[chain[-1]] != module:
                    chain.append(via[chain[-1]])
                problems.append(f"{module} -> {' -> '.join(reversed(chain))}")
        bad_third = FORBIDDEN_THIRD_PARTY.get(_layer(module, FORBIDDEN_THIRD_PARTY) or "", ())
        for name in sorted(graph[module]):
            if any(_under(name, b) for b in bad_third):
                problems.append(f"{module} -> {name} (third party)")
    return problems


def _breaks(module: str, target: str) -> bool:
    if _under(target, "web") and not _under(module, "web"):
        return True  # nothing imports web
    layer = _layer(module, ALLOWED)
    allowed = ALLOWED.get(layer or "", ())
    if layer is not None and not any(_under(target, ok) for ok in (layer, *allowed)):
        return True
    return any(
        _under(target, bad)
        for key, banned in FORBIDDEN.items()
        if _under(module, key)
        for bad in banned
    )


# -- the project ----------------------------------------------------------------------


def test_the_whole_project_is_read():
    graph = project_modules()
    assert len(graph) > 80
    assert {"camwatch.sitefile", "camwatch.sitefile.values", "camwatch.commands.problems"} <= set(
        graph
    )
    # imports inside functions are seen (the ledger's problems command analyses lazily)
    assert "camwatch.geometry.coverage" in graph["camwatch.commands.problems"]
    assert "camwatch.model" in graph["camwatch.geometry.coverage"]


def test_no_import_crosses_a_layer():
    problems = crossings(project_modules())
    assert problems == [], "imports that cross a layer:\n" + "\n".join(problems)


# -- the checker can fail ---------------------------------------------------------------


def _with(graph: dict[str, set[str]], module: str, source: str) -> dict[str, set[str]]:
    changed = dict(graph)
    is_package = module in ("camwatch.registry", "camwatch.geometry")
    changed[module] = imports_of(source, module, is_package=is_package)
    return changed


@pytest.mark.parametrize(
    "module, source, expected",
    [
        # an import hidden inside a function
        (
            "camwatch.registry.problems",
            "def f():\n    from camwatch.geometry.coverage import analyze\n",
            "camwatch.registry.problems -> camwatch.geometry.coverage",
        ),
        # a relative import inside a method of a class
        (
            "camwatch.geometry.footprint",
            "class A:\n    def m(self):\n        from ..registry import db\n",
            "camwatch.geometry.footprint -> camwatch.registry.db",
        ),
        # `from package import submodule`
        (
            "camwatch.model",
            "from camwatch import geometry\n",
            "camwatch.model -> camwatch.geometry",
        ),
        # importlib with a literal name
        (
            "camwatch.cli",
            "import importlib\ndef g():\n    importlib.import_module('planners.cli')\n",
            "camwatch.cli -> planners.cli",
        ),
        ("planners.routes", "import web.ledger\n", "planners.routes -> web.ledger"),
        (
            "planners.plan",
            "from camwatch.registry import db\n",
            "planners.plan -> camwatch.registry",
        ),
        (
            "camwatch.cli",
            "from camwatch.commands import ledger\n",
            "camwatch.cli -> camwatch.commands",
        ),
        # a module the site loader may not import
        (
            "camwatch.sitefile.write",
            "from camwatch.render import plan\n",
            "camwatch.sitefile.write -> camwatch.render",
        ),
        (
            "camwatch.geometry.space",
            "import sqlalchemy\n",
            "camwatch.geometry.space -> sqlalchemy (third party)",
        ),
        (
            "camwatch.registry.devices",
            "if False:\n    import flask\n",
            "camwatch.registry.devices -> flask (third party)",
        ),
    ],
)
def test_a_crossing_is_found(module, source, expected):
    found = crossings(_with(project_modules(), module, source))
    assert any(p.startswith(expected) for p in found), found


def test_a_crossing_through_an_intermediate_module_is_found():
    graph = project_modules()
    graph["camwatch.sitefile.values"] = graph["camwatch.sitefile.values"] | {"camwatch.render"}
    found = crossings(graph)
    # sitefile.values reaches render (not allowed), and the registry reaches it through sitefile
    assert any(p.startswith("camwatch.sitefile.values -> camwatch.render") for p in found), found
    chain = [p for p in found if p.startswith("camwatch.registry.codec ->")]
    assert chain and "camwatch.sitefile.values -> camwatch.render" in chain[0], found


def test_allowed_imports_pass():
    source = (
        "from camwatch.model import Site\nfrom camwatch.errors import UsageError\n"
        "def f():\n    import shapely\n"
    )
    graph = _with(project_modules(), "camwatch.geometry.space", source)
    assert [p for p in crossings(graph) if p.startswith("camwatch.geometry.space")] == []


# -- what is loaded at run time ------------------------------------------------------


def _loaded_after(code: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", code + "\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_analyze_loads_neither_the_ledger_nor_the_planners():
    code = (
        "import contextlib, io\nfrom camwatch.cli import cli\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    cli.main(['analyze', 'sample_sites/old_residential.geojson', '--json'],"
        " standalone_mode=False)\n"
    )
    loaded = _loaded_after(code)
    assert "camwatch.geometry.coverage" in loaded  # it did run
    heavy = ("sqlalchemy", "highspy", "flask", "camwatch.registry", "camwatch.commands", "planners")
    assert [m for m in loaded if any(_under(m, h) for h in heavy)] == []


def test_every_command_group_is_an_entry_point():
    from camwatch.cli import COMMANDS_GROUP, cli, plugins

    names = set(plugins(COMMANDS_GROUP))
    assert {"db", "devices", "problems", "inspect", "plan", "routes", "patrol"} <= names
    ctx = cli.make_context("camwatch", ["--help"], resilient_parsing=True)
    for name in sorted(names):
        assert cli.get_command(ctx, name) is not None, name
