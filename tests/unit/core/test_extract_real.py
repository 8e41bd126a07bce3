"""Rules that real news prose asked for (tests/corpus, dev part), each with short sentences of our own."""

from __future__ import annotations

import datetime as dt

from streams.core.detector import extract
from streams.core.models import Mention

from .builders import make_article

PUB = dt.datetime(2025, 6, 4, 8, 0, tzinfo=dt.UTC)  # a Wednesday


def found(text: str, published: dt.datetime | None = PUB, title: str = "") -> tuple[Mention, ...]:
    return extract(make_article(text, title, published, article_id="r"))


def kinds(text: str, published: dt.datetime | None = PUB) -> list[str]:
    return [m.type for m in found(text, published)]


# ---------------------------------------------------------------- generated place names
def test_a_weekday_is_not_a_generated_city() -> None:
    # Persian "Monday" is also a GeoNames spelling of a capital; the weekday wins.
    (m,) = found("نشست هیئت‌های روسیه و آمریکا روز دوشنبه برگزار شد.")
    assert m.location is None
    assert m.date == "2025-06-02"
