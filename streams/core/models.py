"""Core value types of dipwatch: what flows through the pure core.

Everything here is a frozen dataclass of plain Python values. Wire formats (JSON on Kafka topics)
are converted to and from these types in :mod:`streams.core.wire` and nowhere else.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Literal, get_args

DevelopmentType = Literal[
    "round_held",
    "round_announced",
    "summit_held",
    "summit_announced",
    "agreement",
    "proposal",
    "round_postponed",
    "round_cancelled",
    "summit_postponed",
    "summit_cancelled",
]
DEVELOPMENT_TYPES: tuple[DevelopmentType, ...] = get_args(DevelopmentType)

#: A development's status as a reader names it: a meeting's is the second half of its type.
_DEAL_STATUS = {"agreement": "agreed", "proposal": "proposed"}


def status_of(dev_type: str) -> str:
    """``held``, ``announced``, ``postponed``, ``cancelled`` (meetings), ``agreed``, ``proposed``."""
    return _DEAL_STATUS.get(dev_type) or dev_type.partition("_")[2]


def types_with(status: str) -> frozenset[str]:
    """The development types of one status: ``types_with("held")`` = the meetings held."""
    return frozenset(t for t in DEVELOPMENT_TYPES if status_of(t) == status)


DatePrecision = Literal["day", "month", "year"]

# The agenda vocabulary shared by the extractor, the state and the alerts (topics.json, in order).
_TOPICS_DATA: dict[str, Any] = json.loads(
    resources.files("streams").joinpath("lexicons", "topics.json").read_text(encoding="utf-8")
)
TOPICS: tuple[str, ...] = tuple(_TOPICS_DATA["topics"])
# Topics so broad that sharing only them does not make two agreements one, and their narrower topics.
UMBRELLA_TOPICS: frozenset[str] = frozenset(_TOPICS_DATA["umbrellas"])
# Topics of any negotiation (a prisoner swap, a follow-up meeting); the rest are a track's agenda.
GENERIC_TOPICS: frozenset[str] = frozenset(_TOPICS_DATA["generic"])
UMBRELLA_OF: dict[str, str] = dict(_TOPICS_DATA["umbrella_of"])

# A postponement has no code of its own in CAMEO; a cancellation is closest to 164.
CAMEO: dict[str, str | None] = {
    "round_held": "043",  # Make a visit / hold talks (043 visit, 046 engage in negotiation)
    "round_announced": "036",  # Express intent to meet or negotiate
    "summit_held": "043",
    "summit_announced": "036",
    "agreement": "057",  # Sign formal agreement
    "proposal": "03",  # Express intent to cooperate (proposal)
    "round_postponed": None,
    "summit_postponed": None,
    "round_cancelled": "164",  # Halt negotiations
    "summit_cancelled": "164",
}


@dataclass(frozen=True, slots=True)
class Article:
    """One news article, as published by a connector.

    ``id`` is stable: derived from the canonical URL when there is one, else from the
    normalised text. Datetimes are timezone-aware UTC or None.
    """

    id: str
    source: str
    url: str | None
    title: str
    published: dt.datetime | None
    fetched: dt.datetime | None
    language: str | None
    text: str
    connector: str


@dataclass(frozen=True, slots=True)
class Mention:
    """A development as one article states it, before the track state is consulted.

    ``date`` is ISO (``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``) matching ``date_precision``.
    ``new_round`` marks "a new round" without a number: the state gives it the next ordinal.
    ``tentative`` marks hedged statements ("may be held").
    """

    type: DevelopmentType
    sentence: str
    location: str | None = None
    date: str | None = None
    date_precision: DatePrecision | None = None
    ordinal: int | None = None
    topics: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    tentative: bool = False
    new_round: bool = False


@dataclass(frozen=True, slots=True)
class Evidence:
    """The sentence of one article that states a development."""

    article_id: str
    url: str | None
    source: str
    sentence: str


@dataclass(frozen=True, slots=True)
class Development:
    """A development as the track state knows it, enriched by every report of it."""

    id: str
    track: str
    type: DevelopmentType
    location: str | None
    date: str | None
    date_precision: DatePrecision | None
    ordinal: int | None
    topics: tuple[str, ...]
    actors: tuple[str, ...]
    summary: str
    evidence: tuple[Evidence, ...]
    sources: tuple[str, ...]
    first_seen: dt.datetime
    background: bool = False
    tentative: bool = False
    story_ids: tuple[str, ...] = ()
    # 1 - 0.5**sources, halved while tentative: rises with independent corroboration.
    confidence: float = 0.0
    # When the state last heard of it (eviction), and the publication times of its first and last
    # reports (what was reported as held by a time cannot be a later event; announcements go stale).
    last_seen: dt.datetime | None = None
    earliest_report: dt.datetime | None = None
    latest_report: dt.datetime | None = None
    # False while the development is held back (tentative, or an announcement that names nothing
    # yet): its "new" alert goes out when a report makes it firm.
    alerted: bool = True
    # The place was guessed from the article's one meeting, not stated: shown, but it never keeps
    # two reports apart, and the first stated place replaces it.
    location_guessed: bool = False


@dataclass(frozen=True, slots=True)
class Alert:
    """A message on the alerts (new development) or updates (corroboration) topic."""

    kind: Literal["new", "update"]
    development: Development

    @property
    def id(self) -> str:
        return self.development.id


@dataclass(frozen=True, slots=True)
class AgendaEntry:
    """One status change of an agenda item (topic) of a track."""

    status: Literal["discussed", "proposed", "agreed", "implemented", "stalled"]
    at: dt.datetime
    development_id: str | None = None


@dataclass(frozen=True, slots=True)
class TrackState:
    """Everything dipwatch remembers about one negotiation track.

    ``seen`` holds the ids of articles already processed (exact redelivery), bounded by the
    state module's horizon.
    """

    track: str
    developments: tuple[Development, ...] = ()
    agenda: tuple[tuple[str, tuple[AgendaEntry, ...]], ...] = ()
    seen: tuple[tuple[str, dt.datetime], ...] = field(default=())

    @property
    def rounds(self) -> int:
        """Rounds held that were alerted (tentative ones wait)."""
        return sum(1 for d in self.developments if d.type == "round_held" and d.alerted)

    @property
    def agreements(self) -> int:
        """Agreements that were alerted (tentative ones wait)."""
        return sum(1 for d in self.developments if d.type == "agreement" and d.alerted)
