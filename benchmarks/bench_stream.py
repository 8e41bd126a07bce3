"""Benchmark of the streaming path (issue 11): the dipwatch worker against a pass-through agent.

Not a test. Starts an embedded Tansu broker, publishes N distinct articles, then in one run:

1. a pass-through Faust agent (same app configuration, ``json.loads`` + send) reads them all;
2. a ``dipwatch worker`` reads the same messages (ingest -> tracked -> track state -> alerts);
3. the changelogs of its tables are read back: records, bytes, the largest record;
4. the worker is stopped and started again: time until it is ready (its tables restored);
5. articles are published at a steady rate (default 50/s): latency from the send of an article
   to the arrival of its alert (or update) on the topic;
6. optionally (``--replay``), the offline replay of the same kind of articles at given sizes.

It prints the figures as it goes and ends with one JSON line holding all of them::

    .venv/bin/python benchmarks/bench_stream.py              # 5,000 articles, a few minutes
    .venv/bin/python benchmarks/bench_stream.py --n 500      # a quick run
    .venv/bin/python benchmarks/bench_stream.py --replay 1000,10000
    .venv/bin/python benchmarks/bench_stream.py --replay-only --replay 1000,10000   # no broker
    .venv/bin/python benchmarks/bench_stream.py --n 3000 --tracks ru-us,cn-us --workers 1,2 --scale-only

With ``--tracks``, the articles are spread over those tracks (article ``i`` on track ``i mod K``),
each built from that track's real texts, and the workers run with a tracks file configuring them.
With ``--workers 1,2`` each worker count is measured in the same run, each on its own app and
topics holding the same articles; the rates and their ratio to the first are printed.

The articles are built from real text: the seeds and the development set (``tests/devset``). Each
takes a few sentences of one text and a few of others in the same language, shuffled, under a
new url, outlet and publication time (spread over months, so relative dates land on new days and
the track state grows as with real feeds). Every article is on a track, and few are duplicates.
For another track than ``ru-us``, the texts are that track's real-text corpus
(``tests/corpus/<track>.jsonl``) and its tracks file (``tests/corpus/tracks/<track>.toml``).
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import datetime as dt
import json
import logging
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from dipwatch.broker import EMBEDDED_SESSION_TIMEOUT, EmbeddedBroker, free_port, stop_process
from streams.core.canonical import article_id
from streams.core.detector import Detector, default_detector, detector_for
from streams.core.models import Article
from streams.core.sentences import split_text
from streams.core.wire import article_from_dict, article_to_bytes
from streams.settings import Settings
from streams.tracksfile import load_tracks
from streams.web import partition_of

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]
START = dt.datetime(2025, 1, 6, 8, 0, tzinfo=dt.UTC)
# Publication times of the generated articles are this far apart on average (5,000 span ~10 months).
SPACING = dt.timedelta(hours=1, minutes=30)
OUTLETS = 200
PAGE = 1_000_000


# -- articles ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    title: str
    language: str | None
    sentences: tuple[str, ...]


BUILTIN_TRACK = "ru-us"
CORPUS = ROOT / "tests" / "corpus"


def tracks_file_text(tracks: Sequence[str]) -> str:
    """A tracks file configuring ``tracks``: the built-in file for ``ru-us``, the corpus's tracks file
    (``tests/corpus/tracks/<id>.toml``, what a user would write) for any other."""
    parts = []
    for track in tracks:
        if track == BUILTIN_TRACK:
            path = ROOT / "streams" / "lexicons" / "tracks.toml"
        else:
            path = CORPUS / "tracks" / f"{track}.toml"
        if not path.exists():
            raise SystemExit(f"no tracks file for track {track!r} ({path})")
        parts.append(path.read_text(encoding="utf-8"))
    return "\n".join(parts)


def real_texts(track: str = BUILTIN_TRACK, detector: Detector | None = None) -> list[Text]:
    """Real texts of ``track`` (only those ``detector`` assigns to it), as sentences: for ``ru-us``
    the seeds and the development set's articles, for another track its corpus file."""
    detector = detector or default_detector()
    texts: list[Text] = []
    if track == BUILTIN_TRACK:
        for path in sorted((ROOT / "seeds").glob("*.txt")):
            body = path.read_text(encoding="utf-8")
            texts.append(Text("", "ar", tuple(split_text(body))))
        paths = sorted((ROOT / "tests" / "devset" / "articles").glob("*.jsonl"))
    else:
        paths = [CORPUS / f"{track}.jsonl"]
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            article = article_from_dict(json.loads(line))
            if detector.assign(article) == track:
                texts.append(Text(article.title, article.language, tuple(split_text(article.text))))
    return [t for t in texts if len(t.sentences) >= 3]


