"""The embedded broker restarted under a running worker (in memory: it comes back empty), then the
worker restarted: it stops instead of writing on into topics created afresh, and started again it
says what was lost, recreates the topics, becomes ready and alerts."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from aiokafka.admin import AIOKafkaAdminClient

from dipwatch.broker import EmbeddedBroker, free_port
from streams.brokerwatch import MARKER, state_topics
from streams.settings import Settings

from .conftest import SEEDS, WorkerProcess, read_topic, replay_ids, run_cli

pytestmark = pytest.mark.integration


def partitions_of(bootstrap: str, topics: list[str]) -> dict[str, int]:
    import asyncio

    async def describe() -> dict[str, int]:
        admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
        await admin.start()
        try:
            return {d["topic"]: len(d["partitions"]) for d in await admin.describe_topics(topics)}
        finally:
            await admin.close()

    return asyncio.run(describe())


def wait_until(condition: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return
        time.sleep(0.2)
    pytest.fail(f"not within {timeout} s: {what}")


def test_a_broker_that_lost_its_data_is_noticed_and_a_restarted_worker_starts_clean(tmp_path: Path) -> None:
    port = free_port()
    broker = EmbeddedBroker(port=port, log=tmp_path / "broker.log")
    broker.start()
    settings = Settings(
        broker=broker.url,
        app_id="restart",
        topic_prefix="restart",
        web_port=free_port(),
        data_dir=tmp_path / "data",
        session_timeout=2.0,
        log_level="info",
    )
    expected = replay_ids(SEEDS)
    first = WorkerProcess(settings, tmp_path / "worker-1.log")
    second = WorkerProcess(settings, tmp_path / "worker-2.log")
    try:
        first.start()
        assert run_cli(settings, "publish", str(SEEDS)).returncode == 0
        alerts = read_topic(settings.bootstrap, settings.alerts_topic, expect=len(expected), idle=3.0)
        assert sorted(a["id"] for a in alerts) == sorted(expected)
        marker = settings.data_dir / MARKER
        wait_until(
            lambda: marker.exists() and set(state_topics(settings)) <= set(json.loads(marker.read_text())["topics"]),
            30,
            "the worker noted its topics",
        )

        broker.stop()
        broker = EmbeddedBroker(port=port, log=tmp_path / "broker-2.log")
        broker.start()
        # Connectors go on publishing into the empty broker.
        assert run_cli(settings, "publish", str(SEEDS)).returncode == 0

        # The running worker notices the loss and stops, saying why.
        assert first.process is not None
        wait_until(lambda: first.process is not None and first.process.poll() is not None, 60, "the worker stopped")
        assert first.process.returncode != 0
        assert "has lost topics this worker was using" in first.log_text()

        second.start(timeout=90)
        lost = [line for line in second.log_text().splitlines() if "has lost the topics this worker kept there" in line]
        assert len(lost) == 1, second.log_text()[-3000:]
        assert "track state" in lost[0] and "alert history" in lost[0]
        topics = [settings.articles_topic, settings.tracked_topic, settings.alerts_topic]
        assert partitions_of(settings.bootstrap, topics) == dict.fromkeys(topics, settings.partitions)

        # It works from an empty state: the seeds published again raise their alerts again.
        assert run_cli(settings, "publish", str(SEEDS)).returncode == 0
        again = read_topic(settings.bootstrap, settings.alerts_topic, expect=len(expected), idle=3.0)
        assert sorted(set(a["id"] for a in again)) == sorted(expected)
    finally:
        first.stop()
        second.stop()
        broker.stop()
