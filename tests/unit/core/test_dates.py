"""Dates: both Arabic month systems, English, Russian, Jalali; relative dates against publication."""

from __future__ import annotations

import datetime as dt

import pytest

from streams.core.dates import DateFinder, DateHit, jalali_to_gregorian, resolve
from streams.core.lexicon import default_lexicon
from streams.core.normalise import normalise

FINDER = DateFinder(default_lexicon())
PUB = dt.datetime(2025, 4, 11, 9, 0, tzinfo=dt.UTC)  # a Friday


def first(text: str) -> DateHit:
    hits = FINDER.find(normalise(text))
    assert hits, text
    return hits[0]


def iso(text: str, published: dt.datetime | None = PUB, year: int | None = None, future: bool = False) -> str | None:
    return resolve(first(text), published, year, future).date


@pytest.mark.parametrize(
    "text",
    [
        "في 27 شباط 2025",
        "في 27 فبراير 2025",
        "في الـ27 من شباط/فبراير 2025",
        "في الـ 27 من شباط 2025",
        "في ٢٧ شباط/فبراير ٢٠٢٥",
        "on February 27, 2025",
        "on 27 February 2025",
        "Feb. 27, 2025",
        "27 февраля 2025 года",
        "27.02.2025",
        "2025-02-27",
    ],
)
def test_the_same_day_in_every_form(text: str) -> None:
    assert iso(text) == "2025-02-27"


def test_maghreb_and_levant_month_names() -> None:
    assert iso("يوم 15 غشت 2025") == "2025-08-15"
    assert iso("في 18 آذار 2025") == "2025-03-18"
    assert iso("في 10 نيسان/أبريل 2025") == "2025-04-10"


def test_year_from_publication_and_past_marker() -> None:
    assert iso("في الـ18 من شباط الماضي") == "2025-02-18"


def test_past_event_after_publication_day_goes_back_a_year() -> None:
    published = dt.datetime(2025, 2, 1, tzinfo=dt.UTC)
    assert iso("عقدت في 20 نوفمبر", published) == "2024-11-20"


def test_a_past_events_day_just_ahead_of_publication_is_no_day_of_it() -> None:
    # "a ceasefire beginning on August 4 was agreed on Tuesday" (published 1 August): not 2024-08-04.
    published = dt.datetime(2025, 8, 1, tzinfo=dt.UTC)
    resolved = resolve(first("beginning on August 4"), published, None, False)
    assert (resolved.date, resolved.key) == (None, "08-04")
    assert iso("beginning on August 4", published, future=True) == "2025-08-04"


def test_announced_event_before_publication_goes_forward_a_year() -> None:
    published = dt.datetime(2025, 12, 20, tzinfo=dt.UTC)
    assert iso("ستعقد في 15 يناير", published, future=True) == "2026-01-15"


def test_year_hint_without_publication() -> None:
    assert iso("في 27 شباط", None, 2025) == "2025-02-27"


def test_no_year_at_all_gives_none_but_a_key() -> None:
    resolved = resolve(first("في 27 شباط"), None, None, False)
    assert resolved.date is None
    assert resolved.key == "02-27"


def test_article_year_prefers_the_current_year_phrase() -> None:
    text = normalise("بعد الغزو عام 2022، ومنذ عودة ترامب في العام الحالي 2025 ...، وفي 2026 قد")
    assert FINDER.article_year(text) == 2025


def test_article_year_falls_back_to_the_latest_year() -> None:
    assert FINDER.article_year(normalise("منذ عام 2014 وحتى 2022")) == 2022


