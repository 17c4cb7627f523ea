"""The package's import graph, read from the source: the user interface (pmas.ui) is imported
only by pmas/ui itself and the pages, and no module of pmas/ imports itself back through others
(function-level imports count: a lazy import is still a dependency)."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """Every pmas module ``path`` imports, anywhere in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    is_package = path.name == "__init__.py"
    here = _module_name(path).split(".")
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative import
                anchor = here if is_package else here[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            found.add(base)
            # "from pmas.ui import acesso" imports the module pmas.ui.acesso
            found.update(f"{base}.{a.name}" for a in node.names)
    return {m for m in found if m == "pmas" or m.startswith("pmas.")}


def _graph() -> dict[str, set[str]]:
    files = sorted((ROOT / "pmas").rglob("*.py"))
    modules = {_module_name(f): f for f in files}
    graph = {}
    for name, path in modules.items():
        graph[name] = {m for m in _imports(path) if m in modules and m != name}
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle among modules (packages' own __init__ left out), or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in graph or "." not in nxt or not _is_module(nxt):
                continue
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and _is_module(node) and (found := visit(node)):
            return found
    return None


def _is_module(name: str) -> bool:
    return not (ROOT / name.replace(".", "/") / "__init__.py").exists()


def test_the_graph_is_read_correctly():
    graph = _graph()
    assert (
        "pmas.acesso.auth" in graph["pmas.acesso.gestao"]
        or "pmas.acesso.actor" in (graph["pmas.acesso.gestao"])
    )
    assert "pmas.ui.acesso" in graph["pmas.ui.importar"]
    assert _cycle({"pmas.a": {"pmas.b"}, "pmas.b": {"pmas.c"}, "pmas.c": {"pmas.a"}}) == [
        "pmas.a",
        "pmas.b",
        "pmas.c",
        "pmas.a",
    ]


def test_only_the_user_interface_and_the_pages_import_pmas_ui():
    offenders = {
        name: sorted(m for m in deps if m == "pmas.ui" or m.startswith("pmas.ui."))
        for name, deps in _graph().items()
        if not (name == "pmas.ui" or name.startswith("pmas.ui."))
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_no_import_cycle_in_pmas():
    assert _cycle(_graph()) is None


def test_front_ends_write_only_through_the_services_that_take_an_actor():
    """pages/, pmas/ui and the CLI never call the store's write methods or the importer's writer
    themselves: they go through pmas.acesso.gestao, which takes an explicit Actor."""
    writers = (
        "save_import(",
        "save_report_fields(",
        "save_links(",
        ".undo(",
        "import_file(",
        "aprovacao.mover(",
        "modelo.save(",
    )
    front = [*sorted((ROOT / "pages").glob("*.py")), ROOT / "dashboard.py", ROOT / "pmas/cli.py"]
    front += sorted((ROOT / "pmas" / "ui").glob("*.py"))
    found = [
        f"{path.relative_to(ROOT)}: {w}"
        for path in front
        for w in writers
        if w in path.read_text(encoding="utf-8")
    ]
    assert found == []
