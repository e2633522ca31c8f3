"""The modules of elearn/ import each other without a cycle, so each domain can be read (and loaded) bottom-up.

Rule: an edge A -> B exists when module A imports module B at module level (a statement at the top of the file,
also inside a module-level ``if``/``try``, but not under ``if TYPE_CHECKING:``, which never runs). Imports inside
functions or methods run later, once every module is loaded, so they are no edge. ``from P import name`` is an
edge to ``P.name`` when that is a module of elearn/, else to ``P``. The parent packages Python initialises on the
way are not edges of their own.
"""

from __future__ import annotations

import ast
from pathlib import Path

import elearn

ROOT = Path(elearn.__file__).resolve().parent


def _module_name(path: Path) -> str:
    parts = ["elearn", *path.relative_to(ROOT).with_suffix("").parts]
    return ".".join(parts[:-1]) if parts[-1] == "__init__" else ".".join(parts)


def _top_level_imports(tree: ast.Module):
    pending = list(tree.body)
    while pending:
        node = pending.pop(0)
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If):
            if ast.unparse(node.test).rpartition(".")[2] == "TYPE_CHECKING":
                pending.extend(node.orelse)
            else:
                pending.extend(node.body + node.orelse)
        elif isinstance(node, ast.Try):
            pending.extend(node.body + node.orelse + node.finalbody + [n for h in node.handlers for n in h.body])


def import_graph() -> dict[str, set[str]]:
    modules = {_module_name(path): path for path in ROOT.rglob("*.py")}
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in _top_level_imports(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                base = package
                for _ in range(node.level - 1 if node.level else 0):
                    base = base.rpartition(".")[0]
                prefix = ".".join(p for p in (base if node.level else "", node.module or "") if p)
                targets = [f"{prefix}.{a.name}" if f"{prefix}.{a.name}" in modules else prefix for a in node.names]
            graph[name].update(t for t in targets if t in modules and t != name)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle as a list of modules (first == last), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and (found := visit(target)):
                return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_module_level_import_cycle():
    cycle = find_cycle(import_graph())
    assert cycle is None, "module-level import cycle: " + " -> ".join(cycle)


def test_the_cycle_finder_sees_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_the_graph_sees_relative_and_submodule_imports():
    graph = import_graph()
    assert "elearn.courses.views_learning" in graph["elearn.courses.blueprint"]  # from . import views_learning
    assert "elearn.extensions" in graph["elearn.core.errors"]  # from ..extensions import db
