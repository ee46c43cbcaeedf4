"""The house rules (DESIGN.md, "The house"), checked on the source with ast so they stay true:
each third-party edge in one module, one door to the store per stage folder, no import cycles.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "newswatch"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _imports(name: str) -> set[str]:
    """Every module ``name`` imports anywhere in its file (lazy imports inside functions too),
    as absolute dotted names; ``from .pkg import mod`` counts as importing the submodule."""
    path = MODULES[name]
    is_package = path.name == "__init__.py"
    base = name.split(".") if is_package else name.split(".")[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                anchor = base[: len(base) - (node.level - 1)]
                target = ".".join(anchor + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.add(target)
            for alias in node.names:
                if f"{target}.{alias.name}" in MODULES:
                    found.add(f"{target}.{alias.name}")
    return found


IMPORTS = {name: _imports(name) for name in MODULES}


def _importers(prefix: str) -> set[str]:
    return {name for name, imported in IMPORTS.items()
            if any(i == prefix or i.startswith(prefix + ".") for i in imported)}


@pytest.mark.parametrize(("library", "allowed"), [
    ("sqlite3", {"newswatch.store", "newswatch.migrations"}),
    ("sqlite_utils", {"newswatch.store", "newswatch.migrations"}),
    ("httpx", {"newswatch.ingest.fetch"}),
    ("httpcore", {"newswatch.ingest.fetch"}),
    ("apscheduler", {"newswatch.daemon"}),
])
def test_each_library_lives_in_its_one_module(library: str, allowed: set[str]) -> None:
    assert _importers(library) <= allowed, f"{library} imported by {sorted(_importers(library) - allowed)}"


def test_only_stage_modules_the_pipeline_the_daemon_and_the_cli_import_the_store() -> None:
    allowed = {"newswatch.pipeline", "newswatch.daemon", "newswatch.cli"}
    doors = {name for name in _importers("newswatch.store")
             if name not in allowed and not name.endswith(".stage")}
    assert not doors, f"the store is imported by {sorted(doors)}"


def test_each_stage_folder_has_one_stage_module() -> None:
    for folder in ("ingest", "stories", "claims"):
        assert (PACKAGE / folder / "stage.py").is_file(), folder
        assert not [p for p in (PACKAGE / folder).rglob("*stage*.py") if p.name != "stage.py"]


def test_no_import_cycles() -> None:
    graph = {name: {i for i in imported if i in MODULES and i != name}
             for name, imported in IMPORTS.items()}
    # a package's __init__ is imported before its submodules, so an edge into a package
    # module's own parent is not a cycle; anything else that comes back round is
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    path: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if node.startswith(nxt + "."):
                continue
            if state.get(nxt) == 1:
                cycles.append(path[path.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt)
        path.pop()
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name)
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


def test_the_rules_see_what_they_check() -> None:
    """The checks above would pass vacuously if the import scan found nothing."""
    assert "httpx" in IMPORTS["newswatch.ingest.fetch"]
    assert "newswatch.store" in IMPORTS["newswatch.stories.stage"]
    assert "newswatch.ingest.stage" in IMPORTS["newswatch.pipeline"]
    assert "apscheduler.triggers.cron" in IMPORTS["newswatch.daemon"]


def test_package_data_names_only_what_exists() -> None:
    import tomllib

    pyproject = tomllib.loads((PACKAGE.parents[1] / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = pyproject["tool"]["setuptools"]["package-data"]["newswatch"]
    for pattern in patterns:
        assert [p for p in PACKAGE.glob(pattern) if p.is_file()], f"package-data {pattern!r} matches nothing"
