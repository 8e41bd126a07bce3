"""The fetch policy (redirects, caps, deadline, status outcomes) through a mock transport: no server."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence

import pytest
from yarl import URL

from connectors.http import FetchLimits, HttpFetcher, MockAnswer, MockTransport, Validators
from streams.core.errors import FeedError, FeedTooLarge

LIMITS = FetchLimits(total_timeout=0.5, max_bytes=100, max_redirects=2)


def fetcher(routes: Mapping[str, MockAnswer], *, delay: float = 0.0) -> tuple[HttpFetcher, MockTransport]:
    async def handler(url: URL, headers: Mapping[str, str]) -> MockAnswer:
        await asyncio.sleep(delay)
        return routes.get(str(url), (404, {}, [b""]))

    transport = MockTransport(handler)
    return HttpFetcher(LIMITS, transport=transport, time_source=lambda: 1000.0), transport


def redirect(to: str, status: int = 301) -> MockAnswer:
    return status, {"Location": to}, []


def ok(*chunks: bytes, headers: Mapping[str, str] | None = None) -> MockAnswer:
    body: Sequence[bytes] = chunks
    return 200, dict(headers or {}), body


async def outcome(f: HttpFetcher, url: str = "http://a.example/feed") -> str:
    with pytest.raises(FeedError) as info:
        await f.fetch(url, feed="t")
    return info.value.outcome


async def test_redirects_are_followed_within_the_limit_and_the_final_url_is_kept() -> None:
    f, transport = fetcher({
        "http://a.example/feed": redirect("/moved"),
        "http://a.example/moved": redirect("https://b.example/feed", 308),
        "https://b.example/feed": ok(b"<rss/>", headers={"ETag": '"x"'}),
    })  # fmt: skip
    result = await f.fetch("http://a.example/feed", feed="t")
    assert (result.url, result.body, result.etag) == ("https://b.example/feed", b"<rss/>", '"x"')
    assert transport.requests == ["http://a.example/feed", "http://a.example/moved", "https://b.example/feed"]


async def test_too_many_redirects_loops_and_bad_targets_are_refused() -> None:
    chain = {f"http://a.example/{n}": redirect(f"/{n + 1}") for n in range(5)}
    chain["http://a.example/feed"] = redirect("/0")
    assert await outcome(fetcher(chain)[0]) == "too_many_redirects"
    loop = {"http://a.example/feed": redirect("/b"), "http://a.example/b": redirect("/feed")}
    assert await outcome(fetcher(loop)[0]) == "too_many_redirects"
    assert await outcome(fetcher({"http://a.example/feed": redirect("file:///etc/passwd")})[0]) == "bad_redirect"
    assert await outcome(fetcher({"http://a.example/feed": (302, {}, [])})[0]) == "bad_redirect"
    assert await outcome(fetcher({})[0], "ftp://a.example/feed") == "bad_url"


async def test_the_byte_cap_holds_for_declared_and_streamed_bodies() -> None:
    declared = {"http://a.example/feed": ok(b"x", headers={"Content-Length": "1000"})}
    with pytest.raises(FeedTooLarge):
        await fetcher(declared)[0].fetch("http://a.example/feed", feed="t")
    streamed = {"http://a.example/feed": ok(*[b"y" * 40] * 3, headers={"Content-Encoding": "gzip"})}
    assert await outcome(fetcher(streamed)[0]) == "too_large"
    fits = {"http://a.example/feed": ok(b"z" * 50, b"z" * 50)}
    assert (await fetcher(fits)[0].fetch("http://a.example/feed", feed="t")).body == b"z" * 100


async def test_statuses_become_outcomes_with_retry_after() -> None:
    for status, expected in ((404, "not_found"), (410, "gone"), (503, "server_error"), (418, "http_error")):
        assert await outcome(fetcher({"http://a.example/feed": (status, {}, [])})[0]) == expected
    f, _ = fetcher({"http://a.example/feed": (429, {"Retry-After": "120"}, [])})
    with pytest.raises(FeedError) as info:
        await f.fetch("http://a.example/feed", feed="t")
    assert (info.value.outcome, info.value.retry_after) == ("rate_limited", 120.0)


async def test_not_modified_has_no_body_and_the_validators_are_sent() -> None:
    seen: dict[str, str] = {}

    async def handler(url: URL, headers: Mapping[str, str]) -> MockAnswer:
        seen.update(headers)
        return 304, {"ETag": '"x"'}, []

    f = HttpFetcher(LIMITS, transport=MockTransport(handler))
    result = await f.fetch(
        "http://a.example/feed", feed="t", validators=Validators('"x"', "Mon, 01 Sep 2025 10:00:00 GMT")
    )
    assert result.not_modified and result.body == b""
    assert seen["If-None-Match"] == '"x"' and seen["If-Modified-Since"].startswith("Mon")


async def test_the_total_deadline_covers_a_slow_server() -> None:
    f, _ = fetcher({"http://a.example/feed": ok(b"<rss/>")}, delay=2.0)
    assert await outcome(f) == "timeout"
