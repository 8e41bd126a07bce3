"""The Faust agents: short loops that read, call the pure core, write tables and topics, count.

articles ──ingest──> tracked (key = track) ──track──> alerts, updates
    └─ bad messages ──> deadletter
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
from dataclasses import dataclass, field
from typing import Any

import faust

from streams.core import statestore
from streams.core.dedup import DedupIndex
from streams.core.dedupstore import PersistedStore
from streams.core.detector import Detector
from streams.core.errors import InvalidArticle
from streams.core.models import DEVELOPMENT_TYPES, Alert, Article
from streams.core.pipeline import Outcome, process
from streams.core.wire import alert_to_bytes, article_from_bytes, article_to_bytes, deadletter_to_bytes
from streams.journal import IncompleteJournal, Journal
from streams.journal import read as read_journal
from streams.journal import records as journal_records
from streams.journal import size as journal_size
from streams.metrics import Metrics
from streams.settings import Settings
from streams.tables import Deferred, PrefixedStore, Tables
from streams.topics import Topics

logger = logging.getLogger(__name__)


@dataclass
class StateCache:
    """Stored track states, reused while the table holds the stamp this worker wrote last.

    Another worker that owned the track in between (a rebalance) wrote another stamp: the state
    is then read again from the table.
    """

    entries: dict[str, statestore.Stored] = field(default_factory=dict)

    def load(self, table: Any, track: str) -> statestore.Stored:
        cached = self.entries.get(track)
        if cached is not None and table.get(statestore.stamp_key(track)) == cached.stamp:
            return cached
        stored = statestore.load(track, table.get)
        self.entries[track] = stored
        return stored


def write_all(table: Any, writes: dict[str, Any]) -> None:
    """Set each key of ``writes`` in ``table`` (None: delete it)."""
    for key, value in writes.items():
        if value is None:
            table.pop(key, None)
        else:
            table[key] = value


#: Header of a tracked message: where the ingest agent read it (``topic:partition:offset``).
SOURCE_HEADER = "dipwatch-source"


def source_of(event: Any) -> tuple[str, int] | None:
    """The source partition (``topic:partition``) and offset of a tracked message, if it says."""
    headers = getattr(event, "headers", None) or {}
    raw = dict(headers).get(SOURCE_HEADER)
    if not isinstance(raw, bytes | str):
        return None
    text = raw.decode() if isinstance(raw, bytes) else raw
    where, _, offset = text.rpartition(":")
    return (where, int(offset)) if where and offset.isdigit() else None


def positions_key(track: str) -> str:
    """The state-table key of the last source offsets a track took (JSON ``{"topic:p": offset}``)."""
    return f"{track}|o"


DEADLETTER_REASONS = ("not_json", "not_object", "missing_field", "bad_field", "empty", "too_large", "processing_error")


def _zero_series(metrics: Metrics, tracks: tuple[str, ...]) -> None:
    """Create the labelled series at zero, so rates and increases see the first event too."""
    for track in tracks:
        for development_type in DEVELOPMENT_TYPES:
            for counter in (metrics.developments, metrics.alerts, metrics.updates):
                counter.labels(track, development_type)
        for gauge in (metrics.track_rounds, metrics.track_agreements, metrics.track_developments):
            gauge.labels(track)
    for kind in ("exact", "reprint"):
        metrics.duplicates.labels(kind)
    for reason in DEADLETTER_REASONS:
        metrics.deadletter.labels(reason)


class Agents:
    """The ingest and track agents of one worker, with what they keep between messages: the
    cached track states and each track's dedup index in memory. The decisions are the core's
    (:func:`streams.core.pipeline.process`); here a message is read, processed, written, counted."""

    def __init__(
        self, topics: Topics, tables: Tables, metrics: Metrics, settings: Settings, detector: Detector
    ) -> None:
        self.topics = topics
        self.tables = tables
        self.metrics = metrics
        self.settings = settings
        self.detector = detector
        self.cache = StateCache()
        # Each track's dedup index in memory over its table entries (records and stories only).
        self.dedup_stores: dict[str, PersistedStore] = {}
        # Each track's dedup writes, held until the article's journal is acknowledged.
        self.dedup_writes: dict[str, Deferred] = {}
        # The last offset processed per source partition (for the commit watch).
        self.processed: dict[Any, int] = {}
        # Per track, the last articles offset it took from each source partition.
        self.positions: dict[str, dict[str, int]] = {}

        # The tracks whose journal this worker has redone since it was given their partition.
        self.journals_redone: set[str] = set()
        # How many records each track's journal has in the table (the pieces past the next
        # journal's own are deleted).
        self.journal_sizes: dict[str, int] = {}
        self.app: faust.App | None = None
        self.horizon = dt.timedelta(days=settings.dedup_horizon_days)

    def register(self, app: faust.App) -> None:
        """Attach the agents to ``app`` and start every labelled series at zero."""
        _zero_series(self.metrics, self.detector.tracks.ids)
        self.app = app
        app.on_partitions_revoked.connect(self.on_partitions_revoked)
        app.agent(self.topics.articles, name="dipwatch.ingest")(self.ingest)
        app.agent(self.topics.tracked, name="dipwatch.track")(self.track)

    def on_partitions_revoked(self, sender: Any, /, *_: Any, signal: Any, **__: Any) -> None:
        """Another worker may own these tracks now and write their tables: read them again if back."""
        self.dedup_stores.clear()
        self.dedup_writes.clear()
        self.journals_redone.clear()
        self.journal_sizes.clear()
        self.processed.clear()
        self.positions.clear()

    async def ingest(self, stream: faust.StreamT[Any]) -> None:
        """Validate each article (dead letter if bad) and send it on keyed by its track."""
        async for event in stream.events():
            try:
                article = article_from_bytes(event.value, self.settings.max_article_bytes)
            except InvalidArticle as exc:
                await self.dead_letter(event, exc.reason, str(exc))
                continue
            self.metrics.articles.labels(article.connector).inc()
            try:
                track = self.detector.assign(article)
            except Exception as exc:  # a poison article must not stop the stream
                logger.exception("track assignment failed for article %s", article.id)
                await self.dead_letter(event, "processing_error", f"{type(exc).__name__}: {exc}")
                continue
            if track is None:
                self.metrics.articles_untracked.inc()
            else:
                # Where it came from: a copy sent again after a crash is known by it, however old.
                message = event.message
                source = f"{message.topic}:{message.partition}:{message.offset}".encode()
                await self.topics.tracked.send(
                    key=track, value=article_to_bytes(article), headers={SOURCE_HEADER: source}
                )
            self.processed[event.message.tp] = event.message.offset

    async def track(self, stream: faust.StreamT[Any]) -> None:
        """Process each article of a track. Its offset is acknowledged (and later committed) only
        once its table writes and then its alerts are acknowledged by the broker: a crash before
        that redelivers the article, and the track's journal redoes what did not arrive."""
        async for event in stream.events():
            track_id = event.key
            try:
                article = article_from_bytes(event.value, self.settings.max_article_bytes)
                if track_id not in self.journals_redone:
                    await self.redo_journal(track_id)
                source = source_of(event)
                if source is not None and source[1] <= self.position(track_id, source[0]):
                    # Ingested again after a crash: this track took it already. (The dedup index
                    # may have forgotten it since: past its horizon it would pass for new.)
                    self.metrics.redelivered.inc()
                    self.processed[event.message.tp] = event.message.offset
                    continue
                outcome, journal = self.process(track_id, article, source)
            except InvalidArticle as exc:
                await self.dead_letter(event, exc.reason, str(exc))
                self.processed[event.message.tp] = event.message.offset
                continue
            except Exception as exc:  # a poison article must not stop the stream
                logger.exception("processing failed for a message of track %s", track_id)
                # What it half did in memory is dropped: the next article reads the tables again.
                self.cache.entries.pop(track_id, None)
                self.dedup_stores.pop(track_id, None)
                self.dedup_writes.pop(track_id, None)
                await self.dead_letter(event, "processing_error", f"{type(exc).__name__}: {exc}")
                self.processed[event.message.tp] = event.message.offset
                continue
            if journal is not None:
                # The journal first: once it is acknowledged, a worker taking the track over
                # redoes whatever of the writes below did not arrive.
                await self.flush()
                write_all(self.tables.track_state, journal.state)
                write_all(self.tables.dedup, journal.dedup)
            await self.emit(article, outcome, journal.alerts if journal is not None else ())
            if journal is not None:
                # Writes and alerts acknowledged before the offset is.
                await self.flush()
                if journal.alerts:
                    # A worker taking the track over has nothing to send again.
                    self.write_journal(track_id, journal.done())
            self.processed[event.message.tp] = event.message.offset

    async def flush(self) -> None:
        """Wait until every record sent so far (table writes included) is acknowledged."""
        if self.app is not None:
            await self.app.producer.flush()

    async def redo_journal(self, track_id: str) -> None:
        """Write the last journalled article's table writes again and, unless they were
        acknowledged, send its alerts again: the worker that wrote the journal may have stopped
        before any of them arrived."""
        self.journals_redone.add(track_id)
        self.journal_sizes[track_id] = journal_size(track_id, self.tables.track_state.get)
        try:
            journal = read_journal(track_id, self.tables.track_state.get)
        except IncompleteJournal as exc:
            # Its writer stopped before the flush that precedes any write or alert.
            logger.info("track %s: the last journal was cut short (%s); nothing to redo", track_id, exc)
            return
        except ValueError:
            logger.warning("track %s: its journal entry is damaged; not redone", track_id)
            return
        if journal is None:
            return
        if not (journal.state or journal.dedup or journal.alerts):
            return
        write_all(self.tables.track_state, journal.state)
        write_all(self.tables.dedup, journal.dedup)
        self.cache.entries.pop(track_id, None)
        self.dedup_stores.pop(track_id, None)
        self.positions.pop(track_id, None)
        if not journal.alerts:
            return
        logger.warning(
            "track %s: the alerts of article %s may not have reached the broker before its worker "
            "stopped; sending them again (%d)",
            track_id,
            journal.article,
            len(journal.alerts),
        )
        await self.flush()
        for kind, value in journal.alerts:
            topic = self.topics.alerts if kind == "new" else self.topics.updates
            await topic.send(key=track_id, value=value)
            self.metrics.alerts_resent.inc()
        await self.flush()
        self.write_journal(track_id, journal.done())

    def write_journal(self, track_id: str, journal: Journal) -> None:
        """Write ``journal`` as the track's journal (its head, then its pieces)."""
        writes = journal_records(track_id, journal, self.journal_sizes.get(track_id, 0))
        write_all(self.tables.track_state, writes)
        self.journal_sizes[track_id] = sum(1 for value in writes.values() if value is not None)

    def position(self, track_id: str, source: str) -> int:
        """The last offset of ``source`` (``topic:partition``) that the track took (-1: none)."""
        positions = self.positions.get(track_id)
        if positions is None:
            raw = self.tables.track_state.get(positions_key(track_id))
            positions = self.positions[track_id] = {str(k): int(v) for k, v in json.loads(raw).items()} if raw else {}
        return positions.get(source, -1)

    def process(
        self, track_id: str, article: Article, source: tuple[str, int] | None = None
    ) -> tuple[Outcome, Journal | None]:
        """One article through the core against the track's stored state and dedup index. Its
        table writes are not made here: they are in the journal returned (None: it wrote nothing
        and decided nothing), which is written to the table."""
        started = time.perf_counter()
        stored = self.cache.load(self.tables.track_state, track_id)
        store = self.dedup_stores.get(track_id)
        recorder = self.dedup_writes.get(track_id)
        if store is None or recorder is None:
            recorder = self.dedup_writes[track_id] = Deferred(self.tables.dedup)
            store = self.dedup_stores[track_id] = PersistedStore(PrefixedStore(recorder, track_id))
        index = DedupIndex(store, horizon=self.horizon)
        outcome = process(stored.state, index, article, dt.datetime.now(dt.UTC), self.detector)
        if outcome.redelivered:
            self.metrics.redelivered.inc()
        store.flush()
        dedup = recorder.take()
        new_stored = stored
        state_writes: dict[str, bytes | None] = {}
        if outcome.state is not stored.state:
            new_stored, state_writes = statestore.changes(stored, outcome.state)
        alerts = tuple((a.kind, alert_to_bytes(a)) for a in (*outcome.alerts, *outcome.updates))
        journal = None
        if state_writes or dedup or alerts:
            if source is not None:
                self.position(track_id, source[0])
                self.positions[track_id][source[0]] = source[1]
                state_writes[positions_key(track_id)] = json.dumps(self.positions[track_id]).encode()
            journal = Journal(article.id, state_writes, dedup, alerts)
            self.write_journal(track_id, journal)
        # The cache holds the new state already; the table gets its entries once the journal is in.
        self.cache.entries[track_id] = new_stored
        self.metrics.dedup_index_size.labels(track_id).set(index.size())
        self.metrics.process_seconds.observe(time.perf_counter() - started)
        self.metrics.last_article.set(time.time())
        return outcome, journal

    async def emit(self, article: Article, outcome: Outcome, encoded: tuple[tuple[str, bytes], ...] = ()) -> None:
        """Send the outcome's alerts and updates (``encoded``: their bytes, as journalled, in
        order; encoded here when not given); count what it found."""
        metrics = self.metrics
        values = iter(value for _, value in encoded)
        if outcome.duplicate is not None:
            metrics.duplicates.labels(outcome.duplicate).inc()
        for mention in outcome.mentions:
            metrics.developments.labels(outcome.state.track, mention.type).inc()
        for alert in outcome.alerts:
            await self._send(self.topics.alerts, alert, next(values, None))
            metrics.alerts.labels(alert.development.track, alert.development.type).inc()
            if article.fetched is not None:
                latency = (dt.datetime.now(dt.UTC) - article.fetched).total_seconds()
                metrics.alert_latency.observe(max(0.0, latency))
        for update in outcome.updates:
            await self._send(self.topics.updates, update, next(values, None))
            metrics.updates.labels(update.development.track, update.development.type).inc()
        state = outcome.state
        metrics.track_rounds.labels(state.track).set(state.rounds)
        metrics.track_agreements.labels(state.track).set(state.agreements)
        metrics.track_developments.labels(state.track).set(len(state.developments))

    async def dead_letter(self, event: Any, reason: str, error: str) -> None:
        """Count a rejected message and send it, with why and where it was, to the dead-letter topic."""
        self.metrics.deadletter.labels(reason).inc()
        message = event.message
        logger.warning(
            "dead letter (%s) from %s[%s]@%s: %s", reason, message.topic, message.partition, message.offset, error
        )
        payload = event.value if isinstance(event.value, bytes) else None
        await self.topics.deadletter.send(
            key=reason,
            value=deadletter_to_bytes(
                reason=reason,
                error=error,
                payload=payload,
                topic=message.topic,
                partition=message.partition,
                offset=message.offset,
            ),
        )

    @staticmethod
    async def _send(topic: Any, alert: Alert, value: bytes | None = None) -> None:
        # Keyed by track: a subscriber reads one track's alerts in the order they were decided.
        # The deterministic development id is in the value, for idempotent consumers.
        await topic.send(key=alert.development.track, value=value if value is not None else alert_to_bytes(alert))
        # A new development is news for the log; a corroboration (most messages) only at debug.
        level = logging.INFO if alert.kind == "new" else logging.DEBUG
        logger.log(level, "%s %s: %s", alert.kind, alert.id, alert.development.summary)


def register_agents(
    app: faust.App, topics: Topics, tables: Tables, metrics: Metrics, settings: Settings, detector: Detector
) -> Agents:
    """Attach the ingest and track agents to ``app``; ``detector`` knows the configured tracks."""
    agents = Agents(topics, tables, metrics, settings, detector)
    agents.register(app)
    return agents
