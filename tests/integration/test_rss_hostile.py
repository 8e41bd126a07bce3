"""The RSS connector against a loopback HTTP server serving good, broken and hostile feeds.

Each case runs next to a good feed: the connector stays up, the good feed keeps flowing, a metric
and a log line say what happened, memory stays bounded and nothing is published twice.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import logging
import random
import socket
import tracemalloc
import zlib
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from prometheus_client import CollectorRegistry

from connectors.feeds import FeedConfig
from connectors.feedstate import FeedStateStore
from connectors.http import DEFAULT_MAX_BYTES, FetchLimits, HttpFetcher, Validators
from connectors.rss import RssConnector
from streams.core.errors import FeedError, FeedTooLarge
from streams.core.models import Article
from streams.metrics import Metrics
from tests.unit.connectors import rss_samples as s

pytestmark = pytest.mark.integration

LIMITS = FetchLimits(connect_timeout=1.0, read_timeout=1.0, total_timeout=0.6)
RSS = "application/rss+xml; charset=utf-8"
FIFTY_MB = 50 * 1024 * 1024


@dataclass
class FeedSite:
    """State of the loopback server: live items, request counts, request headers seen."""

    live: list[tuple[str, str]] = field(default_factory=list)
    hits: Counter[str] = field(default_factory=Counter)
    user_agents: set[str] = field(default_factory=set)
    bodies_served: Counter[str] = field(default_factory=Counter)
    base: str = ""

    def url(self, path: str) -> str:
        return f"{self.base}{path}"


def _static(body: bytes, content_type: str = RSS) -> web.Response:
    return web.Response(body=body, headers={"Content-Type": content_type})


@functools.cache
def _gzip_bomb() -> bytes:
    # 50 MB of spaces compress to ~50 KB: the cap must apply to what comes out of the decompressor.
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = b" " * (1024 * 1024)
    head = b'<?xml version="1.0"?><rss version="2.0"><channel><title>bomb</title>'
    return packer.compress(head) + b"".join(packer.compress(block) for _ in range(50)) + packer.flush()


def build_app(site: FeedSite) -> web.Application:
    bomb = _gzip_bomb()
    statics: dict[str, tuple[bytes, str]] = {
        "/rss20": (s.RSS20, RSS),
        "/rss10": (s.RSS10, "application/rdf+xml"),
        "/atom": (s.ATOM, "application/atom+xml"),
        "/ar-1256": (s.arabic_feed("windows-1256").encode("cp1256"), "application/rss+xml; charset=windows-1256"),
        "/ar-wrong": (s.arabic_feed("iso-8859-1").encode("utf-8"), "text/xml; charset=windows-1256"),
        "/malformed": (s.MALFORMED, RSS),
        "/laughs": (s.BILLION_LAUGHS, RSS),
        "/xxe": (s.EXTERNAL_ENTITY, RSS),
        "/html": (s.HTML_PAGE, "text/html; charset=utf-8"),
        "/empty": (s.EMPTY, RSS),
        "/sparse": (s.SPARSE, RSS),
        "/dup": (s.DUPLICATE_GUIDS, RSS),
    }

    @web.middleware
    async def count(request: web.Request, handler: web.Handler) -> web.StreamResponse:
        site.hits[request.path] += 1
        site.user_agents.add(request.headers.get("User-Agent", ""))
        return await handler(request)

    async def static(request: web.Request) -> web.StreamResponse:
        body, content_type = statics[request.path]
        site.bodies_served[request.path] += 1
        return _static(body, content_type)

    async def live(request: web.Request) -> web.StreamResponse:
        body = s.rss_with(list(reversed(site.live)), link=site.url("/live/"))
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        if request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers={"ETag": etag})
        site.bodies_served["/live"] += 1
        return web.Response(body=body, headers={"Content-Type": RSS, "ETag": etag})

    async def huge(request: web.Request) -> web.StreamResponse:
        # Chunked, no Content-Length: only counting while reading can stop it.
        response = web.StreamResponse(headers={"Content-Type": RSS})
        await response.prepare(request)
        await response.write(b'<?xml version="1.0"?><rss version="2.0"><channel><title>huge</title>')
        item = b"<item><title>padding</title><description>" + b"x" * 4000 + b"</description></item>"
        sent = 0
        try:
            while sent < FIFTY_MB:
                await response.write(item * 16)
                sent += len(item) * 16
        except (ConnectionError, aiohttp.ClientConnectionResetError):
            return response
        await response.write_eof()
        return response

    async def huge_declared(request: web.Request) -> web.StreamResponse:
        return web.Response(body=b" ", headers={"Content-Type": RSS, "Content-Length": str(FIFTY_MB)})

    async def gzip_bomb(request: web.Request) -> web.StreamResponse:
        return web.Response(body=bomb, headers={"Content-Type": RSS, "Content-Encoding": "gzip"})

    async def trickle(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": RSS})
        await response.prepare(request)
        try:
            for _ in range(2000):  # "forever" for the test, but a handler must end when the test does
                await response.write(b" ")
                await asyncio.sleep(0.05)
        except (ConnectionError, aiohttp.ClientConnectionResetError):
            pass
        return response

    async def status(request: web.Request) -> web.StreamResponse:
        code = int(request.match_info["code"])
        headers = {"Retry-After": "120"} if code in (429, 503) else {}
        return web.Response(status=code, text=f"status {code}", headers=headers)

    async def redirect(request: web.Request) -> web.StreamResponse:
        targets = {
            "/loop-a": "/loop-b",
            "/loop-b": "/loop-a",
            "/to-file": "file:///etc/passwd",
            "/to-ftp": "ftp://127.0.0.1/feed",
            "/moved": "rss20",  # relative to /moved's directory
        }
        if request.path.startswith("/chain/"):
            target = f"/chain/{int(request.match_info['n']) + 1}"
        else:
            target = targets[request.path]
        raise web.HTTPFound(location=target)

    app = web.Application(middlewares=[count])
    for path in statics:
        app.router.add_get(path, static)
    app.router.add_get("/live", live)
    app.router.add_get("/huge", huge)
    app.router.add_get("/huge-declared", huge_declared)
    app.router.add_get("/gzip-bomb", gzip_bomb)
    app.router.add_get("/trickle", trickle)
    app.router.add_get("/status/{code}", status)
    for path in ("/loop-a", "/loop-b", "/to-file", "/to-ftp", "/moved"):
        app.router.add_get(path, redirect)
    app.router.add_get("/chain/{n}", redirect)
    return app


@pytest.fixture
async def feed_site() -> AsyncIterator[FeedSite]:
    site = FeedSite()
    runner = web.AppRunner(build_app(site), shutdown_timeout=0.5, access_log=None)
    await runner.setup()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    site.base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    await web.SockSite(runner, sock).start()
    try:
        yield site
    finally:
        await runner.cleanup()
        sock.close()


@pytest.fixture
def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Sink:
    """Collects articles; ``down`` makes it fail like an unreachable broker."""

    def __init__(self) -> None:
        self.articles: list[Article] = []
        self.down = False

    async def __call__(self, article: Article) -> None:
        if self.down:
            msg = "broker unreachable"
            raise ConnectionError(msg)
        self.articles.append(article)

    def ids(self) -> list[str]:
        return [a.id for a in self.articles]


def metric(registry: CollectorRegistry, name: str, **labels: str) -> float:
    return registry.get_sample_value(name, labels) or 0.0


def feed(site: FeedSite, name: str, path: str, interval: float = 0.1) -> FeedConfig:
    return FeedConfig(name=name, url=site.url(path), interval=interval)


# (path, fetch outcome, articles published from it, extra check on them)
CASES: list[tuple[str, str, int]] = [
    ("/rss20", "ok", 2),
    ("/rss10", "ok", 1),
    ("/atom", "ok", 1),
    ("/ar-1256", "ok", 1),
    ("/ar-wrong", "ok", 1),
    ("/malformed", "ok", 2),
    ("/laughs", "ok", 1),
    ("/xxe", "ok", 1),
    ("/html", "not_a_feed", 0),
    ("/empty", "ok", 0),
    ("/sparse", "ok", 4),
    ("/dup", "ok", 2),
    ("/huge", "too_large", 0),
    ("/huge-declared", "too_large", 0),
    ("/gzip-bomb", "too_large", 0),
    ("/trickle", "timeout", 0),
    ("/status/404", "not_found", 0),
    ("/status/410", "gone", 0),
    ("/status/429", "rate_limited", 0),
    ("/status/500", "server_error", 0),
    ("/status/503", "server_error", 0),
    ("/status/403", "http_error", 0),
    ("/loop-a", "too_many_redirects", 0),
    ("/chain/0", "too_many_redirects", 0),
    ("/to-file", "bad_redirect", 0),
    ("/to-ftp", "bad_redirect", 0),
    ("/moved", "ok", 2),
]
BOZO = {"/ar-wrong", "/malformed", "/laughs", "/html"}


@pytest.mark.parametrize(("path", "outcome", "count"), CASES, ids=[c[0] for c in CASES])
async def test_each_case_next_to_a_good_feed(
    feed_site: FeedSite, caplog: pytest.LogCaptureFixture, path: str, outcome: str, count: int
) -> None:
    caplog.set_level(logging.INFO)
    registry = CollectorRegistry()
    sink = Sink()
    feed_site.live[:] = [("good-1", "Good news")]
    conn = RssConnector(
        [feed(feed_site, "case", path), feed(feed_site, "good", "/live")],
        sink,
        metrics=Metrics(registry),
        limits=LIMITS,
        rng=random.Random(0),
    )
    tracemalloc.start()
    try:
        async with conn:
            first = {r.feed: r for r in await conn.run_once()}
            second = {r.feed: r for r in await conn.run_once()}
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    # The good feed flowed, once.
    assert first["good"].published == 1 and second["good"].published == 0
    # The case: its outcome in the metric and a log line naming the feed.
    assert first["case"].outcome == outcome
    assert metric(registry, "dipwatch_feed_fetches_total", feed="case", outcome=outcome) >= 1
    assert any("feed case" in r.getMessage() for r in caplog.records)
    if path in BOZO:
        assert (
            sum(
                m.value
                for fam in registry.collect()
                if fam.name == "dipwatch_feed_bozo"
                for m in fam.samples
                if m.labels.get("feed") == "case"
            )
            >= 1
        )
    # What it published, and nothing twice.
    from_case = [a for a in sink.articles if a.title != "Good news"]
    assert len(from_case) == count
    assert second["case"].published == 0
    assert len(sink.ids()) == len(set(sink.ids()))
    assert metric(registry, "dipwatch_feed_items_total", feed="case") == count
    # Bounded memory: the 50 MB bodies and the gzip bomb never sit in memory.
    assert peak < 3 * DEFAULT_MAX_BYTES
    if outcome == "rate_limited":
        assert first["case"].retry_after == 120
    if path.startswith("/ar-"):
        assert from_case[0].title == s.ARABIC_TITLE and from_case[0].language == "ar"
    if path == "/xxe":
        assert "root:" not in from_case[0].text + from_case[0].title


async def test_a_connection_refused_is_an_outcome(closed_port: int) -> None:
    registry = CollectorRegistry()
    conn = RssConnector(
        [FeedConfig("down", f"http://127.0.0.1:{closed_port}/feed", 1.0)],
        Sink(),
        metrics=Metrics(registry),
        limits=LIMITS,
    )
    async with conn:
        [result] = await conn.run_once()
    assert result.outcome == "connection_error"
    assert metric(registry, "dipwatch_feed_fetches_total", feed="down", outcome="connection_error") == 1


async def test_live_items_flow_while_every_hostile_feed_misbehaves(feed_site: FeedSite, tmp_path: Path) -> None:
    registry = CollectorRegistry()
    sink = Sink()
    hostile = [
        feed(feed_site, f"h{n}", path, interval=0.1) for n, (path, outcome, _) in enumerate(CASES) if outcome != "ok"
    ]
    conn = RssConnector(
        [*hostile, feed(feed_site, "live", "/live", interval=0.1)],
        sink,
        metrics=Metrics(registry),
        limits=LIMITS,
        state=FeedStateStore(tmp_path / "state.json"),
        max_backoff=0.5,
    )
    task = asyncio.create_task(conn.run())
    try:
        for n in range(1, 6):
            feed_site.live.append((f"item-{n}", f"Live item {n}"))
            await _wait_for(lambda n=n: len(sink.articles) >= n, timeout=5.0)  # type: ignore[misc]
            await asyncio.sleep(0.15)
    finally:
        await conn.stop()
        await asyncio.wait_for(task, 5.0)
    assert [a.title for a in sink.articles] == [f"Live item {n}" for n in range(1, 6)]
    assert task.exception() is None
    for f in hostile:
        failures = sum(
            m.value
            for fam in registry.collect()
            if fam.name == "dipwatch_feed_fetches"
            for m in fam.samples
            if m.name.endswith("_total") and m.labels.get("feed") == f.name and m.labels["outcome"] != "ok"
        )
        assert failures >= 1, f.name
    # Conditional GET: between additions the live feed answered 304 rather than its body.
    assert metric(registry, "dipwatch_feed_fetches_total", feed="live", outcome="not_modified") >= 1


async def test_a_restart_republishes_nothing_and_a_broker_outage_loses_nothing(
    feed_site: FeedSite, tmp_path: Path
) -> None:
    state = tmp_path / "feeds-state.json"
    sink = Sink()
    feed_site.live[:] = [("a", "Alpha"), ("b", "Bravo")]

    def make() -> RssConnector:
        return RssConnector(
            [feed(feed_site, "live", "/live")],
            sink,
            metrics=Metrics(CollectorRegistry()),
            limits=LIMITS,
            state=FeedStateStore(state),
        )

    async with make() as conn:
        await conn.run_once()
    # Undated items of a poll go out by id (the order a replay of the feed file reads them in).
    assert sorted(a.title for a in sink.articles) == ["Alpha", "Bravo"]

    async with make() as conn:  # a restart
        [result] = await conn.run_once()
    assert result.outcome == "not_modified" and len(sink.articles) == 2

    feed_site.live.append(("c", "Charlie"))
    sink.down = True
    async with make() as conn:
        [result] = await conn.run_once()
        assert result.outcome == "publish_error"
        sink.down = False
        [result] = await conn.run_once()
        assert result.published == 1
    async with make() as conn:
        [result] = await conn.run_once()
    titles = [a.title for a in sink.articles]
    assert sorted(titles[:2]) == ["Alpha", "Bravo"] and titles[2:] == ["Charlie"]


async def test_the_fetcher_sends_a_user_agent_and_uses_an_injected_session(feed_site: FeedSite) -> None:
    async with aiohttp.ClientSession() as session:
        fetcher = HttpFetcher(LIMITS, session=session)
        result = await fetcher.fetch(feed_site.url("/live"), feed="live")
        assert result.status == 200 and result.etag
        again = await fetcher.fetch(feed_site.url("/live"), feed="live", validators=Validators(etag=result.etag))
        assert again.not_modified and again.body == b""
        await fetcher.stop()
        assert not session.closed  # an injected session belongs to the caller
    assert any(ua.startswith("dipwatch/") for ua in feed_site.user_agents)


async def test_fetch_errors_carry_outcome_and_retry_after(feed_site: FeedSite) -> None:
    async with HttpFetcher(LIMITS) as fetcher:
        with pytest.raises(FeedError) as info:
            await fetcher.fetch(feed_site.url("/status/429"), feed="x")
        assert (info.value.outcome, info.value.retry_after, info.value.feed) == ("rate_limited", 120.0, "x")
        with pytest.raises(FeedTooLarge):
            await fetcher.fetch(feed_site.url("/huge"), feed="x")
        with pytest.raises(FeedError, match="only http:// and https://"):
            await fetcher.fetch(feed_site.url("/to-file"), feed="x")
        with pytest.raises(FeedError) as refused:
            await fetcher.fetch("file:///etc/passwd", feed="x")
        assert refused.value.outcome == "bad_url"
    small = FetchLimits(max_bytes=1000, total_timeout=2.0)
    async with HttpFetcher(small) as fetcher:
        with pytest.raises(FeedTooLarge):
            await fetcher.fetch(feed_site.url("/rss20"), feed="x")


async def _wait_for(condition: object, timeout: float) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():  # type: ignore[operator]
        if asyncio.get_running_loop().time() > deadline:
            msg = "condition not met in time"
            raise AssertionError(msg)
        await asyncio.sleep(0.02)
