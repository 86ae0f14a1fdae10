"""The headless core has no import circles: each module can be read knowing only the ones below it."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

CORE = ROOT / "annotations"


def _module_name(path: Path) -> str:
    parts = list(path.with_suffix("").relative_to(CORE).parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def core_import_graph() -> dict[str, set[str]]:
    """Which core modules each core module imports (at the top or inside a function)."""
    paths = {_module_name(path): path for path in CORE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in paths.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".") if package else []
                    base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
                    module = ".".join(base + ([node.module] if node.module else []))
                elif node.module and node.module.startswith("newsdesk.annotations"):
                    module = node.module[len("newsdesk.annotations"):].lstrip(".")
                else:
                    continue
                targets = [f"{module}.{alias.name}".strip(".") for alias in node.names] + [module]
            elif isinstance(node, ast.Import):
                targets = [
                    alias.name[len("newsdesk.annotations"):].lstrip(".")
                    for alias in node.names
                    if alias.name.startswith("newsdesk.annotations")
                ]
            for target in targets:
                if target in paths and target != name:
                    found.add(target)
                    break
        graph[name] = found
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for dep in sorted(graph.get(node, ())):
            if state.get(dep) == 1:
                return stack[stack.index(dep):] + [dep]
            if dep not in state:
                found = visit(dep)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_the_core_has_no_import_circle():
    graph = core_import_graph()
    assert {"corpus", "reading", "store", "history"} <= set(graph)
    assert _cycle(graph) is None, " -> ".join(_cycle(graph) or [])


def test_the_circle_finder_finds_one():
    assert _cycle({"a": {"b"}, "b": {"a"}}) == ["a", "b", "a"]


def test_reading_a_file_no_longer_needs_the_library_module():
    assert "corpus" not in core_import_graph()["reading"]
