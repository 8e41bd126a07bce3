"""What each ``dipwatch`` subcommand does; the CLI module only parses flags."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import logging
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Coroutine, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aiokafka.errors import KafkaError
from prometheus_client import CollectorRegistry, start_http_server

from connectors.feedparse import articles_from_feed_bytes
from connectors.feeds import load_feeds
from connectors.feedstate import FeedStateStore
from connectors.files import FilesSource, Rejected, read_inputs
from connectors.kafkaaccess import probe
from connectors.publisher import KafkaPublisher, ensure_topics, list_topics
from dipwatch import snapshot
from dipwatch.broker import EMBEDDED_SESSION_TIMEOUT, EmbeddedBroker, free_port, stop_process
from dipwatch.formats import format_alert, format_deadletter, format_state
from streams.brokerwatch import lost_since_last_start, public_topics, state_topics
from streams.core.errors import BrokerError, ConfigError, DipwatchError, InvalidArticle
from streams.core.models import Article
from streams.core.wire import article_from_bytes
from streams.metrics import Metrics
from streams.settings import Settings

if TYPE_CHECKING:
    from streams.core.detector import Detector

logger = logging.getLogger(__name__)

#: Key of the articles published from files (see _publish).
FILES_KEY = "files"


#: Exit status when some inputs were rejected (each said why on its own line).
EXIT_REJECTED = 1


def _messages(
    settings: Settings, paths: Sequence[Path], fetched: dt.datetime | None
) -> tuple[list[tuple[str, bytes]], list[Rejected]]:
    """The messages of ``paths``; each rejected input is reported on one line."""
    messages, rejected = read_inputs(
        paths, fetched=fetched, feed_reader=articles_from_feed_bytes, max_bytes=settings.max_article_bytes
    )
    _report(rejected)
    return [(m.origin, m.payload) for m in messages], rejected


def _report(rejected: Sequence[Rejected]) -> None:
    for r in rejected:
        print(f"dipwatch: {r.origin}: rejected ({r.reason}): {r.detail}", file=sys.stderr)


def _articles(messages: Iterable[tuple[str, bytes]], rejected: list[Rejected], max_bytes: int) -> Iterator[Article]:
    """Articles from ``(origin, payload)`` pairs; a bad one is reported with its origin, added
    to ``rejected`` and skipped."""
    for origin, payload in messages:
        try:
            yield article_from_bytes(payload, max_bytes)
        except InvalidArticle as exc:
            print(f"dipwatch: {origin}: rejected ({exc.reason}): {exc}", file=sys.stderr)
            rejected.append(Rejected(origin, exc.reason, str(exc)))


def _summary(done: str, rejected: Sequence[Rejected]) -> str:
    """The closing line: "12 published, 3 rejected: 1 too_large, 2 not_text"."""
    if not rejected:
        return done
    counts = Counter(r.reason for r in rejected)
    reasons = ", ".join(f"{n} {reason}" for reason, n in sorted(counts.items()))
    return f"{done}, {len(rejected)} rejected: {reasons}"


def _detector(settings: Settings) -> Detector:
    from streams.core.detector import detector_for
    from streams.tracksfile import load_tracks

    return detector_for(load_tracks(settings.tracks))


def replay(settings: Settings, paths: Sequence[Path], *, updates: bool) -> int:
    """Print the alerts of ``paths`` as JSON lines, computed in-process without Kafka."""
    from streams.core.wire import alert_to_dict
    from streams.replay import Replayer

    replayer = Replayer(detector=_detector(settings))
    messages, rejected = _messages(settings, paths, None)
    articles = list(_articles(messages, rejected, settings.max_article_bytes))
    for alert in replayer.alerts(articles, updates=updates):
        print(json.dumps(alert_to_dict(alert), ensure_ascii=False), flush=True)
    if rejected:
        print(f"dipwatch: {_summary(f'{len(articles)} read', rejected)}", file=sys.stderr)
    return EXIT_REJECTED if rejected else 0


def state(settings: Settings, paths: Sequence[Path], *, track: str | None, as_json: bool) -> int:
    """Print the rolling state of each track (or of ``track``) after replaying ``paths``."""
    from streams.core.wire import state_to_dict
    from streams.replay import Replayer

    detector = _detector(settings)
    if track is not None and detector.tracks.get(track) is None:
        msg = f"unknown track {track!r} (tracks: {', '.join(detector.tracks.ids)})"
        raise ConfigError(msg)
    replayer = Replayer(detector=detector)
    messages, rejected = _messages(settings, paths, None)
    for _ in replayer.alerts(_articles(messages, rejected, settings.max_article_bytes)):
        pass
    chosen = [track] if track is not None else list(detector.tracks.ids)
    for track_id in chosen:
        known = replayer.states.get(track_id)
        if known is None:
            continue
        config = detector.tracks.get(track_id)
        _print_state(state_to_dict(known, config.name if config is not None else None), as_json)
    return EXIT_REJECTED if rejected else 0


def _print_state(data: dict[str, Any], as_json: bool) -> None:
    print(json.dumps(data, ensure_ascii=False) if as_json else format_state(data), flush=True)


def worker_url(settings: Settings) -> str:
    """The base URL of the worker's web server (state views, timeline, metrics)."""
    return f"http://{settings.web_host}:{settings.web_port}"


