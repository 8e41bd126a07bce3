"""The central step of the core: one article and a track's state in, a new state and alerts out.

Both the Faust agents and ``dipwatch replay`` call :func:`process`, so the streaming path and the
offline replay give the same alerts for the same input.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from streams.core.dedup import DedupIndex
from streams.core.detector import Detector, default_detector
from streams.core.models import Alert, Article, Development, Mention, TrackState
from streams.core.state import merge


@dataclass(frozen=True, slots=True)
class Outcome:
    """What processing one article did.

    ``duplicate`` is None for a new story, else the kind of duplicate (``exact``, ``reprint``);
    duplicates are not extracted. ``alerts`` are new developments, ``updates`` corroborations.
    """

    state: TrackState
    alerts: tuple[Alert, ...]
    updates: tuple[Alert, ...]
    mentions: tuple[Mention, ...]
    duplicate: str | None
    story_id: str
    # The time the state was judged at (see event_time): the clock of the step's housekeeping.
    clock: dt.datetime
    # The very same article (id) was indexed before: a redelivery.
    redelivered: bool = False


def event_time(state: TrackState, article: Article, read_at: dt.datetime) -> dt.datetime:
    """The time the track's state is at when ``article`` arrives: its publication time, else the
    latest publication time the state has heard of, else when the article was read.

    The worker and a replay read articles at different wall-clock times; judged by publication
    times, they keep the same state and raise the same alerts.
    """
    if article.published is not None:
        return article.published
    latest = max((d.latest_report for d in state.developments if d.latest_report), default=None)
    return latest or read_at


def known_days(state: TrackState, article: Article) -> dict[tuple[int, int], int]:
    """For an article with no publication time: the (month, day) of each development of ``state``
    dated to the day, with its year (a day known in several years is left out)."""
    if article.published is not None:
        return {}
    return days_of(state.developments)


def days_of(dated: Iterable[Mention | Development]) -> dict[tuple[int, int], int]:
    """The (month, day) of each of ``dated`` dated to the day (not tentative), with its year; a day
    known in several years is left out."""
    years: dict[tuple[int, int], set[int]] = {}
    for item in dated:
        if item.date is not None and item.date_precision == "day" and not item.tentative:
            day = dt.date.fromisoformat(item.date)
            years.setdefault((day.month, day.day), set()).add(day.year)
    return {key: found.pop() for key, found in years.items() if len(found) == 1}


def process(
    state: TrackState, index: DedupIndex, article: Article, now: dt.datetime, detector: Detector | None = None
) -> Outcome:
    """Deduplicate ``article`` against ``index``, extract the developments of ``state.track`` with
    ``detector`` (default: the built-in tracks'), merge them into ``state``; ``now`` is when the
    article was read (see :func:`event_time` for the time the state is judged at).

    ``index`` is updated in place (its storage is a Faust table in the worker, a dict in replay);
    ``state`` is not: the new state is in the outcome.
    """
    now = event_time(state, article, now)
    # The index first forgets what is past its horizon on the state's clock (publication times),
    # in the worker and in a replay alike.
    index.evict_due(now)
    verdict = index.check(article, now)
    if verdict.duplicate is not None:
        # The very same article again (a redelivery) is a duplicate of itself too: the worker
        # makes an article's index and state writes durable together (its journal), so the state
        # already holds what its first delivery did, and merging it again would merge a reprint
        # that the first delivery dropped.
        return Outcome(state, (), (), (), verdict.duplicate, verdict.story_id, now, verdict.redelivered)
    mentions = (detector or default_detector()).extract(article, state.track, known_days(state, article))
    new_state, alerts = merge(state, article, mentions, now, verdict.story_id)
    fresh = tuple(a for a in alerts if a.kind == "new")
    updates = tuple(a for a in alerts if a.kind == "update")
    return Outcome(new_state, fresh, updates, tuple(mentions), None, verdict.story_id, now)
