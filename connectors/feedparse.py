"""Feed bytes → articles: feedparser on downloaded bytes, items mapped to :class:`Article`.

Pure functions, no I/O: the live connector (:mod:`connectors.rss`) and ``dipwatch replay`` of
``.xml``/``.rss``/``.atom`` files share them, so both turn the same feed into the same articles.

feedparser is only ever handed bytes in a ``BytesIO``: handed a string, it would open it as a URL
or read it as a local path. Its loose parser recovers entries from malformed XML; those are used,
and the parse is reported as *bozo* with the exception class so the connector can count it.
A DOCTYPE that declares entities is removed first (:mod:`connectors.xmlguard`): feedparser's own
guard misses declarations that do not start a line. External entities are never resolved.
"""

from __future__ import annotations

import calendar
import codecs
import datetime as dt
import io
import logging
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser

from connectors.feeds import primary_language
from connectors.xmlguard import strip_entity_declarations, wide_to_utf8
from streams.core.canonical import article_id
from streams.core.models import Article
from streams.core.times import news_order

logger = logging.getLogger(__name__)

CONNECTOR = "rss"
# Longest title kept: a feed that stuffs a whole article into <title> should not make alert lines unreadable.
MAX_TITLE_CHARS = 1000
# Longest text kept (a long news article is ~50k characters): far below the 2 MB message cap, so
# one oversized item cannot be refused by the broker at every poll and hold back the items after it.
MAX_TEXT_CHARS = 200_000

_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u200b\u200c\u200d\u2028\u2029]+")


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """What feedparser made of a document.

    ``version`` is feedparser's format name (``rss20``, ``rss10``, ``atom10``, …) or ``""`` when it
    recognised no feed; ``bozo_kinds`` names the problems met (exception classes), in order.
    """

    version: str
    title: str
    link: str | None
    language: str | None
    entries: tuple[Any, ...]
    bozo_kinds: tuple[str, ...] = ()
    bozo_message: str | None = None

    @property
    def is_feed(self) -> bool:
        """False for an HTML page, a JSON error or noise served where a feed was expected."""
        return bool(self.version) or bool(self.entries)


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One item of a feed as an article, with the key that says whether it was seen before.

    ``key`` is the item's GUID (``guid:…``) when it has one, else the article id (from the
    canonical link, else from the text).
    """

    key: str
    article: Article


def parse_feed_bytes(data: bytes, headers: Mapping[str, str] | None = None) -> ParsedFeed:
    """Parse the bytes of a feed; ``headers`` are the HTTP response headers (lower-case names).

    ``content-type`` gives the charset, ``content-location`` the base of relative links and
    ``content-language`` a default language.
    """
    response_headers = {k.lower(): v for k, v in (headers or {}).items()}
    kinds: list[str] = []
    transcoded = wide_to_utf8(data)
    if transcoded is not None:
        data = transcoded
        media = response_headers.get("content-type", "").split(";", 1)[0].strip() or "application/xml"
        response_headers["content-type"] = f"{media}; charset=utf-8"
    defused = strip_entity_declarations(data)
    if defused is not None:
        data = defused
        kinds.append("EntityDeclarationsRemoved")
    fixed = _utf8_override(data, response_headers)
    if fixed is not None:
        response_headers["content-type"] = fixed
        kinds.append("CharacterEncodingOverride")
    result = feedparser.parse(io.BytesIO(data), response_headers=response_headers)
    message = None
    if result.get("bozo"):
        exc = result.get("bozo_exception")
        kind = type(exc).__name__ if exc is not None else "Unknown"
        if kind not in kinds:
            kinds.append(kind)
        message = str(exc)
    meta = result.get("feed", {})
    return ParsedFeed(
        version=str(result.get("version") or ""),
        title=_plain(meta.get("title", "")),
        link=_http_url(meta.get("link")),
        language=_language(meta.get("language")) or _language(response_headers.get("content-language")),
        entries=tuple(result.get("entries", ())),
        bozo_kinds=tuple(kinds),
        bozo_message=message,
    )


def _declared_charset(data: bytes, headers: Mapping[str, str]) -> str | None:
    match = _CHARSET.search(headers.get("content-type", ""))
    if match:
        return match.group(1)
    decl = _XML_ENCODING.match(data[:512])
    return decl.group(1).decode("ascii") if decl else None


def _utf8_override(data: bytes, headers: Mapping[str, str]) -> str | None:
    """A Content-Type saying UTF-8 when the document claims a legacy charset but is plainly UTF-8.

    Servers often label UTF-8 feeds with their default ``ISO-8859-1`` or a stale ``windows-1256``;
    decoded as declared, every Arabic or Cyrillic letter would become mojibake. Valid multi-byte
    UTF-8 practically never happens by chance in a legacy single-byte encoding, so it wins.
    """
    declared = _declared_charset(data, headers)
    if declared is None:
        return None
    try:
        if codecs.lookup(declared).name in ("utf-8", "utf-8-sig", "ascii"):
            return None
    except LookupError:
        pass  # an unknown charset: feedparser would fall back anyway; UTF-8 is the better guess
    if data.isascii():
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    media = headers.get("content-type", "").split(";", 1)[0].strip() or "application/xml"
    logger.info("declared charset %s but the document is UTF-8: reading it as UTF-8", declared)
    return f"{media}; charset=utf-8"


class _TextExtractor(HTMLParser):
    """Collects the text of an HTML fragment, one line per block element."""

    _SKIP = frozenset({"script", "style", "noscript", "template", "head", "title", "iframe", "object", "svg"})
    _BLOCK = frozenset(
        {
            "p", "div", "br", "li", "ul", "ol", "tr", "td", "th", "table", "h1", "h2", "h3", "h4",
            "h5", "h6", "blockquote", "pre", "section", "article", "header", "footer", "figure",
            "figcaption", "hr", "dd", "dt", "dl", "aside", "main", "nav", "address",
        }
    )  # fmt: skip

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self._skipping += 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self._skipping = max(0, self._skipping - 1)
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            # In HTML a line break in the source is a space; only block elements break lines.
            self.parts.append(data.replace("\r", " ").replace("\n", " "))


def html_to_text(html: str) -> str:
    """The readable text of an HTML fragment: tags, scripts and styles removed, entities decoded,
    blank runs collapsed, one line per paragraph."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    return _tidy("".join(parser.parts))


