"""The rolling track state: merge an article's development mentions and decide what is new.

What "new" means (see ``notes/README-state.md``):

* mentions of one article that can be the same development collapse into one;
* each is matched to at most one known development (same type, compatible place, date, ordinal
  and, for agreements and proposals, subject; see :mod:`streams.core.identity` and
  :mod:`streams.core.matching`); a match enriches it and raises at most an ``update`` alert,
  only when a source not heard before confirms it;
* no match: a new development and a ``new`` alert, except for tentative mentions ("may be
  held"), kept silent in the state until a firm report confirms them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import heapq
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from streams.core.agenda import advance_agenda
from streams.core.identity import (
    ANNOUNCED_TYPES,
    anchors,
    compatible,
    date_span,
    dates_compatible,
    development_id,
    identity_key,
    normalise_place,
    retyped,
)
from streams.core.matching import (
    HELD_OF,
    Report,
    collapse,
    finer_date,
    match_article,
    report_time,
    union,
)
from streams.core.models import Alert, Article, Development, Evidence, Mention, TrackState
from streams.core.statecodec import decode_state, encode_state
from streams.core.summary import summarise

__all__ = ["collapse", "create", "decode_state", "encode_state", "enrich", "evict", "merge"]

logger = logging.getLogger(__name__)

# Each development is one table entry (statestore.py), and the whole state stays in a worker's
# memory: the caps keep an entry to tens of KiB and the state to a few hundred.
MAX_EVIDENCE = 20
MAX_SOURCES = 50
MAX_STORIES = 20
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
# A plan told only by its place recaps a meeting held there at most this long before it was told.
RECAP_WINDOW = dt.timedelta(days=30)
# A development dated this long before its first report is old news recalled as background.
BACKGROUND_AFTER = dt.timedelta(days=7)


def merge(
    state: TrackState, article: Article, mentions: Sequence[Mention], now: dt.datetime, story_id: str
) -> tuple[TrackState, tuple[Alert, ...]]:
    """Merge the development ``mentions`` of ``article`` into ``state``.

    Returns the new state and the alerts: ``new`` for a development not known before, or held back
    until now (tentative, or too vague to act on; see :func:`alertable`), ``update`` when a source
    not heard before corroborates an alerted one. An article already merged (redelivery), or one
    with no mentions, changes nothing.
    """
    if not mentions:
        # Nothing to remember: the state (and the table value) stays the same object.
        return state, ()
    if any(seen_id == article.id for seen_id, _ in state.seen):
        logger.debug("article %s already merged into %s", article.id, state.track)
        return state, ()
    reports, matched = match_article(state, article, mentions, now)
    applied = _apply(state, reports, matched, article, now, story_id)
    alerts = _decide(state, applied, report_time(article) or now)
    agenda = advance_agenda(state.agenda, [(r.type, r.topics, r.said.tentative, d.id) for r, d in applied.touched], now)
    kept = evict(applied.developments, now)
    seen = _remember(state.seen, article.id, now)
    new_state = dataclasses.replace(state, developments=kept, agenda=agenda, seen=seen)
    if not alerts:
        return new_state, ()
    # An alert for a development evicted in the same step would be about nothing the state holds.
    kept_ids = {d.id for d in kept}
    return new_state, tuple(a for a in alerts if a.id in kept_ids)


@dataclass
class Applied:
    """The developments after an article's reports were applied to them: which positions changed
    (in report order), which a new source corroborated, and each report with its development."""

    developments: list[Development]
    changed: list[int]
    corroborated: set[int]
    touched: list[tuple[Report, Development]]


def _apply(
    state: TrackState, reports: list[Report], matched: dict[int, int], article: Article, now: dt.datetime, story_id: str
) -> Applied:
    """Enrich the matched developments with their reports; create one for each report matched to none."""
    out = Applied(list(state.developments), [], set(), [])
    # The ids in use, gathered when a report first needs a new development (most articles only
    # enrich known ones).
    taken_ids: set[str] | None = None
    told = told_at(article, reports)
    for i, report in enumerate(reports):
        if i in matched:
            j = matched[i]
            known_sources = state.developments[j].sources
            # Past the cap the count no longer moves: an update would say nothing new.
            if not report.said.tentative and article.source not in known_sources and len(known_sources) < MAX_SOURCES:
                out.corroborated.add(j)
            out.developments[j] = enrich(out.developments[j], report, article, now, story_id)
        else:
            if taken_ids is None:
                taken_ids = {d.id for d in out.developments}
            dev = create(state.track, report, article, now, story_id, taken_ids, told)
            taken_ids.add(dev.id)
            out.developments.append(dev)
            j = len(out.developments) - 1
        out.touched.append((report, out.developments[j]))
        out.changed.append(j)
    return out


def _decide(state: TrackState, applied: Applied, reported: dt.datetime | None) -> list[Alert]:
    """The alerts of the changed developments (marking them alerted in ``applied``): ``new`` once a
    development is firm enough, ``update`` when a new source corroborates an alerted one."""
    developments = applied.developments
    alerts: list[Alert] = []
    # Whether the track has heard publication times at all (a feed) or none (undated seed files).
    dated_stream = any(d.earliest_report is not None for d in developments)
    for j in dict.fromkeys(applied.changed):
        after = developments[j]
        before = state.developments[j] if j < len(state.developments) else None
        # Told by undated pages only, in a stream with publication times: told when the track's
        # clock (the latest publication time it knows) says.
        told = after.earliest_report or (reported if dated_stream else None)
        fresh = before is None or not before.alerted
        if fresh and (told_after_held(after, developments, told) or _history(after, told)):
            # "The talks, planned for Istanbul, …" first read after the talks: the plan is history,
            # kept unalerted (a report of it published before the talks, arriving late, alerts it).
            developments[j] = dataclasses.replace(after, background=True, alerted=False)
            continue
        if fresh:
            # "A new round" is pinned down by the number the track gives it, not by being new.
            ready = alertable(after, dated_stream)
            after = developments[j] = dataclasses.replace(after, alerted=ready)
            if ready:
                alerts.append(Alert("new", after))
        elif j in applied.corroborated:
            alerts.append(Alert("update", after))
    return alerts


def alertable(dev: Development, dated_stream: bool = True) -> bool:
    """Whether ``dev`` is firm enough to alert as soon as it is seen.

    Tentative reports wait for a firm one. So does a round, announced or held, that names no place,
    day or number ("talks will continue", "a follow-up meeting soon", "talks held in February"), and an
    agreement that names no place, day or subject, a summit held or a proposal that names no place,
    day or number ("the presidents met", "Moscow proposed"): they say little a subscriber can act on,
    outlets repeat such lines for months, and the report that pins the development down alerts it.
    A summit announced with no place or day ("the presidents agreed to meet soon", "preparations for
    the summit go on") waits too: on real news such lines are restated for weeks and the report
    that names the place or day alerts it. Measured on the corpus, alerting them after a wait
    matched no development.
    """
    if dev.tentative:
        return False
    vague = dev.location is None and dev.date is None and dev.ordinal is None
    if dev.type == "agreement":
        return not (vague and not dev.topics)
    if dev.type == "summit_announced":
        # Without any publication times (undated files) nothing can come "later": alert at once.
        # One undated page in a dated stream waits like the rest.
        return not vague or not dated_stream
    if dev.type == "proposal" and vague:
        return False
    if dev.type == "summit_held":
        # "The presidents met" with no place or day: the report that names them alerts it.
        return not vague
    if dev.type in ("round_announced", "round_held"):
        # "Talks in February" pins nothing down either: only a day, a place or a number does.
        return dev.location is not None or dev.ordinal is not None or dev.date_precision == "day"
    return True


def _history(dev: Development, told: dt.datetime | None) -> bool:
    """Whether ``dev`` happened longer before it was told than the state remembers (an undated page
    recalling the 2016 break, read in 2025): history, not news."""
    span = date_span(dev.date)
    return told is not None and span is not None and span.last < (told - HORIZON).date()


def told_after_held(dev: Development, developments: Sequence[Development], reported: dt.datetime | None) -> bool:
    """Whether announcement ``dev`` was first reported after the meeting it announces was held.

    ``reported`` is the announcement's earliest report. Told by its place, number or day, the
    meeting must be one the track knows as held, on a day before that report: the announcement is
    then a recap, not news. Judged by publication times, so a late report of an older announcement,
    published before the meeting, is still news, whatever the order the reports arrive in.
    """
    held_type = HELD_OF.get(dev.type)
    if held_type is None or reported is None:
        return False
    as_held = retyped(dev, held_type)
    for held in developments:
        span = date_span(held.date)
        if held.type != held_type or held.background or span is None or span.last >= reported.date():
            continue
        place = dev.location is not None and normalise_place(dev.location) == normalise_place(held.location)
        number = dev.ordinal is not None and dev.ordinal == held.ordinal
        day = dev.date is not None and dates_compatible(dev.date, held.date)
        if place and not (number or day) and span.last < (reported - RECAP_WINDOW).date():
            # "Witkoff will come to Moscow", told months after his last visit: a new meeting there.
            continue
        if (place or number or day) and compatible(as_held, held):
            return True
    return False


def _evidence(report: Report, article: Article) -> tuple[Evidence, ...]:
    return tuple(Evidence(article.id, article.url, article.source, s[:MAX_SENTENCE_CHARS]) for s in report.sentences)


def _confidence(sources: int, tentative: bool) -> float:
    value = 1.0 - 0.5 ** max(sources, 1)
    return round(value / 2 if tentative else value, 4)


def _is_background(date: str | None, first_report: dt.datetime | None) -> bool:
    """Whether a development dated ``date`` was old news when first reported."""
    span = date_span(date)
    return span is not None and first_report is not None and (span.last < (first_report - BACKGROUND_AFTER).date())


def told_at(article: Article, reports: Sequence[Report]) -> dt.datetime | None:
    """When ``article`` told what it tells: its publication time, else (an undated file) no earlier
    than the latest day of a meeting or deal it reports done, so that "the first meeting, in Riyadh
    on 18 February" in a report of the Black Sea deals of 26 March is background there too."""
    reported = report_time(article)
    if reported is not None:
        return reported
    days = [span.last for r in reports if r.type not in ANNOUNCED_TYPES and (span := date_span(r.date)) is not None]
    if not days:
        return None
    latest = max(days)
    return dt.datetime(latest.year, latest.month, latest.day, tzinfo=dt.UTC)


def create(
    track: str,
    report: Report,
    article: Article,
    now: dt.datetime,
    story_id: str,
    taken: set[str],
    told: dt.datetime | None = None,
) -> Development:
    """A new development from ``report``, its id from its identity (salted on a collision); ``told``
    is when the article told it (:func:`told_at`; default: its publication time)."""
    reported = report_time(article)
    # A report that names nothing of a done development ("the two sides agreed") may have been of
    # another one: it does not fix the time later reports are judged against (as in enrich).
    timed = reported if anchors(report) or report.type in ANNOUNCED_TYPES else None
    return Development(
        # The year it was first reported keeps ids apart across the state's horizon: a development
        # evicted long ago must not lend its id to a later one of the same description.
        id=development_id(f"{identity_key(track, report)}|{reported.year if reported else '-'}", taken),
        track=track,
        type=report.type,
        location=report.location,
        date=report.date,
        date_precision=report.said.date_precision if report.date else None,
        ordinal=report.ordinal,
        topics=report.topics,
        actors=report.said.actors,
        summary=summarise(
            report.type,
            location=report.location,
            date=report.date,
            ordinal=report.ordinal,
            topics=report.topics,
            tentative=report.said.tentative,
        ),
        evidence=_evidence(report, article)[:MAX_EVIDENCE],
        sources=(article.source,),
        first_seen=now,
        background=_is_background(report.date, told or reported),
        tentative=report.said.tentative,
        story_ids=(story_id,),
        confidence=_confidence(1, report.said.tentative),
        last_seen=now,
        earliest_report=timed,
        latest_report=timed,
        location_guessed=report.location_guessed and report.location is not None,
    )


def enrich(dev: Development, report: Report, article: Article, now: dt.datetime, story_id: str) -> Development:
    """``dev`` with what ``report`` adds: evidence, source, story and any field it lacked."""
    date, precision = finer_date(dev.date, dev.date_precision, report.date, report.said.date_precision)
    # A guessed place gives way to the first stated one.
    stated = report.location is not None and not report.location_guessed
    if dev.location is None or (dev.location_guessed and stated):
        location, guessed = report.location, report.location_guessed and report.location is not None
    else:
        location, guessed = dev.location, dev.location_guessed
    ordinal = dev.ordinal if dev.ordinal is not None else report.ordinal
    topics = union(dev.topics, report.topics)
    tentative = dev.tentative and report.said.tentative
    known = {(e.article_id, e.sentence) for e in dev.evidence}
    fresh = tuple(e for e in _evidence(report, article) if (e.article_id, e.sentence) not in known)
    sources = dev.sources if article.source in dev.sources else (*dev.sources, article.source)
    # A report that names nothing of the development ("the two sides agreed") may have been of
    # another one: it must not move the times that later reports are judged against.
    reported = report_time(article) if anchors(report) else None
    earliest = min((t for t in (dev.earliest_report, reported) if t is not None), default=None)
    latest = max((t for t in (dev.latest_report, reported) if t is not None), default=None)
    return dataclasses.replace(
        dev,
        location=location,
        date=date,
        date_precision=precision if date else None,
        ordinal=ordinal,
        topics=topics,
        actors=union(dev.actors, report.said.actors),
        summary=summarise(dev.type, location=location, date=date, ordinal=ordinal, topics=topics, tentative=tentative),
        evidence=(dev.evidence + fresh)[:MAX_EVIDENCE],
        sources=sources[:MAX_SOURCES],
        story_ids=union(dev.story_ids, (story_id,))[:MAX_STORIES],
        # Against the earliest report: a replay out of order may bring the live report last.
        background=_is_background(date, earliest) if date_span(date) and earliest else dev.background,
        tentative=tentative,
        confidence=_confidence(len(sources), tentative),
        last_seen=max(now, dev.last_seen) if dev.last_seen else now,
        earliest_report=earliest,
        latest_report=latest,
        location_guessed=guessed,
    )


def evict(developments: Sequence[Development], now: dt.datetime) -> tuple[Development, ...]:
    """Drop developments not heard of within the horizon, then the stalest beyond the cap.

    Then, while the state holds too many evidence sentences, cut the stalest developments' evidence
    to its first few (the first report, the one the alert was raised on, stays).
    """
    limit = now - HORIZON
    kept = [d for d in developments if (d.last_seen or d.first_seen) >= limit]
    if len(kept) > MAX_DEVELOPMENTS:
        # The stalest (usually one past the cap: no full sort; the keys are distinct, so the same
        # ones as sorting them).
        times = ((d.last_seen or d.first_seen, i) for i, d in enumerate(kept))
        drop = {i for _, i in heapq.nsmallest(len(kept) - MAX_DEVELOPMENTS, times)}
        kept = [d for i, d in enumerate(kept) if i not in drop]
    if len(kept) < len(developments):
        logger.info("evicted %d developments past the horizon or cap", len(developments) - len(kept))
    total = sum([len(d.evidence) for d in kept])
    if total > MAX_TOTAL_EVIDENCE:
        # Stalest first among those with evidence to cut; usually one or two are cut, so they are
        # taken from a heap, not a full sort (the keys are distinct: the same order as sorting them).
        queue = [(d.last_seen or d.first_seen, i) for i, d in enumerate(kept) if len(d.evidence) > MIN_EVIDENCE]
        heapq.heapify(queue)
        while queue and total > MAX_TOTAL_EVIDENCE:
            i = heapq.heappop(queue)[1]
            total -= len(kept[i].evidence) - MIN_EVIDENCE
            kept[i] = dataclasses.replace(kept[i], evidence=kept[i].evidence[:MIN_EVIDENCE])
    return tuple(kept)


def _remember(
    seen: tuple[tuple[str, dt.datetime], ...], article_id: str, now: dt.datetime
) -> tuple[tuple[str, dt.datetime], ...]:
    limit = now - SEEN_HORIZON
    recent = [(a, t) for a, t in seen if t >= limit]
    recent.append((article_id, now))
    return tuple(recent[-MAX_SEEN:])
