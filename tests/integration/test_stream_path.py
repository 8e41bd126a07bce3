"""The streaming path end to end on a real Tansu broker and real Faust worker processes."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from aiokafka import AIOKafkaProducer

from dipwatch.broker import free_port
from streams.settings import Settings

from .conftest import SEEDS, WorkerProcess, metric_value, read_topic, replay_ids, run_cli, start_worker

pytestmark = pytest.mark.integration


def test_worker_alerts_equal_replay_and_a_restart_adds_none(
    settings: Settings, worker_factory: list[WorkerProcess], tmp_path: Path
) -> None:
    expected = replay_ids(SEEDS)
    assert expected, "replay of the seeds gives no alert"
    assert len(expected) == len(set(expected)), "replay gave the same alert id twice"

    worker = start_worker(worker_factory, settings, tmp_path)
    published = run_cli(settings, "publish", str(SEEDS))
    assert published.returncode == 0, published.stderr
    alerts = read_topic(settings.bootstrap, settings.alerts_topic, expect=len(expected), idle=4.0)
    assert sorted(a["id"] for a in alerts) == sorted(expected)
    for alert in alerts:
        assert alert["evidence"], alert
        assert alert["track"] == "ru-us"

    body = worker.metrics()
    assert metric_value(body, "dipwatch_articles_total", 'connector="files"') == 5
    assert metric_value(body, "dipwatch_alerts_total") == len(expected)
    assert metric_value(body, "dipwatch_developments_total") >= len(expected)
    assert metric_value(body, "dipwatch_alert_latency_seconds_count") == len(expected)
    assert metric_value(body, "dipwatch_track_rounds", 'track="ru-us"') >= 1

    # A new worker process recovers the tables from their changelogs: the same seeds again
    # are duplicates and raise nothing.
    worker.stop()
    restarted = start_worker(worker_factory, settings, tmp_path)
    assert run_cli(settings, "publish", str(SEEDS)).returncode == 0
    again = read_topic(settings.bootstrap, settings.alerts_topic, expect=len(expected), idle=8.0)
    assert sorted(a["id"] for a in again) == sorted(expected), "a restarted worker re-alerted"
    body = restarted.metrics()
    assert metric_value(body, "dipwatch_duplicates_total", 'kind="exact"') == 5
    assert metric_value(body, "dipwatch_alerts_total") == 0


def _produce(bootstrap: str, topic: str, values: list[bytes | None]) -> None:
    async def send() -> None:
        producer = AIOKafkaProducer(bootstrap_servers=bootstrap, max_request_size=4_000_000)
        await producer.start()
        try:
            for value in values:
                await producer.send_and_wait(topic, value=value, key=b"poison")
        finally:
            await producer.stop()

    asyncio.run(send())


def test_poison_messages_go_to_the_dead_letter_topic_and_the_worker_goes_on(
    settings: Settings, worker_factory: list[WorkerProcess], tmp_path: Path
) -> None:
    worker = start_worker(worker_factory, settings, tmp_path)
    huge = json.dumps({"source": "x", "text": "ا" * 1_100_000}, ensure_ascii=False).encode()  # 2.2 MB
    bad = [
        b"this is not json",
        json.dumps({"title": "no text or source"}).encode(),
        json.dumps({"source": "x", "text": "   "}).encode(),
        huge,
        json.dumps([1, 2, 3]).encode(),
    ]
    _produce(settings.bootstrap, settings.articles_topic, bad)
    assert run_cli(settings, "publish", str(SEEDS / "001_0b92c2e4bdb8e068.txt")).returncode == 0

    dead = read_topic(settings.bootstrap, settings.deadletter_topic, expect=len(bad), idle=3.0)
    reasons = sorted(str(d["reason"]) for d in dead)
    assert reasons == sorted(["not_json", "missing_field", "empty", "too_large", "not_object"])
    not_json = next(d for d in dead if d["reason"] == "not_json")
    assert not_json["payload"] == "this is not json"
    assert all(d["offset"] is not None for d in dead)

    alerts = read_topic(settings.bootstrap, settings.alerts_topic, idle=3.0)
    assert alerts, "the worker stopped after the poison messages"
    body = worker.metrics()
    assert metric_value(body, "dipwatch_deadletter_total") == len(bad)
    assert metric_value(body, "dipwatch_deadletter_total", 'reason="too_large"') == 1

    # A user reads the rejected messages and why with `dipwatch tail --deadletter`.
    shown = run_cli(settings, "tail", "--deadletter", "--from-beginning", "--until-idle", "3")
    assert shown.returncode == 0, shown.stderr
    lines = [line for line in shown.stdout.splitlines() if line.startswith("DEAD ")]
    assert sorted(line.split()[1] for line in lines) == reasons
    assert all(f"{settings.articles_topic}[" in line for line in lines)


def test_run_until_idle_prints_exactly_the_replay_alerts(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DIPWATCH_")}
    env.update(
        DIPWATCH_DATA_DIR=str(tmp_path / "data"),
        DIPWATCH_WEB_PORT=str(free_port()),
        DIPWATCH_SESSION_TIMEOUT="2",
    )
    result = subprocess.run(
        [sys.executable, "-m", "dipwatch.cli", "run", "--seeds", str(SEEDS), "--until-idle", "8", "--json"],
        env=env, capture_output=True, text=True, timeout=180, check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    ids = [json.loads(line)["id"] for line in result.stdout.splitlines() if line.strip()]
    assert sorted(ids) == sorted(replay_ids(SEEDS))
    assert "embedded Tansu broker" in result.stderr


def test_unreachable_broker_is_a_clear_error_not_a_traceback(tmp_path: Path) -> None:
    port = free_port()
    settings = Settings(broker=f"kafka://127.0.0.1:{port}", data_dir=tmp_path)
    env = {**os.environ, **settings.to_env()}
    for command in (["worker"], ["publish", str(SEEDS)], ["tail"]):
        result = subprocess.run(
            [sys.executable, "-m", "dipwatch.cli", *command],
            env=env, capture_output=True, text=True, timeout=60, check=False,
        )
        assert result.returncode == 3, (command, result.stderr)
        assert f"127.0.0.1:{port}" in result.stderr and "not reachable" in result.stderr
        assert "Traceback" not in result.stderr


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_run_shows_alerts_and_stops_cleanly_on_a_signal(tmp_path: Path, signum: signal.Signals) -> None:
    import socket

    web_port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DIPWATCH_")}
    env.update(DIPWATCH_DATA_DIR=str(tmp_path / "data"), DIPWATCH_WEB_PORT=str(web_port))
    with subprocess.Popen(
        [sys.executable, "-m", "dipwatch.cli", "run", "--seeds", str(SEEDS)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    ) as process:
        try:
            assert process.stdout is not None
            started = time.monotonic()
            first = process.stdout.readline()  # blocks until the first alert line
            assert first.split()[0] in ("NEW", "BACKGROUND"), first
            assert time.monotonic() - started < 30, "the first alert took 30 s or more"
            process.send_signal(signum)
            _, stderr = process.communicate(timeout=60)
        finally:
            if process.poll() is None:
                process.kill()
    # The conventional status of a process stopped by a signal it handled: 128 + the signal.
    assert process.returncode == 128 + signum, stderr[-3000:]
    assert "Traceback" not in stderr, stderr[-3000:]
    broker_port = int(stderr.split("embedded Tansu broker on 127.0.0.1:")[1].split()[0])
    for port in (broker_port, web_port):
        with socket.socket() as sock:
            assert sock.connect_ex(("127.0.0.1", port)) != 0, f"port {port} still open after {signum.name}"
    # No child is left behind: neither the broker (its listener is on its command line) nor the worker.
    left = []
    for proc in Path("/proc").iterdir():
        cmdline = proc / "cmdline"
        if proc.name.isdigit() and cmdline.exists():
            with contextlib.suppress(OSError):
                text = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
                environ = (proc / "environ").read_bytes()
                if f"127.0.0.1:{broker_port}" in text or f"DIPWATCH_WEB_PORT={web_port}".encode() in environ:
                    left.append(text)
    assert left == []


def test_a_broker_that_goes_away_is_counted_and_the_worker_keeps_running(tmp_path: Path) -> None:
    from dipwatch.broker import EmbeddedBroker

    from .conftest import WorkerProcess

    own = EmbeddedBroker(log=tmp_path / "broker.log")
    own.start()
    settings = Settings(broker=own.url, app_id="gone", topic_prefix="gone", web_port=free_port(),
                        data_dir=tmp_path / "data", session_timeout=2.0)
    worker = WorkerProcess(settings, tmp_path / "worker.log")
    try:
        worker.start()
        assert run_cli(settings, "publish", str(SEEDS / "000_f9691bccb47936bc.txt")).returncode == 0
        own.stop()
        deadline = time.monotonic() + 30
        errors = 0.0
        while time.monotonic() < deadline and errors == 0:
            time.sleep(1)
            errors = metric_value(worker.metrics(), "dipwatch_broker_errors_total")
        assert errors > 0, "a lost broker was not counted"
        assert worker.process is not None and worker.process.poll() is None, "the worker died with the broker"
        assert "Connect call failed" in worker.log_text() or "Unable connect" in worker.log_text()
    finally:
        worker.stop(timeout=5)  # with no broker a graceful shutdown only waits on timeouts
        own.stop()


def test_two_workers_share_the_partitions_and_alert_each_development_once(
    settings: Settings, worker_factory: list[WorkerProcess], tmp_path: Path
) -> None:
    import dataclasses

    expected = replay_ids(SEEDS)
    first = start_worker(worker_factory, settings, tmp_path)
    second = start_worker(worker_factory, dataclasses.replace(settings, web_port=free_port()), tmp_path)
    time.sleep(2 * settings.session_timeout)  # let the group settle on two members
    assert run_cli(settings, "publish", str(SEEDS)).returncode == 0
    alerts = read_topic(settings.bootstrap, settings.alerts_topic, expect=len(expected), idle=4.0)
    assert sorted(a["id"] for a in alerts) == sorted(expected)
    ingested = [metric_value(w.metrics(), "dipwatch_articles_total") for w in (first, second)]
    assert sum(ingested) == 5
    for worker in (first, second):
        # Faust logs each assignment as a table; the last one must be a share, not all four.
        rows = [line for line in worker.log_text().splitlines() if f"| {settings.articles_topic} " in line]
        assert rows, "the worker logged no assignment of the articles topic"
        assert "{0-3}" not in rows[-1], f"one worker holds every partition: {rows[-1]}"


def test_publish_rejects_bad_files_one_by_one_and_publishes_the_rest(settings: Settings, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("\n", encoding="utf-8")
    huge = tmp_path / "huge.txt"
    huge.write_text("كلمة " * 1_000_000, encoding="utf-8")  # ~10 MB, over the article limit
    seed = sorted(SEEDS.glob("*.txt"))[0]
    result = run_cli(settings, "publish", str(empty), str(huge), str(seed))
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "MessageSizeTooLarge" not in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last == f"dipwatch: 1 published to {settings.articles_topic}, 2 rejected: 1 empty, 1 too_large"
    articles = read_topic(settings.bootstrap, settings.articles_topic, expect=1, idle=2.0)
    assert [a["id"] for a in articles] == [seed.name]
