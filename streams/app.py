"""The Faust application of dipwatch: one app, configured from the settings object."""

from __future__ import annotations

import faust

from dipwatch.settings import Settings


def create_app(settings: Settings) -> faust.App:
    """A Faust app for ``settings``; topics, tables and agents are added by :mod:`streams.worker`."""
    session = settings.session_timeout
    return faust.App(
        settings.app_id,
        broker=settings.broker or "kafka://localhost:9092",  # unused by test_context
        store="memory://",
        # Tansu has no idempotent producer or transactions: at-least-once, idempotent alerts.
        processing_guarantee="at_least_once",
        topic_partitions=settings.partitions,
        topic_replication_factor=1,
        # A group join waits about half the session timeout; constraints from the broker:
        # heartbeat < session <= request timeout.
        broker_session_timeout=session,
        broker_heartbeat_interval=max(0.3, session / 10),
        broker_request_timeout=max(30.0, session),
        broker_commit_interval=1.0,
        datadir=str(settings.data_dir / "faust"),
        web_enabled=True,
        web_bind=settings.web_host,
        web_host=settings.web_host,
        web_port=settings.web_port,
        # Table contents must not be served over HTTP.
        web_tables_enabled=False,
        web_router_enabled=False,
        web_graph_enabled=False,
        web_stats_enabled=False,
        web_metrics_enabled=False,
        producer_max_request_size=4_000_000,
        # Tansu reports the end offset of a partition per record batch, not per record, so Faust's
        # changelog recovery would stop early; one record per batch keeps offsets exact there.
        producer_max_batch_size=settings.producer_batch_bytes,
        consumer_max_fetch_size=4_000_000,
        worker_redirect_stdouts=False,
        # Let the worker commit offsets and flush tables without waiting for idle streams.
        stream_wait_empty=False,
    )
