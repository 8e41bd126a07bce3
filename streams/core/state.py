"""The rolling track state: merge an article's development mentions and decide what is new.

What "new" means (see ``notes/README-state.md``):

* mentions of one article that can be the same development collapse into one;
* each is matched to at most one known development (same type, compatible place, date, ordinal
  and, for agreements and proposals, subject; see :mod:`streams.core.identity`); a match enriches
  it and raises at most an ``update`` alert, only when a source not heard before confirms it;
* no match: a new development and a ``new`` alert, except for tentative mentions ("may be
  held"), kept silent in the state until a firm report confirms them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from streams.core.agenda import advance_agenda
from streams.core.identity import (
    ANNOUNCED_TYPES,
    HELD_TYPES,
    ROUND_TYPES,
    SUBJECT_TYPES,
    agreement_score,
    compatible,
    date_span,
    development_id,
    identity_key,
    normalise_place,
    related,
    same_meeting,
    specificity,
    subjects_differ,
    topic_overlap,
)
from streams.core.models import (
    Alert,
    Article,
    DatePrecision,
    Development,
    DevelopmentType,
    Evidence,
    Mention,
    TrackState,
)
from streams.core.statecodec import decode_state, encode_state
from streams.core.summary import summarise

__all__ = ["collapse", "create", "decode_state", "encode_state", "enrich", "evict", "merge"]

logger = logging.getLogger(__name__)

# The encoded state is one Faust table value (a Kafka record, 1 MiB by default): the caps keep it
# to a few hundred KiB.
MAX_EVIDENCE = 20
MAX_SOURCES = 100
MAX_STORIES = 50
MAX_SENTENCE_CHARS = 300
MAX_DEVELOPMENTS = 300
# Over this many evidence sentences in the whole state, the stalest developments keep their first few.
MAX_TOTAL_EVIDENCE = 1000
MIN_EVIDENCE = 3
# Long enough that a recap months later still finds the round it recalls (no second alert).
HORIZON = dt.timedelta(days=400)
# Exact redelivery is caught upstream by the dedup index; this only makes merge idempotent.
SEEN_HORIZON = dt.timedelta(days=7)
MAX_SEEN = 1000
# A development dated this long before its first report is old news recalled as background.
BACKGROUND_AFTER = dt.timedelta(days=7)
# A held round reported within this long after the last numbered one is that round again.
SAME_ROUND_WINDOW = dt.timedelta(days=7)
# An announcement pinned by neither date nor ordinal is the same one only while it is fresh.
ANNOUNCEMENT_WINDOW = dt.timedelta(days=30)
# Slack on "happened by the time it was reported": publication times and event dates disagree by
# time zones and late resolution of "today".
DATE_SLACK = dt.timedelta(days=1)
HELD_OF = {"round_announced": "round_held", "summit_announced": "summit_held"}


@dataclass
class Draft:
    """The mentions of one article that describe one development, merged."""

    type: DevelopmentType
    location: str | None
    date: str | None
    date_precision: DatePrecision | None
    ordinal: int | None
    topics: tuple[str, ...]
    actors: tuple[str, ...]
    tentative: bool
    new_round: bool
    recap: bool
    order: int
    sentences: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, mention: Mention, order: int) -> Draft:
        """The draft of one mention, ``order`` its position in the article."""
        return cls(
            type=mention.type,
            location=mention.location,
            date=mention.date,
            date_precision=mention.date_precision,
            ordinal=mention.ordinal,
            topics=mention.topics,
            actors=mention.actors,
            tentative=mention.tentative,
            new_round=mention.new_round,
            # Forward-compatible: the extractor may mark recaps explicitly.
            recap=bool(getattr(mention, "recap", False)),
            order=order,
            sentences=[mention.sentence],
        )

    def absorb(self, other: Draft) -> None:
        """Take in another mention of the same development: fill gaps, keep its sentences."""
        self.location = self.location or other.location
        self.date, self.date_precision = _finer_date(self.date, self.date_precision, other.date, other.date_precision)
        self.ordinal = self.ordinal if self.ordinal is not None else other.ordinal
        self.topics = _union(self.topics, other.topics)
        self.actors = _union(self.actors, other.actors)
        self.tentative = self.tentative and other.tentative
        self.new_round = self.new_round or other.new_round
        self.recap = self.recap or other.recap
        self.order = min(self.order, other.order)
        self.sentences.extend(s for s in other.sentences if s not in self.sentences)


def _union(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    return a + tuple(x for x in dict.fromkeys(b) if x not in a)


def _finer_date(
    date: str | None, precision: DatePrecision | None, other: str | None, other_precision: DatePrecision | None
) -> tuple[str | None, DatePrecision | None]:
    mine, theirs = date_span(date), date_span(other)
    if theirs is None:
        return date, precision
    if mine is None or (theirs.last - theirs.first) < (mine.last - mine.first):
        return other, other_precision or theirs.precision
    return date, precision


def _chronology(draft: Draft) -> tuple[dt.date, int, int]:
    span = date_span(draft.date)
    return (span.first if span else dt.date.max, draft.ordinal or 1_000_000, draft.order)


def _report_time(article: Article) -> dt.datetime | None:
    return article.published or article.fetched


def collapse(mentions: Sequence[Mention]) -> list[Draft]:
    """Group the mentions of one article into drafts, one per development, in article order.

    Specific mentions go first so that a vague one ("the talks in Istanbul") joins the development
    it agrees with best instead of gluing two different ones together.
    """
    drafts: list[Draft] = []
    singles = sorted((Draft.of(m, i) for i, m in enumerate(mentions)), key=lambda d: (-specificity(d), _chronology(d)))
    for single in singles:
        fits = [d for d in drafts if compatible(d, single) and related(d, single)]
        if fits:
            max(fits, key=lambda d: (agreement_score(d, single), topic_overlap(d, single), -d.order)).absorb(single)
        else:
            drafts.append(single)
    return sorted(drafts, key=lambda d: d.order)


def _number_new_rounds(drafts: list[Draft], state: TrackState, article: Article) -> None:
    """Give "a new round" the next ordinal of the track (or the last one, if it was just held).

    Only rounds held by the article's publication count, so that a replay out of order numbers
    the same as the live stream.
    """
    reported = _report_time(article)

    def known_then(dev: Development) -> bool:
        if reported is None:
            return True
        span = date_span(dev.date)
        when = span.first if span else (dev.earliest_report.date() if dev.earliest_report else None)
        return when is None or when <= (reported + DATE_SLACK).date()

    held = [d for d in state.developments if d.type == "round_held" and d.ordinal is not None and known_then(d)]
    known = [d.ordinal for d in held if d.ordinal is not None]
    known += [d.ordinal for d in drafts if d.type == "round_held" and d.ordinal is not None]
    if not known:
        return
    last = max(known)
    for draft in drafts:
        if not (draft.new_round and draft.ordinal is None and draft.type in ROUND_TYPES):
            continue
        draft.ordinal = last + 1
        if draft.type == "round_held" and reported is not None:
            recent = [
                d
                for d in held
                if d.ordinal == last
                and d.earliest_report is not None
                and abs(reported - d.earliest_report) <= SAME_ROUND_WINDOW
            ]
            if recent:
                draft.ordinal = last


def _sane_dates(mentions: Sequence[Mention], article: Article) -> list[Mention]:
    """The mentions, without a date that puts a reported meeting or agreement after publication.

    Such a date is a misread (usually a guessed year); kept, it would split the development from
    every correct report of it.
    """
    reported = _report_time(article)
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


def _plausible(draft: Draft, dev: Development, state: TrackState, article: Article, now: dt.datetime) -> bool:
    """Rules beyond field compatibility that keep two real developments apart."""
    if draft.type in ANNOUNCED_TYPES:
        return _fresh_announcement(draft, dev, state, article, now)
    if draft.type == "proposal":
        return True
    # A meeting or agreement reported by a time happened by then.
    reported = _report_time(article)
    dev_span, draft_span = date_span(dev.date), date_span(draft.date)
    if dev_span and reported and dev_span.first > (reported + DATE_SLACK).date():
        return False
    return not (draft_span and dev.earliest_report and draft_span.first > (dev.earliest_report + DATE_SLACK).date())


def _fresh_announcement(draft: Draft, dev: Development, state: TrackState, article: Article, now: dt.datetime) -> bool:
    """Whether an announcement pinned by neither date nor ordinal can be ``dev``.

    Announcements are vague ("a new round soon", "talks in Moscow") and repeated for months, and
    a capital hosts many meetings: only one published within a window of ``dev``'s reports, with
    no matching meeting held in between, on a subject that does not differ, is the same. Times are
    publication times where known, so that a replay out of publication order decides the same.
    """
    same_ordinal = draft.ordinal is not None and draft.ordinal == dev.ordinal
    if same_ordinal or (draft.date is not None and dev.date is not None):
        return True
    if subjects_differ(draft, dev):
        return False
    reported = _report_time(article)
    if reported is not None and dev.earliest_report is not None:
        latest = dev.latest_report or dev.earliest_report
        if not dev.earliest_report - ANNOUNCEMENT_WINDOW <= reported <= latest + ANNOUNCEMENT_WINDOW:
            return False
        between = (min(dev.earliest_report, reported).date(), max(dev.earliest_report, reported).date())
    else:
        if dev.last_seen is not None and abs(now - dev.last_seen) > ANNOUNCEMENT_WINDOW:
            return False
        between = None
    if draft.location is not None and normalise_place(draft.location) == normalise_place(dev.location):
        # "The summit announced in Anchorage", told after it: a recap, not a second announcement
        # (a new one for the same place comes with its date or number).
        return True
    held_type = HELD_OF[draft.type]
    for held in state.developments:
        if held.type != held_type or held.background or not _announces(dev, held):
            continue
        if between is None:
            # Without publication times, stream order: a meeting first heard of after the
            # announcement fulfils it (a recap in the announcing article does not).
            if held.first_seen > dev.first_seen:
                return False
            continue
        span = date_span(held.date)
        when = span.first if span is not None else (held.earliest_report.date() if held.earliest_report else None)
        if when is not None and between[0] <= when <= between[1]:
            return False
    return True


def _announces(announcement: Development, held: Development) -> bool:
    return compatible(dataclasses.replace(announcement, type=held.type), held)


def _meeting_day(agreement: Development, state: TrackState) -> str | None:
    """The day of the one meeting at the agreement's place reported alongside it, if there is one."""
    articles = {e.article_id for e in agreement.evidence}
    place = normalise_place(agreement.location)
    days = {
        d.date
        for d in state.developments
        if d.type in HELD_TYPES
        and d.date_precision == "day"
        and normalise_place(d.location) == place
        and articles & {e.article_id for e in d.evidence}
    }
    return days.pop() if len(days) == 1 else None


