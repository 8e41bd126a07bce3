"""Offline replay: the same core the agents call, in one process, over in-memory stores.

Deterministic: the clock of each article is its own time (fetched, else published, else the
Unix epoch), never the wall clock.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from dipwatch.errors import InvalidArticle
from streams.core.dedup import DedupIndex
from streams.core.detector import Detector, default_detector
from streams.core.models import Alert, Article, Mention, TrackState
from streams.core.pipeline import Outcome, process
from streams.core.wire import article_from_bytes

logger = logging.getLogger(__name__)

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def article_clock(article: Article) -> dt.datetime:
    """The replay's notion of "now" for ``article``."""
    return article.fetched or article.published or EPOCH


@dataclass
class Replayer:
    """Track states and deduplication stores of a replay, fed one article at a time."""

    detector: Detector = field(default_factory=default_detector)
    horizon: dt.timedelta = dt.timedelta(days=30)
    states: dict[str, TrackState] = field(default_factory=dict)
    stores: dict[str, dict[str, str]] = field(default_factory=dict)
    untracked: int = 0

    def feed(self, article: Article) -> Outcome | None:
        """Process one article; None when it belongs to no track."""
        track = self.detector.assign(article)
        if track is None:
            self.untracked += 1
            return None
        state = self.states.get(track) or TrackState(track=track)
        index = DedupIndex(self.stores.setdefault(track, {}), horizon=self.horizon)
        outcome = process(state, index, article, article_clock(article), self.detector)
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


def parse_messages(messages: Iterable[tuple[str, bytes]]) -> Iterator[Article]:
    """Articles from ``(origin, payload)`` pairs; a bad one is logged with its origin and skipped."""
    for origin, payload in messages:
        try:
            yield article_from_bytes(payload)
        except InvalidArticle as exc:
            logger.warning("%s: skipped (%s): %s", origin, exc.reason, exc)


def extract_only(article: Article, detector: Detector | None = None) -> tuple[str | None, tuple[Mention, ...]]:
    """The track of ``article`` and what the extractor finds in it alone (nothing off-track)."""
    detector = detector or default_detector()
    track = detector.assign(article)
    if track is None:
        return None, ()
    return track, detector.extract(article, track)
