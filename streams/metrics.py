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
    """Every metric dipwatch exports, registered on ``registry`` under ``prefix``."""

    def __init__(self, registry: CollectorRegistry, prefix: str = "dipwatch") -> None:
        self.registry = registry
        p = prefix
        self.articles = Counter(f"{p}_articles", "Articles received from connectors", ["connector"], registry=registry)
        self.articles_untracked = Counter(
            f"{p}_articles_untracked",
            "Articles that belong to no configured track, counted and dropped",
            registry=registry,
        )
        self.duplicates = Counter(
            f"{p}_duplicates",
            "Articles recognised as duplicates (exact: same URL or text; reprint: near-duplicate)",
            ["kind"],
            registry=registry,
        )
        self.developments = Counter(
            f"{p}_developments",
            "Development mentions extracted from articles, before deduplication against the state",
            ["track", "type"],
            registry=registry,
        )
        self.alerts = Counter(
            f"{p}_alerts", "New diplomatic developments alerted", ["track", "type"], registry=registry
        )
        self.updates = Counter(
            f"{p}_updates",
            "Corroborations of known developments sent to the updates topic",
            ["track", "type"],
            registry=registry,
        )
        self.deadletter = Counter(
            f"{p}_deadletter",
            "Messages sent to the dead-letter topic",
            ["reason"],
            registry=registry,
        )
        self.alert_latency = Histogram(
            f"{p}_alert_latency_seconds",
            "Time from article fetched to alert sent",
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.process_seconds = Histogram(
            f"{p}_process_seconds",
            "Time spent in the core per article (dedup, extract, merge)",
            buckets=PROCESS_BUCKETS,
            registry=registry,
        )
        self.track_rounds = Gauge(
            f"{p}_track_rounds", "Rounds held known to the track state", ["track"], registry=registry
        )
        self.track_agreements = Gauge(
            f"{p}_track_agreements", "Agreements known to the track state", ["track"], registry=registry
        )
        self.track_developments = Gauge(
            f"{p}_track_developments",
            "Developments known to the track state",
            ["track"],
            registry=registry,
        )
        self.dedup_index_size = Gauge(
            f"{p}_dedup_index_articles",
            "Articles held in the deduplication index",
            ["track"],
            registry=registry,
        )
        self.broker_errors = Counter(
            f"{p}_broker_errors",
            "Errors the Kafka client logged talking to the broker (unreachable, timeouts)",
            registry=registry,
        )
        self.redelivered = Counter(
            f"{p}_redelivered_articles",
            "Articles read again that the track state already held (redelivery after a restart or a rebalance)",
            registry=registry,
        )
        self.alerts_resent = Counter(
            f"{p}_alerts_resent",
            "Alerts and updates sent again because the worker that decided them stopped before their acknowledgement",
            registry=registry,
        )
        self.uncommitted_seconds = Gauge(
            f"{p}_uncommitted_seconds",
            "How long processed messages have been waiting for their offsets to be committed (0: all committed)",
            registry=registry,
        )
        self.commit_stalls = Counter(
            f"{p}_commit_stalls",
            "Times the committed offsets stopped moving while messages were processed",
            registry=registry,
        )
        self.last_article = Gauge(
            f"{p}_last_article_timestamp_seconds",
            "Unix time the worker last processed an article",
            registry=registry,
        )
        # Feed connector metrics.
        self.feed_fetches = Counter(
            f"{p}_feed_fetches",
            "Feed fetches by outcome (ok, not_modified, http_error, timeout, too_large, ...)",
            ["feed", "outcome"],
            registry=registry,
        )
        self.feed_fetch_seconds = Histogram(
            f"{p}_feed_fetch_seconds",
            "Duration of one feed fetch",
            ["feed"],
            buckets=FETCH_BUCKETS,
            registry=registry,
        )
        self.feed_items = Counter(
            f"{p}_feed_items", "New feed items published as articles", ["feed"], registry=registry
        )
        self.feed_bozo = Counter(
            f"{p}_feed_bozo",
            "Feeds that parsed with errors, by exception class",
            ["feed", "kind"],
            registry=registry,
        )
        self.feed_last_success = Gauge(
            f"{p}_feed_last_success_timestamp_seconds",
            "Unix time of the last successful fetch of a feed",
            ["feed"],
            registry=registry,
        )
        self.feed_state_errors = Counter(
            f"{p}_feed_state_errors",
            "Failed writes of the feed state file (seen items and validators)",
            registry=registry,
        )
        self.publish_errors = Counter(
            f"{p}_publish_errors",
            "Articles a connector could not publish to the broker",
            ["connector"],
            registry=registry,
        )