class Generator:
    """Distinct, realistic articles, deterministic for a seed; article ``i`` is on track
    ``tracks[i % len(tracks)]`` (default: the built-in track alone)."""

    def __init__(
        self, seed: int = 11, tracks: Sequence[str] = (BUILTIN_TRACK,), detector: Detector | None = None
    ) -> None:
        self.rng = random.Random(seed)
        self.tracks = tuple(tracks)
        self.detector = detector or default_detector()
        self.texts: dict[str, list[Text]] = {}
        self.by_language: dict[tuple[str, str | None], list[Text]] = {}
        self.words: dict[tuple[str, str | None], list[str]] = {}
        for track in self.tracks:
            self.texts[track] = real_texts(track, self.detector)
            if not self.texts[track]:
                raise SystemExit(f"no real text of track {track!r} is assigned to it")
            for text in self.texts[track]:
                self.by_language.setdefault((track, text.language), []).append(text)
                words = self.words.setdefault((track, text.language), [])
                words.extend(w for s in text.sentences for w in s.split())

    @property
    def text_count(self) -> int:
        return sum(len(texts) for texts in self.texts.values())

    def article(self, i: int, fetched: dt.datetime | None = None) -> Article:
        """Article number ``i`` (tried again with other sentences until it is on its track)."""
        rng = self.rng
        track = self.tracks[i % len(self.tracks)]
        published = START + SPACING * i + dt.timedelta(minutes=rng.randrange(-40, 40))
        while True:
            base = rng.choice(self.texts[track])
            kind = (track, base.language)
            own = rng.sample(base.sentences, min(len(base.sentences), rng.randint(2, 4)))
            others = [rng.choice(rng.choice(self.by_language[kind]).sentences) for _ in range(rng.randint(2, 4))]
            # Background of its own, drawn from the words of real texts (common words often): two
            # articles that share a few sentences still differ as much as two write-ups of one event.
            words = self.words[kind]
            background = " ".join(rng.choice(words) for _ in range(rng.randint(80, 140))) + "."
            body = [*own, *others]
            rng.shuffle(body)
            body.insert(rng.randrange(len(body) + 1), background)
            text = "\n".join(body)
            outlet = f"outlet-{rng.randrange(OUTLETS):03d}"
            url = f"https://{outlet}.example/news/{published:%Y/%m/%d}/{i}"
            article = Article(
                id=article_id(url, text),
                source=outlet,
                url=url,
                title=base.title,
                published=published,
                fetched=fetched or published + dt.timedelta(minutes=5),
                language=base.language,
                text=text,
                connector="bench",
            )
            if self.detector.assign(article) == track:
                return article


# -- processes --------------------------------------------------------------------------------


