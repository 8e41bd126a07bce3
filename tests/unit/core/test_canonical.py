"""Canonical URLs and stable article ids."""

from __future__ import annotations

import pytest

from streams.core.canonical import article_id, canonical_url, text_hash

BASE = "https://example.com/world/2025/02/27/russia-us-talks"


@pytest.mark.parametrize(
    "variant",
    [
        BASE,
        "HTTPS://EXAMPLE.COM/world/2025/02/27/russia-us-talks",
        "http://example.com/world/2025/02/27/russia-us-talks",
        "https://www.example.com/world/2025/02/27/russia-us-talks",
        "https://example.com:443/world/2025/02/27/russia-us-talks",
        "http://example.com:80/world/2025/02/27/russia-us-talks",
        "https://example.com/world/2025/02/27/russia-us-talks/",
        "https://example.com/world/2025/02/27/russia-us-talks#comments",
        "https://example.com/world/2025/02/27/russia-us-talks?utm_source=rss&utm_medium=feed",
        "https://example.com/world/2025/02/27/russia-us-talks?fbclid=IwAR0abc",
        "https://example.com/world/2025/02/27/russia-us-talks?gclid=xyz&msclkid=1",
        "https://example.com/world/2025/02/27/russia-us-talks/amp",
        "https://example.com/world/2025/02/27/russia-us-talks/amp/",
        "https://example.com/world/2025/02/27/russia-us-talks.amp",
        "https://example.com/world/2025/02/27/russia-us-talks?amp",
        "https://example.com/world/2025/02/27/russia-us-talks?amp=1",
        "https://example.com/world/2025/02/27/russia-us-talks?outputType=amp",
        "https://amp.example.com/world/2025/02/27/russia-us-talks",
        "https://example-com.cdn.ampproject.org/world/2025/02/27/russia-us-talks",
        "https://example.com/world//2025/02/27/russia-us-talks",
        "https://example.com/world/2025/02/27/russia-us-talks/index.html",
        "  https://example.com/world/2025/02/27/russia-us-talks  ",
    ],
)
def test_variants_of_one_article_share_a_canonical_url(variant: str) -> None:
    assert canonical_url(variant) == BASE


def test_query_parameters_that_identify_the_article_are_kept_and_sorted() -> None:
    assert canonical_url("https://example.com/news?p=2&id=17&utm_campaign=x") == ("https://example.com/news?id=17&p=2")
    assert canonical_url("https://example.com/news?id=17") != canonical_url("https://example.com/news?id=18")


def test_path_case_and_non_default_ports_are_kept() -> None:
    assert canonical_url("https://example.com/News") != canonical_url("https://example.com/news")
    assert canonical_url("https://example.com:8443/a") == "https://example.com:8443/a"


def test_hyphenated_hosts_survive_the_amp_cache_decoding() -> None:
    assert canonical_url("https://al--monitor-com.cdn.ampproject.org/a") == "https://al-monitor.com/a"


def test_root_and_non_urls() -> None:
    assert canonical_url("https://Example.com") == "https://example.com/"
    assert canonical_url("seeds/000.txt") == "seeds/000.txt"
    assert canonical_url("mailto:someone@example.com") == "mailto:someone@example.com"
    assert canonical_url("http://[::1") == "http://[::1"


def test_article_id_comes_from_the_canonical_url() -> None:
    a = article_id(BASE, "one text")
    b = article_id(BASE + "?utm_source=x#top", "another text entirely")
    assert a == b
    assert a.startswith("u:")
    assert a != article_id("https://example.com/other", "one text")


def test_article_id_without_url_comes_from_the_normalised_text() -> None:
    a = article_id(None, "المحادثات في إسطنبول")
    assert a.startswith("t:")
    # Alef forms, spacing and case fold to the same text.
    assert a == article_id("", "المحادثات  في اسطنبول")
    assert article_id(None, "Talks in Istanbul") == article_id("  ", "talks   in ISTANBUL")
    assert a != article_id(None, "المحادثات في موسكو")


def test_ids_are_short_stable_hex() -> None:
    ident = article_id(None, "x")
    assert ident == "t:" + text_hash("X")
    assert len(ident) == 22
    int(ident[2:], 16)


@pytest.mark.parametrize(
    "url",
    [
        "HTTP://WWW.Example.com:80/a/b/?utm_source=x&z=1&a=2#f",
        "https://amp.example.com/a/amp/?amp=1",
        "https://example.com/search?q=a+b&q=c",
        "https://example.com/%D8%A7%D9%84%D8%AE%D8%A8%D8%B1?id=%D8%A7",
        "https://example.com",
    ],
)
def test_canonical_url_is_idempotent(url: str) -> None:
    once = canonical_url(url)
    assert canonical_url(once) == once