@pytest.mark.parametrize(
    ("text", "expected", "precision"),
    [
        ("اليوم", "2025-04-11", "day"),
        ("أمس", "2025-04-10", "day"),
        ("غدا", "2025-04-12", "day"),
        ("يوم الخميس", "2025-04-10", "day"),
        ("الشهر الماضي", "2025-03", "month"),
        ("الأسبوع الماضي", "2025-04", "month"),
        ("yesterday", "2025-04-10", "day"),
        ("last month", "2025-03", "month"),
        ("вчера", "2025-04-10", "day"),
        ("накануне", "2025-04-10", "day"),
    ],
)
def test_relative_dates_keep_their_precision(text: str, expected: str, precision: str) -> None:
    resolved = resolve(first(text), PUB, None, False)
    assert (resolved.date, resolved.precision) == (expected, precision)


def test_next_weekday_for_announcements() -> None:
    assert iso("يوم الاثنين المقبل", future=True) == "2025-04-14"
    assert iso("next Monday", future=True) == "2025-04-14"


def test_relative_dates_without_publication_stay_none() -> None:
    assert resolve(first("أمس"), None, 2025, False).date is None


def test_same_month_refers_to_the_previous_date() -> None:
    hits = FINDER.find(normalise("عقدا الجولة الأولى في 27 شباط 2025، بعد لقاء الرياض في الـ18 من الشهر نفسه"))
    days = [resolve(h, None, None, False).date for h in hits]
    assert days == ["2025-02-27", "2025-02-18"]


@pytest.mark.parametrize(
    ("jalali", "gregorian"),
    [((1404, 1, 21), "2025-04-10"), ((1403, 12, 9), "2025-02-27"), ((1404, 5, 24), "2025-08-15")],
)
def test_jalali_to_gregorian(jalali: tuple[int, int, int], gregorian: str) -> None:
    assert jalali_to_gregorian(*jalali).isoformat() == gregorian


def test_persian_solar_month_in_text() -> None:
    assert iso("۲۱ فروردین", PUB) == "2025-04-10"


def test_plain_numbers_are_not_dates() -> None:
    assert FINDER.find(normalise("استمرت المحادثات 6 ساعات بمشاركة 12 دبلوماسيا")) == []


def test_day_of_the_current_month() -> None:
    published = dt.datetime(2025, 2, 20, tzinfo=dt.UTC)
    assert iso("في الـ18 من الشهر الجاري", published) == "2025-02-18"


def test_part_of_a_month() -> None:
    resolved = resolve(first("في أواخر شباط"), PUB, None, False)
    assert (resolved.date, resolved.precision) == ("2025-02", "month")


@pytest.mark.parametrize(
    ("text", "month", "day"),
    [
        ("في الخامس عشر من أغسطس", 8, 15),
        ("يوم الأول من آذار/مارس", 3, 1),
        ("في الحادي والعشرين من كانون الثاني", 1, 21),
        ("في الحادي والثلاثين من تموز", 7, 31),
        ("والعاشر من نيسان", 4, 10),
        ("في الخامس عشر من شهر آب", 8, 15),
        ("on the twenty-seventh of February", 2, 27),
        ("by the eleventh of March", 3, 11),
    ],
)
def test_day_as_an_ordinal_word(text: str, month: int, day: int) -> None:
    hit = first(text)
    assert (hit.month, hit.day) == (month, day)


@pytest.mark.parametrize("text", ["في الأسبوع الأول من مارس", "الجولة الثانية من المحادثات", "the first of the rounds"])
def test_ordinal_words_without_a_day_are_no_date(text: str) -> None:
    assert all(h.day is None for h in FINDER.find(normalise(text)))


def test_same_month_as_a_previous_sentence() -> None:
    prior = first("في 8 آب/أغسطس 2025")
    (hit,) = FINDER.find(normalise("يوم السابع والعشرين من الشهر نفسه"), prior)
    assert (hit.year, hit.month, hit.day) == (2025, 8, 27)


def test_this_month_ignores_a_previous_sentence() -> None:
    prior = first("في 8 آب/أغسطس 2025")
    (hit,) = FINDER.find(normalise("في 20 من الشهر الجاري"), prior)
    assert hit.relative == ("month", 0)


