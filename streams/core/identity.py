"""Development identity: when two reports describe the same development, and its stable id.

Two reports are the same development when they have the same type and agree wherever both state
something: place, date (at the coarser of the two precisions, a day of slack for time zones and
"yesterday"), ordinal and, for agreements and proposals, subject (topics). A field one report
leaves out is compatible with anything. Three exceptions, each for a misreading or a retelling
that is common in the press: a numbered meeting whose number and place (or day) agree is one even
if the third field differs; two agreements of the same place and day are one meeting's outcome,
whatever points each readout names; proposals ignore place and date, since a proposal repeated at
the next meeting is the same proposal.

Ids derive from the identity of the development as first reported, never from the article, and
leave out details that reports often omit (a numbered round keeps its id whether or not its date
was given), so the same development gets the same id across restarts, replays and article orders.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import logging
from dataclasses import dataclass
from typing import Protocol

from streams.core.models import UMBRELLA_OF, UMBRELLA_TOPICS, DatePrecision, DevelopmentType, types_with

logger = logging.getLogger(__name__)

HELD_TYPES: frozenset[str] = types_with("held")
ANNOUNCED_TYPES: frozenset[str] = types_with("announced")
ROUND_TYPES: frozenset[str] = frozenset({"round_held", "round_announced"})
# Types whose subject (topics) tells two developments apart: two agreements reached at one round.
SUBJECT_TYPES: frozenset[str] = frozenset({"agreement", "proposal"})
# Reports disagree by a day on the same meeting (time zones, "yesterday" resolved late).
DAY_SLACK = 1
# Meetings, whatever their status: outlets count their numbers differently.
_MEETING_TYPES: frozenset[str] = ROUND_TYPES | HELD_TYPES | ANNOUNCED_TYPES


class Identified(Protocol):
    """What identity looks at: shared by Mention, Development and the state's drafts."""

    @property
    def type(self) -> DevelopmentType: ...
    @property
    def location(self) -> str | None: ...
    @property
    def date(self) -> str | None: ...
    @property
    def ordinal(self) -> int | None: ...
    @property
    def topics(self) -> tuple[str, ...]: ...


@dataclass(frozen=True, slots=True)
class Span:
    """The days a partial ISO date can mean: ``2025-04`` is 1 to 30 April."""

    first: dt.date
    last: dt.date
    precision: DatePrecision


# Pure functions of a string, called for every pair of draft and development: cached.
@functools.lru_cache(maxsize=4096)
def normalise_place(place: str | None) -> str | None:
    """A comparison key for a place name (the extractor already gives canonical English names)."""
    if place is None:
        return None
    key = " ".join(place.split()).casefold()
    return key or None


@functools.lru_cache(maxsize=4096)
def date_span(value: str | None) -> Span | None:
    """The span of an ISO ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` date; None if absent or malformed."""
    if not value:
        return None
    try:
        parts = [int(p) for p in value[:10].split("-")]
        if len(parts) == 3:
            day = dt.date(parts[0], parts[1], parts[2])
            return Span(day, day, "day")
        if len(parts) == 2:
            first = dt.date(parts[0], parts[1], 1)
            following = dt.date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
            return Span(first, following - dt.timedelta(days=1), "month")
        if len(parts) == 1:
            return Span(dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31), "year")
    except ValueError:
        pass
    logger.debug("ignoring a malformed date %r", value)
    return None


@functools.lru_cache(maxsize=16384)
def dates_compatible(a: str | None, b: str | None) -> bool:
    """Whether two dates can name the same day (null is compatible with anything)."""
    sa, sb = date_span(a), date_span(b)
    if sa is None or sb is None:
        return True
    slack = dt.timedelta(days=DAY_SLACK if sa.precision == sb.precision == "day" else 0)
    return sa.first <= sb.last + slack and sb.first <= sa.last + slack


def _with_umbrellas(topics: set[str]) -> set[str]:
    return topics | {UMBRELLA_OF[t] for t in topics if t in UMBRELLA_OF}


