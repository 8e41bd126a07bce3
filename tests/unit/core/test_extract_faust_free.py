"""The extraction core imports without the streaming shell."""

from __future__ import annotations

import subprocess
import sys


def test_extract_and_tracks_do_not_import_faust() -> None:
    code = (
        "import sys, streams.core.extract, streams.core.tracks;"
        "bad = [m for m in ('faust', 'aiokafka', 'prometheus_client', 'mode') if m in sys.modules];"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
