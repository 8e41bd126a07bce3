"""The live RSS/Atom connector: polls feeds, publishes their new items as articles.

Lifecycle: ``start()`` (load the state, open the transport), ``run()`` (one task per feed, each
polling at its interval, until ``stop()``), ``stop()`` (cancel the tasks, save the state, close
what ``start`` opened); ``run_once()`` polls every feed once. ``async with`` does start and stop.

One poll of a feed: conditional GET (a 304 parses nothing) → parse the bytes in an executor →
publish the items whose key is not in the state, oldest first → mark each key seen once the sink
accepted it → remember the response's validators only if every new item went through (else the
next poll would get a 304 and lose the rest) → save the state atomically.

A failing feed (HTTP error, timeout, oversized body, not a feed, sink down) never raises out of
its task: it is counted, logged, and polled again after an exponential backoff with jitter,
honouring Retry-After. Each feed has its own task, so none blocks another.

Everything that varies is injected: the sink, the transport (:class:`~connectors.http.Fetcher`),
the clock, the random source of the jitter, the state store and the metrics.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as dt
import logging
import random
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from prometheus_client import Counter, Gauge, Histogram

from connectors.feedparse import FeedItem, articles_from_feed_bytes, items_from_parsed, oldest_first, parse_feed_bytes
from connectors.feeds import FeedConfig
from connectors.feedstate import FeedStateStore
from connectors.fulltext import fetch_full_text
from connectors.http import Fetcher, FetchLimits, HttpFetcher, Validators
from connectors.polling import DEFAULT_MAX_BACKOFF, DEFAULT_MAX_RETRY_AFTER, backoff_delay, site_of, utc_now
from connectors.source import Lifecycle, Sink
from streams.core.errors import DipwatchError, FeedError
from streams.core.models import Article

if TYPE_CHECKING:
    pass

__all__ = [
    "PollResult",
    "RssConnector",
    "Sink",
    "articles_from_feed_bytes",
    "backoff_delay",
]

logger = logging.getLogger(__name__)


class FeedMetrics(Protocol):
    """The metrics the connector counts in (``streams.metrics.Metrics`` has them): fetches by
    outcome and their time, items published, malformed feeds, last success, publish and state
    write failures."""

    feed_fetches: Counter
    feed_fetch_seconds: Histogram
    feed_items: Counter
    feed_bozo: Counter
    feed_last_success: Gauge
    publish_errors: Counter
    feed_state_errors: Counter


Clock = Callable[[], dt.datetime]


@dataclass(frozen=True, slots=True)
class PollResult:
    """What one poll of a feed did; ``ok`` is False when the feed should back off."""

    feed: str
    outcome: str
    published: int = 0
    ok: bool = True
    retry_after: float | None = None
    error: str | None = None


class RssConnector(Lifecycle):
    """Polls ``feeds`` and hands each new item, as an :class:`Article`, to ``sink``."""

    def __init__(
        self,
        feeds: Sequence[FeedConfig],
        sink: Sink,
        *,
        metrics: FeedMetrics,
        fetcher: Fetcher | None = None,
        limits: FetchLimits | None = None,
        state: FeedStateStore | None = None,
        clock: Clock = utc_now,
        rng: random.Random | None = None,
        executor: Executor | None = None,
        max_backoff: float = DEFAULT_MAX_BACKOFF,
        max_retry_after: float = DEFAULT_MAX_RETRY_AFTER,
    ) -> None:
        names = [f.name for f in feeds]
        if len(set(names)) != len(names):
            msg = f"feed names must be unique: {names}"
            raise DipwatchError(msg)
        self.feeds = tuple(feeds)
        self.sink = sink
        self.metrics = metrics
        self.state = state if state is not None else FeedStateStore(None)
        self.clock = clock
        self.max_backoff = max_backoff
        self.max_retry_after = max_retry_after
        self._owned_fetcher: HttpFetcher | None = None
        if fetcher is None:
            self._owned_fetcher = HttpFetcher(limits)
            fetcher = self._owned_fetcher
        self.fetcher: Fetcher = fetcher
        self._rng = rng or random.Random()
        self._executor = executor
        self._stopping = asyncio.Event()
        self._save_lock = asyncio.Lock()
        #: False while the last attempt to write the feed state failed.
        self.state_saved = True
        self._tasks: list[asyncio.Task[None]] = []
        self._started = False
        self._closed = False

    # -- lifecycle -------------------------------------------------------------------------

    async def start(self) -> None:
        """Load the persisted state and open the transport; on failure, release what was opened."""
        if self._started:
            return
        try:
            await asyncio.to_thread(self.state.load)
            if self._owned_fetcher is not None:
                await self._owned_fetcher.start()
        except BaseException:
            await self._close_transport()
            raise
        self._started = True
        self._closed = False
        self._stopping.clear()
        logger.info("RSS connector started with %d feed(s)", len(self.feeds))

    async def run(self) -> None:
        """Poll every feed at its interval until :meth:`stop` is called (or the task is cancelled)."""
        await self.start()
        try:
            self._tasks = [asyncio.create_task(self._feed_loop(feed), name=f"rss:{feed.name}") for feed in self.feeds]
            await self._stopping.wait()
        finally:
            await self._shutdown()

    async def run_once(self) -> list[PollResult]:
        """Poll every feed once, concurrently, and return what each poll did (``--once``)."""
        await self.start()
        try:
            return list(await asyncio.gather(*(self.poll(feed) for feed in self.feeds)))
        finally:
            await self._save_state()

    def request_stop(self) -> None:
        """Ask :meth:`run` to return (safe from a signal handler); it cleans up on its way out."""
        self._stopping.set()

    async def stop(self) -> None:
        """Stop polling: cancel the feed tasks, save the state, close the transport we opened."""
        self._stopping.set()
        await self._shutdown()

    async def _shutdown(self) -> None:
        if self._closed:
            return
        self._closed = True
        tasks, self._tasks = self._tasks, []
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        try:
            await self._save_state()
        finally:
            await self._close_transport()
            self._started = False
            logger.info("RSS connector stopped")

    async def _close_transport(self) -> None:
        if self._owned_fetcher is not None:
            await self._owned_fetcher.stop()

    async def _save_state(self) -> None:
        async with self._save_lock:
            payload = self.state.dump()
            if payload is None:
                return
            try:
                await asyncio.to_thread(self.state.write, payload)
            except DipwatchError as exc:
                # Keep polling: the state is still in memory and is written at the next change.
                logger.error("%s", exc)
                self.metrics.feed_state_errors.inc()
                self.state_saved = False
            else:
                self.state_saved = True

    # -- polling ---------------------------------------------------------------------------

    async def _feed_loop(self, feed: FeedConfig) -> None:
        failures = 0
        while not self._stopping.is_set():
            result = await self.poll(feed)
            if result.ok:
                failures = 0
                delay = feed.interval
            else:
                failures += 1
                delay = backoff_delay(
                    feed.interval,
                    failures,
                    rng=self._rng,
                    retry_after=result.retry_after,
                    max_backoff=self.max_backoff,
                    max_retry_after=self.max_retry_after,
                )
                logger.info("feed %s: failure %d in a row, next poll in %.1f s", feed.name, failures, delay)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), delay)

    async def poll(self, feed: FeedConfig) -> PollResult:
        """Fetch ``feed`` once and publish its new items; never raises except on cancellation."""
        try:
            return await self._poll(feed)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            # A bug or an unforeseen input must cost one poll of one feed, not the connector.
            logger.exception("feed %s: poll failed unexpectedly", feed.name)
            self.metrics.feed_fetches.labels(feed.name, "error").inc()
            return PollResult(feed.name, "error", ok=False, error=f"{type(exc).__name__}: {exc}")

    async def _poll(self, feed: FeedConfig) -> PollResult:
        m = self.metrics
        validators = Validators(*self.state.validators(feed.name, feed.url))
        started = time.perf_counter()
        try:
            response = await self.fetcher.fetch(feed.url, feed=feed.name, validators=validators)
        except FeedError as exc:
            m.feed_fetches.labels(feed.name, exc.outcome).inc()
            logger.warning("feed %s: fetch failed (%s): %s", feed.name, exc.outcome, exc)
            return PollResult(feed.name, exc.outcome, ok=False, retry_after=exc.retry_after, error=str(exc))
        finally:
            m.feed_fetch_seconds.labels(feed.name).observe(time.perf_counter() - started)
        now = self.clock()
        if response.not_modified:
            m.feed_fetches.labels(feed.name, "not_modified").inc()
            m.feed_last_success.labels(feed.name).set(now.timestamp())
            logger.debug("feed %s: not modified", feed.name)
            return PollResult(feed.name, "not_modified")

        parsed = await asyncio.get_running_loop().run_in_executor(
            self._executor,
            parse_feed_bytes,
            response.body,
            {**response.headers, "content-location": response.url},
        )
        for kind in parsed.bozo_kinds:
            m.feed_bozo.labels(feed.name, kind).inc()
        if parsed.bozo_kinds:
            logger.warning(
                "feed %s: parsed with problems (%s), %d item(s) recovered: %s",
                feed.name, ", ".join(parsed.bozo_kinds), len(parsed.entries), parsed.bozo_message,
            )  # fmt: skip
        if not parsed.is_feed:
            m.feed_fetches.labels(feed.name, "not_a_feed").inc()
            content_type = response.headers.get("content-type", "no content type")
            logger.warning("feed %s: %s is not an RSS or Atom feed (%s)", feed.name, response.url, content_type)
            return PollResult(feed.name, "not_a_feed", ok=False, error=f"not a feed ({content_type})")
        m.feed_fetches.labels(feed.name, "ok").inc()
        m.feed_last_success.labels(feed.name).set(now.timestamp())

        items = items_from_parsed(parsed, feed.name, language=feed.language, fetched=now, feed_url=response.url)
        # Only the configured URL counts: the channel link and redirects are the server's to choose.
        published, delivered = await self._publish_new(feed, items, site_of(feed.url))
        if delivered:
            self.state.set_validators(feed.name, feed.url, response.etag, response.last_modified)
        self.state.trim(feed.name, [item.key for item in items])
        await self._save_state()
        if not delivered:
            return PollResult(feed.name, "publish_error", published=published, ok=False, error="sink failed")
        logger.info("feed %s: %d item(s), %d new", feed.name, len(items), published)
        return PollResult(feed.name, "ok", published=published)

    async def _publish_new(self, feed: FeedConfig, items: list[FeedItem], site: str | None) -> tuple[int, bool]:
        """Publish unseen items oldest first; (count, whether all went through)."""
        new = oldest_first([item for item in items if not self.state.is_seen(feed.name, item.key)])
        published = 0
        for item in new:
            article = item.article
            if feed.fetch_full_text and article.url is not None:
                if site is not None and site_of(article.url) == site:
                    article = await self._with_full_text(feed, article)
                else:
                    # A feed must not make us fetch hosts it does not belong to (internal
                    # services, cloud metadata) and publish what they answer.
                    logger.warning("feed %s: full text of %s not fetched: not the feed's site", feed.name, article.url)
            try:
                await self.sink(article)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                self.metrics.publish_errors.labels("rss").inc()
                logger.error(
                    "feed %s: could not publish %s (%s: %s); it is retried at the next poll",
                    feed.name, article.id, type(exc).__name__, exc,
                )  # fmt: skip
                return published, False
            self.state.mark_seen(feed.name, item.key)
            self.metrics.feed_items.labels(feed.name).inc()
            published += 1
        return published, True

    async def _with_full_text(self, feed: FeedConfig, article: Article) -> Article:
        assert article.url is not None
        try:
            text = await fetch_full_text(self.fetcher, article.url, feed=feed.name, executor=self._executor)
        except FeedError as exc:
            self.metrics.feed_fetches.labels(feed.name, f"page_{exc.outcome}").inc()
            logger.warning("feed %s: full text of %s not fetched (%s); using the feed's text", feed.name,
                           article.url, exc.outcome)  # fmt: skip
            return article
        if text is None or len(text) <= len(article.text):
            return article
        # The id stays the one derived from the URL: a longer text must not make the item "new".
        return dataclasses.replace(article, text=text)
