"""Layers import downward only: contract -> features -> models -> (store, report) -> api -> serve / commands.

An equivalent of an import-linter "layers" contract (import-linter's graph builder cannot follow
setuptools ``package-dir``, which maps the top-level folders into ``shortage_radar``). Every import
statement counts, lazy imports inside functions included; only ``if TYPE_CHECKING:`` blocks are exempt.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = {"engine": "shortage_radar", "features": "shortage_radar.features", "models": "shortage_radar.models",
           "serve": "shortage_radar.serve", "configs": "shortage_radar.configs"}
# Lowest first; a module may import its own layer and those below it, never one above.
LAYERS: list[set[str]] = [
    {"errors", "config", "configs", "files"},
    {"contract"},
    {"audit", "demo"},
    {"features"},
    {"models"},
    {"store", "report", "importers"},
    {"api", "distributed"},
    {"serve"},
    {"commands", "cli", "__main__", ""},  # "" is the package root, whose public names come from the api
]
CLI_ONLY = ("typer", "rich", "shortage_radar.commands")
CLI_LAYER = {"commands", "cli", "__main__"}


def _component(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _layer(component: str) -> int:
    return next(i for i, names in enumerate(LAYERS) if component in names)


def _modules() -> dict[str, Path]:
    found = {}
    for folder, package in FOLDERS.items():
        for path in (ROOT / folder).rglob("*.py"):
            rel = path.relative_to(ROOT / folder).with_suffix("")
            parts = [p for p in rel.parts if p != "__init__"]
            found[".".join([package, *parts])] = path
    return found


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, imported module) of every import outside ``if TYPE_CHECKING:`` blocks."""
    found: list[tuple[int, str]] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            found.extend((node.lineno, f"{node.module}.{alias.name}") for alias in node.names
                         if node.module == "shortage_radar")
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def violations() -> list[str]:
    problems = []
    for module, path in sorted(_modules().items()):
        own = _component(module)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for line, target in _imports(tree):
            where = f"{path.relative_to(ROOT)}:{line}"
            if own not in CLI_LAYER and any(target == n or target.startswith(n + ".") for n in CLI_ONLY):
                problems.append(f"{where} imports {target} (only the CLI may)")
            if target.startswith("shortage_radar"):
                theirs = _component(target)
                if theirs in {"__version__"} or _layer(theirs) <= _layer(own):
                    continue
                problems.append(f"{where}: {own or 'shortage_radar'} imports {target}, a layer above it")
    return problems


def test_every_module_is_in_a_layer():
    components = {_component(m) for m in _modules()}
    assert components <= set().union(*LAYERS), components - set().union(*LAYERS)


def test_layers_import_downward_only():
    assert violations() == []


def test_the_check_finds_an_upward_import(tmp_path):
    tree = ast.parse("import typer\nfrom shortage_radar.commands.score import top_table\n"
                     "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from shortage_radar.api import score\n")
    found = [target for _, target in _imports(tree)]
    assert found == ["typer", "shortage_radar.commands.score", "typing"]
    assert _layer(_component("shortage_radar.commands.score")) > _layer("models")
