"""Bounded HTTP GET for feeds and linked pages, over aiohttp.

Every fetch is bounded in time (connect and per-read timeouts, plus a total deadline so that a
server trickling one byte a second cannot hold a feed forever), in size (a byte cap on the body
*after* decompression, enforced while streaming so a 50 MB body never sits in memory), and in
where it goes (redirects are followed here, at most ``max_redirects`` hops, and only to
``http``/``https``: a ``Location: file:///etc/passwd`` is refused). Validators (ETag,
Last-Modified) make the GET conditional; a 304 returns no body.

Failures raise :class:`~streams.core.errors.FeedError` whose ``outcome`` is the metric label:

========================  ====================================================
outcome                   cause
========================  ====================================================
``not_found``             HTTP 404
``gone``                  HTTP 410
``rate_limited``          HTTP 429 (``retry_after`` from Retry-After)
``server_error``          HTTP 5xx (``retry_after`` when the server sent one)
``http_error``            any other unexpected status
``timeout``               connect, read or total deadline passed
``too_large``             body over the byte cap (:class:`FeedTooLarge`)
``too_many_redirects``    more than ``max_redirects`` hops, or a loop
``bad_redirect``          a redirect without a usable http(s) Location
``bad_url``               the URL itself is not http(s)
``connection_error``      DNS, refused connection, reset, TLS failure
``bad_response``          a response aiohttp could not decode (bad gzip, bad chunking)
========================  ====================================================

The policy (redirects, caps, deadline, status outcomes) lives in :class:`HttpFetcher`; one HTTP
request is the job of a :class:`Transport` (as httpx's ``AsyncBaseTransport``): by default
:class:`AiohttpTransport` (pass an ``aiohttp.ClientSession`` to share one; the fetcher then leaves
its lifecycle to the caller), in tests :class:`MockTransport`, so the policy is tested without a
server. The connector takes any object with the :class:`Fetcher` protocol.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import email.utils
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from typing import NamedTuple, Protocol

import aiohttp
from yarl import URL

from connectors.source import Lifecycle
from streams.core.errors import FeedError, FeedTooLarge

logger = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 5_000_000
try:
    _VERSION = metadata.version("dipwatch")
except metadata.PackageNotFoundError:  # a source tree that was never installed
    _VERSION = "0"
DEFAULT_USER_AGENT = f"dipwatch/{_VERSION} (diplomatic news monitor; polite RSS poller)"
FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1"
)
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1"
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_SCHEMES = frozenset({"http", "https"})
_CHUNK = 64 * 1024


@dataclass(frozen=True, slots=True)
class FetchLimits:
    """Bounds of one fetch; every field in seconds or bytes."""

    connect_timeout: float = 10.0
    #: Longest silence between two reads of the response.
    read_timeout: float = 30.0
    #: Deadline of the whole fetch, redirects and body included.
    total_timeout: float = 60.0
    #: Cap on the decompressed body.
    max_bytes: int = DEFAULT_MAX_BYTES
    max_redirects: int = 5
    user_agent: str = DEFAULT_USER_AGENT


class Validators(NamedTuple):
    """What makes a GET conditional: the ETag and Last-Modified of the last answer taken."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True, slots=True)
class FetchResult:
    """A successful fetch: status 200 with its body, or 304 with none.

    ``headers`` has lower-case names; ``url`` is the final URL after redirects.
    """

    url: str
    status: int
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")


class Fetcher(Protocol):
    """What the connector needs from a transport: one bounded GET."""

    async def fetch(
        self, url: str, *, feed: str, validators: Validators | None = None, accept: str = FEED_ACCEPT
    ) -> FetchResult:
        """GET ``url``; raise FeedError (with ``outcome``) when it does not give a usable body."""
        ...


@dataclass(frozen=True, slots=True)
class Response:
    """One HTTP response as the fetcher's policy reads it: status, lower-case headers, and the
    body as decompressed chunks (read only when the policy wants it)."""

    status: int
    headers: Mapping[str, str]
    chunks: AsyncIterator[bytes]


class Transport(Protocol):
    """One HTTP GET, redirects not followed: the seam under :class:`HttpFetcher`'s policy."""

    def request(self, url: URL, headers: Mapping[str, str]) -> contextlib.AbstractAsyncContextManager[Response]:
        """Send the request; the response is valid inside the context."""
        ...

    async def close(self) -> None:
        """Release what the transport holds."""
        ...