def _same_outcome(draft: Draft, dev: Development, state: TrackState) -> bool:
    """Whether an agreement draft and a known undated agreement are the outcome of one meeting.

    Each side's readout names different points of one outcome ("funding" and "banking and
    staffing"); the known agreement's day is that of the meeting reported with it.
    """
    if draft.type != "agreement" or dev.type != "agreement" or dev.date is not None or dev.location is None:
        return False
    day = _meeting_day(dev, state)
    return day is not None and same_meeting(draft, dataclasses.replace(dev, date=day, date_precision="day"))


def _assign(
    drafts: list[Draft],
    state: TrackState,
    article: Article,
    now: dt.datetime,
    fixed: dict[int, int] | None = None,
) -> dict[int, int]:
    """Match drafts to known developments, best agreement first; ``fixed`` matches are kept.

    A development takes several drafts of one article only when they are compatible with each
    other (one names the ordinal, another the place): two different rounds never share one.
    """
    matched: dict[int, int] = dict(fixed or {})
    members: dict[int, list[int]] = {}
    for i, j in matched.items():
        members.setdefault(j, []).append(i)
    pairs = []
    for i, draft in enumerate(drafts):
        if i in matched:
            continue
        for j, dev in enumerate(state.developments):
            if (compatible(draft, dev) or _same_outcome(draft, dev, state)) and _plausible(
                draft, dev, state, article, now
            ):
                # Ties go to the earlier event (an older vague report more likely told of the
                # earlier of two), the more specific draft, the development closest in topics, then
                # the one heard of closest in time, then the latest.
                seen = dev.last_seen or dev.first_seen
                key = (
                    -agreement_score(draft, dev),
                    _chronology(draft),
                    -specificity(draft),
                    -topic_overlap(draft, dev),
                    abs(now - seen),
                    -j,
                )
                pairs.append((key, i, j))
    pairs.sort()
    for _, i, j in pairs:
        if i in matched or not all(compatible(drafts[k], drafts[i]) for k in members.get(j, [])):
            continue
        matched[i] = j
        members.setdefault(j, []).append(i)
    return matched


