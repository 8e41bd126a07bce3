"""The Faust app takes its latency and replica settings from the settings object."""

from __future__ import annotations

import time
from pathlib import Path

from streams.app import create_app
from streams.settings import Settings


async def test_worker_consumer_waits_at_most_the_configured_fetch_wait(tmp_path: Path) -> None:
    app = create_app(Settings(data_dir=tmp_path, fetch_wait_ms=20))
    thread = app.consumer._thread
    try:
        consumer = thread._create_worker_consumer(app.transport)
        # Faust itself asks for 1,500 ms; aiokafka reads the value when the consumer starts.
        assert consumer._fetch_max_wait_ms == 20
        await consumer.stop()
    finally:
        # The idle consumer thread made a loop of its own; close it with the test.
        loop = thread.thread_loop
        if loop is not None and not loop.is_running() and not loop.is_closed():
            loop.close()


def test_linger_and_standby_replicas_come_from_the_settings(tmp_path: Path) -> None:
    app = create_app(Settings(data_dir=tmp_path, linger_ms=5, standby_replicas=1))
    assert app.conf.producer_linger == 0.005
    assert app.conf.table_standby_replicas == 1
    defaults = create_app(Settings(data_dir=tmp_path)).conf
    assert (defaults.producer_linger, defaults.table_standby_replicas) == (0.0, 0)


def test_batches_are_compressed_as_the_settings_say(tmp_path: Path) -> None:
    assert create_app(Settings(data_dir=tmp_path)).conf.producer_compression_type == "lz4"
    assert create_app(Settings(data_dir=tmp_path, compression="gzip")).conf.producer_compression_type == "gzip"
    assert create_app(Settings(data_dir=tmp_path, compression="none")).conf.producer_compression_type is None


def test_the_tables_are_registered_without_faust_s_one_second_sleep(tmp_path: Path) -> None:
    from streams.app import TableManager

    app = create_app(Settings(data_dir=tmp_path))
    assert isinstance(app.tables, TableManager)


def test_other_workers_reach_a_worker_bound_to_every_address_by_its_host_name() -> None:
    import socket

    from streams.app import canonical_host

    assert canonical_host("127.0.0.1") == "127.0.0.1"
    assert canonical_host("0.0.0.0") == socket.gethostname()


def test_the_worker_gets_tls_and_sasl_as_faust_credentials(tmp_path: Path) -> None:
    import faust

    from tests.integration.tlskit import Authority

    ca = Authority.create(tmp_path / "ca")
    plain = create_app(Settings(broker="kafka://k:9092", data_dir=tmp_path))
    assert plain.conf.broker_credentials is None
    tls = create_app(Settings(broker="kafka+ssl://k:9093", ssl_cafile=ca.cert, data_dir=tmp_path))
    assert isinstance(tls.conf.broker_credentials, faust.SSLCredentials)
    assert [str(u) for u in tls.conf.broker] == ["kafka://k:9093"]
    settings = Settings.from_env(
        {
            "DIPWATCH_BROKER": "kafka+ssl://k:9093",
            "DIPWATCH_SSL_CAFILE": str(ca.cert),
            "DIPWATCH_SASL_MECHANISM": "SCRAM-SHA-256",
            "DIPWATCH_SASL_USERNAME": "alice",
            "DIPWATCH_SASL_PASSWORD": "s3cr3t-never-shown",
            "DIPWATCH_DATA_DIR": str(tmp_path),
        }
    )
    credentials = create_app(settings).conf.broker_credentials
    assert isinstance(credentials, faust.SASLCredentials)
    assert (credentials.protocol.value, credentials.mechanism.value) == ("SASL_SSL", "SCRAM-SHA-256")
    assert (credentials.username, credentials.password) == ("alice", "s3cr3t-never-shown")
    assert credentials.ssl_context is not None
    assert "s3cr3t" not in repr(credentials)


def test_after_a_seek_a_partition_starts_again_at_its_committed_offset() -> None:
    from faust.types import TP

    from streams.app import in_order

    class Consumer:
        resume_at: dict[TP, tuple[int, float]]

    consumer = Consumer()
    tp = TP("t.articles", 3)
    consumer.resume_at = {tp: (354, time.monotonic())}
    # Records fetched before the seek arrive first: held back; then the committed one, and on.
    assert not in_order(consumer, tp, 362)
    assert not in_order(consumer, tp, 363)
    assert in_order(consumer, tp, 354)
    assert in_order(consumer, tp, 355) and in_order(consumer, tp, 362)
    assert in_order(consumer, TP("t.tracked", 0), 10), "a partition not sought is not held"


def test_source_partitions_wait_during_a_rebalance_until_the_seek_is_done_and_the_flow_resumed() -> None:
    from faust.types import TP

    from streams.app import SourceGate

    gate = SourceGate()
    source, changelog = TP("t.tracked", 1), TP("t-track_state-changelog", 1)
    assert gate.admit({source}) == {source}, "no rebalance: nothing is held"
    gate.close()
    # Faust resumes the sources before its seek, while the streams flow: they are held back.
    assert gate.admit({source, changelog}) == {changelog}
    assert gate.release() == set(), "not before the seek"
    gate.sought = True
    assert gate.release() == {source}
    assert gate.admit({source}) == {source} and gate.release() == set()


async def test_a_new_consumer_starts_every_source_partition_where_it_must(tmp_path: Path) -> None:
    from faust.types import TP

    consumer = create_app(Settings(broker="kafka://127.0.0.1:1", data_dir=tmp_path)).consumer
    committed, fresh, changelog = TP("t.tracked", 0), TP("t.tracked", 1), TP("t-dedup-changelog", 1)
    sought: dict[TP, int] = {}

    async def seek_to_committed() -> dict[TP, int | None]:
        return {committed: 7, fresh: None, changelog: None}

    async def earliest_offsets(*tps: TP) -> dict[TP, int]:
        return dict.fromkeys(tps, 0)

    async def seek(tp: TP, offset: int) -> None:
        sought[tp] = offset

    consumer.seek_to_committed = seek_to_committed  # type: ignore[method-assign]
    consumer.earliest_offsets = earliest_offsets  # type: ignore[method-assign]
    consumer.seek = seek  # type: ignore[method-assign]
    consumer.assignment = lambda: {committed, fresh, changelog}  # type: ignore[method-assign]
    consumer.gate.close()
    await consumer.perform_seek()
    # aiokafka seeks only a committed offset above 0: a partition with none is sought to its start,
    # and records fetched before the seek are held back until each partition's start arrives.
    assert sought == {fresh: 0}
    assert {tp: start for tp, (start, _) in consumer.resume_at.items()} == {committed: 7, fresh: 0}
    assert consumer.gate.sought
    loop = consumer._thread.thread_loop
    if loop is not None and not loop.is_running() and not loop.is_closed():
        loop.close()


async def test_the_producer_flush_waits_for_every_record_handed_to_its_buffer(tmp_path: Path) -> None:
    import asyncio

    app = create_app(Settings(broker="kafka://127.0.0.1:1", data_dir=tmp_path))
    producer = app.transport.create_producer()
    stuck: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    producer.unacknowledged.add(stuck)  # handed over, not yet appended to aiokafka's batches

    async def nothing_queued() -> None:
        return None

    producer.buffer.flush = nothing_queued  # type: ignore[method-assign]
    flush = asyncio.ensure_future(producer.flush())
    await asyncio.sleep(0.05)
    assert not flush.done(), "flush returned before the record was acknowledged"
    stuck.set_result(None)
    await asyncio.wait_for(flush, 1.0)
