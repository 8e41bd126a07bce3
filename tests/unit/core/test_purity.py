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
