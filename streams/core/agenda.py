"""Agenda items of a track: each topic's status history (discussed → proposed → agreed → implemented).

A status change is recorded in the state, not alerted on its own: every change is caused by a
development (a round that discussed the topic, a proposal, an agreement) which alerts when it is new,
so a second alert for the status would count the same event twice.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import Literal

from streams.core.models import AgendaEntry

logger = logging.getLogger(__name__)

Status = Literal["discussed", "proposed", "agreed", "implemented", "stalled"]
Agenda = tuple[tuple[str, tuple[AgendaEntry, ...]], ...]

STATUS_OF_TYPE: dict[str, Status] = {
    "round_held": "discussed",
    "summit_held": "discussed",
    "proposal": "proposed",
    "agreement": "agreed",
}
RANK: dict[str, int] = {"discussed": 1, "proposed": 2, "agreed": 3, "implemented": 4}
MAX_HISTORY = 20


def current_status(history: tuple[AgendaEntry, ...]) -> Status | None:
    """The latest status of an agenda item, or None when it has none yet."""
    return history[-1].status if history else None


def _advances(current: Status | None, new: Status) -> bool:
    if current is None or current == "stalled":
        return new != current
    if new == "stalled":
        return True
    # A topic discussed again after an agreement has not gone back: only forward moves count.
    return RANK.get(new, 0) > RANK.get(current, 0)


def set_status(
    agenda: Agenda, topic: str, status: Status, now: dt.datetime, development_id: str | None = None
) -> Agenda:
    """``agenda`` with ``topic`` moved to ``status`` if that is a forward move (or a stall)."""
    items = dict(agenda)
    history = items.get(topic, ())
    if not _advances(current_status(history), status):
        return agenda
    logger.debug("agenda %s: %s -> %s", topic, current_status(history), status)
    entry = AgendaEntry(status=status, at=now, development_id=development_id)
    items[topic] = (*history, entry)[-MAX_HISTORY:]
    # Sorted by topic so that the state (and its encoding) does not depend on arrival order.
    return tuple(sorted(items.items()))


def advance_agenda(
    agenda: Agenda, changes: Iterable[tuple[str, tuple[str, ...], bool, str]], now: dt.datetime
) -> Agenda:
    """Apply ``(type, topics, tentative, development_id)`` reports to ``agenda``.

    A held round or summit marks its topics discussed, a proposal proposed, an agreement agreed.
    Tentative reports and announcements move nothing.
    """
    for type_, topics, tentative, development_id in changes:
        status = STATUS_OF_TYPE.get(type_)
        if status is None or tentative:
            continue
        for topic in topics:
            agenda = set_status(agenda, topic, status, now, development_id)
    return agenda
