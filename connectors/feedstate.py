"""Per-feed state of the RSS connector, persisted so that a restart republishes nothing.

For each feed: the keys of the items already published (GUID, else link, else article id), in
the order they were published, and the HTTP validators (ETag, Last-Modified) of the last
response whose items all reached the sink. The file is JSON::

    {"version": 1, "feeds": {"<name>": {"url": ..., "etag": ..., "last_modified": ...,
                                        "seen": ["<key>", ...]}}}

It is written atomically (a temporary file in the same directory, fsync, rename) so that a crash
leaves either the old or the new state, never half of one. Each feed keeps at most ``keep`` keys
besides those still present in the feed's current document, so the file stays bounded while an
item still listed by the feed is never forgotten (and so never republished).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import tempfile
import time
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from streams.core.errors import ConfigError

logger = logging.getLogger(__name__)

STATE_VERSION = 1
DEFAULT_STATE_PATH = Path(".dipwatch") / "feeds-state.json"
DEFAULT_KEEP = 2000
# A GUID is any string a feed chooses; a hostile one must not bloat the state file.
MAX_KEY_CHARS = 256


@dataclass(slots=True)
class FeedState:
    """What the connector remembers about one feed; ``seen`` keeps insertion order."""

    url: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    seen: dict[str, None] = field(default_factory=dict)


def state_key(key: str) -> str:
    """The key as stored: itself when short, else a digest of it."""
    if len(key) <= MAX_KEY_CHARS:
        return key
    return "sha256:" + hashlib.sha256(key.encode("utf-8", errors="surrogatepass")).hexdigest()


class FeedStateStore:
    """The state of every feed, loaded from and saved to one JSON file (``path``; None: memory only)."""

    def __init__(self, path: Path | None = DEFAULT_STATE_PATH, *, keep: int = DEFAULT_KEEP) -> None:
        if keep < 1:
            msg = f"the feed state must keep at least 1 item key per feed, got {keep}"
            raise ConfigError(msg)
        self.path = path
        self.keep = keep
        self._feeds: dict[str, FeedState] = {}
        self._dirty = False

    @property
    def dirty(self) -> bool:
        """True when something changed since the last load or save."""
        return self._dirty

    def load(self) -> None:
        """Read the state file; a missing file is an empty state, a corrupt one is set aside.

        A corrupt file is renamed (``*.corrupt-<unix time>``) rather than deleted, so that an
        operator can look at it; the connector then starts fresh and the stream's deduplication
        catches what it republishes.
        """
        self._feeds = {}
        self._dirty = False
        if self.path is None:
            return
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            logger.info("no feed state at %s yet: every item is new", self.path)
            return
        except OSError as exc:
            msg = f"feed state {self.path}: cannot be read: {exc.strerror or exc}"
            raise ConfigError(msg) from exc
        try:
            self._feeds = _decode(raw)
        except ValueError as exc:
            aside = self.path.with_name(f"{self.path.name}.corrupt-{int(time.time())}")
            logger.error("feed state %s is unusable (%s); moved to %s, starting fresh", self.path, exc, aside)
            with contextlib.suppress(OSError):
                os.replace(self.path, aside)
            self._feeds = {}
        logger.info("loaded feed state of %d feed(s) from %s", len(self._feeds), self.path)

    def save(self) -> None:
        """Write the state atomically when it changed; ConfigError when the directory is unusable."""
        payload = self.dump()
        if payload is not None:
            self.write(payload)

    def dump(self) -> bytes | None:
        """The serialised state when it changed since the last dump, else None.

        Split from :meth:`write` so that the event loop takes a consistent snapshot while the
        slow part (fsync) runs in a thread.
        """
        if self.path is None or not self._dirty:
            return None
        self._dirty = False
        return json.dumps(_encode(self._feeds), ensure_ascii=False, separators=(",", ":")).encode()

    def write(self, payload: bytes) -> None:
        """Atomically replace the state file with ``payload`` (temporary file, fsync, rename)."""
        if self.path is None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent)
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(payload)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.replace(tmp, self.path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise
        except OSError as exc:
            # Written again at the next change or at stop, whichever comes first.
            self._dirty = True
            msg = f"feed state {self.path}: cannot be written: {exc.strerror or exc}"
            raise ConfigError(msg) from exc

    def get(self, feed: str) -> FeedState:
        """The state of ``feed`` (a fresh one when unknown); do not mutate it directly."""
        return self._feeds.setdefault(feed, FeedState())

    def feeds(self) -> list[str]:
        """Names of the feeds with a state."""
        return list(self._feeds)

    def is_seen(self, feed: str, key: str) -> bool:
        """True when the item ``key`` of ``feed`` was already published."""
        state = self._feeds.get(feed)
        return state is not None and state_key(key) in state.seen

    def mark_seen(self, feed: str, key: str) -> None:
        """Record that the item ``key`` of ``feed`` reached the sink."""
        seen = self.get(feed).seen
        stored = state_key(key)
        # Move to the end: the most recently confirmed keys are the last ones trimmed.
        seen.pop(stored, None)
        seen[stored] = None
        self._dirty = True

    def validators(self, feed: str, url: str) -> tuple[str | None, str | None]:
        """(ETag, Last-Modified) for a conditional GET of ``url``; none when the URL changed."""
        state = self._feeds.get(feed)
        if state is None or state.url != url:
            return None, None
        return state.etag, state.last_modified

    def set_validators(self, feed: str, url: str, etag: str | None, last_modified: str | None) -> None:
        """Remember the validators of a response whose items all reached the sink."""
        state = self.get(feed)
        if (state.url, state.etag, state.last_modified) != (url, etag, last_modified):
            state.url, state.etag, state.last_modified = url, etag, last_modified
            self._dirty = True

    def trim(self, feed: str, current: Collection[str] = ()) -> None:
        """Keep the keys in ``current`` (the feed's present items) plus the newest others up to ``keep``."""
        state = self._feeds.get(feed)
        if state is None or len(state.seen) <= self.keep:
            return
        present = {state_key(k) for k in current}
        budget = max(self.keep - sum(1 for k in state.seen if k in present), 0)
        others = [k for k in state.seen if k not in present]
        dropped = set(others[: len(others) - budget])
        state.seen = {k: None for k in state.seen if k not in dropped}
        self._dirty = True
        logger.debug("feed %s: trimmed %d old item keys", feed, len(dropped))


def _encode(feeds: dict[str, FeedState]) -> dict[str, object]:
    return {
        "version": STATE_VERSION,
        "feeds": {
            name: {
                "url": s.url,
                "etag": s.etag,
                "last_modified": s.last_modified,
                "seen": list(s.seen),
            }
            for name, s in feeds.items()
        },
    }


def _optional_str(value: object, what: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    msg = f"{what} is not a string"
    raise ValueError(msg)


def _decode(raw: bytes) -> dict[str, FeedState]:
    try:
        document = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        msg = f"not JSON: {exc}"
        raise ValueError(msg) from exc
    if not isinstance(document, dict) or document.get("version") != STATE_VERSION:
        msg = f"not a version {STATE_VERSION} feed state"
        raise ValueError(msg)
    feeds = document.get("feeds")
    if not isinstance(feeds, dict):
        msg = "'feeds' is not an object"
        raise ValueError(msg)
    result: dict[str, FeedState] = {}
    for name, entry in feeds.items():
        if not isinstance(entry, dict):
            msg = f"feed {name!r} is not an object"
            raise ValueError(msg)
        seen = entry.get("seen", [])
        if not isinstance(seen, list) or not all(isinstance(k, str) for k in seen):
            msg = f"feed {name!r}: 'seen' is not a list of strings"
            raise ValueError(msg)
        result[name] = FeedState(
            url=_optional_str(entry.get("url"), f"feed {name!r}: url"),
            etag=_optional_str(entry.get("etag"), f"feed {name!r}: etag"),
            last_modified=_optional_str(entry.get("last_modified"), f"feed {name!r}: last_modified"),
            seen=dict.fromkeys(seen),
        )
    return result
