"""The central step: deduplication, extraction and merge of one article into a track state."""

from __future__ import annotations

import datetime as dt

from streams.core.dedup import DedupIndex
from streams.core.models import TrackState
from streams.core.pipeline import process

from .builders import make_article

PUB = dt.datetime(2025, 2, 27, 12, 0, tzinfo=dt.UTC)
TEXT = "عقد وفدا روسيا والولايات المتحدة جولة محادثات في إسطنبول يوم 27 فبراير لبحث عمل السفارتين."


def test_a_redelivered_article_is_a_duplicate_of_itself_and_not_merged_again() -> None:
    # The worker journals an article's index and state writes together, so a redelivered article
    # finds its first delivery's state; a reprint that delivery dropped must stay dropped.
    index = DedupIndex({})
    article = make_article(TEXT, published=PUB, article_id="a1")
    first = process(TrackState(track="ru-us"), index, article, PUB)
    assert first.duplicate is None and [a.kind for a in first.alerts] == ["new"]
    again = process(TrackState(track="ru-us"), index, article, PUB)
    assert again.duplicate == "exact" and again.redelivered
    assert again.alerts == () and again.mentions == ()


def test_a_redelivered_article_the_state_holds_changes_nothing() -> None:
    index = DedupIndex({})
    article = make_article(TEXT, published=PUB, article_id="a1")
    first = process(TrackState(track="ru-us"), index, article, PUB)
    again = process(first.state, index, article, PUB)
    assert again.duplicate == "exact" and again.alerts == () and again.state is first.state


def test_the_same_text_under_another_id_is_still_a_duplicate() -> None:
    index = DedupIndex({})
    first = process(TrackState(track="ru-us"), index, make_article(TEXT, published=PUB, article_id="a1"), PUB)
    copy = process(first.state, index, make_article(TEXT, published=PUB, article_id="a2"), PUB)
    assert copy.duplicate == "exact" and copy.alerts == () and copy.mentions == ()


def test_the_index_forgets_past_its_horizon_on_the_state_clock_in_a_replay_too() -> None:
    # The same text again: within the horizon a duplicate; past it the index has let it go, in a
    # replay exactly as in the worker (eviction is part of the step, on publication times).
    def second_copy_after(days: int) -> str | None:
        index = DedupIndex({}, horizon=dt.timedelta(days=30))
        state = TrackState(track="ru-us")
        first = process(state, index, make_article(TEXT, published=PUB, article_id="a1"), PUB)
        later = PUB + dt.timedelta(days=days)
        return process(first.state, index, make_article(TEXT, published=later, article_id="a2"), later).duplicate

    assert second_copy_after(5) == "exact"
    assert second_copy_after(40) is None


UNDATED = "عقدت روسيا والولايات المتحدة جولتين من المحادثات في إسطنبول في 27 فبراير و10 أبريل لبحث عمل السفارتين."


def test_an_undated_article_takes_the_year_of_a_day_the_track_knows() -> None:
    # 27 February is a day the state knows (2025): the article's 10 April is 10 April 2025.
    index = DedupIndex({})
    known = process(TrackState(track="ru-us"), index, make_article(TEXT, published=PUB, article_id="a1"), PUB)
    later = process(known.state, index, make_article(UNDATED, article_id="a2"), PUB)
    assert "2025-04-10" in {m.date for m in later.mentions}
    # Without that day in the state, the article names no year and dates nothing.
    alone = process(TrackState(track="ru-us"), DedupIndex({}), make_article(UNDATED, article_id="a2"), PUB)
    assert {m.date for m in alone.mentions} == {None}


def test_a_day_known_in_two_years_gives_no_year() -> None:
    from streams.core.pipeline import known_days

    index = DedupIndex({})
    state = process(TrackState(track="ru-us"), index, make_article(TEXT, published=PUB, article_id="a1"), PUB).state
    pub = PUB.replace(year=2024)
    other = "التقى دبلوماسيون من روسيا والولايات المتحدة في الرياض يوم 27 فبراير لبحث ملف التأشيرات."
    state = process(state, index, make_article(other, published=pub, article_id="a3"), pub).state
    assert (2, 27) not in known_days(state, make_article(UNDATED, article_id="a2"))
    assert known_days(state, make_article(UNDATED, published=PUB, article_id="a2")) == {}
