"""Feed bytes → articles: formats, mapping, encodings and hostile documents (no network)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import feedparser
import pytest

from connectors import feedparse
from connectors.feedparse import (
    articles_from_feed_bytes,
    guess_language,
    html_to_text,
    items_from_parsed,
    parse_feed_bytes,
)
from connectors.files import read_inputs
from streams.core.canonical import article_id
from streams.core.wire import article_from_bytes
from tests.unit.connectors import rss_samples as s

RSS_HEADERS = {"content-type": "application/rss+xml; charset=utf-8"}


def test_rss20_items_become_articles() -> None:
    fetched = dt.datetime(2025, 6, 10, 12, tzinfo=dt.UTC)
    articles = articles_from_feed_bytes(s.RSS20, "wire", headers=RSS_HEADERS, fetched=fetched)
    # Oldest first, as the news happened (the feed lists newest first).
    assert [a.title for a in articles] == ["First round held", "Second round of Istanbul talks held"]
    first = articles[1]
    # content:encoded wins over the teaser; the script is gone, entities decoded, one line per paragraph.
    assert first.text == "The delegations met in Istanbul.\nThey discussed embassy operations & visas."
    assert first.url == "https://www.wire.example/news/2?utm_source=rss"
    assert first.id == article_id("https://www.wire.example/news/2", "anything")
    assert first.published == dt.datetime(2025, 6, 10, 1, tzinfo=dt.UTC)
    assert first.published.tzinfo is dt.UTC
    assert first.fetched == fetched
    assert first.source == "wire.example"
    assert first.language == "en"
    assert first.connector == "rss"
    assert articles[0].text == "Talks began today."


def test_rss10_and_atom() -> None:
    [rdf] = articles_from_feed_bytes(s.RSS10, "rdf")
    assert rdf.title == "Переговоры в Стамбуле"
    assert rdf.language == "ru"
    assert rdf.published == dt.datetime(2025, 6, 10, 5, tzinfo=dt.UTC)
    [atom] = articles_from_feed_bytes(s.ATOM, "atom")
    assert atom.title == "Agreement signed"
    assert atom.url == "https://atom.example/2025/06/agreement"  # relative link resolved
    assert atom.text == "The sides signed an agreement on mission funding."
    assert atom.language == "en"
    assert atom.published == dt.datetime(2025, 6, 10, 12, tzinfo=dt.UTC)


def test_feed_formats_are_recognised() -> None:
    assert parse_feed_bytes(s.RSS20).version == "rss20"
    assert parse_feed_bytes(s.RSS10).version == "rss10"
    assert parse_feed_bytes(s.ATOM).version == "atom10"


def test_the_feeds_files_language_wins_then_the_item_then_the_feed_then_the_script() -> None:
    assert articles_from_feed_bytes(s.RSS20, "w", language="fr")[0].language == "fr"
    undeclared = s.arabic_feed("utf-8").replace("<language>ar</language>", "").encode()
    assert articles_from_feed_bytes(undeclared, "ar")[0].language == "ar"
    assert guess_language("Переговоры прошли") == "ru"
    assert guess_language("Talks were held") is None
    assert guess_language("1234 !!") is None


def test_html_to_text() -> None:
    html = "<div>A&nbsp;&amp; B<br>C<style>x{}</style><script>bad()</script></div><p>  D  </p>&#1587;"
    assert html_to_text(html) == "A & B\nC\nD\nس"
    assert html_to_text("plain") == "plain"
    assert html_to_text("<p>unclosed <b>tags") == "unclosed tags"


def test_arabic_windows_1256_as_declared() -> None:
    data = s.arabic_feed("windows-1256").encode("cp1256")
    parsed = parse_feed_bytes(data, {"content-type": "application/rss+xml; charset=windows-1256"})
    assert parsed.bozo_kinds == ()
    [item] = items_from_parsed(parsed, "ar")
    assert item.article.title == s.ARABIC_TITLE
    assert item.article.text == s.ARABIC_TEXT
    assert item.article.language == "ar"


def test_utf8_arabic_labelled_as_a_legacy_charset_is_read_as_utf8() -> None:
    data = s.arabic_feed("iso-8859-1").encode("utf-8")
    parsed = parse_feed_bytes(data, {"content-type": "text/xml; charset=windows-1256"})
    assert "CharacterEncodingOverride" in parsed.bozo_kinds
    assert items_from_parsed(parsed, "ar")[0].article.title == s.ARABIC_TITLE


def test_windows_1256_labelled_utf8_falls_back_to_the_xml_declaration() -> None:
    data = s.arabic_feed("windows-1256").encode("cp1256")
    parsed = parse_feed_bytes(data, {"content-type": "application/rss+xml; charset=utf-8"})
    assert parsed.bozo_kinds == ("CharacterEncodingOverride",)
    assert items_from_parsed(parsed, "ar")[0].article.title == s.ARABIC_TITLE


def test_malformed_xml_keeps_the_recovered_items() -> None:
    parsed = parse_feed_bytes(s.MALFORMED, RSS_HEADERS)
    assert parsed.bozo_kinds and parsed.is_feed
    titles = [i.article.title for i in items_from_parsed(parsed, "broken")]
    assert titles == ["Kept despite errors", "Second"]


def test_billion_laughs_is_not_expanded() -> None:
    parsed = parse_feed_bytes(s.BILLION_LAUGHS, RSS_HEADERS)
    assert parsed.bozo_kinds
    for item in items_from_parsed(parsed, "laughs"):
        assert len(item.article.title) < 100 and "lollol" not in item.article.text


def test_external_entities_are_not_resolved() -> None:
    [article] = articles_from_feed_bytes(s.EXTERNAL_ENTITY, "xxe", headers=RSS_HEADERS)
    assert "root:" not in article.title + article.text
    assert article.title.startswith("Leak")


def test_an_html_page_is_not_a_feed() -> None:
    parsed = parse_feed_bytes(s.HTML_PAGE, {"content-type": "text/html; charset=utf-8"})
    assert not parsed.is_feed
    assert parsed.bozo_kinds == ("NonXMLContentType",)
    assert articles_from_feed_bytes(s.HTML_PAGE, "html") == []


def test_an_empty_feed_is_a_feed_without_items() -> None:
    parsed = parse_feed_bytes(s.EMPTY, RSS_HEADERS)
    assert parsed.is_feed and parsed.bozo_kinds == ()
    assert items_from_parsed(parsed, "quiet") == []


def test_items_without_dates_links_or_titles() -> None:
    items = items_from_parsed(parse_feed_bytes(s.SPARSE), "sparse")
    by_text = {i.article.text: i.article for i in items}
    assert len(items) == 4  # the item with nothing at all is skipped
    no_title = by_text["No title, no link, no date."]
    assert (no_title.title, no_title.url, no_title.published) == ("", None, None)
    assert no_title.id.startswith("t:") and no_title.source == "sparse.example"
    assert by_text["Only a title"].id == article_id(None, "Only a title")
    assert by_text[""].url == "https://sparse.example/only-link"
    assert by_text["guid that is no URL"].url is None  # a GUID "12345" is not a link


def test_duplicate_guids_keep_the_first_item() -> None:
    items = items_from_parsed(parse_feed_bytes(s.DUPLICATE_GUIDS), "dup")
    assert [(i.key, i.article.title) for i in items] == [("guid:same", "One"), ("guid:other", "Two")]


def test_feedparser_only_ever_sees_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Any] = []
    real = feedparser.parse

    def spy(source: Any, **kwargs: Any) -> Any:
        calls.append(source)
        return real(source, **kwargs)

    monkeypatch.setattr(feedparse.feedparser, "parse", spy)
    # A document that is also a path must be parsed as content, never opened.
    articles_from_feed_bytes(b"/etc/passwd", "path")
    parse_feed_bytes(s.RSS20)
    assert calls and all(isinstance(c, io.BytesIO) for c in calls)


def test_replay_reads_feed_files_through_the_file_connector(tmp_path: Path) -> None:
    path = tmp_path / "wire.rss"
    path.write_bytes(s.RSS20)
    payloads = [m.payload for m in read_inputs([path], feed_reader=articles_from_feed_bytes)[0]]
    articles = [article_from_bytes(p) for p in payloads]
    assert [a.title for a in articles] == ["First round held", "Second round of Istanbul talks held"]
    assert articles == articles_from_feed_bytes(s.RSS20, "wire")  # deterministic


def test_hostile_guids_and_titles_are_bounded() -> None:
    huge = "x" * 100_000
    data = s.rss_with([(huge, huge)])
    [item] = items_from_parsed(parse_feed_bytes(data), "big")
    assert len(item.article.title) == feedparse.MAX_TITLE_CHARS


def _laughs_variants() -> dict[str, bytes]:
    one_line = s.BILLION_LAUGHS
    multi_line = one_line.replace(b"<!ENTITY", b"\n<!ENTITY")
    tricky = one_line.replace(b"[<!ENTITY", b'[<!-- <a> "]>" --><!ENTITY x "]>"><!ENTITY', 1)
    return {
        "one line": one_line,
        "one per line": multi_line,
        "comment and quotes": tricky,
        "utf-16": one_line.decode().encode("utf-16"),
        "utf-16-le without BOM": one_line.decode().encode("utf-16-le"),
    }


@pytest.mark.parametrize("name", list(_laughs_variants()))
def test_billion_laughs_variants_cost_neither_time_nor_memory(name: str) -> None:
    import time
    import tracemalloc

    data = _laughs_variants()[name]
    tracemalloc.start()
    started = time.perf_counter()
    try:
        parsed = parse_feed_bytes(data, RSS_HEADERS)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - started < 0.5
    assert peak < 2_000_000
    assert "EntityDeclarationsRemoved" in parsed.bozo_kinds
    [item] = items_from_parsed(parsed, "laughs")
    assert item.article.url == "https://laughs.example/1"


def test_a_doctype_without_entities_is_kept() -> None:
    data = (
        b'<?xml version="1.0"?><!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
        b'"http://my.netscape.com/publish/formats/rss-0.91.dtd"><rss version="0.91"><channel><title>n</title>'
        b"<link>https://n.example/</link><item><title>T</title><link>https://n.example/1</link></item></channel></rss>"
    )
    parsed = parse_feed_bytes(data)
    assert parsed.version.startswith("rss091") and "EntityDeclarationsRemoved" not in parsed.bozo_kinds
    assert [i.article.title for i in items_from_parsed(parsed, "n")] == ["T"]


def test_an_oversized_text_is_cut() -> None:
    data = s.rss_with([("big", "Big")]).replace(b"Text of Big.", b"word " * 100_000)
    [item] = items_from_parsed(parse_feed_bytes(data), "big")
    assert len(item.article.text) == feedparse.MAX_TEXT_CHARS
