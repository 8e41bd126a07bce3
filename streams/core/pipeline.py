"""The central step of the core: one article and a track's state in, a new state and alerts out.

Both the Faust agents and ``dipwatch replay`` call :func:`process`, so the streaming path and the
offline replay give the same alerts for the same input.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from streams.core.dedup import DedupIndex
from streams.core.detector import Detector, default_detector
from streams.core.models import Alert, Article, Mention, TrackState
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


def process(
    state: TrackState, index: DedupIndex, article: Article, now: dt.datetime, detector: Detector | None = None
) -> Outcome:
    """Deduplicate ``article`` against ``index``, extract the developments of ``state.track`` with
    ``detector`` (default: the built-in tracks'), merge them into ``state``.

    ``index`` is updated in place (its storage is a Faust table in the worker, a dict in replay);
    ``state`` is not: the new state is in the outcome.
    """
    verdict = index.check(article, now)
    if verdict.duplicate is not None:
        return Outcome(state, (), (), (), verdict.duplicate, verdict.story_id)
    mentions = (detector or default_detector()).extract(article, state.track)
    new_state, alerts = merge(state, article, mentions, now, verdict.story_id)
    fresh = tuple(a for a in alerts if a.kind == "new")
    updates = tuple(a for a in alerts if a.kind == "update")
    return Outcome(new_state, fresh, updates, tuple(mentions), None, verdict.story_id)
