"""The house: imports run one way through the stages, with no circles and no private name used across modules.

Read with ``ast`` from the source, every import counted (at the top of a module or inside a function), except
those under ``if TYPE_CHECKING:``, which the interpreter never runs. The stages and their order are those of
docs/architecture.md: vocab <- graph <- sparql <- stores <- views <- server <- cli; ``errors`` and
``defaults`` sit below them all, the package's ``__init__`` (the public API) above.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "egovgraph"
#: Each stage's rank: a module may import from its own stage and from lower ranks only.
RANK = {
    "errors": 0,
    "defaults": 0,
    "version": 0,
    "vocab": 1,
    "graph": 2,
    "sparql": 3,
    "stores": 4,
    "draft": 4,
    "views": 5,
    "server": 6,
    "cli": 7,
    "__main__": 8,
    "__init__": 8,
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _runtime_nodes(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node the interpreter may run (the bodies of ``if TYPE_CHECKING:`` left out)."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _type_checking(node):
            for other in node.orelse:
                yield other
                yield from _runtime_nodes(other)
            continue
        yield node
        yield from _runtime_nodes(node)


def imports(name: str, path: Path, known: dict[str, Path]) -> Iterator[tuple[str, str, int]]:
    """(imported module, imported name or "", line) for every egovgraph import of a module."""
    is_package = path.name == "__init__.py"
    for node in _runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "egovgraph":
                    yield alias.name, "", node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "egovgraph":
                continue
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                if sub in known:  # ``from egovgraph.sparql import run``: the module run
                    yield sub, "", node.lineno
                else:
                    yield target, alias.name, node.lineno


def stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def edges() -> dict[str, set[str]]:
    known = modules()
    out: dict[str, set[str]] = {name: set() for name in known}
    for name, path in known.items():
        for target, _, _ in imports(name, path, known):
            if target in known and target != name:
                out[name].add(target)
    return out


def test_the_stages_are_the_ones_the_test_knows() -> None:
    assert {stage(m) for m in modules()} <= set(RANK), "a new subpackage: give it its place in RANK and docs"


def test_no_private_name_is_imported_across_modules() -> None:
    known = modules()
    found = []
    for name, path in known.items():
        for target, imported, line in imports(name, path, known):
            if imported.startswith("_") and not imported.startswith("__") and target != name:
                found.append(f"{path.relative_to(PACKAGE)}:{line} imports {imported} from {target}")
        tree = ast.parse(path.read_text(encoding="utf-8"))
        aliases = {
            alias.asname or alias.name: f"{node.module}.{alias.name}"
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module
            for alias in node.names
            if f"{node.module}.{alias.name}" in known
        }
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in aliases
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
            ):
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno} uses {aliases[node.value.id]}.{node.attr}")
    assert found == []


def test_imports_run_one_way_through_the_stages() -> None:
    wrong = []
    for name, targets in edges().items():
        for target in targets:
            if RANK[stage(target)] > RANK[stage(name)]:
                wrong.append(f"{name} ({stage(name)}) imports {target} ({stage(target)})")
    assert sorted(wrong) == []


def test_no_circles() -> None:
    graph = edges()
    # Packages' __init__ modules are the stage's face: a module importing its own package is no circle.
    for name in graph:
        graph[name] = {t for t in graph[name] if not name.startswith(t + ".")}
    circles = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                circles.append(" -> ".join([*stack[stack.index(nxt) :], nxt]))
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    assert circles == []


@pytest.mark.parametrize("name", sorted(modules()))
def test_modules_stay_short(name: str) -> None:
    lines = modules()[name].read_text(encoding="utf-8").count("\n")
    assert lines <= 450, f"{name} has {lines} lines: split it (docs/architecture.md)"