def _get_json(url: str) -> Any:
    """GET ``url`` and decode its JSON; a worker that cannot be reached is a BrokerError (exit 3)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as exc:
        try:
            detail = json.loads(exc.read()).get("error", exc.reason)
        except ValueError:
            detail = exc.reason
        msg = f"{url}: {exc.code} {detail}"
        raise DipwatchError(msg) from exc
    except (OSError, ValueError) as exc:
        msg = f"no worker answers at {url}: {exc} (set DIPWATCH_WEB_HOST/DIPWATCH_WEB_PORT or --worker URL)"
        raise BrokerError(msg, broker=url) from exc


def state_from_worker(base_url: str, *, track: str | None, as_json: bool) -> int:
    """Print the rolling state of each track (or of ``track``) as a running worker serves it."""
    base = base_url.rstrip("/")
    chosen = [track] if track is not None else [str(t["id"]) for t in _get_json(f"{base}/tracks")["tracks"]]
    for track_id in chosen:
        _print_state(_get_json(f"{base}/tracks/{urllib.parse.quote(track_id)}"), as_json)
    return 0


def extract(settings: Settings, paths: Sequence[Path]) -> int:
    """Print, per article, the developments the extractor finds in it alone."""
    from streams.replay import extract_dump

    detector = _detector(settings)
    messages, rejected = _messages(settings, paths, None)
    articles = list(_articles(messages, rejected, settings.max_article_bytes))
    for article, (track, mentions) in zip(articles, extract_dump(articles, detector), strict=True):
        developments = [
            {
                "type": m.type,
                "location": m.location,
                "date": m.date,
                "date_precision": m.date_precision,
                "ordinal": m.ordinal,
                "topics": list(m.topics),
                "actors": list(m.actors),
                "sentence": m.sentence,
                "tentative": m.tentative,
                "new_round": m.new_round,
            }
            for m in mentions
        ]
        line = {"article_id": article.id, "track": track, "developments": developments}
        print(json.dumps(line, ensure_ascii=False), flush=True)
    if rejected:
        print(f"dipwatch: {_summary(f'{len(articles)} read', rejected)}", file=sys.stderr)
    return EXIT_REJECTED if rejected else 0


def worker(settings: Settings) -> int:
    """Run the Faust worker in this process until stopped."""
    if settings.broker is None:
        msg = "the worker needs a broker: set DIPWATCH_BROKER or --broker (dipwatch run starts one)"
        raise DipwatchError(msg)
    _detector(settings)  # a bad tracks file stops here, with one line
    if not _port_free(settings.web_host, settings.web_port):
        msg = f"port {settings.web_host}:{settings.web_port} is in use: set DIPWATCH_WEB_PORT to a free one"
        raise ConfigError(msg, field="web_port")
    # A wrong password, CA or port stops here with one line, not in Faust's retries.
    asyncio.run(probe(settings.broker_access))
    asyncio.run(_before_worker(settings))
    from streams.worker import run_worker

    run_worker(settings)
    return 0


async def _before_worker(settings: Settings) -> None:
    """Say what the broker lost since this worker last ran (an in-memory broker restarted), and
    create the public topics it lacks with the configured partitions."""
    lost = lost_since_last_start(settings, await list_topics(settings.broker_access))
    if lost:
        print(f"dipwatch: {lost}", file=sys.stderr, flush=True)
    await ensure_topics(settings.broker_access, public_topics(settings), settings.partitions)


async def publish(settings: Settings, paths: Sequence[Path]) -> int:
    """Publish the articles of ``paths`` to the articles topic; report how many."""
    count, rejected = await _publish(settings, paths)
    print(f"dipwatch: {_summary(f'{count} published to {settings.articles_topic}', rejected)}", file=sys.stderr)
    return EXIT_REJECTED if rejected else 0


async def _publish(settings: Settings, paths: Sequence[Path]) -> tuple[int, list[Rejected]]:
    """Publish what ``paths`` hold; (how many were published, the inputs rejected)."""
    await ensure_topics(settings.broker_access, public_topics(settings), settings.partitions)
    async with KafkaPublisher(settings.broker_access, settings.articles_topic) as publisher:

        async def send(origin: str, payload: bytes) -> None:
            # One key for the whole run: the articles stay in one partition, in the order given,
            # which is the order `dipwatch replay` reads them in. Bad ones keep their place too.
            await publisher.send(FILES_KEY, payload)

        source = FilesSource(
            paths,
            send,
            fetched=dt.datetime.now(dt.UTC),
            feed_reader=articles_from_feed_bytes,
            max_bytes=settings.max_article_bytes,
        )
        await source.start()
        _report(source.rejected)
        try:
            await source.run()
        finally:
            await source.stop()
    return source.delivered, source.rejected


async def tail(
    settings: Settings,
    *,
    from_beginning: bool,
    until_idle: float | None,
    as_json: bool,
    updates: bool = False,
    deadletter: bool = False,
    ready: asyncio.Event | None = None,
    idle_from: asyncio.Event | None = None,
) -> int:
    """Print alerts (or updates, or dead letters) as they arrive; with ``until_idle``, stop after
    that many quiet seconds. The quiet time starts when ``idle_from`` is set (at once when None).
    """
    from connectors.publisher import subscribe

    topic = settings.updates_topic if updates else settings.alerts_topic
    if deadletter:
        topic = settings.deadletter_topic
    show = format_deadletter if deadletter else format_alert
    await ensure_topics(settings.broker_access, public_topics(settings), settings.partitions)
    stream = subscribe(settings.broker_access, topic, from_beginning=from_beginning, ready=ready)
    last = time.monotonic()
    pending: asyncio.Task[bytes] | None = None
    try:
        while True:
            if pending is None:
                pending = asyncio.ensure_future(stream.__anext__())
            timeout: float | None = None
            if until_idle is not None:
                if idle_from is not None and not idle_from.is_set():
                    last, timeout = time.monotonic(), 0.5  # not idle while articles are in flight
                else:
                    timeout = last + until_idle - time.monotonic()
                    if timeout <= 0:
                        return 0
            done, _ = await asyncio.wait({pending}, timeout=timeout)
            if not done:
                continue
            value = pending.result()
            pending = None
            last = time.monotonic()
            try:
                alert = json.loads(value)
            except json.JSONDecodeError:
                print(f"dipwatch: skipped a message that is not JSON on {topic}", file=sys.stderr)
                continue
            print(show(alert, as_json=as_json), flush=True)
    finally:
        if pending is not None:
            pending.cancel()
            with contextlib.suppress(BaseException):
                await pending
        await stream.aclose()


def _worker_ingested(url: str) -> float:
    """Messages the worker has taken from the articles topic (ingested or dead-lettered)."""
    with urllib.request.urlopen(url, timeout=2) as response:
        body = response.read().decode()
    total = 0.0
    for name in ("dipwatch_articles_total", "dipwatch_deadletter_total"):
        for match in re.finditer(rf"^{name}(?:{{[^}}]*}})? ([0-9.e+]+)$", body, re.MULTILINE):
            total += float(match.group(1))
    return total


async def _wait_ingested(metrics_url: str, expected: int, done: asyncio.Event, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError, ValueError):
            if await asyncio.to_thread(_worker_ingested, metrics_url) >= expected:
                done.set()
                return
        await asyncio.sleep(0.3)
    logger.warning("the worker had not taken all %d published articles after %.0f s", expected, timeout)
    done.set()


def _start_worker(settings: Settings, log_path: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, **settings.to_env()}
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("ab") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "dipwatch.cli", "worker"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches us; we stop the worker in order
        )


def _port_free(host: str, port: int) -> bool:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        return sock.connect_ex((host, port)) != 0


def run(
    settings: Settings,
    *,
    seeds: Sequence[Path],
    feeds: Path | None,
    until_idle: float | None,
    as_json: bool,
    fresh: bool = False,
) -> int:
    """Broker (embedded unless configured), worker, seeds and alerts on the terminal. On the
    embedded broker the worker's state is restored from the last run's save (unless ``fresh``)
    and saved again when ``run`` stops (:mod:`dipwatch.snapshot`)."""
    if feeds is not None:
        from connectors.feeds import load_feeds

        load_feeds(feeds)  # a bad feeds file stops here, before a broker and a worker start
    _detector(settings)  # so does a bad tracks file
    missing = [str(p) for p in seeds if not p.exists()]
    if missing:
        msg = f"seeds not found: {', '.join(missing)} (give --seeds PATH)"
        raise ConfigError(msg)
    data_dir = settings.data_path()  # an unwritable data directory stops here too
    broker: EmbeddedBroker | None = None
    worker_process: subprocess.Popen[bytes] | None = None
    saving = False
    # SIGTERM (kill, a container stop) and SIGHUP (the terminal closed) stop run as Ctrl-C does:
    # the worker first, then the broker, and the exit status says which signal it was.
    previous = {signum: signal.signal(signum, _stop_on_signal) for signum in STOP_SIGNALS}
    try:
        if settings.broker is None:
            broker = EmbeddedBroker(log=data_dir / "broker.log")
            broker.start()
            settings = on_embedded_broker(settings, broker.url)
            print(f"dipwatch: embedded Tansu broker on {broker.bootstrap} (in memory)", file=sys.stderr)
            saving = _restore_state(settings, data_dir / snapshot.FILE, fresh=fresh)
        else:
            asyncio.run(probe(settings.broker_access))
        if not _port_free(settings.web_host, settings.web_port):
            settings = settings.with_changes(web_port=free_port(settings.web_host))
        metrics_url = f"http://{settings.web_host}:{settings.web_port}/metrics"
        worker_log = data_dir / "worker.log"
        worker_process = _start_worker(settings, worker_log)
        web = worker_url(settings)
        print(
            f"dipwatch: worker started (log: {worker_log}); timeline at {web}/ (state: {web}/tracks, "
            f"`dipwatch state`), metrics at {metrics_url}",
            file=sys.stderr,
        )
        run_feeds = None
        if feeds is not None:
            run_feeds = (feeds, _feeds_state(data_dir, embedded=broker is not None))
        work = _run_body(settings, seeds, run_feeds, until_idle, as_json, metrics_url, worker_process)
        return asyncio.run(_until_signal(work))
    except KeyboardInterrupt as stop:  # a signal before the event loop runs
        return _stopped(stop.signum if isinstance(stop, Stopped) else signal.SIGINT)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        if worker_process is not None:
            stop_process(worker_process, timeout=20.0)
        if broker is not None:
            if saving and worker_process is not None:
                _save_state(settings, data_dir / snapshot.FILE)
            broker.stop()


def on_embedded_broker(settings: Settings, url: str, environ: Mapping[str, str] | None = None) -> Settings:
    """``settings`` for a worker on the embedded broker at ``url``: the session timeout is
    EMBEDDED_SESSION_TIMEOUT unless DIPWATCH_SESSION_TIMEOUT is set (a worker, restarted, waits
    about half of it to join its group)."""
    env = os.environ if environ is None else environ
    settings = settings.with_changes(broker=url)
    if env.get("DIPWATCH_SESSION_TIMEOUT"):
        return settings
    return settings.with_changes(session_timeout=EMBEDDED_SESSION_TIMEOUT)


def _restore_state(settings: Settings, path: Path, *, fresh: bool) -> bool:
    """Write the last run's saved tables into the embedded broker, saying what they hold; whether
    this run's state may be saved over the file when it stops."""
    loaded = None if fresh else snapshot.load_summary(path)
    if loaded is None:
        why = "--fresh" if fresh else f"nothing saved in {path}"
        print(f"dipwatch: the worker starts with an empty state ({why})", file=sys.stderr)
        return True
    topics, summary = loaded
    wanted = state_topics(settings)
    kept = {t: parts for t, parts in topics.items() if t in wanted}
    if not kept or any(len(parts) != settings.partitions for parts in kept.values()):
        print(
            f"dipwatch: the state saved in {path} was for other topics or partitions than "
            f"{', '.join(wanted)} with {settings.partitions}: the worker starts empty and it is kept",
            file=sys.stderr,
        )
        return False
    try:
        asyncio.run(snapshot.restore(settings.broker_access, kept, settings.partitions))
    except (KafkaError, OSError) as exc:
        print(f"dipwatch: could not restore {path} ({type(exc).__name__}: {exc}): starting empty", file=sys.stderr)
        return False
    print(f"dipwatch: restored the worker's state from {path}: {summary.describe()}", file=sys.stderr)
    return True