def topics_compatible(a: tuple[str, ...], b: tuple[str, ...], *, loose: bool = False) -> bool:
    """Whether two subjects can be one agreement or proposal.

    One side naming less (a subset) fits; otherwise the two must share a specific topic. With
    ``loose`` (when place or date already agree), a side naming only umbrella topics fits a subject
    under the same umbrella: embassy operations covers staffing and funding, Ukraine the Black Sea.
    """
    sa, sb = set(a), set(b)
    if not sa or not sb or sa <= sb or sb <= sa:
        return True
    specific_a, specific_b = sa - UMBRELLA_TOPICS, sb - UMBRELLA_TOPICS
    if specific_a & specific_b:
        return True
    if not loose:
        return False
    if not specific_a:
        return bool(sa & _with_umbrellas(sb))
    if not specific_b:
        return bool(sb & _with_umbrellas(sa))
    return False


def subjects_differ(a: Identified, b: Identified) -> bool:
    """Whether two rounds are plainly about different things (Black Sea shipping vs embassies).

    Only the specific topics count: every round touches embassy operations or Ukraine and every
    announced round is a follow-up meeting.
    """
    generic = UMBRELLA_TOPICS | {"follow_up_meeting"}
    sa, sb = set(a.topics) - generic, set(b.topics) - generic
    return bool(sa) and bool(sb) and not (sa & sb)


def same_meeting(a: Identified, b: Identified) -> bool:
    """Whether two reports name the same place and the same day.

    Two agreements of one meeting are its one outcome, told differently by each side's readout.
    """
    return _places_agree(a, b) and same_day(a, b)


def compatible(a: Identified, b: Identified) -> bool:
    """Whether ``a`` and ``b`` can be reports of one development (symmetric).

    A proposal is known by its subject alone: it is repeated at later meetings and in later
    statements, in other places and on other dates, and stays the same proposal. A numbered
    meeting is one when the number and either its place or its day agree: the third field is then
    a misreading (a guessed year, the city of an embassy named nearby), not another meeting; and
    when its place and day agree, a differing number is another outlet's counting. A numbered
    announced meeting is one unless both place and day differ: plans move.
    """
    kind = a.type
    if kind != b.type:
        return False
    if a.ordinal is not None and b.ordinal is not None:
        if a.ordinal != b.ordinal:
            # Same place and same day: outlets count differently ("the second meeting after
            # Riyadh" and "the first round in Istanbul"), it is one meeting.
            return kind in _MEETING_TYPES and same_meeting(a, b)
        place_clash = _places_clash(a, b)
        date_clash = not dates_compatible(a.date, b.date)
        if kind in ANNOUNCED_TYPES:
            # Plans move: "round 3 in Moscow" and "round 3 in Washington" are one announced round
            # unless they also name different days.
            return not (date_clash and not _places_agree(a, b))
        if place_clash or date_clash:
            return (place_clash != date_clash) and (_places_agree(a, b) or same_day(a, b))
    if kind != "proposal":
        if _places_clash(a, b) or not dates_compatible(a.date, b.date):
            return False
    elif not dates_compatible(a.date, b.date) and not _named_subject(a, b):
        # Proposals on different days with no subject in common ("proposed a meeting of the
        # presidents" in May, "proposed 24-hour truces" in July): two proposals.
        return False
    if kind not in SUBJECT_TYPES:
        return True
    if kind == "agreement" and same_meeting(a, b):
        return True
    anchored = _places_agree(a, b) or (a.date is not None and b.date is not None)
    return topics_compatible(a.topics, b.topics, loose=anchored and kind != "proposal")


def _named_subject(a: Identified, b: Identified) -> bool:
    """Whether two proposals share a subject beyond a meeting to come (which most proposals name)."""
    return bool((set(a.topics) & set(b.topics)) - {"follow_up_meeting"})


@dataclass(frozen=True, slots=True)
class Retyped:
    """What identity looks at of an item, read as another type: "the announced round as a round
    held", to compare with the rounds held. Cheaper than copying a whole development to change
    its type, which matching did for every pair it compared."""

    type: DevelopmentType
    location: str | None
    date: str | None
    ordinal: int | None
    topics: tuple[str, ...]
    location_guessed: bool


def retyped(item: Identified, type_: DevelopmentType) -> Retyped:
    """``item`` as an item of ``type_`` for :func:`compatible` and the other tests of this module."""
    return Retyped(type_, item.location, item.date, item.ordinal, item.topics, place_guessed(item))


def place_guessed(item: Identified) -> bool:
    """Whether the item's place was guessed from its article's meeting, not stated."""
    return bool(getattr(item, "location_guessed", False))


def _places_clash(a: Identified, b: Identified) -> bool:
    """Whether both state a place and the places differ; a guessed place never clashes."""
    if place_guessed(a) or place_guessed(b):
        return False
    pa, pb = normalise_place(a.location), normalise_place(b.location)
    return pa is not None and pb is not None and pa != pb


