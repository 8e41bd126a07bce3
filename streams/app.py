"""The Faust application of dipwatch: one app, configured from the settings object."""

from __future__ import annotations

import asyncio
import logging
import socket
import time
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import faust
from faust.tables.manager import TableManager as FaustTableManager
from faust.transport.drivers import aiokafka as aiokafka_driver
from faust.types import TP
from faust.types.auth import CredentialsT

from connectors.kafkaaccess import BrokerAccess
from streams.assignor import track_assignor, track_weights
from streams.restore import Recovery, table_class, true_ends
from streams.settings import Settings
from streams.web import partition_of

logger = logging.getLogger(__name__)


def transport_class(fetch_wait_ms: int, access: BrokerAccess) -> type[Any]:
    """Faust's aiokafka transport with the consumer's fetch wait set to ``fetch_wait_ms``.

    Faust hard-codes ``fetch_max_wait_ms=1500`` for a worker's consumer and has no setting for it;
    the embedded broker answers a waiting fetch only when the wait is over, so each topic hop before
    an alert took up to 1.5 s. aiokafka reads the value when the consumer starts, not before.
    ``access`` is how the end-offset probe reaches the broker (TLS, SASL), as the worker does.
    """

    class ConsumerThread(aiokafka_driver.AIOKafkaConsumerThread):
        def _create_worker_consumer(self, transport: Any) -> Any:
            consumer = super()._create_worker_consumer(transport)
            consumer._fetch_max_wait_ms = fetch_wait_ms
            return consumer

        async def _highwaters(self, partitions: Iterable[TP]) -> Mapping[TP, int]:
            # Table recovery reads changelogs up to these offsets: they must count every record.
            reported = await super()._highwaters(list(partitions))
            return await true_ends(access, reported)  # type: ignore[return-value]

    class Consumer(aiokafka_driver.Consumer):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.gate = SourceGate()

        def _new_consumer_thread(self) -> Any:
            return ConsumerThread(self, loop=self.loop, beacon=self.beacon)

        async def on_partitions_revoked(self, revoked: set[TP]) -> None:
            self.gate.close()
            await super().on_partitions_revoked(revoked)

        async def on_partitions_assigned(self, assigned: set[TP], generation_id: int = 0) -> None:
            self.gate.close()
            await super().on_partitions_assigned(assigned, generation_id)

        def resume_partitions(self, tps: Iterable[TP]) -> None:
            super().resume_partitions(self.gate.admit(set(tps)))

        def pause_partitions(self, tps: Iterable[TP]) -> None:
            tpset = set(tps)
            self.gate.held -= tpset
            super().pause_partitions(tpset)

        async def perform_seek(self) -> None:
            await super().perform_seek()
            # Faust (aiokafka) seeks only the partitions with a committed offset above 0; the others
            # go on from wherever the fetch got to, past the records dropped during the rebalance.
            # Every source partition starts at its committed offset, else at its beginning.
            sources = [tp for tp in self.assignment() if not is_changelog(tp)]
            unsought = [tp for tp in sources if not self._read_offset.get(tp)]
            earliest = await self.earliest_offsets(*unsought) if unsought else {}
            starts = {tp: self._read_offset.get(tp) or earliest.get(tp) or 0 for tp in sources}
            for tp in unsought:
                await self.seek(tp, starts[tp])
            # Records fetched before the seek that are still on their way are not delivered.
            now = time.monotonic()
            self.resume_at = {tp: (start, now) for tp, start in starts.items()}
            self.gate.sought = True

        def resume_flow(self) -> None:
            super().resume_flow()
            # Faust resumes the streams' flow after the seek, clearing their queues: only now may
            # the source partitions deliver again.
            released = self.gate.release()
            if released:
                super().resume_partitions(released)

        async def getmany(self, timeout: float) -> AsyncIterator[tuple[TP, Any]]:
            async for tp, message in super().getmany(timeout):
                if in_order(self, tp, message.offset):
                    yield tp, message

        async def _commit_offsets(self, offsets: Mapping[TP, int], start_new_transaction: bool = True) -> bool:
            before = {tp: self._committed_offset[tp] for tp in offsets}
            did_commit: bool = await super()._commit_offsets(offsets, start_new_transaction=start_new_transaction)
            if not did_commit:
                unsent(self, offsets, before)
            return did_commit

    class Producer(aiokafka_driver.Producer):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            # Records handed to Faust's buffer (table writes) and not yet acknowledged by the broker.
            self.unacknowledged: set[asyncio.Future[Any]] = set()

        def send_soon(self, fut: Any) -> None:
            self.unacknowledged.add(fut)
            fut.add_done_callback(self.unacknowledged.discard)
            super().send_soon(fut)

        async def flush(self) -> None:
            # Faust's flush returns once its buffer's queue is empty, but the record taken from it
            # last may still wait to be appended to aiokafka's batches (one record per batch: it
            # waits for the partition's previous batch to leave), where aiokafka's flush does not
            # see it. A journal or a table write was then not acknowledged when the worker went on
            # (or committed the offset). Here every record handed over before the call is waited for.
            handed = list(self.unacknowledged)
            await super().flush()
            if handed:
                await asyncio.wait(handed)

    class Transport(aiokafka_driver.Transport):
        pass

    Transport.Consumer = Consumer
    Transport.Producer = Producer
    return Transport


