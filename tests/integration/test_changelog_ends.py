"""Tables restored in full when changelog records share a batch (the embedded broker's end offsets)."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from faust.types import TP

from connectors.kafkaaccess import BrokerAccess
from dipwatch.broker import EmbeddedBroker
from streams.restore import read_partitions, true_ends
from streams.settings import Settings

from .conftest import SEEDS, WorkerProcess, metric_value, read_topic, replay_ids, run_cli, start_worker

pytestmark = pytest.mark.integration


async def _send_batches(
    broker: EmbeddedBroker, topic: str, batches: list[list[tuple[bytes | None, bytes | None]]]
) -> dict[TopicPartition, int]:
    """Send each batch of (key, value) to partition 0 of ``topic`` as one record batch (lingering);
    the end offsets the broker then reports for partitions 0 and 1."""
    producer = AIOKafkaProducer(bootstrap_servers=broker.bootstrap, linger_ms=200, max_batch_size=16384)
    await producer.start()
    try:
        for records in batches:
            sent = [await producer.send(topic, value, key=key, partition=0) for key, value in records]
            await producer.flush()
            await asyncio.gather(*sent)
    finally:
        await producer.stop()
    consumer = AIOKafkaConsumer(bootstrap_servers=broker.bootstrap, group_id=None)
    await consumer.start()
    try:
        return await consumer.end_offsets([TopicPartition(topic, 0), TopicPartition(topic, 1)])
    finally:
        await consumer.stop()


def test_true_ends_count_every_record_of_the_last_batch(broker: EmbeddedBroker) -> None:
    topic = f"ends-{uuid.uuid4().hex[:8]}"

    async def go() -> tuple[int, dict[TP, int | None]]:
        batches = [[(None, b"a%d" % i) for i in range(10)], [(None, b"b%d" % i) for i in range(5)]]
        reported = await _send_batches(broker, topic, batches)
        tps = {TP(tp.topic, tp.partition): end for tp, end in reported.items()}
        return reported[TopicPartition(topic, 0)], await true_ends(BrokerAccess(broker.bootstrap), tps)

    reported, ends = asyncio.run(go())
    # What the broker reports (one past the first record of the last batch) is short of the 15 records.
    assert reported <= 15
    assert ends == {TP(topic, 0): 15, TP(topic, 1): 0}


def test_a_worker_that_batches_its_table_writes_restores_them_all(
    settings: Settings, worker_factory: list[WorkerProcess], tmp_path: Path
) -> None:
    # Lingering makes the table writes of each article share record batches.
    batched = settings.with_changes(producer_batch_bytes=16384, linger_ms=100)
    expected = replay_ids(SEEDS)
    worker = start_worker(worker_factory, batched, tmp_path)
    assert run_cli(batched, "publish", str(SEEDS)).returncode == 0
    alerts = read_topic(batched.bootstrap, batched.alerts_topic, expect=len(expected), idle=4.0)
    assert sorted(a["id"] for a in alerts) == sorted(expected)
    before = worker.metrics()
    developments = metric_value(before, "dipwatch_track_developments", 'track="ru-us"')
    indexed = metric_value(before, "dipwatch_dedup_index_articles", 'track="ru-us"')
    assert developments > 0 and indexed == 5
    worker.stop()
    restarted = start_worker(worker_factory, batched, tmp_path)
    assert run_cli(batched, "publish", str(SEEDS)).returncode == 0
    again = read_topic(batched.bootstrap, batched.alerts_topic, expect=len(expected), idle=8.0)
    assert sorted(a["id"] for a in again) == sorted(expected), "a restarted worker re-alerted"
    body = restarted.metrics()
    assert metric_value(body, "dipwatch_duplicates_total", 'kind="exact"') == 5
    assert metric_value(body, "dipwatch_alerts_total") == 0
    # The restored state is the whole state: nothing of the last batch of writes went missing.
    assert metric_value(body, "dipwatch_track_developments", 'track="ru-us"') == developments
    assert metric_value(body, "dipwatch_dedup_index_articles", 'track="ru-us"') == indexed


def test_a_bulk_read_applies_every_record_in_order_to_the_reported_end(broker: EmbeddedBroker) -> None:
    topic = f"bulk-{uuid.uuid4().hex[:8]}"

    async def go() -> tuple[list[tuple[int, bytes | None]], dict[TP, int], int]:
        batches = [[*((b"k%d" % i, b"v%d-%d" % (n, i)) for i in range(7)), (b"k0", None)] for n in range(3)]
        reported = (await _send_batches(broker, topic, batches))[TopicPartition(topic, 0)]
        applied: list[tuple[int, bytes | None]] = []
        last: dict[TP, int] = {}

        def apply(tp: TP, records: list[Any]) -> None:
            applied.extend((r.offset, r.value) for r in records)

        await read_partitions(BrokerAccess(broker.bootstrap), [TP(topic, 0), TP(topic, 1)], apply, last)
        return applied, last, reported

    applied, last, reported = asyncio.run(go())
    offsets = [offset for offset, _ in applied]
    # From the first record on, none skipped, to at least the end the broker reports.
    assert offsets == list(range(len(offsets))) and len(offsets) >= reported
    assert last == {TP(topic, 0): offsets[-1]}
    assert applied[7] == (7, None)
