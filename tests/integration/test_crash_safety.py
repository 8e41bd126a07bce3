"""Fault injection: real workers killed with SIGKILL mid-stream, restarted at once, on the embedded
broker. Whatever the kill points, the alerts are those of ``dipwatch replay`` of the same input:
none lost, none under another id, and an id sent twice only where a worker counted a resend.

The input is the whole real-text corpus (six tracks and the distractors) in publication order,
published by ``dipwatch publish`` under one key, so the worker meets each track's reports in the
order the replay does.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import signal
import time
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition
from faust.types import TP

from dipwatch.broker import free_port
from streams.restore import true_ends
from streams.settings import Settings

from .conftest import ROOT, WorkerProcess, metric_value, read_topic, replay_ids, run_cli

# In `make test`; `make test-faults` runs it alone (about 75 s).
pytestmark = [pytest.mark.integration, pytest.mark.fault_injection]

CORPUS = ROOT / "tests" / "corpus"

# Kill points of the one-worker phase, in order: after the n-th alert this incarnation sent (its
# table writes just done, its offset not yet committed), or after the n-th article it processed
# (anywhere in the loop: before, during or after an article's state writes).
ONE_WORKER_KILLS = [
    ("alerts", 1), ("processed", 5), ("alerts", 3), ("processed", 17), ("alerts", 2),
    ("processed", 29), ("alerts", 6), ("processed", 11), ("alerts", 4), ("processed", 23),
]
# Then two workers of one group; the busier one is killed (its partitions move to the other) and
# restarted.
TWO_WORKER_KILLS = [("processed", 9), ("processed", 21)]

PROCESSED = "dipwatch_process_seconds_count"
SENT = "dipwatch_alerts_total"
REDELIVERED = "dipwatch_redelivered_articles_total"
RESENT = "dipwatch_alerts_resent_total"


def corpus_in_time_order(directory: Path) -> tuple[Path, Path, int]:
    """Every corpus article by publication time (undated last) in one file, and one tracks file
    with the six tracks."""
    rows: list[dict[str, object]] = []
    for path in sorted(CORPUS.glob("*.jsonl")):
        rows += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    dated = sorted((r for r in rows if r.get("published")), key=lambda r: str(r["published"]))
    ordered = dated + [r for r in rows if not r.get("published")]
    articles = directory / "articles.jsonl"
    articles.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in ordered), encoding="utf-8")
    tracks = directory / "tracks.toml"
    tracks.write_text(
        "\n".join(p.read_text(encoding="utf-8") for p in sorted((CORPUS / "tracks").glob("*.toml"))),
        encoding="utf-8",
    )
    return articles, tracks, len(ordered)


def committed_behind(settings: Settings, topics: list[str]) -> dict[str, tuple[int | None, int]]:
    """The partitions of ``topics`` whose committed offset (of the workers' group) is short of the
    partition's end: ``{"topic[p]": (committed, end)}``."""

    async def check() -> dict[str, tuple[int | None, int]]:
        consumer = AIOKafkaConsumer(
            bootstrap_servers=settings.bootstrap, group_id=settings.app_id, enable_auto_commit=False
        )
        await consumer.start()
        try:
            await consumer.topics()  # loads every topic's partitions
            tps = [TopicPartition(t, p) for t in topics for p in sorted(consumer.partitions_for_topic(t) or ())]
            assert {tp.topic for tp in tps} == set(topics), f"topics missing: {topics}"
            reported = await consumer.end_offsets(tps)
            ends = await true_ends(settings.broker_access, {TP(tp.topic, tp.partition): reported[tp] for tp in tps})
            behind = {}
            for tp in tps:
                end = ends[TP(tp.topic, tp.partition)] or 0
                committed = await consumer.committed(tp)
                if end and (committed or 0) < end:
                    behind[f"{tp.topic}[{tp.partition}]"] = (committed, end)
            return behind
        finally:
            await consumer.stop()

    return asyncio.run(check())


@dataclasses.dataclass
class Counts:
    """The counters of every killed or finished worker incarnation, summed."""

    redelivered: float = 0.0
    resent: float = 0.0
    kills: int = 0

    def take(self, worker: WorkerProcess) -> None:
        body = worker.metrics()
        self.redelivered += metric_value(body, REDELIVERED)
        self.resent += metric_value(body, RESENT)


def kill_when(
    workers: list[WorkerProcess], kind: str, n: int, counts: Counts, settings: Settings, timeout: float = 90.0
) -> int | None:
    """Kill the busiest of ``workers`` with SIGKILL once one has sent ``n`` alerts or processed
    ``n`` articles (``kind``); its counters are read just before. None when the input ran out
    first (nothing processed for 5 s and every offset committed)."""
    name = SENT if kind == "alerts" else PROCESSED
    deadline = time.monotonic() + timeout
    last, last_change = -1.0, time.monotonic()
    while time.monotonic() < deadline:
        values = [metric_value(w.metrics(), name) for w in workers]
        busiest = max(range(len(workers)), key=lambda i: values[i])
        if values[busiest] >= n:
            victim = workers[busiest]
            counts.take(victim)
            assert victim.process is not None
            victim.process.send_signal(signal.SIGKILL)
            victim.process.wait(10)
            counts.kills += 1
            return busiest
        progress = sum(metric_value(w.metrics(), PROCESSED) for w in workers)
        if progress != last:
            last, last_change = progress, time.monotonic()
        elif time.monotonic() - last_change > 5.0:
            if not committed_behind(settings, [settings.articles_topic, settings.tracked_topic]):
                return None
            last_change = time.monotonic()
        time.sleep(0.02)
    pytest.fail(f"no worker reached {n} {kind} within {timeout} s")


def test_sigkill_at_many_points_loses_and_renames_nothing(
    settings: Settings, worker_factory: list[WorkerProcess], tmp_path: Path
) -> None:
    articles, tracks, count = corpus_in_time_order(tmp_path)
    assert count >= 300
    expected = replay_ids(articles, tracks=tracks)
    assert len(expected) == len(set(expected)) and len(expected) >= 100

    settings = dataclasses.replace(settings, tracks=tracks)
    published = run_cli(settings, "publish", str(articles))
    assert published.returncode == 0, published.stderr

    counts = Counts()
    incarnation = 0

    def start(base: Settings) -> WorkerProcess:
        nonlocal incarnation
        incarnation += 1
        own = dataclasses.replace(base, web_port=free_port(), data_dir=tmp_path / f"data-{incarnation}")
        worker = WorkerProcess(own, tmp_path / f"worker-{incarnation}.log")
        worker_factory.append(worker)
        worker.start(timeout=120)
        return worker

    worker = start(settings)
    for kind, n in ONE_WORKER_KILLS:
        if kill_when([worker], kind, n, counts, settings) is None:
            break
        worker = start(settings)

    pair = [worker, start(settings)]
    for kind, n in TWO_WORKER_KILLS:
        killed = kill_when(pair, kind, n, counts, settings)
        if killed is None:
            break
        pair[killed] = start(settings)

    # Every article taken and its offset committed (a worker that processes but never commits
    # would reprocess everything after its next restart).
    deadline = time.monotonic() + 120
    behind = committed_behind(settings, [settings.articles_topic, settings.tracked_topic])
    while behind and time.monotonic() < deadline:
        time.sleep(1.0)
        behind = committed_behind(settings, [settings.articles_topic, settings.tracked_topic])
    assert not behind, f"offsets not committed (committed, end): {behind}"

    alerts = read_topic(settings.bootstrap, settings.alerts_topic, expect=len(expected), idle=3.0)
    for w in pair:
        counts.take(w)
    (tmp_path / "alerts.jsonl").write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in alerts))
    ids = [str(a["id"]) for a in alerts]
    assert counts.kills >= 10, f"only {counts.kills} kills: the input ran out first"
    assert set(ids) - set(expected) == set(), "alerts under ids the replay does not have"
    assert set(expected) - set(ids) == set(), "developments the replay alerts were lost"
    repeats = len(ids) - len(set(ids))
    print(f"{count} articles, {len(expected)} alerts expected, {counts.kills} kills, {len(ids)} received, "
          f"{repeats} repeats, {counts.resent:.0f} resent, {counts.redelivered:.0f} redelivered")
    # A repeat only where a restarted worker found an article whose alerts may not have gone out.
    assert repeats <= counts.resent, (repeats, counts)
    assert counts.redelivered > 0, "no article was redelivered: the kills hit nothing"