def _places_agree(a: Identified, b: Identified) -> bool:
    pa = normalise_place(a.location)
    return pa is not None and pa == normalise_place(b.location)


def same_day(a: Identified, b: Identified) -> bool:
    """Whether both state a day and the days agree (one day of slack)."""
    sa, sb = date_span(a.date), date_span(b.date)
    return (
        sa is not None and sb is not None and sa.precision == sb.precision == "day" and dates_compatible(a.date, b.date)
    )


def agreement_score(a: Identified, b: Identified, *, with_topics: bool | None = None) -> float:
    """How strongly two compatible reports agree: the more stated fields in common, the higher.

    Topics count for agreements and proposals (their subject) unless ``with_topics`` says otherwise:
    the topics of a round are what it discussed, and rounds in a series discuss the same things.
    """
    score = 0.0
    pa, pb = normalise_place(a.location), normalise_place(b.location)
    if pa is not None and pa == pb:
        score += 2.0
    if a.ordinal is not None and a.ordinal == b.ordinal:
        score += 3.0
    sa, sb = date_span(a.date), date_span(b.date)
    if sa is not None and sb is not None:
        score += 2.0 if sa.precision == sb.precision == "day" else 1.0
    if with_topics is None:
        with_topics = a.type in SUBJECT_TYPES
    if with_topics:
        score += topic_overlap(a, b)
    return score


def related(a: Identified, b: Identified) -> bool:
    """Whether two compatible reports in one article are one development.

    Announcements need only be compatible: an article announces one coming meeting and names its
    place in one sentence and its number in another. Other reports must share a stated anchor
    (place, date, ordinal; a topic for agreements and proposals), or one must state none, since a
    recap tells of several past events: "the second round" and "the meeting in Riyadh" in one recap
    are usually two events.
    """
    if a.type in ANNOUNCED_TYPES or anchors(a) == 0 or anchors(b) == 0:
        return True
    return agreement_score(a, b) > 0


def anchors(item: Identified) -> int:
    """How many fields that tell developments of its type apart a report states.

    Place, date and ordinal; topics too for agreements and proposals. Extractors attach a
    paragraph's topics to every round in it, so shared topics do not make two rounds one.
    """
    subject = item.type in SUBJECT_TYPES and bool(item.topics)
    return sum((item.location is not None, item.date is not None, item.ordinal is not None, subject))


def topic_overlap(a: Identified, b: Identified) -> float:
    """The Jaccard similarity of two reports' topics (0 when either names none)."""
    ta, tb = a.topics, b.topics
    if not ta or not tb:
        return 0.0
    mine = set(ta)
    return len(mine.intersection(tb)) / len(mine.union(tb))


def specificity(item: Identified) -> int:
    """How many identifying fields a report states."""
    return sum((item.location is not None, item.date is not None, item.ordinal is not None, bool(item.topics)))


def identity_key(track: str, item: Identified) -> str:
    """The identity of a development as text, leaving out what reports often omit.

    A round with an ordinal is known by its number (and place); otherwise by place and month.
    Agreements add their subject; proposals are known by subject alone.
    """
    # A guessed place depends on what else the article told: it stays out of the id.
    place = (None if place_guessed(item) else normalise_place(item.location)) or "-"
    span = date_span(item.date)
    month = span.first.isoformat()[:7] if span is not None and span.precision != "year" else "-"
    subject = ",".join(sorted(set(item.topics) - UMBRELLA_TOPICS) or sorted(item.topics)) or "-"
    if item.type in ROUND_TYPES and item.ordinal is not None:
        parts = [place, f"#{item.ordinal}"]
    elif item.type == "proposal":
        parts = [subject]
    elif item.type == "agreement":
        parts = [place, month, subject]
    else:
        parts = [place, month, f"#{item.ordinal}" if item.ordinal is not None else "-"]
    return "|".join([track, item.type, *parts])


def development_id(key: str, taken: set[str] | frozenset[str]) -> str:
    """A short id from ``key``, salted until it differs from the ids in ``taken``."""
    salt = 0
    while True:
        text = key if salt == 0 else f"{key}~{salt}"
        candidate = "dev-" + hashlib.sha256(text.encode()).hexdigest()[:16]
        if candidate not in taken:
            return candidate
        salt += 1
