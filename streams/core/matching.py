"""Matching an article's mentions to the developments a track already knows.

One article's mentions are first grouped into reports (one per development it tells of), then each
report is matched to at most one known development: compatible fields (:mod:`streams.core.identity`)
and the rules of time that keep two real developments apart (what was reported as done had
happened; announcements go stale; one meeting has one outcome). :mod:`streams.core.state` turns the
result into new and enriched developments and alerts.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from streams.core.devindex import Known
from streams.core.identity import (
    ANNOUNCED_TYPES,
    HELD_TYPES,
    ROUND_TYPES,
    SUBJECT_TYPES,
    agreement_score,
    compatible,
    date_span,
    dates_compatible,
    normalise_place,
    related,
    retyped,
    same_meeting,
    specificity,
    subjects_differ,
    topic_overlap,
)
from streams.core.models import Article, DatePrecision, Development, DevelopmentType, Mention, TrackState

logger = logging.getLogger(__name__)

# A held round reported within this long after the last numbered one is that round again.
SAME_ROUND_WINDOW = dt.timedelta(days=7)
# An announcement (or a proposal) pinned by neither date nor ordinal is the same one only while it is fresh.
ANNOUNCEMENT_WINDOW = dt.timedelta(days=30)
# Slack on "happened by the time it was reported": publication times and event dates disagree by
# time zones and late resolution of "today".
DATE_SLACK = dt.timedelta(days=1)
# A placed, undated report of a meeting or deal is not one dated but not placed this long before it.
UNTIED_WINDOW = dt.timedelta(days=14)
HELD_OF: dict[str, DevelopmentType] = {"round_announced": "round_held", "summit_announced": "summit_held"}


@dataclass
class Report:
    """The mentions of one article that describe one development, merged.

    ``said`` is what they say of it together, a mention like the first (whose sentence it keeps);
    the report adds what merging needs: its place in the article, every sentence, and whether
    matching guessed its place from the article's meeting. It answers identity's questions
    (:class:`streams.core.identity.Identified`) from ``said``, with its own guessed place.
    """

    said: Mention
    order: int
    sentences: list[str] = field(default_factory=list)
    location_guessed: bool = False

    @classmethod
    def of(cls, mention: Mention, order: int) -> Report:
        """The report of one mention, ``order`` its position in the article."""
        return cls(mention, order, [mention.sentence])

    # What identity reads, from what was said; the rest is read from ``said`` itself.
    @property
    def type(self) -> DevelopmentType:
        return self.said.type

    @property
    def location(self) -> str | None:
        return self.said.location

    @property
    def date(self) -> str | None:
        return self.said.date

    @property
    def ordinal(self) -> int | None:
        return self.said.ordinal

    @property
    def topics(self) -> tuple[str, ...]:
        return self.said.topics

    def absorb(self, other: Report) -> None:
        """Take in another mention of the same development: fill gaps, keep its sentences."""
        mine, theirs = self.said, other.said
        date, precision = finer_date(mine.date, mine.date_precision, theirs.date, theirs.date_precision)
        self.said = dataclasses.replace(
            mine,
            location=mine.location or theirs.location,
            date=date,
            date_precision=precision,
            ordinal=mine.ordinal if mine.ordinal is not None else theirs.ordinal,
            topics=union(mine.topics, theirs.topics),
            actors=union(mine.actors, theirs.actors),
            tentative=mine.tentative and theirs.tentative,
            new_round=mine.new_round or theirs.new_round,
        )
        self.order = min(self.order, other.order)
        self.sentences.extend(s for s in other.sentences if s not in self.sentences)


def union(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    """``a`` followed by what ``b`` adds, in order, without repeats."""
    return a + tuple(x for x in dict.fromkeys(b) if x not in a)


def finer_date(
    date: str | None, precision: DatePrecision | None, other: str | None, other_precision: DatePrecision | None
) -> tuple[str | None, DatePrecision | None]:
    """The more precise of two dates (the first on a tie), with its precision."""
    mine, theirs = date_span(date), date_span(other)
    if theirs is None:
        return date, precision
    if mine is None or (theirs.last - theirs.first) < (mine.last - mine.first):
        return other, other_precision or theirs.precision
    return date, precision


def _chronology(report: Report) -> tuple[dt.date, int, int]:
    span = date_span(report.date)
    return (span.first if span else dt.date.max, report.ordinal or 1_000_000, report.order)


def report_time(article: Article) -> dt.datetime | None:
    """When ``article`` told what it tells: its publication time, or None.

    Not the fetch time: that is when a connector read the article (a seed file published to the
    broker today was written months ago), and it differs between a replay and the workers.
    """
    return article.published


def collapse(mentions: Sequence[Mention]) -> list[Report]:
    """Group the mentions of one article into reports, one per development, in article order.

    Specific mentions go first so that a vague one ("the talks in Istanbul") joins the development
    it agrees with best instead of gluing two different ones together.
    """
    reports: list[Report] = []
    singles = sorted((Report.of(m, i) for i, m in enumerate(mentions)), key=lambda d: (-specificity(d), _chronology(d)))
    for single in singles:
        fits = [d for d in reports if compatible(d, single) and related(d, single)]
        if fits:
            max(fits, key=lambda d: (agreement_score(d, single), topic_overlap(d, single), -d.order)).absorb(single)
        else:
            reports.append(single)
    return one_outcome(sorted(reports, key=lambda d: d.order))


def one_outcome(reports: list[Report]) -> list[Report]:
    """Join the agreements of one article reached at one meeting into one outcome.

    "The sides agreed to restore embassy staffing and to start work on ending the war" is one
    outcome of the Riyadh meeting, whatever the topics of each clause: agreements that state the
    same place, with dates and ordinals that do not conflict, are one when the article names at
    most one meeting held there (two rounds in one city may each have reached their own). Tentative
    and firm agreements stay apart.
    """
    meetings: dict[str | None, int] = {}
    for d in reports:
        if d.type in HELD_TYPES and d.location is not None:
            place = normalise_place(d.location)
            meetings[place] = meetings.get(place, 0) + 1
    kept: list[Report] = []
    for report in reports:
        place = normalise_place(report.location)
        host = None
        if report.type == "agreement" and place is not None and meetings.get(place, 0) <= 1:
            host = next(
                (
                    k
                    for k in kept
                    if k.type == "agreement"
                    and normalise_place(k.location) == place
                    and k.said.tentative == report.said.tentative
                    and dates_compatible(k.date, report.date)
                    and (k.ordinal is None or report.ordinal is None or k.ordinal == report.ordinal)
                ),
                None,
            )
        if host is None:
            kept.append(report)
        else:
            host.absorb(report)
    return kept


def number_new_rounds(reports: list[Report], state: TrackState, article: Article) -> None:
    """Give "a new round" the next ordinal of the track (or the last one, if it was just held).

    Only rounds held by the article's publication count, so that a replay out of order numbers
    the same as the live stream.
    """
    if not any(r.said.new_round and r.ordinal is None and r.type in ROUND_TYPES for r in reports):
        # Nothing to number: the track's rounds need not be looked at.
        return
    reported = report_time(article)

    def known_then(dev: Development) -> bool:
        if reported is None:
            return True
        span = date_span(dev.date)
        when = span.first if span else (dev.earliest_report.date() if dev.earliest_report else None)
        return when is None or when <= (reported + DATE_SLACK).date()

    held = [d for d in state.developments if d.type == "round_held" and d.ordinal is not None and known_then(d)]
    known = [d.ordinal for d in held if d.ordinal is not None]
    known += [d.ordinal for d in reports if d.type == "round_held" and d.ordinal is not None]
    if not known:
        return
    last = max(known)
    for report in reports:
        if not (report.said.new_round and report.ordinal is None and report.type in ROUND_TYPES):
            continue
        span = date_span(report.date)
        if reported is not None and report.location is None and (span is None or span.precision != "day"):
            # "Agreed to meet again soon", in a stream with publication times: the number would be
            # all that pins it down; it waits for the report that names its place or day.
            continue
        report.said = dataclasses.replace(report.said, ordinal=last + 1)
        if report.type == "round_held" and reported is not None:
            recent = [
                d
                for d in held
                if d.ordinal == last
                and d.earliest_report is not None
                and abs(reported - d.earliest_report) <= SAME_ROUND_WINDOW
            ]
            if recent:
                report.said = dataclasses.replace(report.said, ordinal=last)


def sane_dates(mentions: Sequence[Mention], article: Article) -> list[Mention]:
    """The mentions, without a date that puts a reported meeting or agreement after publication.

    Such a date is a misread (usually a guessed year); kept, it would split the development from
    every correct report of it.
    """
    reported = report_time(article)
    if reported is None:
        return list(mentions)
    limit = (reported + DATE_SLACK).date()
    sane = []
    for mention in mentions:
        span = date_span(mention.date)
        if mention.type not in ANNOUNCED_TYPES and span is not None and span.first > limit:
            logger.debug(
                "article %s: %s dated %s after publication; date dropped", article.id, mention.type, mention.date
            )
            mention = dataclasses.replace(mention, date=None, date_precision=None)
        sane.append(mention)
    return sane


def _plausible(
    report: Report, dev: Development, position: int, known: Known, article: Article, now: dt.datetime
) -> bool:
    """Rules beyond field compatibility that keep two real developments apart."""
    if report.type in ANNOUNCED_TYPES:
        return _fresh_announcement(report, dev, position, known, article, now)
    if report.type == "proposal":
        return _same_time_proposal(report, dev, article)
    # A meeting or agreement reported by a time happened by then.
    reported = report_time(article)
    dev_span, report_span = date_span(dev.date), date_span(report.date)
    if dev_span and reported and dev_span.first > (reported + DATE_SLACK).date():
        return False
    # A development first heard of at some time happened by then, even when that first report named
    # nothing of it ("the presidents agreed" in March is not the summit held in August).
    first = dev.earliest_report or dev.first_seen
    if report_span and report_span.first > (first + DATE_SLACK).date():
        return False
    # "Meetings in Davos are going well", a month after talks dated but not placed: nothing ties
    # the two but their type.
    return not (
        dev_span
        and reported
        and report.location
        and report.date is None
        and dev.location is None
        and report.ordinal is None
        and dev_span.last < (reported - UNTIED_WINDOW).date()
    )


def _same_time_proposal(report: Report, dev: Development, article: Article) -> bool:
    """Whether a proposal that names no day can be ``dev``: only one reported within a window of
    its reports ("Ukraine asked for a leaders' meeting" in May and again in July are two requests)."""
    if report.date is not None and dev.date is not None:
        return True
    reported = report_time(article)
    if reported is None or dev.earliest_report is None:
        return True
    latest = dev.latest_report or dev.earliest_report
    return dev.earliest_report - ANNOUNCEMENT_WINDOW <= reported <= latest + ANNOUNCEMENT_WINDOW


def _fresh_announcement(
    report: Report, dev: Development, position: int, known: Known, article: Article, now: dt.datetime
) -> bool:
    """Whether an announcement pinned by neither date nor ordinal can be ``dev``.

    Announcements are vague ("a new round soon", "talks in Moscow") and repeated for months, and
    a capital hosts many meetings: only one published within a window of ``dev``'s reports, with
    no matching meeting held in between, on a subject that does not differ, is the same. Times are
    publication times where known, so that a replay out of publication order decides the same.
    """
    same_ordinal = report.ordinal is not None and report.ordinal == dev.ordinal
    if same_ordinal or (report.date is not None and dev.date is not None):
        return True
    if subjects_differ(report, dev):
        return False
    reported = report_time(article)
    if reported is not None and dev.earliest_report is not None:
        latest = dev.latest_report or dev.earliest_report
        if not dev.earliest_report - ANNOUNCEMENT_WINDOW <= reported <= latest + ANNOUNCEMENT_WINDOW:
            return False
        between = (min(dev.earliest_report, reported).date(), max(dev.earliest_report, reported).date())
    else:
        # An undated page: when it was written is unknown, so it is not judged stale by the time it
        # happened to be read.
        between = None
    if report.location is not None and normalise_place(report.location) == normalise_place(dev.location):
        # "The summit announced in Anchorage", told after it: a recap, not a second announcement
        # (a new one for the same place comes with its date or number).
        return True
    held_type = HELD_OF[report.type]
    # Only the meetings that can be the announced one (by the index) are compared.
    meetings = known.candidates(dev, held_type)
    if not meetings:
        return True
    announcing = {e.article_id for e in dev.evidence}
    # The announcement as a meeting of the kind it announces, to compare with the meetings held.
    as_held = retyped(dev, held_type)
    for index, held in meetings:
        if held.background or not compatible(as_held, held):
            continue
        if between is None:
            # Without publication times, stream order (the same in a replay and the workers): a
            # meeting first heard of after the announcement, in another article, fulfils it.
            if index > position and held.evidence and held.evidence[0].article_id not in announcing:
                return False
            continue
        span = date_span(held.date)
        when = span.first if span is not None else (held.earliest_report.date() if held.earliest_report else None)
        if when is not None and between[0] <= when <= between[1]:
            return False
    return True


def _meeting_day(agreement: Development, known: Known) -> str | None:
    """The day of the one meeting at the agreement's place reported alongside it, if there is one.

    Judged per article: a later recap of "the rounds in Istanbul on 27 February and 10 April" that
    joined the agreement does not hide the day of its first report, which told of one meeting.
    Articles that each tell of one meeting, on different days, give none.
    """
    place = normalise_place(agreement.location)
    meetings = [
        (d.date, {e.article_id for e in d.evidence})
        for _, d in known.at_place(HELD_TYPES, place)
        if d.date_precision == "day"
    ]
    days: set[str | None] = set()
    for article_id in dict.fromkeys(e.article_id for e in agreement.evidence):
        told = {date for date, articles in meetings if article_id in articles}
        if len(told) == 1:
            days |= told
    return days.pop() if len(days) == 1 else None


def _same_outcome(report: Report, dev: Development, known: Known) -> bool:
    """Whether an agreement report and a known undated agreement are the outcome of one meeting.

    Each side's readout names different points of one outcome ("funding" and "banking and
    staffing"); the known agreement's day is that of the meeting reported with it.
    """
    if report.type != "agreement" or dev.type != "agreement" or dev.date is not None or dev.location is None:
        return False
    day = _meeting_day(dev, known)
    return day is not None and same_meeting(report, dataclasses.replace(dev, date=day, date_precision="day"))


def assign(
    reports: list[Report],
    state: TrackState,
    article: Article,
    now: dt.datetime,
    fixed: dict[int, int] | None = None,
) -> dict[int, int]:
    """Match reports to known developments, best agreement first; ``fixed`` matches are kept.

    A development takes several reports of one article only when they are compatible with each
    other (one names the ordinal, another the place): two different rounds never share one.
    """
    matched: dict[int, int] = dict(fixed or {})
    members: dict[int, list[int]] = {}
    for i, j in matched.items():
        members.setdefault(j, []).append(i)
    pairs = []
    known = Known.of(state)
    for i, report in enumerate(reports):
        if i in matched:
            continue
        chronology, specific = _chronology(report), -specificity(report)
        # What identity reads of the report, read once: each of its properties costs a call, and it
        # is compared with every candidate.
        fields = retyped(report, report.type)
        # Only a development the index finds can be it (compatible, _same_outcome): the cost
        # does not grow with the number of developments of the track.
        for j, dev in known.candidates(fields):
            if (compatible(fields, dev) or _same_outcome(report, dev, known)) and _plausible(
                report, dev, j, known, article, now
            ):
                # Ties go to the earlier event (an older vague report more likely told of the
                # earlier of two), the more specific report, the development closest in topics, then
                # the one heard of closest in time, then the latest.
                seen = dev.last_seen or dev.first_seen
                key = (
                    -agreement_score(fields, dev),
                    chronology,
                    specific,
                    -topic_overlap(fields, dev),
                    abs(now - seen),
                    -j,
                )
                pairs.append((key, i, j))
    pairs.sort()
    for _, i, j in pairs:
        if i in matched or not all(compatible(reports[k], reports[i]) for k in members.get(j, [])):
            continue
        matched[i] = j
        members.setdefault(j, []).append(i)
    return matched


def guess_from_context(report: Report, reports: list[Report]) -> bool:
    """Guess the place (and for an agreement the day) of the article's meeting for an agreement or proposal.

    "The two sides agreed to ..." in a report on the talks in Istanbul was agreed in Istanbul, and on
    the day of those talks when the article tells of that one meeting only. Guessed only for a
    report that matched nothing as reported, so a wrong guess never stops a match. Articles naming
    meetings in several places give no guess. Returns whether anything was guessed.
    """
    if report.type not in SUBJECT_TYPES:
        return False
    meetings = [d for d in reports if d.type in HELD_TYPES]
    placed = [d for d in meetings if d.location is not None]
    places = {normalise_place(d.location) for d in placed}
    if len(places) != 1:
        return False
    guessed = False
    if report.location is None:
        # A dated agreement must share the meeting's date: one reached elsewhere is often recalled.
        if report.date is not None and any(d.date != report.date for d in placed):
            return False
        report.said = dataclasses.replace(report.said, location=placed[0].location)
        report.location_guessed = True
        guessed = True
    one_meeting = len(meetings) == 1 and placed[0].date is not None
    at_meeting = normalise_place(report.location) in places
    if report.type == "agreement" and report.date is None and one_meeting and at_meeting:
        meeting = placed[0].said
        report.said = dataclasses.replace(report.said, date=meeting.date, date_precision=meeting.date_precision)
        guessed = True
    return guessed


def match_article(
    state: TrackState, article: Article, mentions: Sequence[Mention], now: dt.datetime
) -> tuple[list[Report], dict[int, int]]:
    """The article's reports (its mentions grouped by development) and, for each report matched to
    a known development, that development's position in ``state``.

    "A new round" is numbered first; a report that matched nothing as stated is matched again with
    the place (and day) guessed from the article's meeting, and keeps the day it stated: the
    guessed day served to find the meeting's agreement, and stored it would split the next report
    of that agreement that names another day.
    """
    reports = collapse(sane_dates(mentions, article))
    number_new_rounds(reports, state, article)
    matched = assign(reports, state, article, now)
    stated = [(r.date, r.said.date_precision) for r in reports]
    guessed = [i for i, report in enumerate(reports) if i not in matched and guess_from_context(report, reports)]
    if guessed:
        matched = assign(reports, state, article, now, fixed=matched)
        for i in guessed:
            date, precision = stated[i]
            reports[i].said = dataclasses.replace(reports[i].said, date=date, date_precision=precision)
    return reports, matched