def proc_status(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (peak RSS) of a process, in bytes; empty when it is gone."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return {}
    out = {}
    for line in lines:
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(value.split()[0]) * 1024
    return out


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Child:
    """A child process with its log in a file."""

    args: list[str]
    env: dict[str, str]
    log: Path
    process: subprocess.Popen[bytes] | None = None
    started: float = 0.0

    def start(self) -> None:
        self.started = time.monotonic()
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(self.args, env=self.env, stdout=out, stderr=subprocess.STDOUT)

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def wait_for(self, needle: str, timeout: float) -> float:
        """Seconds from start until ``needle`` is in the log."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise SystemExit(f"{self.args[-1]} exited:\n{self.text()[-3000:]}")
            if needle in self.text():
                return time.monotonic() - self.started
            time.sleep(0.05)
        raise SystemExit(f"{self.args[-1]}: no {needle!r} within {timeout} s:\n{self.text()[-3000:]}")

    def stop(self) -> None:
        stop_process(self.process, 60)


def machine_busy() -> tuple[float, float]:
    """Busy and total CPU seconds of the whole machine so far (``/proc/stat``, all cores)."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    tick = os.sysconf("SC_CLK_TCK")
    return (sum(values) - idle) / tick, sum(values) / tick


def metric(url: str, name: str) -> float:
    """Sum of the samples of ``name`` on a /metrics page (0 when it is not there yet)."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            body = response.read().decode()
    except OSError:
        return 0.0
    total = 0.0
    for line in body.splitlines():
        if line.startswith(name + " ") or line.startswith(name + "{"):
            total += float(line.rpartition(" ")[2])
    return total


def metric_labels(url: str, name: str, label: str) -> set[str]:
    """The values of ``label`` over the samples of ``name`` on a /metrics page."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            body = response.read().decode()
    except OSError:
        return set()
    out = set()
    for line in body.splitlines():
        if line.startswith(name + "{"):
            for pair in line[len(name) + 1 : line.index("}")].split(","):
                key, _, value = pair.partition("=")
                if key == label:
                    out.add(value.strip('"'))
    return out


def track_owners(url: str) -> dict[str, str | None]:
    """Each track's owner (a worker URL) as ``GET /tracks`` says."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            data = json.loads(response.read())
    except (OSError, ValueError):
        return {}
    return {t["id"]: t.get("owner") for t in data.get("tracks", ())}


# -- broker I/O -------------------------------------------------------------------------------


async def publish(bootstrap: str, topic: str, articles: Sequence[Article], rate: float | None = None) -> list[float]:
    """Send ``articles`` (at ``rate`` per second, else as fast as possible); their send times."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, max_request_size=4_000_000, linger_ms=0)
    await producer.start()
    sent: list[float] = []
    try:
        began = time.monotonic()
        pending = []
        for n, article in enumerate(articles):
            if rate is not None:
                delay = began + n / rate - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
                article = dataclasses.replace(article, fetched=dt.datetime.now(dt.UTC))
            sent.append(time.time())
            key = f"{article.connector}:{article.source}".encode()
            pending.append(await producer.send(topic, article_to_bytes(article), key=key))
            if rate is None and len(pending) >= 500:
                await asyncio.gather(*pending)
                pending.clear()
        await asyncio.gather(*pending)
    finally:
        await producer.stop()
    return sent


async def changelog_sizes(bootstrap: str, topics: Sequence[str]) -> dict[str, dict[str, int]]:
    """Per topic: records, bytes (keys + values) and the largest record, read from the beginning."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        group_id=None,
        enable_auto_commit=False,
        max_partition_fetch_bytes=8_000_000,
        fetch_max_bytes=64_000_000,
    )
    await consumer.start()
    out: dict[str, dict[str, int]] = {}
    try:
        # Before any assignment: once assigned, a metadata update covers the assigned topics only.
        await consumer._client.force_metadata_update()
        partitions = {topic: sorted(consumer.partitions_for_topic(topic) or ()) for topic in topics}
        for topic in topics:
            parts = [TopicPartition(topic, p) for p in partitions[topic]]
            stats = {"records": 0, "bytes": 0, "largest": 0}
            out[topic] = stats
            if not parts:
                continue
            consumer.assign(parts)
            await consumer.seek_to_beginning(*parts)
            ends = await consumer.end_offsets(parts)
            remaining = {tp for tp in parts if ends[tp] > 0}
            while remaining:
                batch = await consumer.getmany(timeout_ms=1000, max_records=5000)
                for tp, records in batch.items():
                    for r in records:
                        size = len(r.key or b"") + len(r.value or b"")
                        stats["records"] += 1
                        stats["bytes"] += size
                        stats["largest"] = max(stats["largest"], size)
                        if r.offset + 1 >= ends[tp]:
                            remaining.discard(tp)
                if not batch:
                    for tp in list(remaining):
                        if await consumer.position(tp) >= ends[tp]:
                            remaining.discard(tp)
    finally:
        await consumer.stop()
    return out


async def receive(
    bootstrap: str,
    topics: Sequence[str],
    until: asyncio.Event,
    ready: asyncio.Event,
    got: list[tuple[float, dict[str, Any]]] | None = None,
) -> list[tuple[float, dict[str, Any]]]:
    """Messages of ``topics`` arriving from now on, with their receive times, until ``until`` is set
    (appended to ``got`` as they arrive, when given)."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        group_id=None,
        enable_auto_commit=False,
        fetch_max_wait_ms=10,
        max_partition_fetch_bytes=8_000_000,
    )
    await consumer.start()
    got = [] if got is None else got
    try:
        await consumer._client.force_metadata_update()
        parts = [TopicPartition(t, p) for t in topics for p in sorted(consumer.partitions_for_topic(t) or ())]
        consumer.assign(parts)
        await consumer.seek_to_end(*parts)
        for tp in parts:
            await consumer.position(tp)
        ready.set()
        while not until.is_set():
            batch = await consumer.getmany(timeout_ms=100)
            now = time.time()
            for records in batch.values():
                got.extend((now, json.loads(r.value)) for r in records)
    finally:
        await consumer.stop()
    return got