class AiohttpTransport:
    """GETs over an ``aiohttp.ClientSession`` (opened here unless one is given)."""

    def __init__(self, limits: FetchLimits, session: aiohttp.ClientSession | None = None) -> None:
        self.limits = limits
        self._session = session
        self._owns_session = session is None

    def _timeout(self) -> aiohttp.ClientTimeout:
        lim = self.limits
        # total stays None here: the fetcher's deadline covers all redirect hops.
        return aiohttp.ClientTimeout(
            total=None,
            connect=lim.connect_timeout,
            sock_connect=lim.connect_timeout,
            sock_read=lim.read_timeout,
        )

    def _open(self) -> aiohttp.ClientSession:
        if self._session is None:
            self._session = aiohttp.ClientSession(
                timeout=self._timeout(),
                headers={"User-Agent": self.limits.user_agent},
                # Feeds need no cookies; a cookie jar would only grow with what servers set.
                cookie_jar=aiohttp.DummyCookieJar(),
                # A proxy from the environment would silently route around the loopback tests.
                trust_env=False,
                raise_for_status=False,
            )
            self._owns_session = True
        return self._session

    @contextlib.asynccontextmanager
    async def request(self, url: URL, headers: Mapping[str, str]) -> AsyncIterator[Response]:
        session = self._open()
        async with session.get(url, headers=dict(headers), allow_redirects=False, timeout=self._timeout()) as r:
            lowered = {k.lower(): v for k, v in r.headers.items()}
            yield Response(r.status, lowered, r.content.iter_chunked(_CHUNK))

    async def close(self) -> None:
        if self._session is not None and self._owns_session:
            await self._session.close()
            self._session = None


#: What a :class:`MockTransport` handler answers: status, headers, body chunks.
MockAnswer = tuple[int, Mapping[str, str], Sequence[bytes]]


