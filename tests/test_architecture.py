"""The shape of the code: dependencies point one way, and no import cycle hides anywhere.

Read from the source with ``ast``, so an import inside a function body or under
``TYPE_CHECKING`` counts like any other: a cycle that only a lazy import keeps
from failing at start-up is still a cycle for the reader.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"

#: Top to bottom. A package may import its own modules and any package in a lower layer;
#: packages that share a layer may not import each other.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("cli",),
    ("web",),
    ("runtime",),
    ("privacy",),
    ("schema",),
    ("billing",),
    ("publish",),
    ("videos",),
    ("research",),
    ("studio", "connections"),
    ("jobs",),
    ("deps",),
    ("accounts",),
    ("providers",),
    ("speech", "av"),
    ("store",),
    ("config", "clock", "errors"),
)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports() -> dict[str, set[str]]:
    """Module -> every reelforge module it imports (anywhere in its body)."""
    found: dict[str, set[str]] = defaultdict(set)
    for path in (SRC / "reelforge").rglob("*.py"):
        module = _module_name(path)
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            else:
                continue
            found[module] |= {n for n in names if n.startswith("reelforge.")}
        found.setdefault(module, set())
    modules = set(found)
    # keep only names that are modules (``from pkg import name`` may name a function)
    return {m: {n for n in deps if n in modules and n != m} for m, deps in found.items()}


def _package(module: str) -> str:
    return module.split(".")[1] if "." in module else module


def _layer_of(package: str) -> int:
    for index, layer in enumerate(LAYERS):
        if package in layer:
            return index
    raise AssertionError(f"reelforge.{package} is in no layer of tests/test_architecture.py")


def test_every_package_has_a_layer() -> None:
    for module in _imports():
        if module != "reelforge":
            _layer_of(_package(module))


def test_dependencies_point_down_the_layers() -> None:
    wrong = []
    for module, deps in sorted(_imports().items()):
        if module == "reelforge":
            continue
        here = _package(module)
        for dep in sorted(deps):
            there = _package(dep)
            if there != here and dep != "reelforge" and _layer_of(there) <= _layer_of(here):
                wrong.append(f"{module} -> {dep}")
    assert wrong == [], "imports that point up (or sideways) a layer:\n" + "\n".join(wrong)


def _cycle_from(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_import_cycle_between_modules() -> None:
    graph = _imports()
    # a package's __init__ is imported with each of its modules; it must not import them back
    cycle = _cycle_from(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


@pytest.mark.parametrize("kind", ["llm", "tts", "media", "imagegen", "research", "platforms"])
def test_a_provider_never_imports_a_core_package(kind: str) -> None:
    core = {"studio", "research", "publish", "videos", "accounts", "jobs", "connections"}
    for module, deps in _imports().items():
        if module.startswith(f"reelforge.providers.{kind}"):
            assert not {_package(d) for d in deps} & core, module


def test_every_module_says_why_it_exists() -> None:
    unexplained = []
    for path in sorted((SRC / "reelforge").rglob("*.py")):
        if "migrations/versions" in path.as_posix():
            continue  # a migration's docstring is its revision message
        doc = ast.get_docstring(ast.parse(path.read_text()))
        if not doc or len(doc) < 25:
            unexplained.append(_module_name(path))
    assert unexplained == [], "modules without a docstring that says why they exist"