# -- pass-through agent -----------------------------------------------------------------------


def passthrough_main(args: argparse.Namespace) -> None:
    """A Faust agent on the articles topic that parses each message and sends it on (child process)."""
    import faust

    from streams.app import create_app
    from streams.topics import raw_topic

    settings = Settings.from_env()
    (settings.data_dir / "faust").mkdir(parents=True, exist_ok=True)
    app = create_app(settings)

    source = raw_topic(app, args.source, settings.partitions)
    sink = raw_topic(app, args.sink, settings.partitions)
    result = Path(args.result)
    seen = {"n": 0, "first": 0.0}

    async def passthrough(stream: Any) -> None:
        async for event in stream.events():
            data = json.loads(event.value)
            await sink.send(key=event.key, value=json.dumps(data, ensure_ascii=False).encode())
            seen["n"] += 1
            if seen["n"] == 1:
                seen["first"] = time.monotonic()
            if seen["n"] == args.expect:
                elapsed = time.monotonic() - seen["first"]
                result.write_text(json.dumps({"n": seen["n"], "seconds": elapsed}))

    app.agent(source, name="bench.passthrough")(passthrough)
    faust.Worker(app, loglevel="INFO", redirect_stdouts=False).execute_from_commandline()


# -- the run ----------------------------------------------------------------------------------


