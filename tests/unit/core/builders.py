"""Articles for core tests, built with only the fields a test cares about."""

from __future__ import annotations

import datetime as dt

from streams.core.detector import Detector, detector_for
from streams.core.lexicon import countries
from streams.core.models import Article
from streams.core.trackconfig import parse_tracks_toml


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


def track_detector(toml: str) -> Detector:
    """The detector of a tracks file given as text (a user's tracks file in a test)."""
    return detector_for(parse_tracks_toml(toml, countries()))