def _place_from_context(draft: Draft, drafts: list[Draft]) -> bool:
    """Guess the place (and for an agreement the day) of the article's meeting for an agreement or proposal.

    "The two sides agreed to ..." in a report on the talks in Istanbul was agreed in Istanbul, and on
    the day of those talks when the article tells of that one meeting only. Guessed only for a
    draft that matched nothing as reported, so a wrong guess never stops a match. Articles naming
    meetings in several places give no guess. Returns whether anything was guessed.
    """
    if draft.type not in SUBJECT_TYPES:
        return False
    meetings = [d for d in drafts if d.type in HELD_TYPES]
    placed = [d for d in meetings if d.location is not None]
    places = {normalise_place(d.location) for d in placed}
    if len(places) != 1:
        return False
    guessed = False
    if draft.location is None:
        # A dated agreement must share the meeting's date: one reached elsewhere is often recalled.
        if draft.date is not None and any(d.date != draft.date for d in placed):
            return False
        draft.location = placed[0].location
        guessed = True
    one_meeting = len(meetings) == 1 and placed[0].date is not None
    if draft.type == "agreement" and draft.date is None and one_meeting and normalise_place(draft.location) in places:
        draft.date, draft.date_precision = placed[0].date, placed[0].date_precision
        guessed = True
    return guessed


