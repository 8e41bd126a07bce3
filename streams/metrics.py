"""Prometheus metrics of dipwatch, built from an injected registry.

One object holds every metric so that the worker, the connectors and the tests each build their
own from a registry they own (tests use a fresh ``CollectorRegistry``). Names follow the
prometheus.io conventions: ``dipwatch_`` prefix, ``_total`` on counters, base units (seconds).
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

# Article fetched -> alert sent: from sub-second (seeds) to minutes (slow feeds, backlog).
LATENCY_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0, 900.0)
# One HTTP fetch of a feed, bounded by the read timeout.
FETCH_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
# One article through the core (dedup + extract + merge).
PROCESS_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0)


class Metrics:
    """Every metric dipwatch exports, registered on ``registry`` under ``prefix`` (in this order)."""

    def __init__(self, registry: CollectorRegistry, prefix: str = "dipwatch") -> None:
        self.registry = registry
        self._prefix = prefix
        self._article_metrics()
        self._state_metrics()
        self._health_metrics()
        self._feed_metrics()

    def _counter(self, name: str, documentation: str, *labels: str) -> Counter:
        return Counter(f"{self._prefix}_{name}", documentation, labels, registry=self.registry)

    def _gauge(self, name: str, documentation: str, *labels: str) -> Gauge:
        return Gauge(f"{self._prefix}_{name}", documentation, labels, registry=self.registry)

    def _histogram(self, name: str, documentation: str, buckets: tuple[float, ...], *labels: str) -> Histogram:
        return Histogram(f"{self._prefix}_{name}", documentation, labels, buckets=buckets, registry=self.registry)

    def _article_metrics(self) -> None:
        """An article's way through the worker: received, dropped, deduplicated, extracted, alerted."""
        self.articles = self._counter("articles", "Articles received from connectors", "connector")
        untracked = "Articles that belong to no configured track, counted and dropped"
        self.articles_untracked = self._counter("articles_untracked", untracked)
        duplicates = "Articles recognised as duplicates (exact: same URL or text; reprint: near-duplicate)"
        self.duplicates = self._counter("duplicates", duplicates, "kind")
        developments = "Development mentions extracted from articles, before deduplication against the state"
        self.developments = self._counter("developments", developments, "track", "type")
        self.alerts = self._counter("alerts", "New diplomatic developments alerted", "track", "type")
        updates = "Corroborations of known developments sent to the updates topic"
        self.updates = self._counter("updates", updates, "track", "type")
        self.deadletter = self._counter("deadletter", "Messages sent to the dead-letter topic", "reason")
        latency = "Time from article fetched to alert sent"
        self.alert_latency = self._histogram("alert_latency_seconds", latency, LATENCY_BUCKETS)
        process = "Time spent in the core per article (dedup, extract, merge)"
        self.process_seconds = self._histogram("process_seconds", process, PROCESS_BUCKETS)

    def _state_metrics(self) -> None:
        """What each track's state and deduplication index hold."""
        self.track_rounds = self._gauge("track_rounds", "Rounds held known to the track state", "track")
        self.track_agreements = self._gauge("track_agreements", "Agreements known to the track state", "track")
        self.track_developments = self._gauge("track_developments", "Developments known to the track state", "track")
        index = "Articles held in the deduplication index"
        self.dedup_index_size = self._gauge("dedup_index_articles", index, "track")

    def _health_metrics(self) -> None:
        """Whether the worker is talking to the broker and processing articles."""
        broker = "Errors the Kafka client logged talking to the broker (unreachable, timeouts)"
        self.broker_errors = self._counter("broker_errors", broker)
        redelivered = (
            "Articles read again that the track state already held (redelivery after a restart or a rebalance)"
        )
        self.redelivered = self._counter("redelivered_articles", redelivered)
        resent = (
            "Alerts and updates sent again because the worker that decided them stopped before their acknowledgement"
        )
        self.alerts_resent = self._counter("alerts_resent", resent)
        uncommitted = (
            "How long processed messages have been waiting for their offsets to be committed (0: all committed)"
        )
        self.uncommitted_seconds = self._gauge("uncommitted_seconds", uncommitted)
        stalls = "Times the committed offsets stopped moving while messages were processed"
        self.commit_stalls = self._counter("commit_stalls", stalls)
        last = "Unix time the worker last processed an article"
        self.last_article = self._gauge("last_article_timestamp_seconds", last)

    def _feed_metrics(self) -> None:
        """The feed connector's (``connectors.rss.FeedMetrics``)."""
        fetches = "Feed fetches by outcome (ok, not_modified, http_error, timeout, too_large, ...)"
        self.feed_fetches = self._counter("feed_fetches", fetches, "feed", "outcome")
        fetch_time = "Duration of one feed fetch"
        self.feed_fetch_seconds = self._histogram("feed_fetch_seconds", fetch_time, FETCH_BUCKETS, "feed")
        self.feed_items = self._counter("feed_items", "New feed items published as articles", "feed")
        bozo = "Feeds that parsed with errors, by exception class"
        self.feed_bozo = self._counter("feed_bozo", bozo, "feed", "kind")
        success = "Unix time of the last successful fetch of a feed"
        self.feed_last_success = self._gauge("feed_last_success_timestamp_seconds", success, "feed")
        state = "Failed writes of the feed state file (seen items and validators)"
        self.feed_state_errors = self._counter("feed_state_errors", state)
        publish = "Articles a connector could not publish to the broker"
        self.publish_errors = self._counter("publish_errors", publish, "connector")