def _save_state(settings: Settings, path: Path) -> None:
    """Save the worker's tables from the embedded broker to ``path`` (the worker has stopped)."""
    try:
        summary = asyncio.run(snapshot.save(settings.broker_access, state_topics(settings), path))
    except (KafkaError, OSError) as exc:
        print(f"dipwatch: could not save the worker's state ({type(exc).__name__}: {exc})", file=sys.stderr)
        return
    print(f"dipwatch: saved the worker's state to {path}: {summary.describe()}", file=sys.stderr)


#: Signals that stop ``run`` besides SIGINT (which Python turns into KeyboardInterrupt).
STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)


class Stopped(KeyboardInterrupt):
    """``run`` was asked to stop by a signal. A KeyboardInterrupt, so that asyncio lets it out of
    whatever task it lands in, as it does Ctrl-C."""

    def __init__(self, signum: int) -> None:
        super().__init__(f"stopped by signal {signum}")
        self.signum = signum


def _stop_on_signal(signum: int, frame: object) -> None:
    raise Stopped(signum)


def _stopped(signum: int) -> int:
    """Say which signal stopped ``run``; the conventional exit status is 128 + the signal."""
    print(f"\ndipwatch: stopping ({signal.Signals(signum).name})", file=sys.stderr)
    return 128 + int(signum)


