"""The code stays lint-clean (ruff), type-clean (mypy --strict on the packages), and in shape: no
function of the core over 60 lines, no import cycle."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, check=False)


def test_ruff_finds_nothing() -> None:
    result = _run("ruff", "check", "dipwatch", "streams", "connectors", "tests", "benchmarks")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def test_mypy_strict_on_the_packages() -> None:
    result = _run("mypy")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


# The shape of the code (issue 15): short functions in the core, and imports that never loop.
PACKAGES = ("dipwatch", "streams", "connectors")
MAX_CORE_FUNCTION = 60


def long_functions(directory: Path, limit: int) -> list[str]:
    """``file:line name (lines)`` of every function under ``directory`` longer than ``limit`` lines."""
    found = []
    for path in sorted(directory.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > limit:
                    found.append(f"{path.relative_to(directory)}:{node.lineno} {node.name} ({length})")
    return found


def import_graph(root: Path, packages: tuple[str, ...]) -> dict[str, set[str]]:
    """Module -> the modules of ``packages`` it imports, anywhere in its text (lazy imports too)."""
    modules = {
        ".".join(path.relative_to(root).with_suffix("").parts).removesuffix(".__init__"): path
        for package in packages
        for path in (root / package).rglob("*.py")
    }
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                # "from streams.core import geodata" imports the module geodata, not only the package.
                targets.update(f"{node.module}.{a.name}" for a in node.names)
                targets.add(node.module)
        graph[name] = {t for t in targets if t in modules and t != name}
    return graph


def import_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One loop of imports in ``graph`` (first module repeated at the end), or [] when there is none."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(module: str) -> list[str]:
        state[module] = 1
        path.append(module)
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and (cycle := visit(target)):
                return cycle
        path.pop()
        state[module] = 2
        return []

    for module in sorted(graph):
        if module not in state and (cycle := visit(module)):
            return cycle
    return []


def test_no_function_of_the_core_is_over_60_lines() -> None:
    assert long_functions(ROOT / "streams" / "core", MAX_CORE_FUNCTION) == []


def test_no_import_cycle_in_the_packages() -> None:
    graph = import_graph(ROOT, PACKAGES)
    assert len(graph) > 50 and graph["streams.core.pipeline"], "the graph was not read"
    assert import_cycle(graph) == []


def test_the_checks_find_what_they_look_for(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from pkg import b\n\n\ndef f():\n" + "    x = 1\n" * 60)
    (package / "b.py").write_text("def g():\n    from pkg.c import h\n")
    (package / "c.py").write_text("import pkg.a\n")
    assert long_functions(package, MAX_CORE_FUNCTION) == ["a.py:4 f (61)"]
    assert import_cycle(import_graph(tmp_path, ("pkg",))) == ["pkg.a", "pkg.b", "pkg.c", "pkg.a"]
