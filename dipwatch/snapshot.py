"""The worker's tables kept across runs of ``dipwatch run`` on the embedded broker.

The embedded broker (Tansu) stores topics in memory only (its other engine is S3), so the tables'
changelogs, which are the worker's state, die with it. ``run`` therefore saves the latest value of
every changelog key to ``DIPWATCH_DATA_DIR/embedded-state.json`` when it stops (the worker first,
so its writes are all in), and writes them back into the new broker before the next worker starts:
the worker restores its tables from them as from any changelog. The track state and the dedup index
are one snapshot, so they always agree; the feeds are read afresh and the dedup index drops what it
has seen. A run killed with SIGKILL saves nothing: the next run starts from the last save.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from faust.types import TP

from connectors.kafkaaccess import BrokerAccess
from streams.restore import true_ends

logger = logging.getLogger(__name__)

FILE = "embedded-state.json"
FORMAT = 1
# Empty fetches (of 0.5 s) after which a partition that should have more records is unreadable.
READ_TRIES = 20


@dataclass(frozen=True)
class Summary:
    """What a snapshot holds, in the words of the tables."""

    saved: str
    tracks: int
    developments: int
    articles: int

    def describe(self) -> str:
        return (
            f"{self.tracks} track(s), {self.developments} development(s), "
            f"{self.articles} article(s) in the dedup index, saved {self.saved}"
        )


def _summary(saved: str, topics: Mapping[str, Mapping[str, list[list[object]]]]) -> Summary:
    keys = [str(k) for topic in topics.values() for records in topic.values() for k, _ in records]
    return Summary(
        saved=saved,
        tracks=sum(1 for k in keys if "|" not in k),
        developments=sum(1 for k in keys if "|d|" in k),
        articles=sum(1 for k in keys if "|a:" in k),
    )


async def save(access: BrokerAccess, topics: Sequence[str], path: Path) -> Summary:
    """Read every record of ``topics`` and keep the latest value per partition and key (a deleted
    key is dropped) in ``path``."""
    consumer = AIOKafkaConsumer(
        **access.client_kwargs(),
        group_id=None,
        enable_auto_commit=False,
        fetch_max_wait_ms=50,
        max_partition_fetch_bytes=8_000_000,
    )
    await consumer.start()
    data: dict[str, dict[str, list[list[object]]]] = {}
    try:
        await consumer.topics()  # loads every topic's partitions (assigning one forgets the others)
        partitions = {topic: sorted(consumer.partitions_for_topic(topic) or ()) for topic in topics}
        for topic, numbers in partitions.items():
            if not numbers:
                msg = f"the broker has no topic {topic}"
                raise OSError(msg)
            data[topic] = {str(p): await _read_partition(consumer, access, topic, p) for p in numbers}
    finally:
        await consumer.stop()
    saved = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"format": FORMAT, "saved": saved, "topics": data}), encoding="utf-8")
    tmp.replace(path)
    return _summary(saved, _decoded_keys(data))


async def _read_partition(
    consumer: AIOKafkaConsumer, access: BrokerAccess, topic: str, partition: int
) -> list[list[object]]:
    tp = TopicPartition(topic, partition)
    reported = (await consumer.end_offsets([tp]))[tp]
    end = (await true_ends(access, {TP(topic, partition): reported}))[TP(topic, partition)] or 0
    latest: dict[bytes, bytes | None] = {}
    consumer.assign([tp])
    await consumer.seek_to_beginning(tp)
    position = await consumer.position(tp)
    idle = 0
    while position < end:
        batch = await consumer.getmany(tp, timeout_ms=500)
        records = batch.get(tp, [])
        if not records:
            idle += 1
            if idle >= READ_TRIES:
                msg = f"{topic}[{partition}]: nothing read at offset {position} of {end}"
                raise OSError(msg)
            continue
        idle = 0
        for record in records:
            if record.key is not None:
                latest.pop(record.key, None)
                latest[record.key] = record.value
        position = records[-1].offset + 1
    return [[_b64(k), _b64(v)] for k, v in latest.items() if v is not None]


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _decoded_keys(data: Mapping[str, Mapping[str, list[list[object]]]]) -> dict[str, dict[str, list[list[object]]]]:
    def key(raw: object) -> str:
        return base64.b64decode(str(raw)).decode("utf-8", "replace")

    return {
        topic: {p: [[key(k), v] for k, v in records] for p, records in parts.items()} for topic, parts in data.items()
    }


def load_summary(path: Path) -> tuple[dict[str, dict[str, list[list[object]]]], Summary] | None:
    """The saved records and what they hold; None when there is no usable snapshot."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("topics"), dict):
        return None
    topics: dict[str, dict[str, list[list[object]]]] = data["topics"]
    return topics, _summary(str(data.get("saved")), _decoded_keys(topics))


async def restore(
    access: BrokerAccess, topics: Mapping[str, Mapping[str, list[list[object]]]], partitions: int
) -> None:
    """Create ``topics`` (compacted, ``partitions`` each) and write the saved records back, each
    to the partition it was read from."""
    admin = AIOKafkaAdminClient(**access.client_kwargs())
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        new = [
            NewTopic(t, num_partitions=partitions, replication_factor=1, topic_configs={"cleanup.policy": "compact"})
            for t in topics
            if t not in existing
        ]
        if new:
            await admin.create_topics(new)
    finally:
        await admin.close()
    producer = AIOKafkaProducer(**access.client_kwargs(), max_request_size=8_000_000)
    await producer.start()
    try:
        for topic, parts in topics.items():
            for p, records in parts.items():
                for key, value in records:
                    await producer.send(
                        topic, base64.b64decode(str(value)), key=base64.b64decode(str(key)), partition=int(p)
                    )
        await producer.flush()
    finally:
        await producer.stop()


def partitions_of(topics: Mapping[str, Mapping[str, list[list[object]]]]) -> set[int]:
    """The partition numbers the snapshot's records come from."""
    return {int(p) for parts in topics.values() for p in parts}