@pytest.mark.parametrize(
    ("line", "day"),
    [
        ("MOSCOW, March 25 (Reuters) - The United States said", 25),
        ("ЭР-РИЯД, 18 февраля. /ТАСС/.", 18),
        ("الرياض - 18 فبراير (رويترز) - قال", 18),
        ("موسكو، 3 آذار/مارس 2025 — أعلن", 3),
        ("10 أبريل 2025", 10),
        ("Thursday 10 April 2025 12:30", 10),
    ],
)
def test_dateline(line: str, day: int) -> None:
    hit = FINDER.dateline(normalise(line))
    assert hit is not None and hit.day == day


@pytest.mark.parametrize(
    "line",
    [
        "في 18 فبراير، عقدت روسيا والولايات المتحدة",
        "On February 18, Russia and the U.S. met",
        "27 февраля в Стамбуле прошли",
    ],
)
def test_not_a_dateline(line: str) -> None:
    assert FINDER.dateline(normalise(line)) is None


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("في الـ18 من الشهر الماضي", "2025-03-18"),
        ("في الثامن عشر من الشهر الماضي", "2025-03-18"),
        ("on the 27th of next month", "2025-05-27"),
        ("في 2 من الشهر المقبل", "2025-05-02"),
    ],
)
def test_day_of_last_or_next_month(text: str, date: str) -> None:
    assert iso(text) == date


@pytest.mark.parametrize("text", ["الأسبوع الأول من الشهر الماضي", "الجولة الثانية من الشهر الماضي"])
def test_a_week_or_round_of_last_month_keeps_month_precision(text: str) -> None:
    (hit,) = FINDER.find(normalise(text))
    assert resolve(hit, PUB, None, False).precision == "month"


@pytest.mark.parametrize("text", ["در بیش از سه سال گذشته", "طی چند ماه گذشته", "در 2 هفته گذشته"])
def test_a_count_before_a_relative_period_is_a_span_not_last_year(text: str) -> None:
    assert FINDER.find(normalise(text)) == []


def test_a_relative_period_alone_is_still_last_year() -> None:
    (hit,) = FINDER.find(normalise("در سال گذشته"))
    assert hit.relative == ("year", -1)


@pytest.mark.parametrize(
    "text",
    ['منذ أن كثف متمردو حركة "23 مارس" حملتهم', "fighters of the «March 23» movement advanced"],
)
def test_a_date_alone_in_quotation_marks_is_a_name(text: str) -> None:
    assert FINDER.find(normalise(text)) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("اليوم السبت", "2025-04-12"),  # the page dated the evening before
        ("اليوم الخميس", "2025-04-10"),
        ("today, Friday", "2025-04-11"),
    ],
)
def test_today_with_a_weekday_is_the_nearest_such_day(text: str, expected: str) -> None:
    assert iso(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("في 10 ك1 ديسمبر 2024", "2024-12-10"), ("وثيقة السلام في 25ت2 نوفمبر 2024", "2024-11-25")],
)
def test_the_levantine_short_month_beside_its_name_is_no_day(text: str, expected: str) -> None:
    assert iso(text) == expected


@pytest.mark.parametrize(
    "text", ["يومي 17 و18 سبتمبر 2025", "on 17 and 18 September 2025", "17 и 18 сентября 2025 года"]
)
def test_two_days_joined_by_and_are_dated_by_the_first(text: str) -> None:
    assert iso(text) == "2025-09-17"


def test_a_date_opening_the_sentence_dates_the_meeting_held_after_a_long_subject() -> None:
    from streams.core.detector import extract
    from streams.core.models import Article

    text = (
        "17 сентября заместитель министра иностранных дел России Сергей Рябков и заместитель государственного "
        "секретаря США Кристофер Ландау провели в Стамбуле консультации по работе посольств."
    )
    article = Article("f", "test", None, "", PUB, None, None, text, "test")
    assert [(m.type, m.date) for m in extract(article)] == [("round_held", "2024-09-17")]
