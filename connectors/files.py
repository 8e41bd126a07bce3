"""The file connector: seed files and article dumps as article messages.

Reads ``.txt`` (one article: the file's text; its id is the file name), ``.json`` (one article
object) and ``.jsonl`` (one article object per line). A directory is read in name order; paths in
the order given. Feed files (``.xml``, ``.rss``, ``.atom``) are turned into articles by the feed
parser. The messages then go out in publication order (:func:`in_time_order`), so ``publish`` and
``replay`` of the same articles in any order give the same alerts. Each input is judged on its own
(:func:`read_inputs`): an unusable one is rejected with a reason and the rest is read. JSON messages
are kept as bytes (read only for their time), so that a bad line reaches the worker's dead-letter
topic (``publish``) or a clear warning (``replay``) instead of being lost.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from connectors.source import RawSink
from streams.core.errors import ConfigError, InvalidArticle
from streams.core.models import Article
from streams.core.times import news_order
from streams.core.wire import article_from_bytes, article_to_bytes

logger = logging.getLogger(__name__)

ARTICLE_SUFFIXES = (".txt", ".json", ".jsonl")
# The largest input read from a file; the article topic's own limit is DIPWATCH_MAX_ARTICLE_BYTES.
MAX_BYTES = 2_000_000
FEED_SUFFIXES = (".xml", ".rss", ".atom")

#: Turns the bytes of a feed file into articles; provided by the RSS connector.
FeedReader = Callable[[bytes, str], list[Article]]


@dataclass(frozen=True, slots=True)
class FileMessage:
    """One message read from a file: where it came from and its raw bytes."""

    origin: str
    payload: bytes


@dataclass(frozen=True, slots=True)
class Rejected:
    """An input that is not read: where it is, a short reason (a metric-style label) and why."""

    origin: str
    reason: str
    detail: str


def expand(paths: Iterable[Path], rejected: list[Rejected] | None = None) -> list[Path]:
    """Files to read: each directory replaced by its readable files in name order.

    A path that does not exist is rejected (``missing``) when ``rejected`` is given, else raised.
    """
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                p for p in sorted(path.iterdir()) if p.is_file() and p.suffix in ARTICLE_SUFFIXES + FEED_SUFFIXES
            )
        elif path.is_file():
            files.append(path)
        else:
            msg = f"{path}: no such file or directory"
            if rejected is None:
                raise ConfigError(msg)
            rejected.append(Rejected(str(path), "missing", "no such file or directory"))
    return files


def _text_problem(data: bytes, max_bytes: int) -> tuple[str, str] | None:
    """Why ``data`` is no usable article text, or None."""
    if len(data) > max_bytes:
        return "too_large", f"{len(data)} bytes, over the {max_bytes}-byte limit"
    if b"\0" in data:
        return "not_text", "a NUL byte: a binary file"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return "not_text", f"not UTF-8 ({exc.reason} at byte {exc.start})"
    if not text.strip():
        return "empty", "no text"
    return None


def text_article(path: Path, text: str, fetched: dt.datetime | None) -> Article:
    """A ``.txt`` file as an article: the file name is its id and, lacking an outlet, its source."""
    return Article(
        id=path.name,
        source=path.name,
        url=None,
        title="",
        published=None,
        fetched=fetched,
        language=None,
        text=text,
        connector="files",
    )


def read_inputs(
    paths: Iterable[Path],
    *,
    fetched: dt.datetime | None = None,
    feed_reader: FeedReader | None = None,
    max_bytes: int = MAX_BYTES,
) -> tuple[list[FileMessage], list[Rejected]]:
    """The article messages of ``paths`` in publication order, and the inputs judged unusable.

    A missing path, an unknown file type, a binary or non-UTF-8 ``.txt``, an empty input, an
    input or a ``.jsonl`` line over ``max_bytes``, and a feed file that holds no feed are rejected
    with a reason; the rest is read. A ``.json``/``.jsonl`` message is not parsed here: the worker
    dead-letters a bad one, ``replay`` says why it skipped it.
    """
    messages: list[FileMessage] = []
    rejected: list[Rejected] = []
    for path in expand(paths, rejected):
        origin = str(path)
        if path.suffix not in ARTICLE_SUFFIXES + FEED_SUFFIXES:
            known = ", ".join(ARTICLE_SUFFIXES + FEED_SUFFIXES)
            rejected.append(Rejected(origin, "unknown_type", f"not one of {known}"))
            continue
        try:
            data = path.read_bytes()
        except OSError as exc:
            rejected.append(Rejected(origin, "unreadable", exc.strerror or str(exc)))
            continue
        if path.suffix == ".jsonl":
            lines = [(n, line) for n, line in enumerate(data.splitlines(), 1) if line.strip()]
            if not lines:
                rejected.append(Rejected(origin, "empty", "no lines"))
            for number, line in lines:
                if len(line) > max_bytes:
                    rejected.append(Rejected(f"{path}:{number}", "too_large", f"{len(line)} bytes"))
                else:
                    messages.append(FileMessage(f"{path}:{number}", line))
            continue
        problem = _text_problem(data, max_bytes)
        if problem is not None:
            rejected.append(Rejected(origin, *problem))
            continue
        if path.suffix == ".txt":
            article = text_article(path, data.decode("utf-8"), fetched)
            messages.append(FileMessage(origin, article_to_bytes(article)))
        elif path.suffix in FEED_SUFFIXES:
            if feed_reader is None:
                msg = f"{path}: feed files need the RSS connector"
                raise ConfigError(msg)
            articles = feed_reader(data, path.stem)
            if not articles:
                rejected.append(Rejected(origin, "not_a_feed", "no RSS or Atom items"))
            messages.extend(FileMessage(origin, article_to_bytes(a)) for a in articles)
        else:
            messages.append(FileMessage(origin, data))
    return in_time_order(messages), rejected


def in_time_order(messages: list[FileMessage]) -> list[FileMessage]:
    """``messages`` in the order the news happened (:func:`~streams.core.times.news_order`).

    A dump or a feed file may list its articles in any order (feeds list newest first); read in
    publication order, every order of the same articles gives the same alerts, as a worker fed in
    time order would. Articles that state no time come after the dated ones, by id (the state dates
    them by the latest time it has heard of, the same whatever the order; ``.txt`` seeds keep their
    file-name order); messages that are no article (bad lines) come last, in the order given.
    """
    keyed, bad = [], []
    for message in messages:
        try:
            article = article_from_bytes(message.payload)
        except (InvalidArticle, RecursionError):
            bad.append(message)
            continue
        keyed.append((news_order(article.published, article.id), message))
    keyed.sort(key=lambda row: row[0])
    return [message for _, message in keyed] + bad


class FilesSource:
    """Seed files and article dumps as a :class:`~connectors.source.Source`: ``start`` judges every
    input (``rejected`` says which and why), ``run`` hands the good messages to ``sink`` in order."""

    def __init__(
        self,
        paths: Iterable[Path],
        sink: RawSink,
        *,
        fetched: dt.datetime | None = None,
        feed_reader: FeedReader | None = None,
        max_bytes: int = MAX_BYTES,
    ) -> None:
        self.paths = list(paths)
        self.sink = sink
        self.fetched = fetched
        self.feed_reader = feed_reader
        self.max_bytes = max_bytes
        self.messages: list[FileMessage] = []
        self.rejected: list[Rejected] = []
        self.delivered = 0

    async def start(self) -> None:
        self.messages, self.rejected = read_inputs(
            self.paths, fetched=self.fetched, feed_reader=self.feed_reader, max_bytes=self.max_bytes
        )

    async def run(self) -> None:
        for message in self.messages[self.delivered :]:
            await self.sink(message.origin, message.payload)
            self.delivered += 1

    async def stop(self) -> None:
        self.messages = []
