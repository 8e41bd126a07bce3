"""Per-article extraction of diplomatic developments (rounds, summits, agreements, proposals).

For every sentence of the title and text, lexicon matches (:mod:`streams.core.lexicon`) are read as:

* an **event**: a group of meeting nouns (محادثات، جولة، talks, переговоры) or summit nouns, typed
  by the nearest *held* marker (عقدت، جرت، اختتمت، held, met) or *announced* marker (ستعقد، من
  المقرر، مرتقبة، تعتزم، will hold, scheduled); "after the summit" (بعد قمة) marks a past one; a
  verb at the end of its clause types the clause's meeting (Persian word order); with no marker,
  a stated day makes the meeting held (or announced, if after publication). A meeting whose two
  sides are both led by their leaders (Trump and Putin, not an envoy) is a summit.
* an **agreement** (اتفقا، توافقا على، تم الاتفاق، توصل ... إلى اتفاق، made progress) or a
  **proposal** (عرضت، اقترح، دعا إلى, proposed, offered). "Agreed to hold a meeting" is an
  announcement of that meeting, not an agreement; "proposed to meet in Moscow" is a proposal
  (with the follow-up meeting as its topic), not an announcement.

Decisions, so that a user gets no alert for noise:

* **Negation** right before a trigger (لا، لم، لن، عدم، no, not), "no plans" (لا توجد خطط),
  **conditions** (لو، إذا، if) and **cancellation** (تأجيل، ألغى، فشل، postponed, cancelled, failed)
  before it in its clause, and **denial** (نفى، denied) anywhere before it in the sentence drop it:
  "لا توجد خطط للقاء ترامب وبوتين" is not a summit announcement, a postponed summit is not one
  either. "Without" (بلا، دون) negates only the next word. Readiness (مستعدة لإجراء محادثات) is
  no plan.
* **Hedges** (قد + present tense، ربما، محتمل، may, could): a hedged meeting is **kept as a tentative
  announcement** (``tentative=True``, type ``*_announced``), because "talks may be held in Riyadh"
  is the first sign of a round and the track state decides what to do with it; a hedged
  agreement or proposal is **dropped**, because "may lead to an agreement" states none. قد before
  a past verb ("قد عقدت", had been held) is emphasis, not a hedge.
* **Aims and wishes** (يهدف، رغبة، يأمل، aim, hope, seek) before an agreement in its clause drop
  it: "a desire to reach an agreement" is not one.
* False friends block an agreement reading: يتوافق مع ("is consistent with").
* A sentence that denies, cancels or calls premature a plan (نفى، ألغى، من المبكر، too early,
  no longer planned) holds **no announcement anywhere**: its other clause recalls the plan it
  undoes. Suggestions (من المنطقي، логично было бы) are no announcements either.
* Questions (sentences ending in ? or ؟) state nothing.
* Sentences whose parties pair one side of the default track with an outside country
  (Russia–Ukraine talks, US–Turkey meetings), or name only outside countries, are skipped; a
  country after a preposition ("the war in Ukraine", "talks on Ukraine") or hosting a named city
  ("Istanbul, Turkey") is not a party.
* "A new round" (جولة جديدة) is marked ``new_round`` with no ordinal: the state numbers it.
* Places: the venue follows the meeting noun (or sits between its verb and noun, or opens the
  sentence: "وفي الرياض، ..."); a capital that stands for its government (Washington, Moscow) is a
  venue only after a preposition, and not after an embassy word ("embassies in Washington"); a
  country as venue gives no city (None) but keeps meetings in different countries apart; a
  summit hosting a meeting "on the sidelines" is no development. When unsure: None.
* Prisoner exchanges between the two sides are agreements (topic ``prisoner_exchange``). A
  meeting typed only by what it covered ("تناولت المحادثات") is the talks already reported.
* A dateline ("MOSCOW, March 25 (Reuters) -") dates the lead and anchors relative dates.
* The year of a date comes from the publication date, else from the year the article calls
  current, else from the latest year it names; relative dates need the publication date (see
  :mod:`streams.core.dates`); the date of a report ("said on Friday that") is not the meeting's.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from streams.core.dates import DateHit, Resolved, resolve
from streams.core.drafts import Statement, merge_in_article, summits, to_mention
from streams.core.events import EventReader
from streams.core.lexicon import Lexicon
from streams.core.models import Article, Mention
from streams.core.normalise import normalise
from streams.core.reading import REPORT, Analysis, Context, SentenceReader
from streams.core.sentences import sentences, split_text

logger = logging.getLogger(__name__)

# A "sentence" of this many words or fewer is furniture (an agency tag like "/ТАСС/.").
SHORT = 3
# The most words of a byline line ("Daijiworld Media Network – Sharm El-Sheikh") above a dateline.
BYLINE = 8
# A call named in the lead or the sentence after it makes the story one about a call.
CALL_LINES = 2
# Sentences after a dateline searched for more opening dates (a timeline), and the most days a
# dateline may precede publication.
TIMELINE = 4
DATELINE_LAG = 3
# A dateline without a date: a place of a few words (a region after a comma, cities joined by "/",
# an agency in brackets), then a dash.
DATELINE_PLACE = re.compile(
    r"^\s*[^\W\d][^,()\u2013\u2014\n-]{0,30}"  # the place
    r"(?:,[^,()\u2013\u2014\n-]{1,25})?"  # ", Alaska"
    r"\s*(?:\([^)]{1,30}\)\s*)?"  # "(Reuters)"
    r"[-\u2013\u2014]\s"
)


@dataclass(frozen=True, slots=True)
class Story:
    """What an article as a whole tells of its sentences: when it was published (or filed, by its
    dateline), how many sentences its headline has, which sentence is its lead, and the day and
    place of its dateline."""

    ctx: Context
    titles: int
    lead: int
    filed: Resolved | None
    filed_at: tuple[str, str] | None

    @property
    def today(self) -> Resolved | None:
        """The day of the story, resolved, when it is known."""
        pub = self.ctx.published
        return None if pub is None else resolve(DateHit(0, 0, pub.year, pub.month, pub.day), pub, None, False)


class Extractor:
    """Extracts developments with a sentence reader (its lexicon, the two sides of its track, the
    countries that mediate or host its talks, the agenda topics it reads).

    Three parts, each in its own module: the :class:`SentenceReader` reads a sentence (parties,
    places, dates, modality), the :class:`EventReader` turns what it read into drafts, and this
    class reads the article as a whole (dateline, lead, merging a development's drafts).
    """

    def __init__(self, reader: SentenceReader) -> None:
        self.lexicon = reader.lexicon
        self.reader = reader
        self.events = EventReader(self.reader)
        self.dates = self.reader.dates
        lexicon = self.lexicon
        self._time_words = (
            frozenset(lexicon.months)
            | frozenset(lexicon.weekdays)
            | frozenset(lexicon.relative)
            | lexicon.words("vague_times")
        )

    def extract(self, article: Article, known_days: Mapping[tuple[int, int], int] | None = None) -> tuple[Mention, ...]:
        """Every development ``article`` states, merged within the article, in text order.

        ``known_days`` maps (month, day) to the year of a development the track already knows on
        that day: an article with no publication time and no year of its own that names one of
        these days is about that year (see :func:`anchor_year`).
        """
        infos = self._read(article)
        if not infos:
            return ()
        story = self._story(article, infos, known_days or {})
        statements = self._statements(infos, story)
        if not statements:
            return ()
        return tuple(to_mention(d) for d in self._settle(statements, infos, story))

    def _read(self, article: Article) -> list[Analysis]:
        """Each sentence of the headline and body as the reader reads it, in order."""
        infos: list[Analysis] = []
        prior = None
        city = None
        for s in sentences(article.title, article.text, self.lexicon.footers, self.lexicon.case_sensitive):
            info = self.reader.analyse(s, prior, city)
            infos.append(info)
            stated = [hit for _, _, hit in info.dates if hit.month is not None]
            prior = stated[-1] if stated else prior
            cities = [name for _, name, _ in info.venues if not name.startswith("@")]
            city = cities[-1] if cities else city
        # "President Ilham Aliyev" in the lead makes "Aliyev" a leader in the sentences after it.
        heads = self.reader.article_heads(infos)
        for info in infos:
            info.heads = heads
        return infos

    def _story(self, article: Article, infos: list[Analysis], known_days: Mapping[tuple[int, int], int]) -> Story:
        """When and where the story was filed, and which sentence is its lead."""
        titles = len(split_text(article.title)) if article.title.strip() else 0
        year = None
        if article.published is None:
            year = self.dates.article_year(normalise(f"{article.title}\n{article.text}")) or anchor_year(
                infos, known_days
            )
        ctx = Context(published=article.published, year=year)
        first = titles
        if titles and all(
            first + k < len(infos) and infos[first + k].sentence.norm == infos[k].sentence.norm for k in range(titles)
        ):
            first += titles  # a page whose body opens with its headline again: the lead comes after it
        filed, lead = self._dateline(infos, first, ctx)
        if filed is None and first + 1 < len(infos) and not infos[first].dates:
            # "Daijiworld Media Network – Sharm El-Sheikh" above "Sharm El-Sheikh, Oct 7: …": a
            # byline line, then the dateline; or a standfirst ("The parties exchanged documents")
            # above "ISTANBUL, June 2. /TASS/.".
            below, below_lead = self._dateline(infos, first + 1, ctx)
            if below is not None:
                filed, lead, first = below, below_lead, first + 1
            elif len(infos[first].sentence.tokens) <= BYLINE:
                lead = below_lead  # a kicker ("В присутствии президента США."): the lead is next
        filed_at = self._dateline_city(infos[first]) if first < len(infos) else None
        if filed is not None:
            # The day the story was filed is what "today" and "yesterday" count from.
            day = dt.date.fromisoformat(filed.date or "")
            ctx = Context(dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC), ctx.year)
        return Story(ctx, titles, lead, filed, filed_at)

    def _statements(self, infos: list[Analysis], story: Story) -> list[Statement]:
        """What each sentence states, the lead dated and placed by its dateline; history left out."""
        statements: list[Statement] = []
        other_pair: frozenset[str] = frozenset()
        for info in infos:
            if self.reader.off_track(info):
                other_pair = frozenset(info.parties)
                continue
            if other_pair and info.parties <= other_pair:
                # "Washington and Moscow agreed …. Rubio said the sides agreed to appoint teams":
                # a sentence naming no party beyond the other pair named last goes on about it.
                continue
            other_pair = frozenset() if info.parties else other_pair
            if info.sentence.question:
                continue
            for d in self.events.sentence_drafts(info, story.ctx):
                d.title = info.sentence.index < story.titles
                in_lead = d.sentence.index == story.lead
                dated = d.type.endswith("_held") or d.base in ("agreement", "proposal")
                if (
                    story.filed is not None
                    and in_lead
                    and d.date.key is None
                    and dated
                    and not info.dates  # (its own date left after the dateline's is the event's)
                    and self.lexicon.words("vague_times").isdisjoint(info.sentence.tokens)  # "recently held"
                ):
                    # "ЭР-РИЯД, 18 февраля. /ТАСС/. Переговоры … прошли": the lead reports the day's news.
                    d.date = story.filed
                # (or placed only in the dateline city's country: "SHARM EL-SHEIKH, Oct 7 – talks
                # began in Egypt")
                unplaced = not d.location and (not d.country or (story.filed_at or ("", ""))[1] == d.country)
                if story.filed_at is not None and in_lead and unplaced and d.type.endswith("_held"):
                    # "ANCHORAGE, Alaska – Trump has concluded three hours of talks with Putin": the
                    # meeting the lead reports done was where the story was filed.
                    d.location, d.country = story.filed_at
                statements.append(d)
        # A development dated years before the article is history recalled, not news.
        current = story.ctx.published.year if story.ctx.published is not None else story.ctx.year
        if current is not None:
            statements = [d for d in statements if not d.date.date or int(d.date.date[:4]) >= current - 1]
        return statements

    def _settle(self, statements: list[Statement], infos: list[Analysis], story: Story) -> list[Statement]:
        """The article's developments: its statements with topics and venues filled, merged, and
        the lead's undated news dated by the day of the story."""
        self._fill_topics(statements, infos)
        _agreement_venues(statements)
        merged = merge_in_article(summits(statements))
        if any(infos[i].get("call") or infos[i].get("remote") for i in range(min(story.lead + CALL_LINES, len(infos)))):
            # A story about a phone call: "during their talks on 5 June" with no venue is that call
            # or an earlier one, not a meeting held.
            merged = [d for d in merged if not (d.type.endswith("_held") and not (d.location or d.country))]
        today = story.today
        if today is not None:
            for d in merged:
                # The headline and the lead report the day's news: a meeting or deal they report as
                # done, placed but not dated anywhere in the article, happened on the day of the story.
                # (A bare report stays undated: a date would turn a vague mention into an alert.)
                # An agreement is news where it is reported: it needs no venue to be dated so.
                placed = bool(d.location or d.country) or d.type == "agreement"
                done = (d.type.endswith("_held") or d.type == "agreement") and not d.background
                lead_news = d.title or d.sentence.index <= story.lead
                if done and d.date.key is None and placed and lead_news:
                    info = infos[d.sentence.index]
                    if not self._speaks_of_time(info) or self._reported_today(info, story):
                        d.date = self._first_day(info, today)
        _outcome_dates([d for d in merged if not self._speaks_of_time(infos[d.sentence.index])], merged)
        return merged

    def _dateline(self, infos: list[Analysis], first: int, ctx: Context) -> tuple[Resolved | None, int]:
        """The resolved date of the body's dateline and the index of its lead sentence.

        The dateline's own date is taken out of its sentence, so that it does not date an
        announcement ("MOSCOW, March 25 - … will meet next week").
        """
        if first >= len(infos):
            return None, first
        info = infos[first]
        hit = self.dates.dateline(info.sentence.norm)
        if hit is None:
            return None, first
        # "Feb. 12 - …", "Feb. 18 - …": a timeline's entries, not a dateline.
        if any(self.dates.dateline(other.sentence.norm) for other in infos[first + 1 : first + TIMELINE]):
            return None, first
        filed = resolve(hit, ctx.published, ctx.year, False)
        if filed.date is None or filed.precision != "day":
            return None, first
        if ctx.published is not None:
            # A story is filed on the day it is published or a few days before; an older date
            # opening the text is something else (an anniversary, a chronology).
            lag = (ctx.published.date() - dt.date.fromisoformat(filed.date)).days
            if not 0 <= lag <= DATELINE_LAG:
                return None, first
        info.dates = [d for d in info.dates if (d[2].start, d[2].end) != (hit.start, hit.end)]
        lead = first
        # "ЭР-РИЯД, 18 февраля. /ТАСС/." alone before the lead: the lead is the next real sentence.
        if len(info.sentence.tokens) - info.sentence.token_at(hit.end) <= SHORT:
            lead = next((i for i in range(first + 1, len(infos)) if len(infos[i].sentence.tokens) > SHORT), first)
        return filed, lead

    def _dateline_city(self, info: Analysis) -> tuple[str, str] | None:
        """The city of a dateline that opens the body ("ANCHORAGE, Alaska –", "RIYADH/WASHINGTON
        (Reuters) -", "الرياض (رويترز) -"), with its country; None without one. A capital that
        stands for a government (Moscow, Washington) is where reporters sit, not a venue."""
        first = next((m for m in info.get("city") if m.start == 0), None)
        if first is None or not DATELINE_PLACE.match(info.sentence.text):
            return None
        city = self.lexicon.cities[first.value]
        return None if city.metonym else (city.name, city.country)

    def _reported_today(self, info: Analysis, story: Story) -> bool:
        """Whether the sentence's only dates are its report's, on the day of the story ("Israel has
        begun negotiations with Lebanon, Netanyahu said Tuesday", published on Tuesday)."""
        if not info.dates or story.today is None:
            return False
        owners = self.reader.date_owners(info)
        days = [resolve(hit, story.ctx.published, story.ctx.year, False) for _, _, hit in info.dates]
        return all(o == REPORT for o in owners) and all(d.date == story.today.date for d in days)

    def _speaks_of_time(self, info: Analysis) -> bool:
        """Whether the sentence names a time of its own (a date, a month, a weekday) that it did
        not resolve ("in the first week of March"): then the story's day is not the meeting's."""
        return bool(info.dates) or not self._time_words.isdisjoint(info.sentence.tokens)

    @staticmethod
    def _first_day(info: Analysis, end: Resolved) -> Resolved:
        """The first day of talks that end on ``end`` when the sentence gives their length
        ("after two days of talks", "a weekend of negotiations"): talks are dated by their first day."""
        lengths = [int(m.value) for m in info.get("duration")]
        if not lengths or end.date is None or end.precision != "day":
            return end
        day = (dt.date.fromisoformat(end.date) - dt.timedelta(days=max(lengths) - 1)).isoformat()
        return Resolved(day, "day", day)

    def _fill_topics(self, drafts: Iterable[Statement], infos: Sequence[Analysis]) -> None:
        """Meetings take the article's agenda; agreements and proposals their sentence's (or the next)."""
        agenda: set[str] = set()
        for info in infos:
            agenda |= info.topics
        # A follow-up meeting is a meeting of its own, not an item on every meeting's agenda.
        agenda.discard("follow_up_meeting")
        for d in drafts:
            if d.base in ("round", "summit"):
                d.topics |= agenda
                continue
            i = d.sentence.index
            for j in (i + 1, i - 1):
                if not d.topics and 0 <= j < len(infos):
                    d.topics = set(infos[j].topics)


def _agreement_venues(drafts: Sequence[Statement]) -> None:
    """An agreement with no venue of its own was reached where the talks of its sentence or of the
    sentence before were held ("held talks in Riyadh. The sides agreed to …"); an agreement or a
    proposal with no date of its own was made when the talks of its own sentence were held
    ("agreed during talks in Istanbul on Wednesday", "proposed at Monday's talks")."""
    meetings = [d for d in drafts if d.type in ("round_held", "summit_held")]
    for d in drafts:
        if d.base not in ("agreement", "proposal") or d.date.key is not None:
            continue
        dated = {m.date for m in meetings if m.sentence.index == d.sentence.index and m.date.key is not None}
        if len(dated) == 1:
            d.date = dated.pop()
    held = [d for d in meetings if d.location or d.country]
    for d in drafts:
        if d.type != "agreement" or d.location or d.country or "prisoner_exchange" in d.topics:
            continue
        i = d.sentence.index
        # An agreement dated otherwise than the talks ("a month after the signing of … on 11
        # December") was not reached at them.
        near = [h for h in held if i - 1 <= h.sentence.index <= i and d.date.key in (None, h.date.key)]
        if len({(h.location, h.country) for h in near}) == 1:
            d.location, d.country = near[0].location, near[0].country


def anchor_year(infos: Sequence[Analysis], known_days: Mapping[tuple[int, int], int]) -> int | None:
    """The year of an undated article that names no year, from the days it names: "the rounds held
    on 27 February and 10 April", when the track knows a development of 27 February 2025, are of
    2025. None when its days point to no year or to several."""
    years = {
        known_days[(hit.month, hit.day)]
        for info in infos
        for _, _, hit in info.dates
        if hit.year is None and hit.month is not None and hit.day is not None and (hit.month, hit.day) in known_days
    }
    return years.pop() if len(years) == 1 else None


def _outcome_dates(undated: Sequence[Statement], drafts: Sequence[Statement]) -> None:
    """An agreement or proposal of ``undated`` (drafts whose sentences name no time) with no date,
    in an article that reports one dated meeting held at its place (or at one place, when it names
    none), was reached at that meeting: "talks in Istanbul on 16 May … The sides agreed to
    exchange prisoners"."""
    meetings = [d for d in drafts if d.type.endswith("_held") and not d.background and d.date.key is not None]
    for d in undated:
        if d.base not in ("agreement", "proposal") or d.date.key is not None or d.background:
            continue
        place = (d.location, d.country)
        there = [m for m in meetings if place == (None, None) or (m.location, m.country) == place]
        if len({m.date.key for m in there}) == 1 and len({(m.location, m.country) for m in there}) == 1:
            d.date = there[0].date


def build_extractor(lexicon: Lexicon, parties: Sequence[frozenset[str]] | None = None) -> Extractor:
    """An extractor over ``lexicon`` (tests pass a small one); ``parties`` default to the sides of
    the first built-in track."""
    if parties is None:
        from streams.core.lexicon import builtin_tracks

        parties = builtin_tracks().tracks[0].sides
    return Extractor(SentenceReader(lexicon, parties))
