"""Pure parts of the HTTP fetcher: Retry-After, results, limits."""

from __future__ import annotations

import datetime as dt

from connectors.http import DEFAULT_MAX_BYTES, DEFAULT_USER_AGENT, FetchLimits, FetchResult, parse_retry_after

NOW = dt.datetime(2025, 6, 10, 12, 0, tzinfo=dt.UTC).timestamp()


def test_retry_after_in_seconds_or_as_a_date() -> None:
    assert parse_retry_after("120", NOW) == 120.0
    assert parse_retry_after(" 0 ", NOW) == 0.0
    assert parse_retry_after("Tue, 10 Jun 2025 12:05:00 GMT", NOW) == 300.0
    assert parse_retry_after("Tue, 10 Jun 2025 11:00:00 GMT", NOW) == 0.0  # in the past: now
    assert parse_retry_after(None, NOW) is None
    assert parse_retry_after("soon", NOW) is None
    assert parse_retry_after("-5", NOW) is None


def test_results_expose_validators() -> None:
    result = FetchResult(url="http://a/", status=200, body=b"x", headers={"etag": '"1"', "last-modified": "d"})
    assert (result.etag, result.last_modified, result.not_modified) == ('"1"', "d", False)
    assert FetchResult(url="http://a/", status=304).not_modified


def test_default_limits() -> None:
    limits = FetchLimits()
    assert limits.max_bytes == DEFAULT_MAX_BYTES == 5_000_000
    assert limits.total_timeout > limits.read_timeout > 0 and limits.max_redirects == 5
    assert DEFAULT_USER_AGENT.startswith("dipwatch/")
