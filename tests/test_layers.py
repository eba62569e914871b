"""The package's layers import only downwards (docs/architecture.md).

core <- policy, metrics <- rules <- engines, kit, app.  A module may import its
own layer and the layers below it; the top-level ``telcare`` package, its
public façades and the deprecation hook sit above everything.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import telcare

PACKAGE = Path(telcare.__file__).parent
RANK = {"core": 0, "policy": 1, "metrics": 1, "rules": 2, "engines": 3, "kit": 3, "app": 4}
#: The package itself (its façade) is a layer only the application may import.
IMPORTABLE = {**RANK, "telcare": 4}
#: Layers of equal rank that still must not import each other.
APART = {("policy", "metrics"), ("metrics", "policy"), ("engines", "kit"), ("kit", "engines")}


def _imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
    return [(line, name) for line, name in found if name.split(".")[0] == "telcare"]


MODULES = sorted(p for layer in RANK for p in (PACKAGE / layer).glob("*.py"))


def test_every_layer_has_modules() -> None:
    assert {p.parent.name for p in MODULES} == set(RANK)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_a_module_imports_only_its_layer_and_those_below(path: Path) -> None:
    layer = path.parent.name
    for line, name in _imports(path):
        parts = name.split(".")
        target = parts[1] if len(parts) > 1 else "telcare"
        assert target in IMPORTABLE, f"{layer}/{path.name}:{line} imports {name}, above every layer"
        assert IMPORTABLE[target] <= RANK[layer] and (layer, target) not in APART, (
            f"{layer}/{path.name}:{line} imports {name}: {target} is not below {layer}"
        )