async def _until_signal(work: Coroutine[Any, Any, int]) -> int:
    """Run ``work`` until it ends or SIGINT, SIGTERM or SIGHUP arrives.

    Inside the loop a signal only marks the stop; ``work`` is then cancelled at an await, so no
    client is interrupted half-way through a socket write (which left tracebacks on stderr).
    """
    loop = asyncio.get_running_loop()
    stop: asyncio.Future[int] = loop.create_future()
    for signum in (signal.SIGINT, *STOP_SIGNALS):
        loop.add_signal_handler(signum, _mark_stop, stop, signum)
    body = asyncio.ensure_future(work)
    try:
        await asyncio.wait({body, stop}, return_when=asyncio.FIRST_COMPLETED)
        if not stop.done():
            return body.result()
        body.cancel()
        with contextlib.suppress(BaseException):
            await body
        return _stopped(stop.result())
    finally:
        for signum in (signal.SIGINT, *STOP_SIGNALS):
            loop.remove_signal_handler(signum)


def _mark_stop(stop: asyncio.Future[int], signum: int) -> None:
    if not stop.done():
        stop.set_result(signum)


async def _run_body(
    settings: Settings,
    seeds: Sequence[Path],
    feeds: tuple[Path, Path] | None,
    until_idle: float | None,
    as_json: bool,
    metrics_url: str,
    worker_process: subprocess.Popen[bytes],
) -> int:
    ready = asyncio.Event()
    ingested = asyncio.Event()
    tail_task = asyncio.create_task(
        tail(settings, from_beginning=False, until_idle=until_idle, as_json=as_json, ready=ready, idle_from=ingested)
    )
    await asyncio.wait({tail_task, asyncio.create_task(ready.wait())}, return_when=asyncio.FIRST_COMPLETED)
    if tail_task.done():
        return tail_task.result()
    count, rejected = await _publish(settings, seeds)
    print(f"dipwatch: {_summary(f'published {count} seed article(s)', rejected)}; alerts follow", file=sys.stderr)
    side_tasks = [asyncio.create_task(_wait_ingested(metrics_url, count, ingested, timeout=120.0))]
    if feeds is not None:
        side_tasks.append(asyncio.create_task(_run_feeds(settings, *feeds)))
    try:
        while not tail_task.done():
            if worker_process.poll() is not None:
                log = settings.data_dir / "worker.log"
                msg = f"the worker exited with status {worker_process.returncode}; see {log}"
                raise BrokerError(msg, broker=settings.bootstrap)
            await asyncio.wait({tail_task}, timeout=0.5)
        return tail_task.result()
    finally:
        for task in (tail_task, *side_tasks):
            task.cancel()
            with contextlib.suppress(BaseException):
                await task


