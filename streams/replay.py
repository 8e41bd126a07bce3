"""Offline replay: the same core the agents call, in one process, over in-memory stores.

Articles are read at the time the replay started (the worker reads them at the wall clock); the
track state is judged at publication times (:func:`streams.core.pipeline.event_time`), so a replay
and the worker raise the same alerts, and no development is first seen in 1970.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from streams.core.dedup import DedupIndex
from streams.core.detector import Detector, default_detector
from streams.core.models import Alert, Article, Mention, TrackState
from streams.core.pipeline import Outcome, days_of, process

logger = logging.getLogger(__name__)


@dataclass
class Replayer:
    """Track states and deduplication stores of a replay, fed one article at a time."""

    detector: Detector = field(default_factory=default_detector)
    horizon: dt.timedelta = dt.timedelta(days=30)
    states: dict[str, TrackState] = field(default_factory=dict)
    stores: dict[str, dict[str, str]] = field(default_factory=dict)
    untracked: int = 0
    read_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))

    def feed(self, article: Article) -> Outcome | None:
        """Process one article; None when it belongs to no track."""
        track = self.detector.assign(article)
        if track is None:
            self.untracked += 1
            return None
        state = self.states.get(track) or TrackState(track=track)
        index = DedupIndex(self.stores.setdefault(track, {}), horizon=self.horizon)
        outcome = process(state, index, article, self.read_at, self.detector)
        self.states[track] = outcome.state
        return outcome

    def alerts(self, articles: Iterable[Article], *, updates: bool = False) -> Iterator[Alert]:
        """The alerts (and, if asked, the updates) of ``articles``, in order."""
        for article in articles:
            outcome = self.feed(article)
            if outcome is None:
                continue
            yield from outcome.alerts
            if updates:
                yield from outcome.updates


def extract_dump(
    articles: Sequence[Article], detector: Detector | None = None
) -> list[tuple[str | None, tuple[Mention, ...]]]:
    """The track and mentions of each of ``articles`` as :func:`extract_only` finds them, except that
    an article with no publication time is read with the days its track's dated articles report
    ("on 10 April" takes the year of the dated reports of 10 April), as the replay reads it with the
    days its track state knows."""
    detector = detector or default_detector()
    found = [extract_only(article, detector) for article in articles]
    dated: dict[str, list[Mention]] = {}
    for article, (track, mentions) in zip(articles, found, strict=True):
        if track is not None and article.published is not None:
            dated.setdefault(track, []).extend(mentions)
    days = {track: days_of(mentions) for track, mentions in dated.items()}
    return [
        (track, detector.extract(article, track, days[track]))
        if track is not None and article.published is None and days.get(track)
        else (track, mentions)
        for article, (track, mentions) in zip(articles, found, strict=True)
    ]


def extract_only(article: Article, detector: Detector | None = None) -> tuple[str | None, tuple[Mention, ...]]:
    """The track of ``article`` and what the extractor finds in it alone (nothing off-track)."""
    detector = detector or default_detector()
    track = detector.assign(article)
    if track is None:
        return None, ()
    return track, detector.extract(article, track)
