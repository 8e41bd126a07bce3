"""The connector's polling logic with a fake transport, an injected clock and a fresh registry."""

from __future__ import annotations

import asyncio
import datetime as dt
import random
from collections.abc import Callable
from pathlib import Path

import pytest
from prometheus_client import CollectorRegistry

from connectors.feeds import FeedConfig
from connectors.feedstate import FeedStateStore
from connectors.http import FEED_ACCEPT, FetchResult, Validators
from connectors.polling import site_of
from connectors.rss import RssConnector, backoff_delay
from streams.core.errors import FeedError
from streams.core.models import Article
from streams.metrics import Metrics
from tests.unit.connectors import rss_samples as s

NOW = dt.datetime(2025, 6, 10, 12, 0, tzinfo=dt.UTC)
Responder = Callable[[str | None, str | None], FetchResult]


class FakeFetcher:
    """Answers each URL with a responder; records the validators it was sent."""

    def __init__(self, routes: dict[str, Responder]) -> None:
        self.routes = routes
        self.calls: list[tuple[str, str | None, str | None]] = []

    async def fetch(
        self, url: str, *, feed: str, validators: Validators | None = None, accept: str = FEED_ACCEPT
    ) -> FetchResult:
        etag, last_modified = validators or Validators()
        self.calls.append((url, etag, last_modified))
        await asyncio.sleep(0)
        return self.routes[url](etag, last_modified)


def serve(body: bytes, etag: str | None = None) -> Responder:
    def respond(sent_etag: str | None, _lm: str | None) -> FetchResult:
        if etag is not None and sent_etag == etag:
            return FetchResult(url="https://x.example/f", status=304)
        headers = {"content-type": "application/rss+xml"} | ({"etag": etag} if etag else {})
        return FetchResult(url="https://x.example/f", status=200, body=body, headers=headers)

    return respond


def fail(outcome: str, retry_after: float | None = None) -> Responder:
    def respond(_e: str | None, _lm: str | None) -> FetchResult:
        raise FeedError(f"boom {outcome}", feed="f", outcome=outcome, retry_after=retry_after)

    return respond


class Sink:
    def __init__(self) -> None:
        self.articles: list[Article] = []
        self.failures = 0

    async def __call__(self, article: Article) -> None:
        if self.failures:
            self.failures -= 1
            msg = "broker down"
            raise ConnectionError(msg)
        self.articles.append(article)


def feed(name: str, url: str | None = None, **kw: object) -> FeedConfig:
    return FeedConfig(name=name, url=url or f"https://{name}.example/f", interval=0.05, **kw)  # type: ignore[arg-type]


def value(registry: CollectorRegistry, name: str, **labels: str) -> float:
    return registry.get_sample_value(name, labels) or 0.0


@pytest.fixture
def registry() -> CollectorRegistry:
    return CollectorRegistry()


def connector(
    feeds: list[FeedConfig], sink: Sink, fetcher: FakeFetcher, registry: CollectorRegistry, state: Path | None = None
) -> RssConnector:
    return RssConnector(
        feeds,
        sink,
        metrics=Metrics(registry),
        fetcher=fetcher,
        state=FeedStateStore(state),
        clock=lambda: NOW,
        rng=random.Random(1),
    )


async def test_new_items_are_published_once_oldest_first(registry: CollectorRegistry) -> None:
    sink = Sink()
    fetcher = FakeFetcher({"https://a.example/f": serve(s.RSS20)})
    conn = connector([feed("a")], sink, fetcher, registry)
    [first] = await conn.run_once()
    [second] = await conn.run_once()
    assert (first.outcome, first.published, second.published) == ("ok", 2, 0)
    assert [a.title for a in sink.articles] == ["First round held", "Second round of Istanbul talks held"]
    assert all(a.fetched == NOW for a in sink.articles)
    assert value(registry, "dipwatch_feed_items_total", feed="a") == 2
    assert value(registry, "dipwatch_feed_fetches_total", feed="a", outcome="ok") == 2
    assert value(registry, "dipwatch_feed_last_success_timestamp_seconds", feed="a") == NOW.timestamp()
    assert value(registry, "dipwatch_feed_fetch_seconds_count", feed="a") == 2


async def test_conditional_get_and_304(registry: CollectorRegistry) -> None:
    sink = Sink()
    fetcher = FakeFetcher({"https://a.example/f": serve(s.RSS20, etag='"v1"')})
    conn = connector([feed("a")], sink, fetcher, registry)
    await conn.run_once()
    [result] = await conn.run_once()
    assert result.outcome == "not_modified"
    assert fetcher.calls == [("https://a.example/f", None, None), ("https://a.example/f", '"v1"', None)]
    assert value(registry, "dipwatch_feed_fetches_total", feed="a", outcome="not_modified") == 1


