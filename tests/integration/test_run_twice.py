"""``dipwatch run --feeds`` on the embedded broker, stopped and run again: the second run restores
the worker's state saved by the first, says so in its first lines, alerts nothing the first run
alerted (the feed is read again in full) and alerts the item added in between."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from contextlib import suppress
from pathlib import Path

import pytest

from dipwatch.broker import free_port

from .conftest import SEEDS, metric_value, replay_ids
from .test_rss_end_to_end import serve_feed

pytestmark = pytest.mark.integration


class Run:
    """``dipwatch run --feeds FILE --json`` on the embedded broker; stdout and stderr in files."""

    def __init__(self, env: dict[str, str], feeds: Path, no_seeds: Path, directory: Path, name: str) -> None:
        self.out = directory / f"{name}.out"
        self.err = directory / f"{name}.err"
        with self.out.open("wb") as out, self.err.open("wb") as err:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "dipwatch.cli",
                    "run",
                    "--json",
                    "--feeds",
                    str(feeds),
                    "--seeds",
                    f"{no_seeds}",
                ],
                env=env,
                stdout=out,
                stderr=err,
            )

    def ids(self) -> list[str]:
        lines = self.out.read_text(encoding="utf-8").splitlines() if self.out.exists() else []
        return [str(json.loads(line)["id"]) for line in lines if line.strip()]

    def stderr(self) -> str:
        return self.err.read_text(errors="replace") if self.err.exists() else ""

    def wait(self, condition: object, what: str, timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if callable(condition) and condition():
                return
            if self.process.poll() is not None:
                pytest.fail(f"dipwatch run exited with {self.process.returncode}:\n{self.stderr()[-3000:]}")
            time.sleep(0.2)
        pytest.fail(f"{what}: not within {timeout} s\n{self.stderr()[-3000:]}")

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        return self.process.returncode


def rss_articles(port: int) -> float:
    with suppress(OSError), urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=3) as response:
        return metric_value(response.read().decode(), "dipwatch_articles_total", 'connector="rss"')
    return 0.0


def test_run_twice_restores_the_state_alerts_nothing_old_and_alerts_a_new_item(tmp_path: Path) -> None:
    seeds = sorted(SEEDS.glob("*.txt"))
    no_seeds = tmp_path / "no-seeds"
    no_seeds.mkdir()
    web_port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DIPWATCH_")}
    env.update(
        DIPWATCH_DATA_DIR=str(tmp_path / "data"),
        DIPWATCH_WEB_PORT=str(web_port),
        DIPWATCH_METRICS_PORT=str(free_port()),
        DIPWATCH_SESSION_TIMEOUT="2",
    )

    with serve_feed() as document:
        # The alerts the same core gives for the feed after each item (replayed offline).
        expected: list[list[str]] = []
        for number, seed in enumerate(seeds):
            document.add(seed)
            snapshot = tmp_path / f"feed-{number}.rss"
            snapshot.write_bytes(document.body())
            expected.append(replay_ids(snapshot))
        new = set(expected[-1]) - set(expected[-2])
        assert new, "the last item raises no alert of its own"
        del document.items[1:]
        feeds = tmp_path / "feeds.toml"
        feeds.write_text(
            f'[[feeds]]\nname = "loopback"\nurl = "{document.base}/feed.xml"\nlanguage = "ar"\ninterval = 0.5\n'
        )

        first = Run(env, feeds, no_seeds, tmp_path, "run-1")
        try:
            first.wait(lambda: "alerts follow" in first.stderr(), "run 1 ready")
            # Items appear one at a time, so that the worker meets them in the replay's order.
            for number in range(len(seeds) - 1):
                if number:
                    document.add(seeds[number])
                want = sorted(expected[number])
                first.wait(lambda want=want: sorted(first.ids()) == want, f"run 1: alerts of item {number}")
        finally:
            first.stop()
        assert "the worker starts with an empty state" in first.stderr()
        assert "saved the worker's state" in first.stderr(), first.stderr()[-3000:]

        document.add(seeds[-1])
        second = Run(env, feeds, no_seeds, tmp_path, "run-2")
        try:
            second.wait(lambda: "alerts follow" in second.stderr(), "run 2 ready")
            # The feed is read again in full (old items and the new one)...
            second.wait(lambda: rss_articles(web_port) >= len(seeds), "run 2 took every item")
            second.wait(lambda: new <= set(second.ids()), "run 2 alerted the new item")
            # ...and once the worker has been quiet a while, nothing else was alerted.
            seen, quiet_since = len(second.ids()), time.monotonic()
            while time.monotonic() - quiet_since < 4.0:
                time.sleep(0.3)
                if len(second.ids()) != seen:
                    seen, quiet_since = len(second.ids()), time.monotonic()
        finally:
            second.stop()
        assert sorted(second.ids()) == sorted(new), "run 2 alerted something run 1 had alerted"
        head = second.stderr().splitlines()[:4]
        assert any("restored the worker's state from" in line for line in head), head