async def _run_feeds(settings: Settings, feeds: Path, state_path: Path) -> None:
    """Poll the feeds file into the articles topic, beside ``run``."""
    try:
        await rss(settings, feeds, once=False, state_path=state_path)
    except DipwatchError as exc:
        # A side task's error would otherwise surface only when the command ends.
        print(f"dipwatch: feeds stopped: {exc}", file=sys.stderr)


STATE_FILE = "feeds-state.json"
# The feed state of ``run`` on the embedded broker, which keeps its topics in memory only.
EMBEDDED_STATE_FILE = "feeds-state.embedded.json"


def _feeds_state(data_dir: Path, *, embedded: bool) -> Path:
    """Where ``run`` keeps its feed state. On the embedded broker the feeds start afresh every
    run: the worker's saved state (its dedup index) is the one record of what was seen, so an item
    read again is a duplicate, and an item the state lost is read again rather than hidden for
    good (with an external broker the feed state is kept)."""
    if not embedded:
        return data_dir / STATE_FILE
    path = data_dir / EMBEDDED_STATE_FILE
    path.unlink(missing_ok=True)
    return path


async def rss(
    settings: Settings,
    feeds: Path,
    *,
    once: bool = False,
    state_path: Path | None = None,
    serve_metrics: bool = True,
    handle_sigterm: bool = False,
) -> int:
    """``dipwatch rss`` (and the feeds of ``dipwatch run``): poll ``feeds`` into the articles topic.

    The state lives in ``state_path`` (default ``<data_dir>/feeds-state.json``). The feed metrics
    are served at ``http://<web_host>:<metrics_port>/metrics`` unless the port is taken. With
    ``once``, every feed is polled once and the exit status is 1 when any poll failed.
    ``handle_sigterm`` (the standalone command only) makes SIGTERM stop polling cleanly.
    """
    configs = load_feeds(feeds)
    if state_path is None:
        state_path = settings.data_path() / STATE_FILE
    publisher = KafkaPublisher(settings.broker_access, settings.articles_topic)
    registry = CollectorRegistry()
    metrics = Metrics(registry)
    server = None
    if serve_metrics:
        try:
            server, _thread = start_http_server(settings.metrics_port, addr=settings.web_host, registry=registry)
            logger.info("feed metrics at http://%s:%s/metrics", settings.web_host, settings.metrics_port)
        except OSError as exc:
            logger.warning("feed metrics not served on port %s: %s", settings.metrics_port, exc)
    # Here, not at the top: it brings trafilatura and aiohttp (0.2 s), which a worker does not need.
    from connectors.rss import RssConnector

    connector = RssConnector(
        configs,
        publisher.publish,
        metrics=metrics,
        state=FeedStateStore(state_path),
    )
    try:
        await ensure_topics(settings.broker_access, [settings.articles_topic], settings.partitions)
        await publisher.start()
        if once:
            results = await connector.run_once()
            for result in results:
                print(
                    f"{result.feed}: {result.outcome}, {result.published} new article(s)"
                    + (f" ({result.error})" if result.error else ""),
                    file=sys.stderr,
                )
            if not connector.state_saved:
                # The next run would publish every item again: say so, and fail.
                print(f"dipwatch: the feed state could not be saved to {state_path}", file=sys.stderr)
                return 1
            return 0 if all(r.ok for r in results) else 1
        loop = asyncio.get_running_loop()
        if handle_sigterm:
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                # A container stop sends SIGTERM: save the state on the way out, as Ctrl-C does.
                loop.add_signal_handler(signal.SIGTERM, connector.request_stop)
        try:
            await connector.run()
        finally:
            if handle_sigterm:
                with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                    loop.remove_signal_handler(signal.SIGTERM)
        return 0
    finally:
        await connector.stop()
        await publisher.stop()
        if server is not None:
            server.shutdown()
            server.server_close()