@dataclass
class Run:
    args: argparse.Namespace
    workdir: Path
    broker: EmbeddedBroker
    figures: dict[str, Any] = field(default_factory=dict)
    started: list[Child] = field(default_factory=list)

    tracks_file: Path | None = None

    def settings(self, app_id: str, topic_prefix: str = "bench") -> Settings:
        return Settings(
            broker=self.broker.url,
            app_id=app_id,
            topic_prefix=topic_prefix,
            partitions=self.args.partitions,
            tracks=self.tracks_file,
            web_port=free_port(),
            data_dir=self.workdir / app_id,
            session_timeout=self.args.session_timeout,
            fetch_wait_ms=self.args.fetch_wait_ms,
            compression=self.args.compression,
            producer_batch_bytes=self.args.batch_bytes,
            log_level="info",
        )

    def child(self, settings: Settings, name: str, *args: str) -> Child:
        env = {**os.environ, **settings.to_env()}
        return Child([sys.executable, *args], env, self.workdir / f"{name}.log")

    @property
    def broker_pid(self) -> int:
        assert self.broker._process is not None
        return self.broker._process.pid

    def broker_rss(self) -> int:
        assert self.broker._process is not None
        return proc_status(self.broker._process.pid).get("VmRSS", 0)

    def say(self, text: str) -> None:
        print(text, flush=True)

    def passthrough(self, n: int, source: Settings) -> float:
        settings = self.settings("bench-passthrough", source.topic_prefix)
        result = self.workdir / "passthrough.json"
        child = self.child(
            settings,
            "passthrough",
            str(Path(__file__).resolve()),
            "--passthrough",
            "--source",
            settings.articles_topic,
            "--sink",
            "bench.passthrough-out",
            "--expect",
            str(n),
            "--result",
            str(result),
        )
        child.start()
        try:
            deadline = time.monotonic() + 600
            while not result.exists() and time.monotonic() < deadline and child.process.poll() is None:
                time.sleep(0.1)
            if not result.exists():
                raise SystemExit(f"pass-through did not finish:\n{child.text()[-3000:]}")
            seconds = float(json.loads(result.read_text())["seconds"])
            cpu = cpu_seconds(child.pid)
        finally:
            child.stop()
        rate = (n - 1) / seconds if seconds > 0 else float("inf")
        self.figures["passthrough"] = {"articles_per_s": round(rate, 1), "cpu_s_total": round(cpu, 2)}
        self.say(f"pass-through agent: {rate:,.0f} articles/s ({seconds:.2f} s for {n})")
        return rate

    def worker(self, settings: Settings, name: str) -> Child:
        child = self.child(settings, name, "-m", "dipwatch.cli", "worker")
        child.start()
        # Stopped at the end whatever happens (Ctrl-C, a worker that never finishes).
        self.started.append(child)
        return child

    def stream(self, settings: Settings, n: int, workers: int) -> tuple[list[Child], float]:
        """Start ``workers`` workers of one app and time them over the ``n`` published articles."""
        every = [settings] + [
            settings.with_changes(web_port=free_port(), data_dir=settings.data_dir / f"w{k}") for k in range(1, workers)
        ]
        prefix = settings.app_id
        urls = [f"http://{s.web_host}:{s.web_port}/metrics" for s in every]
        join_after = self.args.join_after
        if join_after and workers > 1:
            # The others join a group already at work: a rebalance while the first one processes.
            children = [self.worker(every[0], f"{prefix}-0")]
            ready = children[0].wait_for("Ready", 120)
            while metric(urls[0], "dipwatch_process_seconds_count") == 0:
                time.sleep(0.05)
            time.sleep(join_after)
            joined = [self.worker(s, f"{prefix}-{k}") for k, s in enumerate(every) if k]
            children += joined
            for child in joined:
                child.wait_for("Ready", 120)
        else:
            children = [self.worker(s, f"{prefix}-{k}") for k, s in enumerate(every)]
            ready = max(child.wait_for("Ready", 120) for child in children)
        name = "dipwatch_process_seconds_count"
        first_t, first_n, count = 0.0, 0.0, 0.0
        cpus0: list[float] = []
        broker0, machine0 = 0.0, (0.0, 0.0)
        deadline = time.monotonic() + self.args.timeout
        while count < n and time.monotonic() < deadline:
            count = sum(metric(url, name) for url in urls)
            if count > 0 and not first_t:
                first_t, first_n = time.monotonic(), count
                cpus0 = [cpu_seconds(c.pid) for c in children]
                broker0, machine0 = cpu_seconds(self.broker_pid), machine_busy()
            time.sleep(0.1)
        if count < n:
            for url, child in zip(urls, children, strict=True):
                self.say(f"  {child.log.name}: {metric(url, name):.0f} processed")
            raise SystemExit(f"{workers} worker(s) processed {count:.0f} of {n} in {self.args.timeout} s")
        seconds = time.monotonic() - first_t
        cpus = [cpu_seconds(c.pid) - c0 for c, c0 in zip(children, cpus0, strict=True)]
        cpu = sum(cpus)
        broker_cpu = cpu_seconds(self.broker_pid) - broker0
        machine1 = machine_busy()
        # Share of the machine's cores busy meanwhile (every process: the workers, the broker,
        # this script, other jobs): near 1, the run was bound by CPU.
        busy = (machine1[0] - machine0[0]) / max(1e-9, machine1[1] - machine0[1])
        rate = (n - first_n) / seconds if seconds > 0 else float("inf")
        statuses = [proc_status(c.pid) for c in children]
        # How the work was split: articles each worker processed, the tracks it processed, and
        # each track's owner at the end (GET /tracks).
        shares = [metric(url, name) for url in urls]
        tracks_of = [sorted(metric_labels(url, "dipwatch_dedup_index_articles", "track")) for url in urls]
        owners = track_owners(urls[0].removesuffix("/metrics") + "/tracks")
        figures = {
            "workers": len(children),
            "articles_per_s": round(rate, 1),
            "cpu_ms_per_article": round(1000 * cpu / max(1.0, n - first_n), 2),
            "broker_cpu_ms_per_article": round(1000 * broker_cpu / max(1.0, n - first_n), 2),
            "machine_busy": round(busy, 3),
            "ready_s": round(ready, 2),
            "rss_mb": round(max(st.get("VmRSS", 0) for st in statuses) / 2**20, 1),
            "peak_rss_mb": round(max(st.get("VmHWM", 0) for st in statuses) / 2**20, 1),
            "alerts": sum(metric(url, "dipwatch_alerts_total") for url in urls),
            "duplicates": sum(metric(url, "dipwatch_duplicates_total") for url in urls),
            "processed_per_worker": [int(x) for x in shares],
            # Share of one core each worker used: well under 1 on an idle machine, it waited.
            "core_share_per_worker": [round(c / seconds, 2) for c in cpus],
            "tracks_per_worker": tracks_of,
            "owners": owners,
            "load": os.getloadavg()[0],
        }
        self.figures.setdefault("workers", {})[str(workers)] = figures
        if "worker" not in self.figures:
            self.figures["worker"] = figures
        self.say(
            f"dipwatch workers ({len(children)}): {rate:,.1f} articles/s,"
            f" CPU {figures['cpu_ms_per_article']} ms/article (broker {figures['broker_cpu_ms_per_article']} ms),"
            f" machine {100 * busy:.0f} % busy, peak RSS {figures['peak_rss_mb']} MB,"
            f" {figures['alerts']:.0f} alerts, {figures['duplicates']:.0f} duplicates;"
            f" processed per worker {figures['processed_per_worker']}, tracks per worker {tracks_of},"
            f" core share per worker {figures['core_share_per_worker']};"
            f" load {os.getloadavg()[0]:.2f}"
        )
        return children, rate

    def changelogs(self, settings: Settings, n: int) -> None:
        topics = [f"{settings.app_id}-{table}-changelog" for table in ("track_state", "dedup")]
        sizes = asyncio.run(changelog_sizes(self.broker.bootstrap, topics))
        out = {}
        for topic, stats in sizes.items():
            table = topic[len(settings.app_id) + 1 : -len("-changelog")]
            out[table] = {
                "records": stats["records"],
                "records_per_article": round(stats["records"] / n, 2),
                "mb": round(stats["bytes"] / 2**20, 2),
                "largest_kb": round(stats["largest"] / 1024, 1),
            }
            self.say(
                f"changelog {table}: {stats['records']:,} records ({stats['records'] / n:.2f}/article),"
                f" {stats['bytes'] / 2**20:,.1f} MB, largest {stats['largest'] / 1024:,.1f} kB"
            )
        self.figures["changelogs"] = out
        self.figures["largest_record_kb"] = max(v["largest_kb"] for v in out.values())

    def restart(self, settings: Settings) -> Child:
        child = self.worker(settings, "worker-restarted")
        ready = child.wait_for("Ready", 300)
        status = proc_status(child.pid)
        self.figures["restart"] = {"ready_s": round(ready, 2), "rss_mb": round(status.get("VmRSS", 0) / 2**20, 1)}
        self.say(f"restart to ready: {ready:.2f} s, RSS {status.get('VmRSS', 0) / 2**20:,.0f} MB")
        return child

    def latency(self, settings: Settings, articles: Sequence[Article]) -> None:
        async def go() -> tuple[list[float], list[tuple[float, dict[str, Any]]]]:
            until, ready = asyncio.Event(), asyncio.Event()
            task = asyncio.create_task(
                receive(self.broker.bootstrap, [settings.alerts_topic, settings.updates_topic], until, ready)
            )
            await ready.wait()
            sent = await publish(self.broker.bootstrap, settings.articles_topic, articles, self.args.rate)
            await asyncio.sleep(self.args.drain)
            until.set()
            return sent, await task

        sent, got = asyncio.run(go())
        sent_at = {a.id: t for a, t in zip(articles, sent, strict=True)}
        samples: dict[str, list[float]] = {"new": [], "update": []}
        for received, alert in got:
            # The article that raised it: the latest one sent of its evidence.
            times = [sent_at[e["article_id"]] for e in alert.get("evidence", ()) if e["article_id"] in sent_at]
            times = [t for t in times if t <= received]
            if times:
                samples.setdefault(str(alert.get("kind")), []).append(received - max(times))
        both = samples.get("new", []) + samples.get("update", [])
        out: dict[str, Any] = {"rate": self.args.rate, "articles": len(articles)}
        for name, values in (("alerts", samples.get("new", [])), ("alerts_and_updates", both)):
            out[name] = {"count": len(values), **percentiles(values)}
        self.figures["latency"] = out
        for name in ("alerts", "alerts_and_updates"):
            f = out[name]
            self.say(
                f"latency of {name} at {self.args.rate:g}/s ({f['count']} messages):"
                f" p50 {f.get('p50_ms', '-')} ms, p95 {f.get('p95_ms', '-')} ms, p99 {f.get('p99_ms', '-')} ms"
            )


