"""Deduplication index: exact duplicates, near-duplicate reprints and the stories they form.

The index keeps everything in an injected ``MutableMapping[str, str]``: a dict in replay and
tests, a Faust table (changelog-backed) in the worker. Values are never mutated in place, only
reassigned, because a Faust table persists assignments, not mutations of what it returned.

Store layout (every key and value is a short string)::

    a:<article id>            record: "<signature>|<text hash>|<story id or ''>|<source>"
    <scheme><band><values>    LSH band (e.g. 'c3K#x_2') -> record key of the newest article with it
    u:<url digest>            canonical URL -> record key (only when the id is not URL-derived)
    h:<text digest>           normalised short text -> record key (texts too short for LSH)
    s:<article id>            story of that first article, once a second article joined:
                              JSON {"a": [article ids], "s": [sources], "t": last hour}
    c:                        number of records held
    e:, e:<hour>, e:<hour>.<n>  eviction buckets: the keys written in each hour (buckets.py)

A story's id is ``"s:" + <id of its first article>``, so it is stable across restarts and
replays, and a story of one article needs no entry of its own. Eviction reads only the
buckets of the hours past the horizon, never the whole store (a Faust table view prefixed by
track would have to scan every track to iterate).

Texts are capped before normalising (:data:`MAX_TEXT_CHARS`), and at most
``MinHashParams.max_tokens`` words are shingled, so a 2 MB article costs about what a long
article costs: its exact hash covers the first characters plus the length. Oversized
messages are rejected upstream by the wire decoder (``max_article_bytes``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import MutableMapping
from dataclasses import dataclass, field
from typing import Any, Literal

from streams.core.buckets import HourBuckets, hour_of
from streams.core.canonical import article_id as derive_article_id
from streams.core.minhash import MinHashParams, band_keys, decode, encode, signature, similarity
from streams.core.models import Article
from streams.core.normalise import tokens

logger = logging.getLogger(__name__)

DuplicateKind = Literal["exact", "reprint"]

DEFAULT_HORIZON = dt.timedelta(days=30)
# Where the index notes the hour it last evicted (in memory only: see dedupstore).
EVICTED_KEY = "t:"
# Characters of a text that are normalised and hashed; beyond this only the length counts.
MAX_TEXT_CHARS = 12_000
# Keys per eviction chunk: every new article rewrites its chunk, so a small chunk keeps what a
# changelog receives per article small (~200 bytes on average).
EVICTION_CHUNK = 16
# A story lists at most this many article ids and sources; its count goes on.
MAX_STORY_ITEMS = 200
_ID_UNSAFE = ("|", "\n", "\r")
_MAX_ID_CHARS = 200
_NO_SIGNATURE = "-"


@dataclass(frozen=True, slots=True)
class Verdict:
    """What the index said about one article.

    ``duplicate`` is None for an article that opens a new story, ``"exact"`` for the same URL or
    the same normalised text again, ``"reprint"`` for a near-duplicate of an indexed article.
    ``story_id`` is the story the article belongs to; ``independent`` is True only for the
    outlet that first published a story. ``matched`` is the id of the indexed article it
    duplicates and ``similarity`` the estimated Jaccard similarity of their shingles.

    ``redelivered`` marks an exact duplicate that is the very same article id again. Under
    at-least-once delivery that can be a message whose processing was cut short after the index
    recorded it (a worker crash before the offset commit); a caller whose later steps are
    idempotent may process it again instead of dropping it.
    """

    duplicate: DuplicateKind | None
    story_id: str
    article_id: str
    independent: bool
    matched: str | None = None
    similarity: float | None = None
    redelivered: bool = False


@dataclass(frozen=True, slots=True)
class Story:
    """The articles of one story and their sources (distinct, first publisher first)."""

    story_id: str
    article_ids: tuple[str, ...]
    sources: tuple[str, ...]
    size: int

    @property
    def origin(self) -> str | None:
        """The source that first published the story: the only independent one."""
        return self.sources[0] if self.sources else None


@dataclass(frozen=True, slots=True)
class _Record:
    signature: str
    text_hash: str
    story_id: str
    source: str


@dataclass(frozen=True, slots=True)
class DedupConfig:
    """Thresholds of the index.

    ``threshold``: the estimated shingle similarity at which a candidate is a reprint
    (independent write-ups of one event measure 0.02-0.04 on the seeds, reprints with 20% of
    their words changed about 0.45). ``min_tokens``: texts with fewer words (a headline only)
    are matched exactly, never by LSH, so short texts do not collapse into one story.
    ``min_exact_tokens``: texts with fewer words than this are matched by id and URL only.
    """

    minhash: MinHashParams = field(default_factory=MinHashParams)
    threshold: float = 0.35
    min_tokens: int = 25
    min_exact_tokens: int = 4


def _digest(text: str, size: int = 10) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=size).hexdigest()


def _utc(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def index_id(article_id: str) -> str:
    """The id under which the index knows an article: itself, or a digest when unsafe to embed."""
    if len(article_id) > _MAX_ID_CHARS or any(c in article_id for c in _ID_UNSAFE):
        return "#" + _digest(article_id)
    return article_id


def story_id_for(article_id: str) -> str:
    """The id of the story that ``article_id`` opens: deterministic across restarts and replays."""
    return "s:" + index_id(article_id)


class DedupIndex:
    """Exact and near-duplicate detection over an injected string store, bounded by a horizon.

    ``check`` both looks up and records, so it must see each article once per delivery; a
    redelivered article is an exact duplicate of itself. Several instances may be created over
    the same store one after the other (one per message in the worker): all state is in the
    store.
    """

    def __init__(
        self,
        store: MutableMapping[str, str],
        *,
        horizon: dt.timedelta = DEFAULT_HORIZON,
        config: DedupConfig | None = None,
    ) -> None:
        if horizon <= dt.timedelta(0):
            msg = f"the dedup horizon must be positive, got {horizon}"
            raise ValueError(msg)
        self.store = store
        self.horizon = horizon
        self.config = config or DedupConfig()
        self.buckets = HourBuckets(store, prefix="e:", chunk=EVICTION_CHUNK)

    # -- lookup and record -------------------------------------------------------------------

    def check(self, article: Article, now: dt.datetime) -> Verdict:
        """Classify ``article`` against what the index holds, then record it at time ``now``."""
        hour = hour_of(now)
        aid = index_id(article.id)
        record_key = "a:" + aid
        existing = self._record(record_key)
        if existing is not None:
            # The same id is the same canonical URL (or the same text when there is no URL).
            story = existing.story_id or "s:" + aid
            return Verdict("exact", story, article.id, False, article.id, 1.0, redelivered=True)

        url_key = self._url_key(article)
        if url_key is not None:
            target = self.store.get(url_key)
            if target is not None:
                return self._join_exact(article, target, hour)

        # Only the head of a text is normalised and hashed, so a 2 MB article costs about what a
        # long one costs; beyond the cap only the length tells two texts apart.
        text = article.text
        head = text[:MAX_TEXT_CHARS]
        if not head.strip():
            text = article.title
            head = text[:MAX_TEXT_CHARS]
        words = tokens(head)
        length = str(len(text)) if len(text) > MAX_TEXT_CHARS else ""
        own_keys = [record_key] + ([url_key] if url_key else [])
        if len(words) < self.config.min_tokens:
            return self._check_short(article, words, length, own_keys, hour)

        params = self.config.minhash
        sig = signature(words, params)
        text_hash = _digest(" ".join(words) + "#" + length, 4)
        bands = band_keys(sig, params)
        best = self._nearest(sig, text_hash, bands, record_key)
        if best is not None and best[1] >= self.config.threshold:
            exact, score, matched, story = best
            if exact:
                self._add_to_story(story, article, hour)
                return Verdict("exact", story, article.id, False, matched, 1.0)
            self._insert(encode(sig, params), text_hash, story, article, hour, own_keys)
            self._index_bands(bands, record_key)
            self._add_to_story(story, article, hour)
            logger.debug("reprint %s of %s (%.2f) in %s", article.id, matched, score, story)
            return Verdict("reprint", story, article.id, False, matched, score)

        self._insert(encode(sig, params), text_hash, "", article, hour, own_keys)
        self._index_bands(bands, record_key)
        return Verdict(None, "s:" + aid, article.id, True)

    def _nearest(
        self, sig: tuple[int, ...], text_hash: str, bands: list[str], record_key: str
    ) -> tuple[bool, float, str, str] | None:
        """The indexed article most like this one among those sharing a band: (same text, estimated
        similarity, its id, its story), or None.

        A story's first article is always a candidate too: the bands of its reprints overwrite its
        own, yet a verbatim copy of it must still be an exact duplicate.
        """
        params = self.config.minhash
        best: tuple[bool, float, str, str] | None = None
        seen = {record_key}
        queue = [c for c in dict.fromkeys(self.store.get(key) for key in bands) if c is not None]
        while queue:
            candidate = queue.pop()
            if candidate in seen:
                continue
            seen.add(candidate)
            record = self._record(candidate)
            other = decode(record.signature, params) if record is not None else None
            if record is None or other is None:
                continue
            if record.story_id:
                queue.append("a:" + record.story_id[2:])
            score = similarity(sig, other)
            exact = score == 1.0 and record.text_hash == text_hash
            if best is None or (exact, score) > best[:2]:
                best = (exact, score, candidate[2:], record.story_id or "s:" + candidate[2:])
        return best

    def _check_short(self, article: Article, words: list[str], length: str, own_keys: list[str], hour: str) -> Verdict:
        if len(words) >= self.config.min_exact_tokens:
            text_key = "h:" + _digest(" ".join(words) + "#" + length)
            target = self.store.get(text_key)
            if target is not None:
                return self._join_exact(article, target, hour)
            own_keys.append(text_key)
        self._insert(_NO_SIGNATURE, "", "", article, hour, own_keys)
        return Verdict(None, "s:" + own_keys[0][2:], article.id, True)

    def _url_key(self, article: Article) -> str | None:
        if not article.url or not article.url.strip():
            return None
        derived = derive_article_id(article.url, "")
        if derived == article.id:
            # The record key already is the canonical URL: no second entry needed.
            return None
        return "u:" + derived[2:]

    def _join_exact(self, article: Article, target: str, hour: str) -> Verdict:
        record = self._record(target)
        first = target[2:]
        story = (record.story_id if record else "") or "s:" + first
        self._add_to_story(story, article, hour)
        return Verdict("exact", story, article.id, False, first, 1.0)

    def _record(self, key: str) -> _Record | None:
        raw = self.store.get(key)
        if raw is None:
            return None
        parts = raw.split("|", 3)
        if len(parts) != 4:
            logger.warning("damaged dedup record %s: %r", key, raw[:80])
            return None
        return _Record(parts[0], parts[1], parts[2], parts[3])

    def _insert(self, sig: str, text_hash: str, story: str, article: Article, hour: str, own_keys: list[str]) -> None:
        # own_keys[0] is the record key; the URL and text keys point at that very string object,
        # which a dict store then holds once.
        record_key = own_keys[0]
        self.store[record_key] = f"{sig}|{text_hash}|{story}|{article.source}"
        for key in own_keys[1:]:
            self.store[key] = record_key
        self.store["c:"] = str(self.size() + 1)
        self.buckets.add(hour, own_keys)

    def _index_bands(self, bands: list[str], record_key: str) -> None:
        # Newest wins: a reprint arrives soon after its original, and a band that an unrelated
        # article shares by chance is better pointing at recent news.
        for key in bands:
            self.store[key] = record_key

    def _story_data(self, story_id: str) -> dict[str, Any] | None:
        raw = self.store.get(story_id)
        if raw is None:
            return None
        try:
            data = json.loads(raw)
        except ValueError:
            data = None
        if not isinstance(data, dict) or not isinstance(data.get("a"), list) or not isinstance(data.get("s"), list):
            logger.warning("damaged dedup story %s: %r", story_id, raw[:80])
            return None
        return data

    def _add_to_story(self, story_id: str, article: Article, hour: str) -> None:
        data = self._story_data(story_id)
        if data is None:
            first = story_id[2:]
            record = self._record("a:" + first)
            data = {"a": [first], "s": [record.source] if record else [], "n": 1, "t": ""}
        aid = index_id(article.id)
        if aid in data["a"]:
            return
        if len(data["a"]) < MAX_STORY_ITEMS:
            data["a"].append(aid)
        if article.source not in data["s"] and len(data["s"]) < MAX_STORY_ITEMS:
            data["s"].append(article.source)
        data["n"] = int(data.get("n", len(data["a"]))) + 1
        touched = data.get("t") != hour
        data["t"] = hour
        self.store[story_id] = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        if touched:
            self.buckets.add(hour, [story_id])

    # -- stories and size ---------------------------------------------------------------------

    def story(self, story_id: str) -> Story | None:
        """The articles and sources of ``story_id``, or None when the index does not know it."""
        data = self._story_data(story_id)
        if data is not None:
            return Story(story_id, tuple(data["a"]), tuple(data["s"]), int(data.get("n", len(data["a"]))))
        first = story_id[2:] if story_id.startswith("s:") else story_id
        record = self._record("a:" + first)
        if record is None or record.story_id:
            return None
        return Story(story_id, (first,), (record.source,), 1)

    def size(self) -> int:
        """Number of articles held (originals and reprints; exact duplicates are not held)."""
        return int(self.store.get("c:", "0"))

    # -- eviction -----------------------------------------------------------------------------

    def evict_due(self, now: dt.datetime) -> int:
        """Evict (see :meth:`evict`) once per hour of the clock ``now``; return the keys deleted.

        The hour of the last eviction is kept in the store, so the worker and a replay, fed the
        same articles, evict at the same points of their clock (publication times).
        """
        hour = hour_of(now)
        if self.store.get(EVICTED_KEY) == hour:
            return 0
        self.store[EVICTED_KEY] = hour
        dropped = self.evict(now)
        if dropped:
            logger.info("dedup index: evicted %d entries past the horizon at %s", dropped, hour)
        return dropped

    def evict(self, now: dt.datetime) -> int:
        """Drop what was recorded more than the horizon before ``now``; return the keys deleted.

        Works hour by hour: an entry lives between ``horizon`` and ``horizon`` + 1 hour. A story
        touched within the horizon is kept even when its first article is evicted.
        """
        cutoff = _utc(now) - self.horizon
        cutoff_hour = hour_of(cutoff)
        deleted = records = 0
        for key in self.buckets.pop_until(cutoff):
            dropped = self._drop(key, cutoff_hour)
            deleted += dropped
            if dropped and key.startswith("a:"):
                records += 1
        if records:
            self.store["c:"] = str(max(0, self.size() - records))
            logger.debug("evicted %d keys (%d articles) up to %s", deleted, records, cutoff)
        return deleted

    def _drop(self, key: str, cutoff_hour: str) -> int:
        if not key:
            return 0
        if key.startswith("a:"):
            record = self._record(key)
            if record is None:
                self.store.pop(key, None)
                return 0
            deleted = 1
            sig = decode(record.signature, self.config.minhash) if record.signature != _NO_SIGNATURE else None
            if sig is not None:
                for band in band_keys(sig, self.config.minhash):
                    if self.store.get(band) == key:
                        del self.store[band]
                        deleted += 1
            del self.store[key]
            return deleted
        if key.startswith("s:"):
            data = self._story_data(key)
            if data is not None and str(data.get("t", "")) > cutoff_hour:
                return 0
            return 1 if self.store.pop(key, None) is not None else 0
        return 1 if self.store.pop(key, None) is not None else 0
