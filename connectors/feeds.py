"""The feeds file: which RSS/Atom feeds the connector polls, and how often.

A TOML file with one ``[[feeds]]`` table per feed::

    [[feeds]]
    name = "aljazeera-ar"                # unique; the ``feed`` label of the metrics
    url = "https://www.aljazeera.net/aljazeerarss/..."
    language = "ar"                      # optional; else the feed's own, else guessed from the text
    interval = 300                       # seconds between polls
    fetch_full_text = false              # optional; fetch each linked page and extract its text

Unknown keys are refused so that a typo (``intervall``) does not silently fall back to a default.
"""

from __future__ import annotations

import logging
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from streams.core.errors import ConfigError

logger = logging.getLogger(__name__)

#: Shorter intervals are refused as a mistake; tests poll loopback servers at sub-second intervals.
MIN_INTERVAL = 0.05
#: Below this the connector still runs but says it is impolite to real outlets.
POLITE_INTERVAL = 60.0

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*$")
_KEYS = frozenset({"name", "url", "language", "interval", "fetch_full_text"})


@dataclass(frozen=True, slots=True)
class FeedConfig:
    """One feed to poll.

    ``name`` is unique in the file and labels the metrics and the persisted state; ``language``
    is a lower-case primary tag (``ar``, ``en``, ``ru``) or None; ``interval`` is in seconds.
    """

    name: str
    url: str
    interval: float
    language: str | None = None
    fetch_full_text: bool = False


def load_feeds(path: Path) -> tuple[FeedConfig, ...]:
    """Read and validate the feeds file at ``path``; raise ConfigError saying what is wrong."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        msg = f"feeds file {path}: cannot be read: {exc.strerror or exc}"
        raise ConfigError(msg) from exc
    try:
        document = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        msg = f"feeds file {path}: not UTF-8 ({exc.reason} at byte {exc.start})"
        raise ConfigError(msg) from exc
    except tomllib.TOMLDecodeError as exc:
        msg = f"feeds file {path}: not valid TOML: {exc}"
        raise ConfigError(msg) from exc
    return parse_feeds(document, origin=str(path))


def parse_feeds(document: Mapping[str, object], *, origin: str = "feeds file") -> tuple[FeedConfig, ...]:
    """Validate a decoded feeds document (``{"feeds": [{...}, ...]}``) into feed configs."""
    extra = sorted(set(document) - {"feeds"})
    if extra:
        msg = f"{origin}: unknown top-level key(s) {', '.join(extra)}; expected only [[feeds]] tables"
        raise ConfigError(msg)
    tables = document.get("feeds")
    if not isinstance(tables, list) or not tables:
        msg = f"{origin}: no feeds; add at least one [[feeds]] table with name, url and interval"
        raise ConfigError(msg)
    feeds: list[FeedConfig] = []
    seen: dict[str, int] = {}
    for number, table in enumerate(tables, 1):
        where = f"{origin}: feed #{number}"
        if not isinstance(table, Mapping):
            msg = f"{where}: must be a table ([[feeds]]), got {type(table).__name__}"
            raise ConfigError(msg)
        feed = _parse_one(table, where)
        if feed.name in seen:
            msg = f"{where}: name {feed.name!r} already used by feed #{seen[feed.name]}; names must be unique"
            raise ConfigError(msg)
        seen[feed.name] = number
        feeds.append(feed)
    return tuple(feeds)


def _parse_one(table: Mapping[str, object], where: str) -> FeedConfig:
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        msg = f"{where}: unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(_KEYS))}"
        raise ConfigError(msg)
    for key in ("name", "url", "interval"):
        if key not in table:
            msg = f"{where}: missing required key {key!r}"
            raise ConfigError(msg)

    name = table["name"]
    if not isinstance(name, str) or not _NAME.match(name):
        msg = (
            f"{where}: name {name!r} must be 1-64 characters of letters, digits, '.', '_' or '-' "
            "(it becomes a metric label)"
        )
        raise ConfigError(msg)
    where = f"{where} ({name})"

    url = table["url"]
    if not isinstance(url, str):
        msg = f"{where}: url must be a string"
        raise ConfigError(msg)
    url = url.strip()
    _check_url(url, where)

    interval = table["interval"]
    # bool is an int subclass; "interval = true" is a mistake, not one second.
    if isinstance(interval, bool) or not isinstance(interval, int | float):
        msg = f"{where}: interval must be a number of seconds, got {interval!r}"
        raise ConfigError(msg)
    if not interval >= MIN_INTERVAL or interval == float("inf"):
        msg = f"{where}: interval must be at least {MIN_INTERVAL} seconds, got {interval}"
        raise ConfigError(msg)
    if interval < POLITE_INTERVAL:
        logger.warning("%s: polls every %s s; real outlets expect %s s or more", where, interval, POLITE_INTERVAL)

    language = table.get("language")
    if language is not None:
        if not isinstance(language, str) or not _LANGUAGE.match(language):
            msg = f"{where}: language must be a language tag such as 'ar', 'en' or 'ru', got {language!r}"
            raise ConfigError(msg)
        language = primary_language(language)

    full_text = table.get("fetch_full_text", False)
    if not isinstance(full_text, bool):
        msg = f"{where}: fetch_full_text must be true or false, got {full_text!r}"
        raise ConfigError(msg)

    return FeedConfig(name=name, url=url, interval=float(interval), language=language, fetch_full_text=full_text)


def _check_url(url: str, where: str) -> None:
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises on a port that is not a number
    except ValueError as exc:
        msg = f"{where}: url {url!r} is not a valid URL: {exc}"
        raise ConfigError(msg) from exc
    if parts.scheme not in ("http", "https"):
        msg = f"{where}: url {url!r} must be http:// or https://"
        raise ConfigError(msg)
    if not parts.hostname:
        msg = f"{where}: url {url!r} has no host"
        raise ConfigError(msg)


def primary_language(tag: str) -> str | None:
    """The lower-case primary subtag of a language tag (``en-US`` → ``en``), or None when empty."""
    primary = re.split(r"[-_]", tag.strip(), maxsplit=1)[0].lower()
    return primary or None