def merge(
    state: TrackState, article: Article, mentions: Sequence[Mention], now: dt.datetime, story_id: str
) -> tuple[TrackState, tuple[Alert, ...]]:
    """Merge the development ``mentions`` of ``article`` into ``state``.

    Returns the new state and the alerts: ``new`` for a development not known before (or a
    tentative one now confirmed), ``update`` when a source not heard before corroborates a known
    one. An article already merged (redelivery) changes nothing.
    """
    if not mentions:
        # Nothing to remember: the state (and the table value) stays the same object.
        return state, ()
    if any(seen_id == article.id for seen_id, _ in state.seen):
        logger.debug("article %s already merged into %s", article.id, state.track)
        return state, ()
    drafts = collapse(_sane_dates(mentions, article))
    _number_new_rounds(drafts, state, article)
    matched = _assign(drafts, state, article, now)
    reported_dates = [(d.date, d.date_precision) for d in drafts]
    guessed = [i for i, draft in enumerate(drafts) if i not in matched and _place_from_context(draft, drafts)]
    if guessed:
        matched = _assign(drafts, state, article, now, fixed=matched)
        for i in guessed:
            if i not in matched:
                # The guessed day served to find the meeting's agreement; stored, it would split
                # the next report of this agreement that names another day.
                drafts[i].date, drafts[i].date_precision = reported_dates[i]
    developments = list(state.developments)
    taken_ids = {d.id for d in developments}
    touched: list[tuple[Draft, Development]] = []
    changed: list[int] = []
    corroborated: set[int] = set()
    for i, draft in enumerate(drafts):
        if i in matched:
            j = matched[i]
            if not draft.tentative and article.source not in state.developments[j].sources:
                corroborated.add(j)
            developments[j] = enrich(developments[j], draft, article, now, story_id)
            touched.append((draft, developments[j]))
            changed.append(j)
        else:
            dev = create(state.track, draft, article, now, story_id, taken_ids)
            taken_ids.add(dev.id)
            developments.append(dev)
            touched.append((draft, dev))
            changed.append(len(developments) - 1)
    alerts: list[Alert] = []
    for j in dict.fromkeys(changed):
        after = developments[j]
        before = state.developments[j] if j < len(state.developments) else None
        if before is None:
            if not after.tentative:
                alerts.append(Alert("new", after))
        elif before.tentative and not after.tentative:
            alerts.append(Alert("new", after))
        elif not after.tentative and j in corroborated:
            alerts.append(Alert("update", after))
    agenda = advance_agenda(state.agenda, [(d.type, d.topics, d.tentative, dev.id) for d, dev in touched], now)
    kept = evict(developments, now)
    seen = _remember(state.seen, article.id, now)
    new_state = dataclasses.replace(state, developments=kept, agenda=agenda, seen=seen)
    # An alert for a development evicted in the same step would be about nothing the state holds.
    kept_ids = {d.id for d in kept}
    return new_state, tuple(a for a in alerts if a.id in kept_ids)


def _evidence(draft: Draft, article: Article) -> tuple[Evidence, ...]:
    return tuple(Evidence(article.id, article.url, article.source, s[:MAX_SENTENCE_CHARS]) for s in draft.sentences)


def _confidence(sources: int, tentative: bool) -> float:
    value = 1.0 - 0.5 ** max(sources, 1)
    return round(value / 2 if tentative else value, 4)


def _is_background(date: str | None, first_report: dt.datetime | None, recap: bool) -> bool:
    span = date_span(date)
    if recap:
        return True
    return span is not None and first_report is not None and (span.last < (first_report - BACKGROUND_AFTER).date())


