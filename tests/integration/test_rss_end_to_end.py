"""Issue 5 acceptance: a feed served over loopback HTTP to ``dipwatch run --feeds``.

Items added to the feed while dipwatch runs reach the alerts topic as alerts; a restarted
``dipwatch run`` republishes nothing (its feed state says every item was published).
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from dipwatch.broker import free_port
from streams.settings import Settings

from .conftest import SEEDS, metric_value, read_topic, replay_ids, run_cli

pytestmark = pytest.mark.integration


class FeedDocument:
    """A growing RSS document: one item per seed article, oldest first, with ascending dates."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.items: list[str] = []
        self.lock = threading.Lock()

    def add(self, seed: Path) -> None:
        number = len(self.items)
        paragraphs = "".join(
            f"<p>{escape(line)}</p>" for line in seed.read_text(encoding="utf-8").splitlines() if line.strip()
        )
        item = (
            f"<item><title>Item {number}</title><link>{self.base}/news/{seed.stem}</link>"
            f"<guid isPermaLink='false'>{seed.stem}</guid>"
            f"<pubDate>Mon, 0{number + 1} Sep 2025 10:00:00 GMT</pubDate>"
            f"<description>{escape(paragraphs)}</description></item>"
        )
        with self.lock:
            self.items.append(item)

    def body(self, *, newest_first: bool = False) -> bytes:
        with self.lock:
            items = "".join(reversed(self.items) if newest_first else self.items)
        return (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Loopback</title>'
            f"<link>{self.base}/</link><language>ar</language>{items}</channel></rss>"
        ).encode()


@contextmanager
def serve_feed(*, newest_first: bool = False) -> Iterator[FeedDocument]:
    document = FeedDocument("")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = document.body(newest_first=newest_first)
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("ETag", etag)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    document.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield document
    finally:
        server.shutdown()
        server.server_close()


