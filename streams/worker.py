"""Assemble the Faust worker: app, topics, tables, agents, the state views and the /metrics page."""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass
from typing import Any

import faust
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import KafkaError
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

from streams.agents import Agents, register_agents
from streams.app import create_app
from streams.brokerwatch import LOST, BrokerDataLost, TopicWatch, note_topics, public_topics, state_topics
from streams.commitwatch import CommitWatch
from streams.core.detector import detector_for
from streams.metrics import Metrics
from streams.settings import Settings
from streams.tables import Tables, declare_tables
from streams.topics import Topics, declare_topics
from streams.tracksfile import load_tracks
from streams.web import register_views

logger = logging.getLogger(__name__)

# How often a running worker checks that the broker still has its topics.
BROKER_CHECK_SECONDS = 3.0
# How long a worker stopping because its broker lost its data may take before it exits anyway, and
# with what status (3: a broker problem, as for the commands).
STOP_GRACE_SECONDS = 20.0
BROKER_EXIT = 3
# How often the worker compares its processed offsets with the committed ones, and how long
# processed messages may wait past a committed offset that does not move (it commits every second).
COMMIT_CHECK_SECONDS = 5.0
COMMIT_STALL_SECONDS = 30.0


@dataclass(frozen=True)
class Shell:
    """The Faust side of dipwatch, wired to one metrics registry."""

    app: faust.App
    topics: Topics
    tables: Tables
    metrics: Metrics
    agents: Agents


class BrokerErrorCounter(logging.Handler):
    """Counts the errors the Kafka client logs, so a broker outage shows in the metrics.

    The client keeps retrying on its own; the worker stays up and says why in its log.
    """

    def __init__(self, metrics: Metrics) -> None:
        super().__init__(logging.ERROR)
        self.metrics = metrics

    def emit(self, record: logging.LogRecord) -> None:
        self.metrics.broker_errors.inc()


def build(settings: Settings, registry: CollectorRegistry | None = None) -> Shell:
    """Build the app for ``settings``; metrics go to ``registry`` (a fresh one by default)."""
    registry = registry if registry is not None else CollectorRegistry()
    metrics = Metrics(registry)
    detector = detector_for(load_tracks(settings.tracks))
    app = create_app(settings, detector.tracks.ids)
    topics = declare_topics(app, settings)
    tables = declare_tables(app, settings)
    agents = register_agents(app, topics, tables, metrics, settings, detector)
    watch_commits(app, settings, agents, metrics)
    # Registered before /metrics and Faust's own blueprints: "/" is the tracks page, not Faust's status.
    register_views(
        app,
        topics.tracked,
        tables.track_state,
        [(t.id, t.name or t.id) for t in detector.tracks.tracks],
        settings.partitions,
    )

    async def metrics_page(view: Any, request: Any) -> Any:
        return view.bytes(generate_latest(registry), headers={"Content-Type": CONTENT_TYPE_LATEST})

    app.page("/metrics")(metrics_page)
    watch_broker(app, settings)
    counter = BrokerErrorCounter(metrics)
    for name in ("aiokafka", "faust.transport"):
        logging.getLogger(name).addHandler(counter)
    return Shell(app=app, topics=topics, tables=tables, metrics=metrics, agents=agents)


def watch_broker(app: faust.App, settings: Settings) -> None:
    """Stop the worker when the broker loses topics it has seen there (an in-memory broker
    restarted): its tables would go on into topics created afresh, and a later start would wait
    for records that are gone. Also notes the topics for the next start
    (:func:`streams.brokerwatch.lost_since_last_start`)."""
    watch = TopicWatch([*state_topics(settings), *public_topics(settings)])
    admin: AIOKafkaAdminClient | None = None
    reader: AIOKafkaConsumer | None = None
    noted: set[str] = set()

    async def check_broker() -> None:
        nonlocal admin, reader, noted
        try:
            if admin is None or reader is None:
                admin = AIOKafkaAdminClient(**settings.broker_access.client_kwargs())
                await admin.start()
                reader = AIOKafkaConsumer(**settings.broker_access.client_kwargs(), enable_auto_commit=False)
                await reader.start()
            present = set(await admin.list_topics())
            ends = await _end_offsets(admin, reader, sorted(present & watch.names))
        except (KafkaError, OSError):
            # Unreachable for now: the client logs it (counted in dipwatch_broker_errors_total).
            if admin is not None:
                await admin.close()
            if reader is not None:
                await reader.stop()
            admin, reader = None, None
            return
        # Gone, or there again but shorter (recreated by a writer before this look).
        lost = watch.lost(present) or watch.shrunk(ends)
        if lost:
            msg = (
                f"the broker {settings.bootstrap} has lost topics this worker was using ({', '.join(lost)}): "
                f"{LOST} are gone; stopping (started again, the worker begins with an empty state)"
            )
            logger.error(msg)
            exit_if_stuck(STOP_GRACE_SECONDS)
            await app.crash(BrokerDataLost(msg, broker=settings.bootstrap))
            return
        kept = present & watch.names
        if kept != noted:
            note_topics(settings, kept)
            noted = kept

    app.timer(interval=BROKER_CHECK_SECONDS, name="dipwatch.check_broker")(check_broker)


