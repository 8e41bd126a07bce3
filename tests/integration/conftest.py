"""Fixtures that start real parts: a Tansu broker, Faust worker processes, topic readers.

Nothing here skips: when a part cannot start, the test fails and says why.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition

from dipwatch.broker import EmbeddedBroker, free_port, stop_process
from streams.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedBroker]:
    """One in-memory Tansu broker for the session; tests isolate by topic names."""
    log = tmp_path_factory.mktemp("broker") / "broker.log"
    b = EmbeddedBroker(log=log)
    b.start()
    yield b
    b.stop()


@pytest.fixture
def settings(broker: EmbeddedBroker, tmp_path: Path) -> Settings:
    """Settings of one test: its own app id, topic names, web port and data directory."""
    name = f"t{uuid.uuid4().hex[:10]}"
    return Settings(
        broker=broker.url,
        app_id=name,
        topic_prefix=name,
        partitions=4,
        web_port=free_port(),
        data_dir=tmp_path / "data",
        session_timeout=2.0,
        log_level="info",
    )


def run_cli(settings: Settings, *args: str, timeout: float = 120.0) -> subprocess.CompletedProcess[str]:
    """Run ``dipwatch ARGS`` in a subprocess with ``settings`` in its environment."""
    env = {**os.environ, **settings.to_env()}
    return subprocess.run(
        [sys.executable, "-m", "dipwatch.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@dataclass
class WorkerProcess:
    """``dipwatch worker`` as a child process, its log in a file."""

    settings: Settings
    log: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def metrics_url(self) -> str:
        return f"http://{self.settings.web_host}:{self.settings.web_port}/metrics"

    def start(self, timeout: float = 60.0) -> None:
        env = {**os.environ, **self.settings.to_env()}
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "dipwatch.cli", "worker"],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"worker exited with {self.process.returncode}:\n{self.log_text()[-3000:]}")
            if "Ready" in self.log_text() or "ready" in self.log_text():
                try:
                    self.metrics()
                    return
                except OSError:
                    pass
            time.sleep(0.2)
        pytest.fail(f"worker not ready within {timeout} s:\n{self.log_text()[-3000:]}")

    def metrics(self) -> str:
        with urllib.request.urlopen(self.metrics_url, timeout=3) as response:
            body: str = response.read().decode()
            return body

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def stop(self, timeout: float = 30.0) -> None:
        stop_process(self.process, timeout)


@pytest.fixture
def worker_factory(settings: Settings, tmp_path: Path) -> Iterator[list[WorkerProcess]]:
    """Workers started by a test; all stopped at its end."""
    started: list[WorkerProcess] = []
    yield started
    for w in started:
        w.stop()


def start_worker(workers: list[WorkerProcess], settings: Settings, tmp_path: Path) -> WorkerProcess:
    w = WorkerProcess(settings, tmp_path / f"worker-{len(workers)}.log")
    workers.append(w)
    w.start()
    return w


def metric_value(body: str, name: str, labels: str = "") -> float:
    """Sum of the samples of ``name`` (optionally only those whose labels contain ``labels``)."""
    total = 0.0
    for line in body.splitlines():
        if line.startswith("#"):
            continue
        head, _, value = line.rpartition(" ")
        metric, _, rest = head.partition("{")
        if metric == name and labels in rest:
            total += float(value)
    return total


def read_topic(bootstrap: str, topic: str, *, idle: float = 6.0, expect: int | None = None,
               timeout: float = 90.0, with_keys: bool = False) -> list[dict[str, object]]:
    """Every JSON message of ``topic`` from the beginning, until ``idle`` quiet seconds
    after ``expect`` messages (or after the first message when ``expect`` is None); with
    ``with_keys`` each message also carries its record key under ``"__key__"``."""

    async def read() -> list[dict[str, object]]:
        consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False)
        await consumer.start()
        try:
            partitions = consumer.partitions_for_topic(topic) or set()
            deadline = time.monotonic() + timeout
            while not partitions and time.monotonic() < deadline:
                await consumer._client.force_metadata_update()
                partitions = consumer.partitions_for_topic(topic) or set()
                await asyncio.sleep(0.3)
            tps = [TopicPartition(topic, p) for p in sorted(partitions)]
            consumer.assign(tps)
            await consumer.seek_to_beginning(*tps)
            out: list[dict[str, object]] = []
            last = time.monotonic()
            while time.monotonic() < deadline:
                batch = await consumer.getmany(timeout_ms=300)
                for records in batch.values():
                    for r in records:
                        value = json.loads(r.value)
                        if with_keys:
                            value["__key__"] = r.key.decode() if r.key is not None else None
                        out.append(value)
                        last = time.monotonic()
                enough = len(out) >= (expect if expect is not None else 1)
                if enough and time.monotonic() - last >= idle:
                    break
                if expect == 0 and time.monotonic() - last >= idle:
                    break
            return out
        finally:
            await consumer.stop()

    return asyncio.run(read())


def replay_ids(*paths: Path, tracks: Path | None = None) -> list[str]:
    """Alert ids of ``dipwatch replay PATHS`` (in a subprocess, as a user runs it)."""
    flags = ["--tracks", str(tracks)] if tracks is not None else []
    result = subprocess.run(
        [sys.executable, "-m", "dipwatch.cli", "replay", *flags, *map(str, paths)],
        capture_output=True, text=True, timeout=120, check=True,
    )
    return [json.loads(line)["id"] for line in result.stdout.splitlines() if line.strip()]
