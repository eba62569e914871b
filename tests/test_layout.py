"""The layout: packages per domain concept that import only what they stand on,
no import circle, no private name across packages, modules and functions a
reader can hold in their head (docs/architecture.md)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import telcare

PACKAGE = Path(telcare.__file__).parent

#: What each package (or top-level module) may import, besides itself.  The
#: order is the data flow: policy -> compiled tables -> rules -> engines -> app.
DEPENDS: dict[str, set[str]] = {
    "_core": set(),
    "policy": {"_core"},
    "metrics": {"_core"},
    "customers": {"_core"},
    "compiled": {"_core", "policy", "customers"},
    "tiers": {"_core", "policy", "customers", "compiled"},
    "points": {"_core", "policy", "customers", "compiled"},
    "benefits": {"_core", "policy", "customers", "compiled"},
    "moments": {"_core", "policy", "customers", "compiled", "metrics", "points"},
    "contact": {"_core", "policy", "customers", "moments"},
    "marketing": {"_core", "policy", "customers", "moments", "contact"},
    "operations": {"_core", "policy", "customers", "metrics", "moments", "benefits", "marketing"},
    "whatif": {"_core", "policy", "customers", "tiers", "points", "benefits", "moments"},
    "engines": {"_core", "policy", "customers", "metrics", "tiers", "points", "benefits", "moments"},
    "frames": {"_core", "policy", "customers", "tiers", "moments", "engines"},
    "on_dask": {"_core", "policy", "metrics", "benefits", "tiers", "engines", "frames"},
    "on_spark": {"_core", "policy", "metrics", "benefits", "tiers", "engines", "frames"},
    "plot": {"_core", "metrics"},
    "strategies": {"_core", "policy", "customers", "metrics", "points", "moments"},
    "synthetic": {"_core", "customers", "whatif"},
    "cli": {
        "_core", "policy", "customers", "metrics", "tiers", "points", "benefits", "moments",
        "marketing", "operations", "whatif", "synthetic", "telcare", "on_dask",
    },
    "__main__": {"cli"},
    "_moved": set(),
    "telcare": {"_moved"},
}  # fmt: skip

#: Functions over 60 lines, each with the reason it stays whole.
LONG_FUNCTIONS: dict[str, str] = {}
#: Modules over 400 lines, each with the reason it stays whole.
LONG_MODULES: dict[str, str] = {}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts).removesuffix(".__init__")


def _package(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "telcare"


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _imports(path: Path) -> Iterator[tuple[int, str, tuple[str, ...]]]:
    """(line, module, names) of every telcare import that runs (not TYPE_CHECKING)."""
    tree = ast.parse(path.read_text(), str(path))
    typing_only = {
        id(sub)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for sub in ast.walk(node)
    }
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.split(".")[0] == "telcare":
                yield node.lineno, node.module, tuple(a.name for a in node.names)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "telcare":
                    yield node.lineno, alias.name, ()


def _targets(module: str, imported: str, names: tuple[str, ...]) -> set[str]:
    """The telcare modules an import loads: ``from telcare.x import y`` may name a module y."""
    found = {imported}
    found |= {f"{imported}.{n}" for n in names if f"{imported}.{n}" in MODULES}
    return {t for t in found if t in MODULES} - {module}


GRAPH = {
    module: {t for _, imported, names in _imports(path) for t in _targets(module, imported, names)}
    for module, path in MODULES.items()
}


def test_every_package_has_a_row() -> None:
    assert {_package(m) for m in MODULES} == set(DEPENDS)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_a_module_imports_only_the_packages_its_package_stands_on(module: str) -> None:
    package = _package(module)
    for line, imported, _ in _imports(MODULES[module]):
        target = _package(imported)
        assert target == package or target in DEPENDS[package], (
            f"{module}:{line} imports {imported}: {package} does not stand on {target}"
        )


def test_the_packages_form_no_circle() -> None:
    seen: dict[str, int] = {}

    def visit(package: str, path: tuple[str, ...]) -> None:
        assert package not in path, f"circle: {' -> '.join((*path, package))}"
        for below in DEPENDS[package]:
            visit(below, (*path, package))

    for package in DEPENDS:
        visit(package, ())
        seen[package] = 1
    assert len(seen) == len(DEPENDS)


def test_no_module_imports_itself_round_a_circle() -> None:
    """Imports inside functions count: a circle there is a circle all the same."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def strongly(v: str) -> None:  # Tarjan's algorithm
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in GRAPH[v]:
            if w not in index:
                strongly(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for v in sorted(GRAPH):
        if v not in index:
            strongly(v)
    assert circles == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_private_name_is_imported_across_packages(module: str) -> None:
    """Another package is reached through its face (``telcare.tiers``) or a public
    submodule; only the private foundation, ``telcare._core``, is shared as modules."""
    package = _package(module)
    for line, imported, names in _imports(MODULES[module]):
        target = _package(imported)
        if target == package or module == "telcare":
            continue
        private = [n for n in names if n.startswith("_") and not n.endswith("__")]
        assert not private, f"{module}:{line} imports {private} from {imported}"
        if target != "_core":
            hidden = [p for p in imported.split(".")[1:] if p.startswith("_")]
            assert not hidden, f"{module}:{line} imports {imported}: go through telcare.{target}"


def _functions(tree: ast.AST) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


def _sizes() -> Iterator[tuple[str, int]]:
    for module, path in MODULES.items():
        for fn in _functions(ast.parse(path.read_text())):
            yield f"{module}.{fn.name}:{fn.lineno}", (fn.end_lineno or fn.lineno) - fn.lineno + 1


@pytest.mark.slow
def test_no_function_is_over_60_lines() -> None:
    long = {
        where: n for where, n in _sizes() if n > 60 and where.split(":")[0] not in LONG_FUNCTIONS
    }
    assert long == {}


def test_no_module_is_over_400_lines() -> None:
    long = {
        module: n
        for module, path in MODULES.items()
        if (n := len(path.read_text().splitlines())) > 400 and module not in LONG_MODULES
    }
    assert long == {}


@pytest.mark.slow
def test_the_listed_exceptions_are_still_needed() -> None:
    """An exception that no longer applies is taken off the list."""
    functions = {where.split(":")[0] for where, n in _sizes() if n > 60}
    assert set(LONG_FUNCTIONS) <= functions
    modules = {m for m, p in MODULES.items() if len(p.read_text().splitlines()) > 400}
    assert set(LONG_MODULES) <= modules


def test_the_tests_mirror_the_packages() -> None:
    """Each package's tests live in ``tests/<package>/`` (the foundation's in ``tests/_core/``)."""
    tests = Path(__file__).parent
    packages = {p.parent.name for p in PACKAGE.glob("*/__init__.py")}
    assert sorted(p for p in packages if not (tests / p).is_dir()) == []


@pytest.mark.parametrize("module", sorted(m for m in MODULES if _package(m) != "_core"))
def test_a_type_check_goes_through_the_checks_module(module: str) -> None:
    """``if not isinstance(x, T): raise InvalidInput(...)`` is written once, as
    ``telcare._core.checks.instance`` (and ``mapping``, ``flag``, ``code``); a check that
    joins a type with a condition of its own (``isinstance(x, str) and x in known``) stays."""
    tree = ast.parse(MODULES[module].read_text())
    hand_written = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.If)
        and isinstance(node.test, ast.UnaryOp)
        and isinstance(node.test.op, ast.Not)
        and isinstance(node.test.operand, ast.Call)
        and getattr(node.test.operand.func, "id", "") == "isinstance"
        and isinstance(node.body[0], ast.Raise)
        and "InvalidInput" in ast.unparse(node.body[0])
    ]
    assert hand_written == [], f"{module}: lines {hand_written}"


def _bare_not_a_time(path: Path) -> list[int]:
    """The lines of ``path`` calling ``datetime64("NaT")`` with no unit."""
    return [
        node.lineno
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and getattr(node.func, "attr", getattr(node.func, "id", "")) == "datetime64"
        and len(node.args) == 1
        and not node.keywords
        and isinstance(node.args[0], ast.Constant)
        and node.args[0].value == "NaT"
    ]


@pytest.mark.slow
def test_no_not_a_time_is_written_without_its_unit() -> None:
    """numpy 2.5 (the highest Python's) deprecates ``np.datetime64("NaT")`` without a
    unit, and warnings are errors here: write ``np.datetime64("NaT", "D")``."""
    root = Path(__file__).parents[1]
    found = [
        f"{path.relative_to(root)}:{n}"
        for folder in ("src", "tests", "benchmarks", "docs")
        for path in sorted((root / folder).rglob("*.py"))
        for n in _bare_not_a_time(path)
    ]
    assert found == []