class RunProcess:
    """``dipwatch run --feeds FILE`` as a child process, stderr in a log file."""

    def __init__(self, settings: Settings, feeds: Path, seeds: Path, log: Path) -> None:
        self.log = log
        env = {**os.environ, **settings.to_env()}
        with log.open("ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "dipwatch.cli", "run", "--feeds", str(feeds), "--seeds", str(seeds), "--json"],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=out,
            )

    def text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def wait_for(self, needle: str, timeout: float = 90.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if needle in self.text():
                return
            if self.process.poll() is not None:
                pytest.fail(f"dipwatch run exited with {self.process.returncode}:\n{self.text()[-3000:]}")
            time.sleep(0.2)
        pytest.fail(f"{needle!r} not seen within {timeout} s:\n{self.text()[-3000:]}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


def feed_metrics(port: int) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=3) as response:
        return str(response.read().decode())


def test_feed_items_added_while_running_become_alerts_and_a_restart_republishes_nothing(
    settings: Settings, tmp_path: Path
) -> None:
    seeds = sorted(SEEDS.glob("*.txt"))
    no_seeds = tmp_path / "no-seeds"
    no_seeds.mkdir()
    settings = settings.with_changes(metrics_port=free_port())

    with serve_feed() as document:
        # What the same core makes of the feed, offline, after each item: the alerts to expect.
        # Items are added one at a time because items published in one poll may reach the
        # track's partition in another order than replay reads them.
        expected: list[list[str]] = []
        for number, seed in enumerate(seeds):
            document.add(seed)
            snapshot = tmp_path / f"feed-{number}.rss"
            snapshot.write_bytes(document.body())
            expected.append(replay_ids(snapshot))
        assert expected[0] and len(expected[-1]) > len(expected[0])
        del document.items[1:]

        feeds = tmp_path / "feeds.toml"
        feeds.write_text(
            f'[[feeds]]\nname = "loopback"\nurl = "{document.base}/feed.xml"\nlanguage = "ar"\ninterval = 0.5\n'
        )
        run = RunProcess(settings, feeds, no_seeds, tmp_path / "run-1.log")
        try:
            run.wait_for("alerts follow")
            for number, seed in enumerate(seeds):
                if number:
                    document.add(seed)  # a new item appears in the feed while dipwatch runs
                alerts = read_topic(settings.bootstrap, settings.alerts_topic, expect=len(expected[number]), idle=2.5)
                assert sorted(a["id"] for a in alerts) == sorted(expected[number]), f"after item {number}"
            assert all(a["evidence"] for a in alerts)
            body = feed_metrics(settings.metrics_port)
            assert metric_value(body, "dipwatch_feed_items_total", 'feed="loopback"') == len(seeds)
            assert metric_value(body, "dipwatch_feed_fetches_total", 'outcome="not_modified"') >= 1
        finally:
            run.stop()
        articles = read_topic(settings.bootstrap, settings.articles_topic, expect=len(seeds), idle=2.0)
        assert len(articles) == len(seeds)
        assert {a["connector"] for a in articles} == {"rss"}
        assert (settings.data_dir / "feeds-state.json").exists()

        # A restart polls the same feed again and publishes nothing.
        rerun = RunProcess(settings, feeds, no_seeds, tmp_path / "run-2.log")
        try:
            rerun.wait_for("alerts follow")
            deadline = time.monotonic() + 30
            fetched = 0.0
            while time.monotonic() < deadline and fetched < 3:
                with suppress(OSError):
                    fetched = metric_value(feed_metrics(settings.metrics_port), "dipwatch_feed_fetches_total")
                time.sleep(0.3)
            assert fetched >= 3, rerun.text()[-3000:]
            assert metric_value(feed_metrics(settings.metrics_port), "dipwatch_feed_items_total") == 0
        finally:
            rerun.stop()
    articles = read_topic(settings.bootstrap, settings.articles_topic, expect=len(seeds), idle=2.0)
    assert len(articles) == len(seeds), "a restarted connector republished"
    alerts = read_topic(settings.bootstrap, settings.alerts_topic, expect=len(expected[-1]), idle=2.0)
    assert sorted(a["id"] for a in alerts) == sorted(expected[-1])


def test_dipwatch_rss_once_publishes_new_items_and_says_what_failed(settings: Settings, tmp_path: Path) -> None:
    seeds = sorted(SEEDS.glob("*.txt"))
    settings = settings.with_changes(metrics_port=free_port())
    with serve_feed() as document:
        for seed in seeds[:2]:
            document.add(seed)
        feeds = tmp_path / "feeds.toml"
        feeds.write_text(f'[[feeds]]\nname = "loopback"\nurl = "{document.base}/feed.xml"\ninterval = 60\n')
        first = run_cli(settings, "rss", "--feeds", str(feeds), "--once")
        assert first.returncode == 0, first.stderr
        assert "loopback: ok, 2 new article(s)" in first.stderr
        second = run_cli(settings, "rss", "--feeds", str(feeds), "--once")
        assert "loopback: not_modified, 0 new article(s)" in second.stderr, second.stderr
    articles = read_topic(settings.bootstrap, settings.articles_topic, expect=2, idle=1.5)
    assert len(articles) == 2 and {a["connector"] for a in articles} == {"rss"}

    down = tmp_path / "down.toml"
    down.write_text(f'[[feeds]]\nname = "gone"\nurl = "http://127.0.0.1:{free_port()}/feed"\ninterval = 60\n')
    failed = run_cli(settings, "rss", "--feeds", str(down), "--once")
    assert failed.returncode == 1 and "gone: connection_error" in failed.stderr

    bad = tmp_path / "bad.toml"
    bad.write_text('[[feeds]]\nname = "x"\nurl = "file:///etc/passwd"\ninterval = 60\n')
    refused = run_cli(settings, "rss", "--feeds", str(bad), "--once")
    assert refused.returncode == 2 and "must be http:// or https://" in refused.stderr


def test_a_feed_listing_newest_first_gives_the_alerts_of_its_replay(settings: Settings, tmp_path: Path) -> None:
    no_seeds = tmp_path / "no-seeds"
    no_seeds.mkdir()
    settings = settings.with_changes(metrics_port=free_port())
    with serve_feed(newest_first=True) as document:
        for seed in sorted(SEEDS.glob("*.txt")):
            document.add(seed)
        snapshot = tmp_path / "feed.rss"
        snapshot.write_bytes(document.body(newest_first=True))
        expected = replay_ids(snapshot)
        assert expected
        feeds = tmp_path / "feeds.toml"
        url = f"{document.base}/feed.xml"
        feeds.write_text(f'[[feeds]]\nname = "newest"\nurl = "{url}"\nlanguage = "ar"\ninterval = 30\n')
        run = RunProcess(settings, feeds, no_seeds, tmp_path / "run.log")
        try:
            run.wait_for("alerts follow")
            alerts = read_topic(settings.bootstrap, settings.alerts_topic, expect=len(expected), idle=4.0)
        finally:
            run.stop()
    assert sorted(a["id"] for a in alerts) == sorted(expected)
