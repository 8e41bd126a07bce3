"""Table restore in bulk: a worker given a table's partitions reads their changelogs in one go.

Faust restores an in-memory table record by record through its stream machinery (the consumer
thread, the conductor, the recovery loop): about 130 us a record here, 8 s for the 60k records
that 5,000 articles leave in a changelog the embedded broker never compacts. A plain consumer
reads the same records several times faster. So when recovery starts, each table's store reads
its active changelog partitions from the beginning with a consumer of its own and applies the
records as Faust would (deletions included), and Faust's recovery reads on from the last offset
applied: only what came after (usually nothing). The table holds what Faust's own restore gives;
only the reading is faster. It runs in the recovery task, not in the rebalance callback.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterable, Mapping
from typing import Any

import faust
from aiokafka import AIOKafkaConsumer, TopicPartition
from faust.stores.memory import Store as MemoryStore
from faust.tables.recovery import Recovery as FaustRecovery
from faust.types import TP

from connectors.kafkaaccess import BrokerAccess

logger = logging.getLogger(__name__)

# Empty fetches (of 0.2 s) after which the bulk read stops; Faust's recovery reads the rest.
IDLE_FETCHES = 10
# The longest a bulk read goes on (Faust's recovery gives the step broker_request_timeout, 30 s).
READ_SECONDS = 20.0

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
        deadline = time.monotonic() + READ_SECONDS
        while remaining and idle < IDLE_FETCHES and time.monotonic() < deadline:
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
    """Faust's in-memory store, which can read its table's changelog partitions in bulk."""

    access: BrokerAccess | None = None

    async def restore_in_bulk(self, tps: Iterable[TP]) -> dict[TP, int]:
        """Apply the records of changelog partitions ``tps`` from their beginning; the last offset
        applied of each (Faust's recovery reads on from there)."""
        restored: dict[TP, int] = {}
        if self.access is None:
            return restored
        started = time.monotonic()
        count = 0

        def apply(tp: TP, records: Iterable[Any]) -> None:
            nonlocal count
            count += self.apply_records(tp, records)

        try:
            await read_partitions(self.access, tps, apply, restored)
        except Exception:  # Faust's recovery reads on from what was applied
            logger.warning("table %s: the bulk read of its changelog failed", self.table.name, exc_info=True)
        logger.info(
            "table %s: %d changelog records read in bulk in %.2f s (%s)",
            self.table.name,
            count,
            time.monotonic() - started,
            ", ".join(f"[{tp.partition}] to {offset}" for tp, offset in sorted(restored.items())) or "empty",
        )
        return restored

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


class Recovery(FaustRecovery):
    """Faust's recovery, which first has each bulk store read its active changelog partitions and
    then reads on from where they stopped (the records that came after, usually none)."""

    async def _build_offsets(self, consumer: Any, tps: set[TP], destination: Any, title: str) -> None:
        if title == "active":
            by_table: dict[Any, set[TP]] = {}
            for tp in tps:
                by_table.setdefault(self.tp_to_table[tp], set()).add(tp)
            # The tables' reads at once: each waits on the broker most of the time.
            reads = [t.data.restore_in_bulk(p) for t, p in by_table.items() if isinstance(t.data, BulkStore)]
            for restored in await asyncio.gather(*reads):
                # Where the bulk read stopped, not later: it rewrote what the table held.
                # (``destination`` is a Counter: its update() would add the offsets.)
                for tp, offset in restored.items():
                    destination[tp] = offset
        await super()._build_offsets(consumer, tps, destination, title)


def table_class(access: BrokerAccess) -> type[faust.Table[Any, Any]]:
    """Faust's table with the bulk-restored in-memory store; ``access`` reaches the broker."""

    class Store(BulkStore):
        pass

    Store.access = access

    class Table(faust.Table[Any, Any]):
        def _new_store_by_url(self, url: Any) -> Any:
            if not str(url).startswith("memory:"):
                return super()._new_store_by_url(url)
            # What Faust's own _new_store_by_url passes its store class.
            passed = ("key_type", "key_serializer", "value_serializer", "value_type", "loop", "options")
            return Store(url, self.app, self, table_name=self.name, **{name: getattr(self, name) for name in passed})

    return Table
