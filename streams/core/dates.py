"""Dates in normalised sentences: absolute (both Arabic month systems, English, Russian, Persian
transliterations) and relative (today, last week, on Thursday), resolved against a publication date.

A small regex over the month lexicon was chosen over dateparser: it finds the paired press form
``27 شباط/فبراير`` that dateparser misses as one span, needs no locale juggling, and costs
microseconds. Rules for the year of a date that does not state one: the article's publication
year (a past event after the publication date moves back a year, an announced one before it moves
forward); without a publication date, the year the article calls current (``العام الحالي 2025``),
else the latest year it mentions. Relative expressions need the publication date; without one
they stay unresolved rather than guessed.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from streams.core.lexicon import Lexicon
from streams.core.models import DatePrecision
from streams.core.patterns import alternation

logger = logging.getLogger(__name__)

# Words that make "the Nth of this month" refer to the month of publication.
_CURRENT = ("الجاري", "الحالي", "هذا", "this")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_NUMERIC = re.compile(
    r"(?<!\d)(\d{1,2})[./](\d{1,2})[./]((?:19|20)\d{2})(?!\d)|(?<!\d)((?:19|20)\d{2})-(\d{2})-(\d{2})(?!\d)"
)


# A dateline sits in the first characters of an article, after a city and perhaps a weekday:
DATELINE_REACH = 80  # characters
DATELINE_WORDS = 4  # words
# A past development's year-less date more than PAST_AHEAD days after publication is last year's,
# unless it is within SOON_DAYS: then it is the day of something to come, not of the development.
PAST_AHEAD, SOON_DAYS = 2, 60
TODAY_AHEAD = 1  # "Today, <weekday>" may name the day after the page's date (dated the evening before).
# Words before a year within which a deal noun makes it the year of a past deal ("اتفاقية فض الاشتباك لعام 1974").
DEAL_YEAR_WORDS = 4
_WORDS = re.compile(r"\w+")
_SHORT_MONTH = re.compile(r"(?<![^\W\d])[تك] ?[12](?![\d\w])(?=\s+\w)")
_TIME = re.compile(r"\d{1,2}[:.]\d{2}(?!\d)")
# "واشنطن – 23 – 10 (كونا) —": a city, then day and month in figures between dashes, then the agency.
_NUMERIC_DATELINE = re.compile(r"^\W*(?:[^\W\d]+\s+){0,2}[^\W\d]+\s*[-–—]\s*(\d{1,2})\s*[-–—]\s*(\d{1,2})\s*[(\[]")
_DATELINE_PUNCT = frozenset(".(/-–—,:|[")
_DATE_PREPOSITIONS = frozenset(
    {"في", "منذ", "حتي", "يوم", "on", "in", "since", "by", "until", "в", "с", "до", "در", "از"}
)


@dataclass(frozen=True, slots=True)
class DateHit:
    """A date expression at characters ``start``..``end`` of a normalised sentence.

    Absolute dates fill ``month`` (and ``day``, ``year`` when stated); relative ones fill
    ``relative`` (unit, offset) or ``weekday``. ``direction`` is ``past``/``next`` when the text
    says so (الماضي, المقبل, last, next).
    """

    start: int
    end: int
    year: int | None = None
    month: int | None = None
    day: int | None = None
    direction: str = ""
    relative: tuple[str, int] | None = None
    weekday: int | None = None
    calendar: str = "gregorian"

    @property
    def absolute(self) -> bool:
        """Whether the text names the month itself (not a relative expression)."""
        return self.month is not None


@dataclass(frozen=True, slots=True)
class Resolved:
    """A resolved date: ISO text and precision, or None; ``key`` identifies it without a year."""

    date: str | None
    precision: DatePrecision | None
    key: str | None


def _alternation(words: Iterable[str]) -> str:
    # The longest word first, as a trie: the same matches, read several times faster.
    return alternation(words)


# Groups of phrases that the patterns need (bits of the mask of :meth:`DateFinder._named`).
MONTH, JALALI, SAME, WEEKDAY, RELATIVE = 1, 2, 4, 8, 16


def _first_words(groups: Mapping[int, Iterable[str]]) -> tuple[dict[str, int], int]:
    """Per word, the groups (bits) that have a phrase starting with it; and the groups that no
    word rules out (an empty group, a phrase not starting with a word character).

    Every pattern starts its month, weekday and relative phrases at a word boundary, so a sentence
    none of whose words starts one cannot match: dict lookups spare it a dozen long alternations.
    """
    firsts: dict[str, int] = {}
    always = 0
    for bit, group in groups.items():
        phrases = list(group)
        words = [m.group() for p in phrases if (m := _WORDS.match(p))]
        if not phrases or len(words) < len(phrases):
            always |= bit
            continue
        for word in words:
            firsts[word] = firsts.get(word, 0) | bit
    return firsts, always


class _Claims:
    """The date hits of a sentence so far, and the characters they claim (no two overlap)."""

    __slots__ = ("hits", "taken")

    def __init__(self) -> None:
        self.hits: list[DateHit] = []
        self.taken: list[tuple[int, int]] = []

    def free(self, start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in self.taken)

    def keep(self, hit: DateHit) -> None:
        if self.free(hit.start, hit.end):
            self.hits.append(hit)
            self.taken.append((hit.start, hit.end))


class DateFinder:
    """Finds date expressions in normalised text with regexes built from a lexicon."""

    def __init__(self, lexicon: Lexicon) -> None:
        self._lexicon = lexicon
        month = f"(?:{_alternation(lexicon.months)})"
        marker = f"(?:{_alternation(lexicon.month_markers)})"
        # After a day and its month: the month in the other Arabic system ("شباط/فبراير"), a
        # direction marker, a year.
        after_month = (
            rf"(?:\s*[/\\(]\s*({month})\s*\)?(?!\w))?(?:\s+({marker})(?!\w))?"
            r"(?:\s*,?\s*(?:من\s+|of\s+)?(?:عام\s+|العام\s+|سنه\s+|year\s+)?((?:19|20)\d{2})(?!\d))?"
        )
        self._compile_month_dates(month, marker, after_month)
        self._compile_day_words(month, after_month)
        self._compile_relative_dates(marker)
        self._firsts, self._always = _first_words(
            {
                MONTH: lexicon.months,
                JALALI: lexicon.jalali_months,
                SAME: lexicon.same_month,
                WEEKDAY: lexicon.weekdays,
                RELATIVE: lexicon.relative,
            }
        )

    def _compile_month_dates(self, month: str, marker: str, after_month: str) -> None:
        """The patterns of dates that name their month: with a digit day, a range, a month alone."""
        lexicon = self._lexicon
        self._day_month = re.compile(
            rf"(?<!\w)(\d{{1,2}})(?:st|nd|rd|th|-?го|-?е)?\s+(?:من\s+|of\s+)?({month})(?!\w){after_month}"
        )
        # "من 8 إلى 13 يونيو", "between 27 and 30 July", "10–11 июля", "يومي 17 و18 سبتمبر": a range (or
        # two days), dated by its first day.
        to = _alternation(lexicon.range_to) or "(?!)"
        between = _alternation(lexicon.range_between) or "(?!)"
        conj = _alternation(lexicon.words("coordination")) or "(?!)"
        self._range = re.compile(
            rf"(?<!\w)(?:(?:{between})\s+(\d{{1,2}})\s*(?:{conj})\s*|(\d{{1,2}})(?:\s*[-–—]\s*|\s+(?:{to})\s*|\s+(?:{conj})\s*))"
            rf"(\d{{1,2}})(?:st|nd|rd|th|-?го|-?е)?\s+(?:من\s+|of\s+)?({month})(?!\w){after_month}"
        )
        self._month_day = re.compile(
            rf"(?<!\w)({month})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?(?!\d)(?:\s*,?\s*((?:19|20)\d{{2}})(?!\d))?"
        )
        self._month_year = re.compile(
            rf"(?<!\w)({month})(?:\s*/\s*({month}))?\s+(?:من\s+|of\s+)?(?:عام\s+)?((?:19|20)\d{{2}})(?!\d)"
        )
        qualifiers = _alternation(lexicon.month_qualifiers) or "(?!)"
        self._in_month = re.compile(
            rf"(?<!\w)(?:في|خلال|in|в|во|در)\s+(?:(?:{qualifiers})\s+)?(?:شهر\s+|of\s+)?({month})(?!\w)"
            rf"(?:\s*/\s*({month})(?!\w))?(?:\s+({marker})(?!\w))?"
        )
        jalali = _alternation(lexicon.jalali_months)
        self._jalali = (
            re.compile(rf"(?<!\w)(\d{{1,2}})\s+({jalali})(?!\w)(?:\s+(?:سال\s+)?(1[34]\d{{2}})(?!\d))?")
            if jalali
            else None
        )

    def _compile_day_words(self, month: str, after_month: str) -> None:
        """The patterns of days written as words, and of days of "the same month"."""
        lexicon = self._lexicon
        same = _alternation(lexicon.same_month)
        self._same_month = re.compile(rf"(?<!\w)(\d{{1,2}})\s+(?:{same})(?!\w)") if same else None
        # "في الخامس عشر من أغسطس", "on the twenty-seventh of February": a day word needs a
        # preposition before it and "of" after it, so that "الأسبوع الأول من مارس" stays a week.
        words = _alternation(lexicon.day_words)
        lead = r"(?<!\w)(?:(?:و|ف)?(?:في|يوم|منذ|حتي|بين)\s+|(?:on\s+|by\s+|from\s+)?the\s+|و(?=ال))"
        self._word_day = (
            re.compile(rf"{lead}({words})\s+(?:من\s+|of\s+)(?:شهر\s+)?({month})(?!\w){after_month}") if words else None
        )
        # A digit day stands alone before "of last month"; a day word needs its preposition.
        day_or_word = rf"(?<!\w)(\d{{1,2}})|{lead}({words})" if words else r"(?<!\w)(\d{1,2})"
        self._day_before = re.compile(rf"(?:{day_or_word})(?:st|nd|rd|th)?\s+(?:من|of)\s+(?:the\s+)?$")
        self._word_same = re.compile(rf"{lead}({words})\s+(?:{same})(?!\w)") if words and same else None
        # "هشتم آگوست", "در تاریخ دهم اپریل": a Persian ordinal day right before its month.
        bare = _alternation(lexicon.bare_day_words)
        self._bare_day = re.compile(rf"(?<!\w)({bare})\s+({month})(?!\w){after_month}") if bare else None

    def _compile_relative_dates(self, marker: str) -> None:
        """The patterns of relative words, weekdays, and the year an article calls current."""
        lexicon = self._lexicon
        rel = _alternation(lexicon.relative)
        self._relative = re.compile(rf"(?<!\w)({rel})(?!\w)") if rel else None
        days = _alternation(lexicon.weekdays)
        prefix = _alternation(lexicon.weekday_prefix)
        # The prefix ("يوم", "on") is optional: weekday names are unambiguous on their own.
        self._weekday = re.compile(
            rf"(?<!\w)(?:({marker})\s+)?(?:(?:{prefix})\s+)?({days})(?!\w)(?:\s+({marker})(?!\w))?"
        )
        current = _alternation(lexicon.current_year)
        self._current_year = re.compile(
            rf"(?:{current})\s*,?\s*(?:\(?\s*)?((?:19|20)\d{{2}})|((?:19|20)\d{{2}})\s*\)?\s*(?:{current})"
        )

    def find(self, norm: str, prior: DateHit | None = None, tokens: Sequence[str] | None = None) -> list[DateHit]:
        """Every date expression of a normalised sentence, without overlaps, in text order.

        ``prior`` is the last stated month of the sentences before: "the 27th of the same month"
        with no month earlier in the sentence takes its month. ``tokens`` are the word tokens of
        ``norm`` when the caller has them (:class:`streams.core.sentences.Sentence`).
        """
        claims = _Claims()
        # Every pattern but "in February", weekdays and relative words needs a digit.
        digits = any(map(str.isdigit, norm))
        if digits:
            # "10 ك1 ديسمبر", "25ت2 نوفمبر": the Levantine month's short form beside its name, blanked
            # (same length, so offsets hold) for the day to reach the month.
            norm = _SHORT_MONTH.sub(lambda m: " " * len(m.group()), norm)
        names = self._named(_WORDS.findall(norm) if tokens is None else tokens)
        for hit in self._stated_dates(norm, digits, names):
            if not _quoted(norm, hit):
                claims.keep(hit)
        claims.hits.sort(key=lambda h: h.start)
        if names & SAME:
            self._claim_same_month(norm, digits, prior, claims)
            claims.hits.sort(key=lambda h: h.start)
        if names & RELATIVE:
            self._claim_relative(norm, claims)
            claims.hits.sort(key=lambda h: h.start)
        return claims.hits

    def _named(self, words: Iterable[str]) -> int:
        """The groups of phrases that a sentence of ``words`` may hold (see :func:`_first_words`)."""
        names = self._always
        firsts = self._firsts
        for word in words:
            names |= firsts.get(word, 0)
        return names

    def _stated_dates(self, norm: str, digits: bool, names: int) -> Iterator[DateHit]:
        """The dates that state their month or weekday, pattern by pattern: the first claim wins.
        ``names`` (see :meth:`_named`) rules out the patterns whose words the sentence lacks."""
        months = self._lexicon.months
        markers = self._lexicon.month_markers
        named = bool(names & MONTH)
        dated = digits and named
        for m in _NUMERIC.finditer(norm) if digits else ():
            if m.group(1):
                d, mo, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
            else:
                y, mo, d = int(m.group(4)), int(m.group(5)), int(m.group(6))
            if 1 <= mo <= 12 and 1 <= d <= 31:
                yield DateHit(m.start(), m.end(), y, mo, d)
        for m in self._range.finditer(norm) if dated else ():
            first, last = int(m.group(1) or m.group(2)), int(m.group(3))
            if 1 <= first < last <= 31:
                year = int(m.group(7)) if m.group(7) else None
                direction = markers.get(m.group(6) or "", "")
                yield DateHit(m.start(), m.end(), year, months[m.group(4)], first, direction)
        for m in self._day_month.finditer(norm) if dated else ():
            day = int(m.group(1))
            if 1 <= day <= 31:
                year = int(m.group(5)) if m.group(5) else None
                direction = markers.get(m.group(4) or "", "")
                yield DateHit(m.start(), m.end(), year, months[m.group(2)], day, direction)
        for m in self._word_day.finditer(norm) if self._word_day is not None and named else ():
            year = int(m.group(5)) if m.group(5) else None
            direction = markers.get(m.group(4) or "", "")
            day = self._lexicon.day_words[m.group(1)]
            yield DateHit(m.start(1), m.end(), year, months[m.group(2)], day, direction)
        for m in self._bare_day.finditer(norm) if self._bare_day is not None and named else ():
            year = int(m.group(5)) if m.group(5) else None
            direction = markers.get(m.group(4) or "", "")
            day = self._lexicon.bare_day_words[m.group(1)]
            yield DateHit(m.start(), m.end(), year, months[m.group(2)], day, direction)
        if self._jalali is not None:
            for m in self._jalali.finditer(norm) if digits and names & JALALI else ():
                day = int(m.group(1))
                year = int(m.group(3)) if m.group(3) else None
                yield DateHit(m.start(), m.end(), year, self._lexicon.jalali_months[m.group(2)], day, calendar="jalali")
        for m in self._month_day.finditer(norm) if dated else ():
            day = int(m.group(2))
            if 1 <= day <= 31:
                year = int(m.group(3)) if m.group(3) else None
                yield DateHit(m.start(), m.end(), year, months[m.group(1)], day)
        for m in self._month_year.finditer(norm) if dated else ():
            yield DateHit(m.start(), m.end(), int(m.group(3)), months[m.group(1)])
        for m in self._in_month.finditer(norm) if named else ():
            direction = markers.get(m.group(3) or "", "")
            yield DateHit(m.start(), m.end(), None, months[m.group(1)], None, direction)
        for m in self._weekday.finditer(norm) if names & WEEKDAY else ():
            direction = markers.get(m.group(1) or m.group(3) or "", "")
            yield DateHit(m.start(), m.end(), weekday=self._lexicon.weekdays[m.group(2)], direction=direction)

    def _claim_same_month(self, norm: str, digits: bool, prior: DateHit | None, claims: _Claims) -> None:
        """Days of "the same month" (the month of the date before) and of "this month"."""
        same_days = (
            [(m, int(m.group(1))) for m in self._same_month.finditer(norm)] if self._same_month and digits else []
        )
        if self._word_same is not None:
            same_days += [(m, self._lexicon.day_words[m.group(1)]) for m in self._word_same.finditer(norm)]
        for m, day in sorted(same_days, key=lambda p: p[0].start()):
            # "الـ18 من الشهر نفسه": the month (and year) of the previous date of the sentence, else
            # of the sentences before; "الـ18 من الشهر الجاري": of the month of publication.
            start = m.start(1)
            before = [h for h in claims.hits if h.month is not None and h.end <= start and h.calendar == "gregorian"]
            if not (1 <= day <= 31 and claims.free(start, m.end())):
                continue
            current = any(word in m.group(0) for word in _CURRENT)
            if not before and not current and prior is not None and prior.month is not None:
                before = [prior] if prior.calendar == "gregorian" else []
            if before:
                ref = before[-1]
                claims.keep(DateHit(start, m.end(), ref.year, ref.month, day, ref.direction))
            elif current:
                claims.keep(DateHit(start, m.end(), day=day, relative=("month", 0)))

    def _claim_relative(self, norm: str, claims: _Claims) -> None:
        """Relative words ("yesterday", "last month"), with the day before them ("the 18th of")."""
        if self._relative is None:
            return
        counts = self._lexicon.words("counts")
        for m in self._relative.finditer(norm):
            relative = self._lexicon.relative[m.group(1)]
            before = norm[: m.start()].split()[-1:]
            if relative[0] != "day" and relative[1] and before and (before[0].isdigit() or before[0] in counts):
                continue  # "در سه سال گذشته": the past three years, a span, not last year
            day_before = self._day_before.search(norm, 0, m.start()) if relative[0] == "month" else None
            if day_before is not None:
                # "في الـ18 من الشهر الماضي", "on the 18th of last month": a day of that month.
                group = 1 if day_before.group(1) else 2
                word = day_before.group(group) or ""
                day = int(word) if word.isdigit() else self._lexicon.day_words.get(word, 0)
                if 1 <= day <= 31 and claims.free(day_before.start(group), m.end()):
                    claims.keep(DateHit(day_before.start(group), m.end(), day=day, relative=relative))
                    continue
            claims.keep(DateHit(m.start(), m.end(), relative=relative))

    def dateline(self, norm_line: str) -> DateHit | None:
        """The date of a dateline opening an article's first line ("MOSCOW, March 25 (Reuters) -",
        "ЭР-РИЯД, 18 февраля. /ТАСС/.", "الرياض - 18 فبراير (رويترز)", a date header), or None.

        A dateline is a day and month after at most a few words (a city, a weekday) that are not a
        preposition ("في 18 فبراير، عقدت" is a sentence), followed by punctuation or nothing.
        """
        hits = [h for h in self.find(norm_line[:DATELINE_REACH]) if h.day is not None and h.calendar == "gregorian"]
        numeric = _NUMERIC_DATELINE.match(norm_line)
        if not hits and numeric is not None and 1 <= int(numeric.group(2)) <= 12 and 1 <= int(numeric.group(1)) <= 31:
            # "واشنطن – 23 – 10 (كونا) —": the agency's day and month in figures.
            return DateHit(numeric.start(1), numeric.end(2), None, int(numeric.group(2)), int(numeric.group(1)))
        if not hits:
            return None
        hit = hits[0]
        words = _WORDS.findall(norm_line[: hit.start])
        if len(words) > DATELINE_WORDS or (words and words[-1] in _DATE_PREPOSITIONS):
            return None
        after = norm_line[hit.end :].lstrip()
        # "Thursday 10 April 2025 12:30": a header line with the time after the date.
        return hit if not after or after[0] in _DATELINE_PUNCT or _TIME.match(after) else None

    def article_year(self, norm_text: str) -> int | None:
        """The year an article without a publication date is about: the one it calls current,
        else the latest year it mentions."""
        m = self._current_year.search(norm_text)
        if m:
            return int(m.group(1) or m.group(2))
        deals = self._lexicon.words("deal_nouns")
        years = []
        for m in _YEAR.finditer(norm_text):
            before = _WORDS.findall(norm_text[max(0, m.start() - 60) : m.start()])[-DEAL_YEAR_WORDS:]
            after = _WORDS.findall(norm_text[m.end() : m.end() + 30])[:1]
            if not deals.intersection(before + after):
                years.append(int(m.group(1)))  # "the 1974 agreement" names a past deal, not the year
        return max(years) if years else None


def _shift_month(year: int, month: int, offset: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + offset
    return index // 12, index % 12 + 1


_QUOTES = frozenset("\"'«»“”„‘’")


def _quoted(norm: str, hit: DateHit) -> bool:
    """Whether a date stands alone in quotation marks, a name ("حركة "23 مارس"", the "March 23
    Movement"): the whole quoted text is the date."""
    before = norm[: hit.start].rstrip()
    after = norm[hit.end :].lstrip()
    return bool(before) and bool(after) and before[-1] in _QUOTES and after[0] in _QUOTES


def resolve(hit: DateHit, published: dt.datetime | None, year_hint: int | None, future: bool) -> Resolved:
    """Resolve ``hit`` to an ISO date with its precision.

    ``future`` says the development is announced (so a year-less date before publication means
    next year); otherwise a year-less date after publication means last year.
    """
    if hit.month is not None and hit.calendar == "jalali":
        return _resolve_jalali(hit, published, year_hint, future)
    if hit.month is not None:
        return _resolve_gregorian(hit, hit.month, published, year_hint, future)
    if published is None:
        return Resolved(None, None, None)
    today = published.date()
    if hit.weekday is not None:
        day = _weekday_date(hit.weekday, hit.direction, today, future)
        return Resolved(day.isoformat(), "day", day.isoformat())
    if hit.relative is None:
        return Resolved(None, None, None)
    return _resolve_relative(hit.relative, hit.day, today)


def _resolve_gregorian(
    hit: DateHit, month: int, published: dt.datetime | None, year_hint: int | None, future: bool
) -> Resolved:
    """A date that names its month: the year stated, else the one its direction and the
    publication date imply, else ``year_hint``."""
    key = f"{month:02d}-{hit.day:02d}" if hit.day else f"{month:02d}"
    year = hit.year
    if year is None and published is not None:
        year = published.year
        probe = dt.date(year, month, min(hit.day or 1, 28))
        today = published.date()
        forward = hit.direction == "next" or (future and hit.direction != "past")
        if not forward and probe > today + dt.timedelta(days=PAST_AHEAD):
            # "a ceasefire beginning on August 4 was agreed on Tuesday" (1 August): a day just
            # ahead is no past event's day, and the same day of last year is not either.
            if probe <= today + dt.timedelta(days=SOON_DAYS):
                return Resolved(None, None, key)
            year -= 1
        elif forward and probe < today - dt.timedelta(days=7):
            year += 1
    elif year is None:
        year = year_hint
    if year is None:
        return Resolved(None, None, key)
    if hit.day is not None:
        try:
            day = dt.date(year, month, hit.day)
        except ValueError:
            return Resolved(None, None, key)
        return Resolved(day.isoformat(), "day", day.isoformat())
    return Resolved(f"{year:04d}-{month:02d}", "month", f"{year:04d}-{month:02d}")


def _weekday_date(weekday: int, direction: str, today: dt.date, future: bool) -> dt.date:
    """The day a weekday name means: the last one, or the next one for an announced development."""
    if direction == "next":
        return today + dt.timedelta(days=(weekday - today.weekday()) % 7 or 7)
    if direction == "today":
        # "اليوم الخميس", "today, Thursday": the story's own day, whichever side of the page's
        # date (time zones, pages dated the evening before) it falls on.
        ahead = (weekday - today.weekday()) % 7
        return today + dt.timedelta(days=ahead if ahead <= TODAY_AHEAD else ahead - 7)
    if future and direction != "past":
        # "the meeting on Thursday", written on a Thursday: today.
        return today + dt.timedelta(days=(weekday - today.weekday()) % 7)
    return today - dt.timedelta(days=(today.weekday() - weekday) % 7)


def _resolve_relative(relative: tuple[str, int], day_of_month: int | None, today: dt.date) -> Resolved:
    """A relative expression (unit, offset) counted from the publication day."""
    unit, offset = relative
    if unit == "day":
        day = today + dt.timedelta(days=offset)
        return Resolved(day.isoformat(), "day", day.isoformat())
    if unit == "week":
        # A week is not a precision of its own: the month it falls in is what can be said.
        day = today + dt.timedelta(days=7 * offset)
        return Resolved(f"{day.year:04d}-{day.month:02d}", "month", None)
    if unit == "month":
        year, month = _shift_month(today.year, today.month, offset)
        if day_of_month is not None:
            try:
                day = dt.date(year, month, day_of_month)
            except ValueError:
                return Resolved(None, None, None)
            return Resolved(day.isoformat(), "day", day.isoformat())
        return Resolved(f"{year:04d}-{month:02d}", "month", f"{year:04d}-{month:02d}")
    year = today.year + offset
    return Resolved(f"{year:04d}", "year", f"{year:04d}")


def jalali_to_gregorian(jy: int, jm: int, jd: int) -> dt.date:
    """Convert a Solar Hijri (Persian) date to the Gregorian calendar."""
    # Days from the Jalali epoch, counted with the 33-year leap cycle; then back to a date.
    jy += 1595
    days = -355668 + 365 * jy + (jy // 33) * 8 + ((jy % 33) + 3) // 4 + jd
    days += (jm - 1) * 31 if jm < 7 else (jm - 7) * 30 + 186
    # The count above runs one year ahead of date.toordinal() (1 January 1 AD is ordinal 1).
    return dt.date.fromordinal(days - 365)


def _resolve_jalali(hit: DateHit, published: dt.datetime | None, year_hint: int | None, future: bool) -> Resolved:
    assert hit.month is not None and hit.day is not None
    key = f"j{hit.month:02d}-{hit.day:02d}"
    if hit.year is not None:
        years = [hit.year]
    elif published is not None:
        base = published.year - 621
        years = [base - 1, base, base + 1]
    elif year_hint is not None:
        years = [year_hint - 621]
    else:
        return Resolved(None, None, key)
    try:
        candidates = [jalali_to_gregorian(y, hit.month, hit.day) for y in years]
    except ValueError:
        return Resolved(None, None, key)
    if published is not None and hit.year is None:
        today = published.date()
        if future:
            later = [c for c in candidates if c >= today - dt.timedelta(days=7)]
            day = min(later) if later else candidates[-1]
        else:
            earlier = [c for c in candidates if c <= today + dt.timedelta(days=2)]
            day = max(earlier) if earlier else candidates[0]
    else:
        day = candidates[0]
    return Resolved(day.isoformat(), "day", day.isoformat())