def _tidy(text: str) -> str:
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _plain(value: object, kind: str = "text/html") -> str:
    if not isinstance(value, str) or not value:
        return ""
    return html_to_text(value) if "html" in kind else _tidy(value)


def _http_url(value: object, base: str | None = None) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    url = value.strip()
    if base:
        url = urljoin(base, url)
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return url


def _language(value: object) -> str | None:
    if not isinstance(value, str) or not re.match(r"^[A-Za-z]{2,3}(?:[-_]|$)", value.strip()):
        return None
    return primary_language(value)


def guess_language(text: str) -> str | None:
    """``ar`` or ``ru`` when most letters are Arabic or Cyrillic; None otherwise.

    Only a fallback for feeds that declare no language: Latin script alone does not say English.
    """
    arabic = cyrillic = letters = 0
    for char in text[:2000]:
        if not char.isalpha():
            continue
        letters += 1
        name = unicodedata.name(char, "")
        if name.startswith("ARABIC"):
            arabic += 1
        elif name.startswith("CYRILLIC"):
            cyrillic += 1
    if letters == 0:
        return None
    if arabic * 2 > letters:
        return "ar"
    if cyrillic * 2 > letters:
        return "ru"
    return None


def _entry_text(entry: Any) -> str:
    # Atom <content> and RSS <content:encoded> hold the full item, <summary>/<description> a teaser.
    best = ""
    for content in entry.get("content") or ():
        text = _plain(content.get("value", ""), content.get("type", "text/html"))
        if len(text) > len(best):
            best = text
    if best:
        return best
    detail = entry.get("summary_detail") or {}
    return _plain(entry.get("summary", ""), detail.get("type", "text/html"))


def _entry_link(entry: Any, base: str | None) -> str | None:
    # FeedBurner rewrites links to its click tracker and keeps the outlet's own in origLink.
    original = _http_url(entry.get("feedburner_origlink"), base)
    if original:
        return original
    link = entry.get("link")
    if entry.get("guidislink") and link == entry.get("id"):
        # A GUID taken as the link counts only when it is itself an absolute URL, not "12345".
        return _http_url(link)
    return _http_url(link, base)