async def test_a_sink_failure_loses_nothing(registry: CollectorRegistry, caplog: pytest.LogCaptureFixture) -> None:
    sink = Sink()
    sink.failures = 1
    fetcher = FakeFetcher({"https://a.example/f": serve(s.RSS20, etag='"v1"')})
    conn = connector([feed("a")], sink, fetcher, registry)
    [result] = await conn.run_once()
    assert (result.outcome, result.ok, sink.articles) == ("publish_error", False, [])
    assert value(registry, "dipwatch_publish_errors_total", connector="rss") == 1
    assert "retried at the next poll" in caplog.text
    [result] = await conn.run_once()
    # The validators were not kept, so the retry is unconditional and gets the items again.
    assert fetcher.calls[1] == ("https://a.example/f", None, None)
    assert result.published == 2 and len(sink.articles) == 2
    await conn.run_once()
    assert len(sink.articles) == 2


async def test_a_restart_republishes_nothing(registry: CollectorRegistry, tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    sink = Sink()
    fetcher = FakeFetcher({"https://a.example/f": serve(s.rss_with([("2", "Two"), ("1", "One")]))})
    async with connector([feed("a")], sink, fetcher, registry, path) as conn:
        await conn.run_once()
    fetcher.routes["https://a.example/f"] = serve(s.rss_with([("3", "Three"), ("2", "Two"), ("1", "One")]))
    async with connector([feed("a")], sink, fetcher, CollectorRegistry(), path) as again:
        [result] = await again.run_once()
    assert result.published == 1
    # Undated items go by id within a poll; the new one comes with the second poll.
    assert sorted(a.title for a in sink.articles[:2]) == ["One", "Two"] and sink.articles[2].title == "Three"


async def test_failures_are_counted_per_outcome_and_do_not_stop_other_feeds(
    registry: CollectorRegistry, caplog: pytest.LogCaptureFixture
) -> None:
    sink = Sink()
    fetcher = FakeFetcher(
        {
            "https://good.example/f": serve(s.ATOM),
            "https://bad.example/f": fail("rate_limited", retry_after=30),
            "https://html.example/f": lambda _e, _l: FetchResult(
                url="https://html.example/f", status=200, body=s.HTML_PAGE, headers={"content-type": "text/html"}
            ),
        }
    )
    conn = connector([feed("bad"), feed("html"), feed("good")], sink, fetcher, registry)
    results = {r.feed: r for r in await conn.run_once()}
    assert results["bad"].retry_after == 30 and not results["bad"].ok
    assert results["html"].outcome == "not_a_feed"
    assert results["good"].published == 1
    assert value(registry, "dipwatch_feed_fetches_total", feed="bad", outcome="rate_limited") == 1
    assert value(registry, "dipwatch_feed_fetches_total", feed="html", outcome="not_a_feed") == 1
    assert value(registry, "dipwatch_feed_bozo_total", feed="html", kind="NonXMLContentType") == 1
    assert "feed bad: fetch failed (rate_limited)" in caplog.text
    assert "feed html:" in caplog.text and "is not an RSS or Atom feed" in caplog.text


async def test_an_unexpected_error_costs_one_poll(registry: CollectorRegistry) -> None:
    def explode(_e: str | None, _l: str | None) -> FetchResult:
        msg = "bug"
        raise RuntimeError(msg)

    conn = connector([feed("a")], Sink(), FakeFetcher({"https://a.example/f": explode}), registry)
    [result] = await conn.run_once()
    assert (result.outcome, result.ok) == ("error", False)
    assert value(registry, "dipwatch_feed_fetches_total", feed="a", outcome="error") == 1


async def test_run_polls_until_stopped_and_backs_off(registry: CollectorRegistry, tmp_path: Path) -> None:
    sink = Sink()
    fetcher = FakeFetcher({"https://good.example/f": serve(s.RSS10), "https://bad.example/f": fail("server_error")})
    conn = RssConnector(
        [feed("good"), feed("bad")],
        sink,
        metrics=Metrics(registry),
        fetcher=fetcher,
        state=FeedStateStore(tmp_path / "s.json"),
        clock=lambda: NOW,
        rng=random.Random(1),
        max_backoff=0.4,
    )
    task = asyncio.create_task(conn.run())
    await asyncio.sleep(0.6)
    await conn.stop()
    await asyncio.wait_for(task, 2)
    good = sum(1 for c in fetcher.calls if c[0].startswith("https://good"))
    bad = sum(1 for c in fetcher.calls if c[0].startswith("https://bad"))
    assert good >= 3 and 1 <= bad < good  # the failing feed backs off, the good one keeps its interval
    assert len(sink.articles) == 1
    assert (tmp_path / "s.json").exists()


async def test_cancelling_run_still_saves_the_state(registry: CollectorRegistry, tmp_path: Path) -> None:
    fetcher = FakeFetcher({"https://a.example/f": serve(s.RSS20)})
    conn = connector([feed("a")], Sink(), fetcher, registry, tmp_path / "s.json")
    task = asyncio.create_task(conn.run())
    await asyncio.sleep(0.1)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    store = FeedStateStore(tmp_path / "s.json")
    store.load()
    assert store.is_seen("a", "guid:wire-1")


def test_backoff_grows_with_jitter_and_honours_retry_after() -> None:
    rng = random.Random(7)
    delays = [backoff_delay(10, n, rng=rng, max_backoff=1000) for n in range(1, 8)]
    assert all(10 <= d <= 1000 for d in delays)
    assert delays[0] <= 20 and delays[-1] >= 500
    assert backoff_delay(10, 0, rng=rng) == 10
    assert backoff_delay(10, 50, rng=rng, max_backoff=60) <= 60
    assert backoff_delay(10, 1, rng=rng, retry_after=120) == 120
    assert backoff_delay(10, 1, rng=rng, retry_after=10**9, max_retry_after=3600) == 3600
    jittered = {round(backoff_delay(10, 3, rng=rng, max_backoff=1000), 6) for _ in range(20)}
    assert len(jittered) > 1


async def test_full_text_replaces_the_teaser(registry: CollectorRegistry) -> None:
    page = (
        b"<html><body><nav>Home | About</nav><article><h1>Talks</h1>"
        + b"<p>The delegations met in Istanbul for a second round of talks on embassy operations.</p>" * 4
        + b"</article><footer>(c) wire</footer></body></html>"
    )
    fetcher = FakeFetcher(
        {
            "https://a.example/f": serve(s.rss_with([("1", "One")], link="https://a.example/news/")),
            "https://a.example/news/1": lambda _e, _l: FetchResult(
                url="https://a.example/news/1", status=200, body=page, headers={"content-type": "text/html"}
            ),
        }
    )
    sink = Sink()
    conn = connector([feed("a", fetch_full_text=True)], sink, fetcher, registry)
    await conn.run_once()
    [article] = sink.articles
    assert "second round of talks on embassy operations" in article.text
    assert "Home | About" not in article.text
    # Pages fetched fine are not feed fetches: only their failures are counted (page_<outcome>).
    assert value(registry, "dipwatch_feed_fetches_total", feed="a", outcome="page_ok") == 0


async def test_full_text_failure_keeps_the_feed_text(registry: CollectorRegistry) -> None:
    fetcher = FakeFetcher(
        {
            "https://a.example/f": serve(s.rss_with([("1", "One")], link="https://a.example/news/")),
            "https://a.example/news/1": fail("not_found"),
        }
    )
    sink = Sink()
    conn = connector([feed("a", fetch_full_text=True)], sink, fetcher, registry)
    await conn.run_once()
    assert [a.text for a in sink.articles] == ["Text of One."]
    assert value(registry, "dipwatch_feed_fetches_total", feed="a", outcome="page_not_found") == 1


async def test_full_text_is_never_fetched_off_the_feeds_site(
    registry: CollectorRegistry, caplog: pytest.LogCaptureFixture
) -> None:
    fetcher = FakeFetcher(
        {"https://a.example/f": serve(s.rss_with([("1", "One")], link="http://169.254.169.254/latest/"))}
    )
    sink = Sink()
    conn = connector([feed("a", fetch_full_text=True)], sink, fetcher, registry)
    await conn.run_once()
    assert [c[0] for c in fetcher.calls] == ["https://a.example/f"]
    assert [a.text for a in sink.articles] == ["Text of One."]
    assert "not the feed's site" in caplog.text


def test_site_of() -> None:
    assert site_of("https://www.news.example.org/a") == "example.org"
    assert site_of("http://127.0.0.1:8080/x") == "127.0.0.1"
    assert site_of("http://[::1]/x") == "::1"
    assert site_of("http://metadata.internal./x") == "metadata.internal"
    assert site_of(None) is None and site_of("not a url") is None


async def test_a_state_that_cannot_be_written_is_reported_and_counted(registry: CollectorRegistry) -> None:
    # /sys refuses new files even to root: the poll works, the save fails and says so.
    fetcher = FakeFetcher({"https://a.example/f": serve(s.RSS20)})
    sink = Sink()
    conn = connector([feed("a")], sink, fetcher, registry, Path("/sys/dipwatch-test/s.json"))
    await conn.run_once()
    assert sink.articles and not conn.state_saved
    assert (registry.get_sample_value("dipwatch_feed_state_errors_total") or 0) >= 1  # each failed write
