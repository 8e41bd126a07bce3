"""Crash trials: kill -9 a real worker mid-stream, restart it at once, and compare its alerts with
a fault-free replay of the same articles.

Each trial starts the embedded Tansu broker and one ``dipwatch worker``, publishes the corpus's
Russia–US articles and distractors (real text, in publication order), kills the worker with
SIGKILL after a random number of alerts it sent, restarts it, and collects every ``new``
alert until the alerts topic has been quiet for a while. Against the alert ids of
``dipwatch replay`` of the same articles it counts:

* duplicates: a development alerted ``new`` more than once (a consumer drops them by id);
* lost: a development the replay alerts that never arrived;
* renamed: an alert id the replay does not have (no consumer can drop those).

Usage::

    .venv/bin/python benchmarks/bench_crash.py --trials 5
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaProducer
from bench_stream import Child, metric, receive
from score_corpus import CORPUS, Corpus, time_order

from connectors.publisher import ensure_topics
from dipwatch.broker import EmbeddedBroker, free_port
from streams.core.models import Article
from streams.core.wire import alert_to_dict, article_from_dict, article_to_bytes
from streams.replay import Replayer
from streams.settings import Settings


def articles() -> list[Article]:
    """The corpus's ru-us articles and the distractors, in publication order."""
    corpus = Corpus.load(CORPUS)
    rows = corpus.articles["ru-us"] + corpus.articles.get("distractors", [])
    return [article_from_dict(dict(row)) for row in time_order(rows)]


async def publish(bootstrap: str, topic: str, items: list[Article]) -> None:
    """Send ``items`` under one key: one partition keeps their order, as ``dipwatch publish`` does."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, max_request_size=4_000_000)
    await producer.start()
    try:
        for item in items:
            await producer.send(topic, article_to_bytes(item), key=b"corpus")
        await producer.flush()
    finally:
        await producer.stop()


def reference(items: list[Article]) -> set[str]:
    """The ids of the ``new`` alerts of a fault-free replay."""
    return {str(alert_to_dict(a)["id"]) for a in Replayer().alerts(items)}


async def trial(
    items: list[Article], expected: set[str], kill_after: int, workdir: Path, quiet: float
) -> dict[str, Any]:
    broker = EmbeddedBroker(log=workdir / "broker.log")
    broker.start()
    settings = Settings(
        broker=broker.url,
        app_id="crash",
        topic_prefix="crash",
        web_port=free_port(),
        data_dir=workdir / "data",
        log_level="info",
    )
    env = {**os.environ, **settings.to_env()}
    url = f"http://{settings.web_host}:{settings.web_port}/metrics"
    stop = asyncio.Event()
    ready = asyncio.Event()
    worker = Child([sys.executable, "-m", "dipwatch.cli", "worker"], env, workdir / "worker.log")
    try:
        worker.start()
        await asyncio.to_thread(worker.wait_for, "Ready", 120)
        got: list[tuple[float, dict[str, Any]]] = []
        await ensure_topics(settings.broker_access, [settings.alerts_topic], settings.partitions)
        collecting = asyncio.create_task(receive(settings.bootstrap, [settings.alerts_topic], stop, ready, got))
        await asyncio.wait({collecting, asyncio.create_task(ready.wait())}, return_when=asyncio.FIRST_COMPLETED)
        if collecting.done():
            collecting.result()  # it failed: say why
        await publish(settings.bootstrap, settings.articles_topic, items)
        # Kill once the worker has sent ``kill_after`` alerts: mid-stream, between an alert and the
        # table writes and offset commits that follow it.
        deadline = time.monotonic() + 120
        while len(got) < kill_after and time.monotonic() < deadline:
            await asyncio.sleep(0.005)
        taken = metric(url, "dipwatch_articles_total")
        assert worker.process is not None
        worker.process.send_signal(signal.SIGKILL)
        worker.process.wait()
        worker = Child(worker.args, env, workdir / "worker-2.log")
        worker.start()
        ready_s = await asyncio.to_thread(worker.wait_for, "Ready", 300)
        # Done when no alert arrived for ``quiet`` seconds after the restarted worker is ready.
        seen, last_change = len(got), time.monotonic()
        while time.monotonic() - last_change < quiet:
            await asyncio.sleep(0.5)
            if len(got) != seen:
                seen, last_change = len(got), time.monotonic()
        stop.set()
        await collecting
    finally:
        worker.stop()
        broker.stop()
    ids = [str(a["id"]) for _, a in got if a.get("kind") == "new"]
    counts = Counter(ids)
    return {
        "killed_after_alerts": kill_after,
        "articles_taken": int(taken),
        "restart_s": round(ready_s, 1),
        "alerts": len(ids),
        "duplicates": sum(n - 1 for n in counts.values()),
        "lost": len(expected - set(ids)),
        "renamed": len(set(ids) - expected),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--trials", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--quiet", type=float, default=15.0, help="seconds without an alert that end a trial")
    args = parser.parse_args(argv)
    items = articles()
    expected = reference(items)
    rng = random.Random(args.seed)
    print(f"{len(items)} articles; the fault-free replay alerts {len(expected)} developments", flush=True)
    results = []
    for n in range(args.trials):
        kill_after = rng.randint(2, len(expected) - 2)
        with tempfile.TemporaryDirectory(prefix="dipwatch-crash-") as tmp:
            result = asyncio.run(trial(items, expected, kill_after, Path(tmp), args.quiet))
        results.append(result)
        print(f"trial {n + 1}: " + json.dumps(result), flush=True)
    total = {k: sum(r[k] for r in results) for k in ("duplicates", "lost", "renamed")}
    hit = {k: sum(1 for r in results if r[k]) for k in total}
    print(
        f"{len(results)} trials: duplicates {total['duplicates']} (in {hit['duplicates']} trials), "
        f"lost {total['lost']} (in {hit['lost']}), renamed {total['renamed']} (in {hit['renamed']})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
