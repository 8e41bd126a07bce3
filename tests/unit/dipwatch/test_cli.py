"""The command line as a user runs it (subprocesses)."""

from __future__ import annotations


def test_a_closed_pipe_ends_a_command_quietly() -> None:
    import subprocess
    import sys
    from pathlib import Path

    seeds = Path(__file__).resolve().parents[3] / "seeds"
    producer = subprocess.Popen(
        [sys.executable, "-m", "dipwatch.cli", "replay", str(seeds)], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert producer.stdout is not None
    first = producer.stdout.readline()
    producer.stdout.close()  # what `| head -1` does after its line
    _, stderr = producer.communicate(timeout=60)
    assert first.startswith(b"{")
    assert b"Traceback" not in stderr and b"BrokenPipe" not in stderr, stderr
    assert producer.returncode in (0, 141)