class TableManager(FaustTableManager):
    """Faust's table manager with the bulk recovery (:mod:`streams.restore`), and without the second
    it sleeps before registering the tables' changelogs (the consumer subscribes only then):
    dipwatch declares its tables before the worker starts, so the sleep only delayed every start."""

    @property
    def recovery(self) -> Recovery:
        if self._recovery is None:
            self._recovery = Recovery(self.app, self, beacon=self.beacon, loop=self.loop)
        return cast(Recovery, self._recovery)

    async def on_start(self) -> None:
        if not self.should_stop:
            await self._update_channels()
            await self.recovery.start()


def is_changelog(tp: TP) -> bool:
    """Whether ``tp`` is a table's changelog partition (not a source of the agents)."""
    return tp.topic.endswith("-changelog")


@dataclass
class SourceGate:
    """The source partitions held back during a rebalance until the seek to their start is done
    and Faust has resumed the streams' flow.

    Faust resumes the source partitions before it seeks them to their committed offsets, while the
    streams already flow (table recovery resumed it), then clears the streams' queues when it
    resumes the flow after the seek. Records fetched in between were processed or dropped from the
    queues; where no seek followed (no offset committed yet) the fetch went on past the dropped
    ones, and a track never saw them (or, with its commits stalled, saw them later out of order).
    """

    holding: bool = False
    sought: bool = False
    held: set[TP] = field(default_factory=set)

    def close(self) -> None:
        """A rebalance begins: hold every source partition resumed from now on."""
        self.holding, self.sought, self.held = True, False, set()

    def admit(self, tps: set[TP]) -> set[TP]:
        """The partitions of ``tps`` that may be resumed now; the others are held."""
        if not self.holding:
            return tps
        sources = {tp for tp in tps if not is_changelog(tp)}
        self.held |= sources
        return tps - sources

    def release(self) -> set[TP]:
        """Once the seek is done, the held partitions (to resume now); the gate opens."""
        if not (self.holding and self.sought):
            return set()
        held, self.holding, self.held = self.held, False, set()
        return held


# How long after a seek records are held to start at the committed offset (a record deleted by
# retention would otherwise hold a partition back for good).
RESUME_WAIT_SECONDS = 30.0


def in_order(consumer: Any, tp: TP, offset: int) -> bool:
    """Whether a fetched record may go to the streams: after a seek to the committed offsets, a
    partition's first record must be the one at its committed offset.

    Around a rebalance Faust seeks back to the committed offsets while records fetched before
    are still delivered: the streams then got a later record first, and Faust dropped the earlier
    ones as already read. They were never acknowledged, so the partition's offsets were never
    committed again (the "commit stall" after a crash-restart), and the next worker read them
    after later ones: a track met its reports out of order.
    """
    resume = getattr(consumer, "resume_at", {})
    expected = resume.get(tp)
    if expected is None:
        return True
    start, since = expected
    if offset == start or time.monotonic() - since > RESUME_WAIT_SECONDS:
        del resume[tp]
        return True
    if offset > start:
        logger.info("%s[%d]: record %d fetched before the seek to %d", tp.topic, tp.partition, offset, start)
        return False
    return True  # before the committed offset: Faust drops it itself