class MockTransport:
    """A transport that asks ``handler(url, headers)`` instead of the network (tests).

    ``requests`` records every URL asked, so a test sees each redirect hop.
    """

    def __init__(self, handler: Callable[[URL, Mapping[str, str]], Awaitable[MockAnswer]]) -> None:
        self.handler = handler
        self.requests: list[str] = []

    @contextlib.asynccontextmanager
    async def request(self, url: URL, headers: Mapping[str, str]) -> AsyncIterator[Response]:
        self.requests.append(str(url))
        status, answer_headers, chunks = await self.handler(url, headers)

        async def body() -> AsyncIterator[bytes]:
            for chunk in chunks:
                await asyncio.sleep(0)
                yield chunk

        yield Response(status, {k.lower(): v for k, v in answer_headers.items()}, body())

    async def close(self) -> None:
        return None


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date), else None."""
    if value is None:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, when.timestamp() - now)


class HttpFetcher(Lifecycle):
    """The fetch policy of :class:`FetchLimits` over a transport; ``start``/``stop`` or ``async with``."""

    def __init__(
        self,
        limits: FetchLimits | None = None,
        *,
        session: aiohttp.ClientSession | None = None,
        transport: Transport | None = None,
        time_source: Callable[[], float] = time.time,
    ) -> None:
        self.limits = limits or FetchLimits()
        self.transport: Transport = transport or AiohttpTransport(self.limits, session)
        self._time = time_source

    async def start(self) -> None:
        """Nothing to open ahead: the transport opens its connection pool on the first request."""

    async def stop(self) -> None:
        """Close the transport (an injected aiohttp session stays open)."""
        await self.transport.close()

    async def fetch(
        self, url: str, *, feed: str, validators: Validators | None = None, accept: str = FEED_ACCEPT
    ) -> FetchResult:
        """GET ``url`` within the limits, following redirects here (see the module docstring)."""
        try:
            async with asyncio.timeout(self.limits.total_timeout):
                return await self._fetch(url, feed=feed, validators=validators or Validators(), accept=accept)
        except FeedError:
            raise
        except TimeoutError as exc:
            # Both our total deadline and aiohttp's connect/read timeouts end up here.
            msg = f"feed {feed}: {url}: timed out ({type(exc).__name__})"
            raise FeedError(msg, feed=feed, outcome="timeout") from exc
        except aiohttp.InvalidURL as exc:
            msg = f"feed {feed}: {url}: invalid URL: {exc}"
            raise FeedError(msg, feed=feed, outcome="bad_url") from exc
        except (aiohttp.ClientPayloadError, aiohttp.ClientResponseError) as exc:
            msg = f"feed {feed}: {url}: unreadable response: {type(exc).__name__}: {exc}"
            raise FeedError(msg, feed=feed, outcome="bad_response") from exc
        except (aiohttp.ClientError, OSError) as exc:
            msg = f"feed {feed}: {url}: connection failed: {type(exc).__name__}: {exc}"
            raise FeedError(msg, feed=feed, outcome="connection_error") from exc

    async def _fetch(self, url: str, *, feed: str, validators: Validators, accept: str) -> FetchResult:
        headers = {"Accept": accept, "User-Agent": self.limits.user_agent}
        if validators.etag:
            headers["If-None-Match"] = validators.etag
        if validators.last_modified:
            headers["If-Modified-Since"] = validators.last_modified
        current = _checked_url(url, feed=feed, outcome="bad_url", what="URL")
        visited = {str(current)}
        for _hop in range(self.limits.max_redirects + 1):
            async with self.transport.request(current, headers) as response:
                status = response.status
                if status in _REDIRECTS:
                    current = self._next_hop(current, response, feed=feed)
                    if str(current) in visited:
                        msg = f"feed {feed}: {url}: redirect loop back to {current}"
                        raise FeedError(msg, feed=feed, outcome="too_many_redirects")
                    visited.add(str(current))
                    continue
                if status == 304:
                    return FetchResult(url=str(current), status=304, headers=dict(response.headers))
                if status == 200:
                    body = await self._read_body(response, feed=feed, url=str(current))
                    return FetchResult(url=str(current), status=200, body=body, headers=dict(response.headers))
                self._raise_for_status(status, response.headers, feed=feed, url=str(current))
        msg = f"feed {feed}: {url}: more than {self.limits.max_redirects} redirects"
        raise FeedError(msg, feed=feed, outcome="too_many_redirects")

    def _next_hop(self, current: URL, response: Response, *, feed: str) -> URL:
        location = response.headers.get("location")
        if not location:
            msg = f"feed {feed}: {current}: redirect {response.status} without a Location"
            raise FeedError(msg, feed=feed, outcome="bad_redirect")
        try:
            target = current.join(URL(location))
        except ValueError as exc:
            msg = f"feed {feed}: {current}: unusable redirect Location {location!r}: {exc}"
            raise FeedError(msg, feed=feed, outcome="bad_redirect") from exc
        checked = _checked_url(str(target), feed=feed, outcome="bad_redirect", what="redirect target")
        logger.debug("feed %s: %s redirects (%s) to %s", feed, current, response.status, checked)
        return checked

    async def _read_body(self, response: Response, *, feed: str, url: str) -> bytes:
        cap = self.limits.max_bytes
        declared = response.headers.get("content-length")
        # Without Content-Encoding the declared length is the body's: refuse before reading it.
        if declared and declared.isdigit() and int(declared) > cap and "content-encoding" not in response.headers:
            msg = f"feed {feed}: {url}: Content-Length {declared} over the cap of {cap} bytes"
            raise FeedTooLarge(msg, feed=feed, outcome="too_large")
        body = bytearray()
        # The transport yields decompressed chunks, so the cap applies to what we would hold in memory.
        async for chunk in response.chunks:
            if len(body) + len(chunk) > cap:
                msg = f"feed {feed}: {url}: body over the cap of {cap} bytes (after decompression)"
                raise FeedTooLarge(msg, feed=feed, outcome="too_large")
            body += chunk
        return bytes(body)

    def _raise_for_status(self, status: int, headers: Mapping[str, str], *, feed: str, url: str) -> None:
        retry_after = parse_retry_after(headers.get("retry-after"), self._time())
        if status == 404:
            outcome = "not_found"
        elif status == 410:
            outcome = "gone"
        elif status == 429:
            outcome = "rate_limited"
        elif 500 <= status <= 599:
            outcome = "server_error"
        else:
            outcome = "http_error"
        hint = f", retry after {retry_after:.0f} s" if retry_after is not None else ""
        msg = f"feed {feed}: {url}: HTTP {status}{hint}"
        raise FeedError(msg, feed=feed, outcome=outcome, retry_after=retry_after)


def _checked_url(url: str, *, feed: str, outcome: str, what: str) -> URL:
    try:
        parsed = URL(url)
    except ValueError as exc:
        msg = f"feed {feed}: {what} {url!r} is not a URL: {exc}"
        raise FeedError(msg, feed=feed, outcome=outcome) from exc
    if parsed.scheme not in _SCHEMES or not parsed.host:
        msg = f"feed {feed}: {what} {url!r} refused: only http:// and https:// are followed"
        raise FeedError(msg, feed=feed, outcome=outcome)
    return parsed
