"""The worker's stop watchdog: a worker that must stop exits even when a service hangs."""

from __future__ import annotations

import subprocess
import sys
import time

CODE = """
import time
from streams.worker import exit_if_stuck
exit_if_stuck(0.3)
time.sleep(30)  # a stop that hangs
"""


def test_a_stuck_stop_exits_with_the_broker_status_after_the_grace() -> None:
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, timeout=25, check=False)
    assert done.returncode == 3
    assert time.monotonic() - started < 20
    assert "did not stop within" in done.stderr
