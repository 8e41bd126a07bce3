"""The file connector: seed files and article dumps as article messages.

Reads ``.txt`` (one article: the file's text; its id is the file name), ``.json`` (one article
object) and ``.jsonl`` (one article object per line). A directory is read in name order; paths in
the order given. Feed files (``.xml``, ``.rss``, ``.atom``) are turned into articles by the feed
parser. Messages are yielded as bytes, unparsed, so that a bad line reaches the worker's
dead-letter topic (``publish``) or a clear warning (``replay``) instead of being lost.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from streams.core.errors import ConfigError
from streams.core.models import Article
from streams.core.wire import article_to_bytes

logger = logging.getLogger(__name__)

ARTICLE_SUFFIXES = (".txt", ".json", ".jsonl")
FEED_SUFFIXES = (".xml", ".rss", ".atom")

#: Turns the bytes of a feed file into articles; provided by the RSS connector.
FeedReader = Callable[[bytes, str], list[Article]]


@dataclass(frozen=True, slots=True)
class FileMessage:
    """One message read from a file: where it came from and its raw bytes."""

    origin: str
    payload: bytes


def expand(paths: Iterable[Path]) -> list[Path]:
    """Files to read: each directory replaced by its readable files in name order."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                p for p in sorted(path.iterdir())
                if p.is_file() and p.suffix in ARTICLE_SUFFIXES + FEED_SUFFIXES
            )
        elif path.is_file():
            files.append(path)
        else:
            msg = f"{path}: no such file or directory"
            raise ConfigError(msg)
    return files


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


def iter_messages(
    paths: Iterable[Path],
    *,
    fetched: dt.datetime | None = None,
    feed_reader: FeedReader | None = None,
) -> Iterator[FileMessage]:
    """Yield the article messages of ``paths`` in order (see the module docstring)."""
    for path in expand(paths):
        data = path.read_bytes()
        if path.suffix == ".txt":
            article = text_article(path, data.decode("utf-8", errors="replace"), fetched)
            yield FileMessage(str(path), article_to_bytes(article))
        elif path.suffix == ".jsonl":
            for number, line in enumerate(data.splitlines(), 1):
                if line.strip():
                    yield FileMessage(f"{path}:{number}", line)
        elif path.suffix in FEED_SUFFIXES:
            if feed_reader is None:
                msg = f"{path}: feed files need the RSS connector"
                raise ConfigError(msg)
            for article in feed_reader(data, path.stem):
                yield FileMessage(str(path), article_to_bytes(article))
        else:
            yield FileMessage(str(path), data)
