"""The core must import without faust, aiokafka or prometheus_client."""

from __future__ import annotations

import subprocess
import sys


def test_core_imports_no_streaming_or_metrics_library() -> None:
    code = (
        "import sys, streams.core.pipeline, streams.core.wire, streams.replay;"
        "bad = [m for m in ('faust', 'aiokafka', 'prometheus_client', 'mode') if m in sys.modules];"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_core_imports_nothing_from_the_shell_the_connectors_or_the_cli() -> None:
    import ast
    from pathlib import Path

    core = Path(__file__).resolve().parents[3] / "streams" / "core"

    def outside(name: str) -> bool:
        # The CLI, the connectors, and of the streams package all but the core (shell, settings, metrics).
        top = name.split(".")[0]
        in_core = name == "streams.core" or name.startswith("streams.core.")
        return top in ("dipwatch", "connectors") or (top == "streams" and not in_core)

    found = []
    for path in sorted(core.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            found += [f"{path.name}: {n}" for n in names if outside(n)]
    assert found == []
