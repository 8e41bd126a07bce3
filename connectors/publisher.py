"""Publishing to and reading from Kafka with aiokafka (connectors and the CLI, not the worker)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncGenerator, Sequence

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaError, TopicAlreadyExistsError

from connectors.kafkaaccess import BrokerAccess, probe
from connectors.source import Lifecycle
from streams.core.errors import BrokerError
from streams.core.models import Article
from streams.core.wire import article_to_bytes

logger = logging.getLogger(__name__)


async def list_topics(access: BrokerAccess, timeout: float = 15.0) -> set[str]:
    """The names of the topics the broker has."""
    bootstrap = access.bootstrap
    admin = AIOKafkaAdminClient(**access.client_kwargs(), request_timeout_ms=int(timeout * 1000))
    try:
        await asyncio.wait_for(admin.start(), timeout)
        return set(await admin.list_topics())
    except (KafkaError, TimeoutError, OSError) as exc:
        msg = f"could not list the topics of {bootstrap}: {type(exc).__name__}: {exc}"
        raise BrokerError(msg, broker=bootstrap) from exc
    finally:
        await admin.close()


async def ensure_topics(access: BrokerAccess, names: Sequence[str], partitions: int, timeout: float = 15.0) -> None:
    """Create the topics that do not exist yet with ``partitions`` partitions.

    The broker would auto-create them with its own default count, which would not match the
    worker's tables.
    """
    bootstrap = access.bootstrap
    await probe(access)
    admin = AIOKafkaAdminClient(**access.client_kwargs(), request_timeout_ms=int(timeout * 1000))
    try:
        await asyncio.wait_for(admin.start(), timeout)
        existing = set(await admin.list_topics())
        missing = [n for n in names if n not in existing]
        if missing:
            # A worker may declare them meanwhile.
            with contextlib.suppress(TopicAlreadyExistsError):
                await admin.create_topics(
                    [NewTopic(n, num_partitions=partitions, replication_factor=1) for n in missing]
                )
            logger.info("created topics %s with %d partitions", ", ".join(missing), partitions)
    except (KafkaError, TimeoutError, OSError) as exc:
        msg = f"could not create topics on {bootstrap}: {type(exc).__name__}: {exc}"
        raise BrokerError(msg, broker=bootstrap) from exc
    finally:
        await admin.close()


class KafkaPublisher(Lifecycle):
    """An aiokafka producer with a lifecycle: ``start``, ``send``/``publish``, ``stop``."""

    def __init__(self, access: BrokerAccess, topic: str, *, timeout: float = 15.0) -> None:
        self.access = access
        self.bootstrap = access.bootstrap
        self.topic = topic
        self.timeout = timeout
        # No idempotence: the embedded broker has no InitProducerId; alerts are idempotent instead.
        self._producer = AIOKafkaProducer(
            **access.client_kwargs(),
            acks="all",
            enable_idempotence=False,
            max_request_size=4_000_000,
            request_timeout_ms=int(timeout * 1000),
        )

    async def start(self) -> None:
        """Connect; raise BrokerError with a clear message when the broker is not there."""
        await probe(self.access)
        try:
            await asyncio.wait_for(self._producer.start(), self.timeout)
        except (KafkaError, TimeoutError, OSError) as exc:
            await self._producer.stop()
            msg = f"could not connect a producer to {self.bootstrap}: {type(exc).__name__}: {exc}"
            raise BrokerError(msg, broker=self.bootstrap) from exc

    async def send(self, key: str | None, value: bytes) -> None:
        """Send one message and wait for the broker's acknowledgement."""
        try:
            await self._producer.send_and_wait(
                self.topic, value=value, key=key.encode() if key is not None else None
            )
        except KafkaError as exc:
            msg = f"publishing to {self.topic} on {self.bootstrap} failed: {type(exc).__name__}: {exc}"
            raise BrokerError(msg, broker=self.bootstrap) from exc

    async def publish(self, article: Article, key: str | None = None) -> None:
        """Send one article; the key is its origin (e.g. the feed), so each origin keeps its order.

        Without a key, the article's connector and source are used.
        """
        await self.send(key or f"{article.connector}:{article.source}", article_to_bytes(article))

    async def stop(self) -> None:
        await self._producer.stop()


async def subscribe(
    access: BrokerAccess, topic: str, *, from_beginning: bool, ready: asyncio.Event | None = None
) -> AsyncGenerator[bytes, None]:
    """Yield the values of ``topic``; without ``from_beginning``, only what arrives from now on.

    Partitions are assigned directly (no consumer group) and their positions resolved before
    ``ready`` is set, so a message sent after ``ready`` is never missed.
    """
    bootstrap = access.bootstrap
    await probe(access)
    consumer = AIOKafkaConsumer(
        **access.client_kwargs(),
        enable_auto_commit=False,
        auto_offset_reset="earliest" if from_beginning else "latest",
        group_id=None,
        max_partition_fetch_bytes=4_000_000,
    )
    await consumer.start()
    try:
        partitions = consumer.partitions_for_topic(topic)
        if not partitions:
            await consumer._client.force_metadata_update()
            partitions = consumer.partitions_for_topic(topic) or set()
        if not partitions:
            msg = f"topic {topic} does not exist on {bootstrap}"
            raise BrokerError(msg, broker=bootstrap)
        assigned = [TopicPartition(topic, p) for p in sorted(partitions)]
        consumer.assign(assigned)
        if from_beginning:
            await consumer.seek_to_beginning(*assigned)
        else:
            await consumer.seek_to_end(*assigned)
        for tp in assigned:
            await consumer.position(tp)
        if ready is not None:
            ready.set()
        async for message in consumer:
            if message.value is not None:
                yield message.value
    finally:
        await consumer.stop()