def unsent(consumer: Any, offsets: Mapping[TP, int], before: Mapping[TP, int | None]) -> None:
    """Undo Faust's note of a commit the broker refused.

    Faust records offsets as committed and forgets their acknowledgements before it knows whether
    the broker took them; a commit refused during a rebalance ("already rebalanced") was then
    never sent again, and a partition that received nothing more kept its old committed offset
    for good: the next restart processed everything again. Here the committed offset is set back
    and the acknowledgements restored, so the next commit sends them.
    """
    assignment = consumer.assignment()
    for tp, offset in offsets.items():
        if tp not in assignment:
            continue
        previous = before[tp]
        consumer._committed_offset[tp] = previous
        acked, index = consumer._acked[tp], consumer._acked_index[tp]
        redo = [o for o in range(offset - 1 if previous is None else previous, offset) if o not in index]
        acked.extend(redo)
        index.update(redo)
        acked.sort()
        logger.warning("offset commit of %s[%d] at %d refused; it is sent again", tp.topic, tp.partition, offset)


def canonical_host(web_host: str) -> str:
    """The host name other workers reach this one by: ``web_host``, or the machine's name for a
    wildcard bind address (``0.0.0.0`` in a container)."""
    return socket.gethostname() if web_host in ("", "0.0.0.0", "::") else web_host


def faust_credentials(access: BrokerAccess) -> CredentialsT | None:
    """The worker's TLS and SASL settings in Faust's form (``broker_credentials``)."""
    context = access.ssl_context()
    if access.sasl is not None:
        return faust.SASLCredentials(
            username=access.sasl.username,
            password=access.sasl.password.reveal(),
            ssl_context=context,
            mechanism=access.sasl.mechanism,
        )
    return faust.SSLCredentials(context) if context is not None else None


def create_app(settings: Settings, tracks: Sequence[str] = ()) -> faust.App:
    """A Faust app for ``settings``; topics, tables and agents are added by :mod:`streams.worker`.
    ``tracks``: the configured track ids, spread over the workers by the partition assignment."""
    weights = track_weights({track: partition_of(track, settings.partitions) for track in tracks})
    session = settings.session_timeout
    # test_context needs no broker; the app still wants one.
    access = settings.broker_access if settings.broker else BrokerAccess("localhost:9092")
    app = faust.App(
        settings.app_id,
        broker=settings.faust_broker if settings.broker else "kafka://localhost:9092",
        broker_credentials=faust_credentials(access),
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
        # What other workers use to reach this one (the state views forward a track's request to the
        # worker keeping it): a wildcard bind address names no one, the host name does.
        canonical_url=f"http://{canonical_host(settings.web_host)}:{settings.web_port}",
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
        # Batches compressed as they are sent (see Settings.compression); consumers decompress.
        producer_compression_type=None if settings.compression == "none" else settings.compression,
        consumer_max_fetch_size=4_000_000,
        worker_redirect_stdouts=False,
        # On a rebalance or a stop, finish the article in hand (its journal, writes and alerts)
        # before the partitions go: a worker that went on writing a track's tables after another
        # restored them put stale entries into the changelog behind the new owner's.
        stream_wait_empty=True,
        # Alerts go out as soon as they are decided (see Settings.linger_ms).
        producer_linger=settings.linger_ms / 1000,
        # A standby replays every changelog it stands by for; with 0 a second worker shares the work.
        table_standby_replicas=settings.standby_replicas,
        TableManager=TableManager,
        # Faust's assignment, then the tracks spread over the workers (streams/assignor.py).
        PartitionAssignor=track_assignor(settings.tracked_topic, weights),
        # Tables restored in bulk when given partitions (streams/restore.py).
        Table=table_class(access),
    )
    app.transport = transport_class(settings.fetch_wait_ms, access)(app.conf.broker_consumer, app)
    return app