def percentiles(values: Sequence[float]) -> dict[str, float]:
    if len(values) < 2:
        return {}
    qs = statistics.quantiles(values, n=100, method="inclusive")
    return {"p50_ms": round(1000 * qs[49], 1), "p95_ms": round(1000 * qs[94], 1), "p99_ms": round(1000 * qs[98], 1)}


def replay_rates(generator: Generator, sizes: Sequence[int]) -> dict[str, float]:
    """Offline replay articles/s, measured over the last 1,000 articles of each size."""
    from streams.replay import Replayer

    out: dict[str, float] = {}
    replayer = Replayer(detector=generator.detector)
    done = 0
    for size in sorted(sizes):
        while done < size - 1000:
            replayer.feed(generator.article(done))
            done += 1
        batch = [generator.article(done + k) for k in range(size - done)]
        began = time.process_time()
        for article in batch:
            replayer.feed(article)
        seconds = time.process_time() - began
        done = size
        out[str(size)] = round(len(batch) / seconds, 1)
        print(f"replay at {size:,} articles: {len(batch) / seconds:,.0f} articles/s", flush=True)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=5000, help="articles of the throughput run (default 5000)")
    parser.add_argument("--rate", type=float, default=50.0, help="articles/s of the latency run (default 50)")
    parser.add_argument("--latency-articles", type=int, default=1000, help="articles of the latency run")
    parser.add_argument("--drain", type=float, default=5.0, help="seconds to wait for alerts after the latency run")
    parser.add_argument(
        "--session-timeout",
        type=float,
        default=EMBEDDED_SESSION_TIMEOUT,
        help="worker session timeout, s (default: the one `dipwatch run` gives a worker on the embedded broker)",
    )
    parser.add_argument("--compression", default=Settings().compression, help="DIPWATCH_COMPRESSION of the workers")
    parser.add_argument(
        "--batch-bytes", type=int, default=Settings().producer_batch_bytes, help="DIPWATCH_PRODUCER_BATCH_BYTES"
    )
    parser.add_argument("--fetch-wait-ms", type=int, default=Settings().fetch_wait_ms)
    parser.add_argument(
        "--workers",
        default="1",
        help="workers of the app in the throughput run; a list (1,2) measures each in the same run,"
        " each on its own app and topics, and prints the rates' ratio to the first",
    )
    parser.add_argument(
        "--tracks",
        default="",
        help="spread the articles over these tracks (e.g. ru-us,cn-us), the workers running with a tracks"
        " file that configures them (default: the built-in track alone, no tracks file)",
    )
    parser.add_argument(
        "--join-after",
        type=float,
        default=0.0,
        help="with several workers, start all but the first this many seconds after the first began"
        " processing (a rebalance mid-stream, inside the measured time)",
    )
    parser.add_argument("--partitions", type=int, default=Settings().partitions, help="DIPWATCH_PARTITIONS")
    parser.add_argument(
        "--scale-only",
        action="store_true",
        help="stop after the throughput runs (no changelog sizes, restart or latency run)",
    )
    parser.add_argument("--timeout", type=float, default=3600.0, help="seconds the worker may take for --n")
    parser.add_argument("--replay", default="", help="sizes of the replay measure, e.g. 1000,10000,100000")
    parser.add_argument("--replay-only", action="store_true", help="run only the replay measure (no broker)")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--keep", action="store_true", help="keep the work directory (logs)")
    # The pass-through agent's own process.
    parser.add_argument("--passthrough", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--source", help=argparse.SUPPRESS)
    parser.add_argument("--sink", help=argparse.SUPPRESS)
    parser.add_argument("--expect", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.passthrough:
        passthrough_main(args)
        return 0
    logging.basicConfig(level=logging.WARNING)
    tracks = [t for t in args.tracks.split(",") if t]
    detector = None
    tracks_text = None
    if tracks:
        tracks_text = tracks_file_text(tracks)
        scratch = Path(tempfile.mkdtemp(prefix="bench-tracks-")) / "tracks.toml"
        scratch.write_text(tracks_text, encoding="utf-8")
        detector = detector_for(load_tracks(scratch))
        scratch.unlink()
        scratch.parent.rmdir()
    generator = Generator(args.seed, tracks or (BUILTIN_TRACK,), detector)
    if args.replay_only:
        sizes = [int(s) for s in (args.replay or "1000").split(",")]
        print(json.dumps({"replay_articles_per_s": replay_rates(generator, sizes)}))
        return 0

    worker_counts = [int(w) for w in args.workers.split(",")]
    articles = [generator.article(i) for i in range(args.n)]
    later = [] if args.scale_only else [generator.article(args.n + i) for i in range(args.latency_articles)]
    workdir = Path(tempfile.mkdtemp(prefix="bench-stream-"))
    partitions = {t: partition_of(t, args.partitions) for t in generator.tracks}
    figures: dict[str, Any] = {
        "n": args.n,
        "cpus": os.cpu_count(),
        "python": sys.version.split()[0],
        "session_timeout_s": args.session_timeout,
        "compression": args.compression,
        "batch_bytes": args.batch_bytes,
        "tracks": list(generator.tracks),
        "partitions": args.partitions,
        "track_partitions": partitions,
        "load_at_start": os.getloadavg(),
    }
    print(
        f"{args.n:,} articles from {generator.text_count} real texts of {', '.join(generator.tracks)}"
        f" (tracked partition of each of {args.partitions}: {partitions}); work directory {workdir}",
        flush=True,
    )
    if len(set(partitions.values())) < len(partitions):
        # Said, not hidden: those tracks share a partition, so one worker keeps them all.
        print("NOTE: some of these tracks share a partition of the tracked topic", flush=True)
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    broker = EmbeddedBroker(log=workdir / "broker.log")
    broker.start()
    run = Run(args, workdir, broker, figures)
    if tracks_text is not None:
        run.tracks_file = workdir / "tracks.toml"
        run.tracks_file.write_text(tracks_text, encoding="utf-8")
    try:
        # One app (and its own topics) per configuration, all holding the same articles; the first
        # configuration is the one whose changelogs, restart and latency are measured.
        configs = [
            run.settings("bench") if len(worker_counts) == 1 else run.settings(f"bench-w{w}", f"bench-w{w}")
            for w in worker_counts
        ]
        settings = configs[0]
        rss0 = run.broker_rss()
        asyncio.run(publish(broker.bootstrap, settings.articles_topic, articles))
        rss1 = run.broker_rss()
        for other in configs[1:]:
            asyncio.run(publish(broker.bootstrap, other.articles_topic, articles))
        passthrough = run.passthrough(args.n, settings)
        rates = []
        for k, (config, count) in enumerate(zip(configs, worker_counts, strict=True)):
            rss2 = run.broker_rss()
            children, rate = run.stream(config, args.n, count)
            rates.append(rate)
            if k == 0:
                rss3 = run.broker_rss()
                figures["ratio"] = round(rate / passthrough, 4)
                print(f"ratio worker / pass-through: {figures['ratio']:.3f}", flush=True)
                figures["broker"] = {
                    "rss_mb_after_publish": round(rss1 / 2**20, 1),
                    "kb_per_article_published": round((rss1 - rss0) / 1024 / args.n, 1),
                    "kb_per_article_worker": round((rss3 - rss2) / 1024 / args.n, 1),
                }
                if not args.scale_only:
                    run.changelogs(settings, args.n)
            for child in children:
                child.stop()
        if len(worker_counts) > 1:
            figures["scaling"] = {
                str(count): round(rate / rates[0], 3) for count, rate in zip(worker_counts, rates, strict=True)
            }
            for count, rate in zip(worker_counts[1:], rates[1:], strict=True):
                print(
                    f"{count} workers / {worker_counts[0]}: {rate / rates[0]:.2f}x"
                    f" ({rate:,.1f} against {rates[0]:,.1f} articles/s)",
                    flush=True,
                )
        if not args.scale_only:
            run.restart(settings)
            run.latency(settings, later)
        assert broker._process is not None
        status = proc_status(broker._process.pid)
        figures["broker"]["peak_rss_mb"] = round(status.get("VmHWM", 0) / 2**20, 1)
        print(
            f"broker: peak RSS {figures['broker']['peak_rss_mb']:,} MB; grew"
            f" {figures['broker']['kb_per_article_worker']} kB per article while the first worker(s) ran"
            f" ({figures['broker']['kb_per_article_published']} kB per article published)",
            flush=True,
        )
    finally:
        for w in run.started:
            w.stop()
        broker.stop()
    if args.replay:
        fresh = Generator(args.seed, generator.tracks, generator.detector)
        figures["replay_articles_per_s"] = replay_rates(fresh, [int(s) for s in args.replay.split(",")])
    if not args.keep:
        for path in sorted(workdir.rglob("*"), reverse=True):
            path.unlink() if path.is_file() else path.rmdir()
        workdir.rmdir()
    figures["load_at_end"] = os.getloadavg()
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