def exit_if_stuck(grace: float, exit_code: int = BROKER_EXIT) -> threading.Thread:
    """Make sure a worker that must stop does stop: after ``grace`` seconds the process exits with
    ``exit_code`` even if a Faust service hangs while stopping (aiokafka's consumer thread can wait
    a minute on a connection the broker dropped). Returns the (daemon) watchdog thread."""

    def watchdog() -> None:
        time.sleep(grace)
        logger.error("the worker did not stop within %.0f s (a service hung while stopping); exiting", grace)
        logging.shutdown()
        os._exit(exit_code)

    thread = threading.Thread(target=watchdog, name="dipwatch.stop-watchdog", daemon=True)
    thread.start()
    return thread


async def _end_offsets(
    admin: AIOKafkaAdminClient, reader: AIOKafkaConsumer, topics: list[str]
) -> dict[tuple[str, int], int]:
    """The end offset of every partition of ``topics``."""
    if not topics:
        return {}
    described = await admin.describe_topics(topics)
    parts = [
        TopicPartition(t["topic"], p["partition"])
        for t in described
        if not t.get("error_code")
        for p in t["partitions"]
    ]
    ends = await reader.end_offsets(parts) if parts else {}
    return {(tp.topic, tp.partition): int(end) for tp, end in ends.items()}


def watch_commits(app: faust.App, settings: Settings, agents: Agents, metrics: Metrics) -> None:
    """Compare the offsets the agents processed with those the broker has committed for the
    group; a lag that does not move shows in ``dipwatch_uncommitted_seconds`` and, past
    ``COMMIT_STALL_SECONDS``, in a warning and ``dipwatch_commit_stalls_total``."""
    watch = CommitWatch(after=COMMIT_STALL_SECONDS)
    reader: AIOKafkaConsumer | None = None

    async def check_commits() -> None:
        nonlocal reader
        processed = dict(agents.processed)
        committed: dict[tuple[str, int], int | None] = {}
        try:
            if reader is None:
                # In the group only to read its offsets: it never subscribes, so it never joins.
                reader = AIOKafkaConsumer(
                    **settings.broker_access.client_kwargs(), group_id=settings.app_id, enable_auto_commit=False
                )
                await reader.start()
            for tp in processed:
                # Asked of the broker: what Faust believes it committed is not always what was.
                committed[(tp.topic, tp.partition)] = await reader.committed(TopicPartition(tp.topic, tp.partition))
        except (KafkaError, OSError):
            if reader is not None:
                await reader.stop()
            reader = None
            return
        mine = {(tp.topic, tp.partition): offset for tp, offset in processed.items()}
        was = watch.stalled
        metrics.uncommitted_seconds.set(watch.observe(time.monotonic(), mine, committed))
        if watch.stalled and not was:
            metrics.commit_stalls.inc()

    app.timer(interval=COMMIT_CHECK_SECONDS, name="dipwatch.check_commits")(check_commits)


def run_worker(settings: Settings) -> None:
    """Run the worker until it is stopped (SIGINT/SIGTERM); blocks."""
    settings.data_path("faust")
    shell = build(settings)
    logger.info(
        "worker %s on %s; timeline at http://%s:%d/, state at /tracks, metrics at /metrics",
        settings.app_id,
        settings.broker,
        settings.web_host,
        settings.web_port,
    )
    worker = faust.Worker(shell.app, loglevel=settings.log_level.upper(), redirect_stdouts=False)
    worker.execute_from_commandline()
