"""Assemble the Faust worker: app, topics, tables, agents, the state views and the /metrics page."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import faust
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

from streams.agents import Agents, register_agents
from streams.app import create_app
from streams.core.detector import detector_for
from streams.metrics import Metrics
from streams.settings import Settings
from streams.tables import Tables, declare_tables
from streams.topics import Topics, declare_topics
from streams.tracksfile import load_tracks
from streams.web import register_views

logger = logging.getLogger(__name__)


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
    app = create_app(settings)
    topics = declare_topics(app, settings)
    tables = declare_tables(app, settings)
    detector = detector_for(load_tracks(settings.tracks))
    agents = register_agents(app, topics, tables, metrics, settings, detector)
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
    counter = BrokerErrorCounter(metrics)
    for name in ("aiokafka", "faust.transport"):
        logging.getLogger(name).addHandler(counter)
    return Shell(app=app, topics=topics, tables=tables, metrics=metrics, agents=agents)


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
