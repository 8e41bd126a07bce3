"""Articles for core tests, built with only the fields a test cares about."""

from __future__ import annotations

import datetime as dt

from streams.core.models import Article


def make_article(
    text: str,
    title: str = "",
    published: dt.datetime | None = None,
    *,
    article_id: str = "t",
    source: str = "test",
) -> Article:
    return Article(
        id=article_id,
        source=source,
        url=None,
        title=title,
        published=published,
        fetched=None,
        language=None,
        text=text,
        connector="test",
    )