def create(track: str, draft: Draft, article: Article, now: dt.datetime, story_id: str, taken: set[str]) -> Development:
    """A new development from ``draft``, its id from its identity (salted on a collision)."""
    reported = _report_time(article)
    return Development(
        id=development_id(identity_key(track, draft), taken),
        track=track,
        type=draft.type,
        location=draft.location,
        date=draft.date,
        date_precision=draft.date_precision if draft.date else None,
        ordinal=draft.ordinal,
        topics=draft.topics,
        actors=draft.actors,
        summary=summarise(
            draft.type,
            location=draft.location,
            date=draft.date,
            ordinal=draft.ordinal,
            topics=draft.topics,
            tentative=draft.tentative,
        ),
        evidence=_evidence(draft, article)[:MAX_EVIDENCE],
        sources=(article.source,),
        first_seen=now,
        background=_is_background(draft.date, reported, draft.recap),
        tentative=draft.tentative,
        story_ids=(story_id,),
        confidence=_confidence(1, draft.tentative),
        last_seen=now,
        earliest_report=reported,
        latest_report=reported,
    )


def enrich(dev: Development, draft: Draft, article: Article, now: dt.datetime, story_id: str) -> Development:
    """``dev`` with what ``draft`` adds: evidence, source, story and any field it lacked."""
    date, precision = _finer_date(dev.date, dev.date_precision, draft.date, draft.date_precision)
    location = dev.location or draft.location
    ordinal = dev.ordinal if dev.ordinal is not None else draft.ordinal
    topics = _union(dev.topics, draft.topics)
    tentative = dev.tentative and draft.tentative
    known = {(e.article_id, e.sentence) for e in dev.evidence}
    fresh = tuple(e for e in _evidence(draft, article) if (e.article_id, e.sentence) not in known)
    sources = dev.sources if article.source in dev.sources else (*dev.sources, article.source)
    reported = _report_time(article)
    earliest = min((t for t in (dev.earliest_report, reported) if t is not None), default=None)
    latest = max((t for t in (dev.latest_report, reported) if t is not None), default=None)
    return dataclasses.replace(
        dev,
        location=location,
        date=date,
        date_precision=precision if date else None,
        ordinal=ordinal,
        topics=topics,
        actors=_union(dev.actors, draft.actors),
        summary=summarise(dev.type, location=location, date=date, ordinal=ordinal, topics=topics, tentative=tentative),
        evidence=(dev.evidence + fresh)[:MAX_EVIDENCE],
        sources=sources[:MAX_SOURCES],
        story_ids=_union(dev.story_ids, (story_id,))[:MAX_STORIES],
        background=dev.background or _is_background(date, earliest, False),
        tentative=tentative,
        confidence=_confidence(len(sources), tentative),
        last_seen=max(now, dev.last_seen) if dev.last_seen else now,
        earliest_report=earliest,
        latest_report=latest,
    )


def evict(developments: Sequence[Development], now: dt.datetime) -> tuple[Development, ...]:
    """Drop developments not heard of within the horizon, then the stalest beyond the cap.

    Then, while the state holds too many evidence sentences, cut the stalest developments' evidence
    to its first few (the first report, the one the alert was raised on, stays).
    """
    limit = now - HORIZON
    kept = [d for d in developments if (d.last_seen or d.first_seen) >= limit]
    if len(kept) > MAX_DEVELOPMENTS:
        stalest = sorted(range(len(kept)), key=lambda i: (kept[i].last_seen or kept[i].first_seen, i))
        drop = set(stalest[: len(kept) - MAX_DEVELOPMENTS])
        kept = [d for i, d in enumerate(kept) if i not in drop]
    if len(kept) < len(developments):
        logger.info("evicted %d developments past the horizon or cap", len(developments) - len(kept))
    total = sum(len(d.evidence) for d in kept)
    if total > MAX_TOTAL_EVIDENCE:
        for i in sorted(range(len(kept)), key=lambda i: (kept[i].last_seen or kept[i].first_seen, i)):
            if total <= MAX_TOTAL_EVIDENCE:
                break
            if len(kept[i].evidence) > MIN_EVIDENCE:
                total -= len(kept[i].evidence) - MIN_EVIDENCE
                kept[i] = dataclasses.replace(kept[i], evidence=kept[i].evidence[:MIN_EVIDENCE])
    return tuple(kept)


def _remember(
    seen: tuple[tuple[str, dt.datetime], ...], article_id: str, now: dt.datetime
) -> tuple[tuple[str, dt.datetime], ...]:
    recent = [(a, t) for a, t in seen if t >= now - SEEN_HORIZON]
    recent.append((article_id, now))
    return tuple(recent[-MAX_SEEN:])
