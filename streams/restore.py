"""Table restore in bulk: a worker given a table's partitions reads their changelogs in one go.

Faust restores an in-memory table record by record through its stream machinery (the consumer
thread, the conductor, the recovery loop): about 130 us a record here, 8 s for the 60k records
that 5,000 articles leave in a changelog the embedded broker never compacts. A plain consumer
reads the same records ten times faster. So the store below, when its table is given partitions,
reads each changelog partition from the beginning with its own consumer, applies the records as
Faust would, and reports the last offset it applied as the store's persisted offset: Faust's
recovery then reads only what came after (nothing, unless another record arrived meanwhile). The
state is the same as Faust's own restore gives (every record applied in order, deletions
included); only the reading is faster.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Mapping
from typing import Any

import faust
from aiokafka import AIOKafkaConsumer, TopicPartition
from faust.stores.memory import Store as MemoryStore
from faust.types import TP

from connectors.kafkaaccess import BrokerAccess

logger = logging.getLogger(__name__)

# Empty fetches (of 0.2 s) after which the bulk read stops; Faust's recovery reads the rest.
IDLE_FETCHES = 10

# How long the look past a reported end offset may take (a broker that reports it right returns
# the one last record at once).
END_PROBE_SECONDS = 15.0


async def true_ends(access: BrokerAccess, reported: Mapping[TP, int | None]) -> dict[TP, int | None]:
    """The end offset of each partition: one past its last record.

    The embedded broker (Tansu) reports one past the first record of the partition's last record
    batch; Faust restores a table up to that offset and would forget the rest of the batch. Reading
    from the reported offset minus one finds the real last record (Apache Kafka gives the same
    offset back).
    """
    ends: dict[TP, int | None] = dict(reported)
    probe = [tp for tp, end in reported.items() if end]
    if not probe:
        return ends
    consumer = AIOKafkaConsumer(**access.client_kwargs(), group_id=None, enable_auto_commit=False, fetch_max_wait_ms=50)
    await consumer.start()
    try:
        parts = [TopicPartition(tp.topic, tp.partition) for tp in probe]
        consumer.assign(parts)
        for tp, part in zip(probe, parts, strict=True):
            consumer.seek(part, (reported[tp] or 1) - 1)
        deadline = time.monotonic() + END_PROBE_SECONDS
        answered: set[TP] = set()
        while time.monotonic() < deadline:
            # Read on until every partition has answered and a fetch brings nothing: more batches
            # may follow the reported one. An empty fetch before that is a slow broker, not the
            # end (stopping there restored a table without its last records).
            batch = await consumer.getmany(timeout_ms=200)
            if not batch and answered >= set(probe):
                break
            for part, records in batch.items():
                if records:
                    tp = TP(part.topic, part.partition)
                    answered.add(tp)
                    ends[tp] = max(ends[tp] or 0, records[-1].offset + 1)
    finally:
        await consumer.stop()
    moved = {tp: (reported[tp], end) for tp, end in ends.items() if end != reported[tp]}
    if moved:
        logger.info("end offsets past the reported ones (record batches): %s", _describe(moved))
    return ends


def _describe(moved: Mapping[TP, tuple[int | None, int | None]]) -> str:
    return ", ".join(f"{tp.topic}[{tp.partition}] {a}->{b}" for tp, (a, b) in sorted(moved.items()))


async def read_partitions(access: BrokerAccess, tps: Iterable[TP], apply: Any, last: dict[TP, int]) -> None:
    """Read each of ``tps`` from its beginning to its end, calling ``apply(tp, records)`` in
    order; ``last`` holds the last offset applied of each partition as it goes (also when the
    read fails half-way)."""
    consumer = AIOKafkaConsumer(
        **access.client_kwargs(),
        group_id=None,
        enable_auto_commit=False,
        fetch_max_wait_ms=50,
        max_partition_fetch_bytes=8_000_000,
        fetch_max_bytes=64_000_000,
    )
    await consumer.start()
    try:
        parts = {tp: TopicPartition(tp.topic, tp.partition) for tp in tps}
        # Up to the end offsets the broker reports: the embedded one reports the start of a
        # partition's last record batch, and Faust's recovery reads the rest of it.
        reported = await consumer.end_offsets(list(parts.values()))
        ends = {tp: reported[part] for tp, part in parts.items() if reported[part]}
        consumer.assign([parts[tp] for tp in ends])
        if ends:
            await consumer.seek_to_beginning(*(parts[tp] for tp in ends))
        remaining = set(ends)
        idle = 0
        while remaining and idle < IDLE_FETCHES:
            batch = await consumer.getmany(timeout_ms=200, max_records=20_000)
            idle = 0 if batch else idle + 1
            for part, records in batch.items():
                tp = TP(part.topic, part.partition)
                if records and tp in remaining:
                    apply(tp, records)
                    last[tp] = records[-1].offset
                    if last[tp] + 1 >= ends[tp]:
                        remaining.discard(tp)
    finally:
        await consumer.stop()


class BulkStore(MemoryStore[Any, Any]):
    """Faust's in-memory store, restored in bulk when its table is given partitions."""

    access: BrokerAccess | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        self.restored: dict[TP, int] = {}

    def persisted_offset(self, tp: TP) -> int | None:
        """The last changelog offset the bulk read applied (None: read from the beginning)."""
        return self.restored.get(tp)

    async def on_rebalance(
        self, assigned: set[TP], revoked: set[TP], newly_assigned: set[TP], generation_id: int = 0
    ) -> None:
        await super().on_rebalance(assigned, revoked, newly_assigned, generation_id)
        self.restored.clear()
        if self.access is None:
            return
        topic = self.table.changelog_topic.get_topic_name()
        mine = sorted(tp for tp in assigned if tp.topic == topic)
        if not mine:
            return
        started = time.monotonic()
        count = 0

        def apply(tp: TP, records: Iterable[Any]) -> None:
            nonlocal count
            count += self.apply_records(tp, records)

        try:
            await read_partitions(self.access, mine, apply, self.restored)
        except Exception:  # Faust's own recovery reads on from what was applied
            logger.warning("table %s: the bulk read of its changelog failed", self.table.name, exc_info=True)
        logger.info(
            "table %s: %d changelog records read in bulk in %.2f s (%s)",
            self.table.name,
            count,
            time.monotonic() - started,
            ", ".join(f"[{tp.partition}] to {offset}" for tp, offset in sorted(self.restored.items())) or "empty",
        )

    def apply_records(self, tp: TP, records: Iterable[Any]) -> int:
        """Apply changelog records of ``tp`` as Faust's restore does (None: a deletion)."""
        serializers = self.app.serializers
        table: Any = self.table
        data, partitions = self.data, self._key_partition
        n = 0
        for record in records:
            n += 1
            key = table._to_key(serializers.loads_key(self.key_type, record.key, serializer=self.key_serializer))
            if record.value is None:
                data.pop(key, None)
                partitions.pop(key, None)
                continue
            partitions[key] = tp.partition
            data[key] = table._to_value(
                serializers.loads_value(self.value_type, record.value, serializer=self.value_serializer)
            )
        return n


def table_class(access: BrokerAccess) -> type[faust.Table[Any, Any]]:
    """Faust's table with the bulk-restored in-memory store; ``access`` reaches the broker."""

    class Store(BulkStore):
        pass

    Store.access = access

    class Table(faust.Table[Any, Any]):
        def _new_store_by_url(self, url: Any) -> Any:
            if str(url).startswith("memory:"):
                return Store(
                    url,
                    self.app,
                    self,
                    table_name=self.name,
                    key_type=self.key_type,
                    key_serializer=self.key_serializer,
                    value_serializer=self.value_serializer,
                    value_type=self.value_type,
                    loop=self.loop,
                    options=self.options,
                )
            return super()._new_store_by_url(url)

    return Table