def _entry_published(entry: Any) -> dt.datetime | None:
    for name in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(name)
        if parsed is None:
            continue
        try:
            # feedparser normalises dates to UTC struct_times.
            return dt.datetime.fromtimestamp(calendar.timegm(parsed), tz=dt.UTC)
        except (OverflowError, ValueError, OSError, TypeError):
            logger.debug("unusable %s %r", name, parsed)
    return None


def _entry_language(entry: Any) -> str | None:
    for detail in (*(entry.get("content") or ()), entry.get("summary_detail"), entry.get("title_detail")):
        if detail:
            language = _language(detail.get("language"))
            if language:
                return language
    return None


def _host(url: str | None) -> str | None:
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.") or None


def items_from_parsed(
    parsed: ParsedFeed,
    feed_name: str,
    *,
    language: str | None = None,
    fetched: dt.datetime | None = None,
    feed_url: str | None = None,
) -> list[FeedItem]:
    """The items of a parsed feed as articles, in document order, without repeated keys.

    ``language`` (the feeds file's) wins over the item's declared language, then the feed's,
    then a guess from the script of the text. Items with neither title, text nor link are skipped.
    A GUID repeated within the document keeps its first item.
    """
    base = parsed.link or feed_url
    items: list[FeedItem] = []
    keys: set[str] = set()
    for number, entry in enumerate(parsed.entries, 1):
        title_detail = entry.get("title_detail") or {}
        title = _plain(entry.get("title", ""), title_detail.get("type", "text/plain"))
        title = " ".join(title.split())[:MAX_TITLE_CHARS]
        text = _entry_text(entry)
        url = _entry_link(entry, base)
        if not (title or text or url):
            logger.info("feed %s: item %d has no title, text or link: skipped", feed_name, number)
            continue
        body = text or title
        if len(body) > MAX_TEXT_CHARS:
            logger.info("feed %s: item %d has %d characters of text, kept %d", feed_name, number, len(body),
                        MAX_TEXT_CHARS)  # fmt: skip
            body = body[:MAX_TEXT_CHARS]
        aid = article_id(url, body)
        guid = entry.get("id")
        key = f"guid:{guid.strip()}" if isinstance(guid, str) and guid.strip() else aid
        if key in keys:
            logger.info("feed %s: item %d repeats %s: skipped", feed_name, number, key)
            continue
        keys.add(key)
        article = Article(
            id=aid,
            source=_host(url) or _host(parsed.link) or _host(feed_url) or feed_name,
            url=url,
            title=title,
            published=_entry_published(entry),
            fetched=fetched,
            language=language or _entry_language(entry) or parsed.language or guess_language(body),
            text=body,
            connector=CONNECTOR,
        )
        items.append(FeedItem(key=key, article=article))
    return items


def oldest_first(items: list[FeedItem]) -> list[FeedItem]:
    """Items in the order they were published, as news happened.

    Feeds list newest first, but not always: dated items go by publication time, then the undated
    ones; ties by id (:func:`~streams.core.times.news_order`). The live connector and a replay of
    a feed file (or of a dump) both read items this way, so they give the same alerts.
    """
    return sorted(items, key=lambda item: news_order(item.article.published, item.article.id))


def articles_from_feed_bytes(
    data: bytes,
    feed_name: str,
    *,
    headers: Mapping[str, str] | None = None,
    language: str | None = None,
    fetched: dt.datetime | None = None,
    feed_url: str | None = None,
) -> list[Article]:
    """The articles of a feed document (``dipwatch replay`` of ``.xml``/``.rss``/``.atom`` files),
    oldest first (:func:`oldest_first`).

    Deterministic for the same bytes: ``fetched`` defaults to None. A document that is not a feed
    gives no articles and a warning.
    """
    parsed = parse_feed_bytes(data, headers)
    if parsed.bozo_kinds:
        logger.warning("feed %s: parsed with problems (%s): %s", feed_name, ", ".join(parsed.bozo_kinds),
                       parsed.bozo_message)  # fmt: skip
    if not parsed.is_feed:
        logger.warning("feed %s: not an RSS or Atom feed", feed_name)
        return []
    items = items_from_parsed(parsed, feed_name, language=language, fetched=fetched, feed_url=feed_url)
    return [item.article for item in oldest_first(items)]
