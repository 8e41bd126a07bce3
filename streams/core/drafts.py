"""Developments found in one article before they become :class:`Mention` s, and their merging.

Several sentences of one article often report the same development (the lead, a quote, a recap;
the headline repeats the lead). They are merged here, within the article only; merging across
articles is the track state's job.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from streams.core.dates import Resolved
from streams.core.models import TOPICS, DevelopmentType, Mention
from streams.core.sentences import Sentence

logger = logging.getLogger(__name__)

_TOPIC_ORDER = {t: i for i, t in enumerate(TOPICS)}
DEALS = ("agreement", "proposal")
#: A meeting announced this many days after one the article reports held goes on with it.
NEXT_DAYS = 2
#: Sentences back that "the meeting" of a postponement may point to.
ANAPHORA_REACH = 2


@dataclass(slots=True)
class Statement:
    """A development as one sentence states it; mutable while the article is being read."""

    type: DevelopmentType
    sentence: Sentence
    location: str | None
    date: Resolved
    ordinal: int | None
    topics: set[str]
    actors: set[str]
    tentative: bool = False
    new_round: bool = False
    title: bool = False
    # The venue's country: the city's, or the country named alone ("in Saudi Arabia").
    country: str | None = None
    # Only says what talks covered ("وتناولت المحادثات عمل السفارتين"): no meeting of its own.
    content: bool = False
    # Named only as what came before something else ("a deal after talks in Geneva").
    background: bool = False

    @property
    def base(self) -> str:
        """``round``, ``summit``, ``agreement`` or ``proposal``."""
        return self.type.split("_")[0]

    @property
    def bare(self) -> bool:
        """Whether nothing but the type is known (no place, date or ordinal)."""
        return self.location is None and self.country is None and self.date.key is None and self.ordinal is None

    @property
    def key(self) -> tuple[str, str | None, str | None, int | None]:
        """What identifies the development within an article."""
        return (self.type, self.location, self.date.key, self.ordinal)


def may_be_one(a: Statement, b: Statement) -> bool:
    """Same type, and no stated field (place, date, ordinal) contradicts the other."""
    if a.type != b.type:
        return False
    pairs = ((a.location, b.location), (a.country, b.country), (a.date.key, b.date.key), (a.ordinal, b.ordinal))
    return all(x is None or y is None or x == y for x, y in pairs)


def fold(into: Statement, other: Statement) -> None:
    """Fold ``other`` into ``into``: fill what ``into`` lacks, pool topics and actors."""
    into.topics |= other.topics
    into.actors |= other.actors
    into.new_round = into.new_round or other.new_round
    into.tentative = into.tentative and other.tentative
    into.background = into.background and other.background
    if into.location is None:
        into.location = other.location
    if into.country is None:
        into.country = other.country
    if into.date.key is None or (into.date.date is None and other.date.date is not None):
        into.date = other.date
    if into.ordinal is None:
        into.ordinal = other.ordinal
    if into.title and not other.title:
        into.sentence = other.sentence
        into.title = False


def pool_into(target: Statement, other: Statement) -> None:
    """Pool the topics and actors of a vaguer report of the same development into ``target``."""
    target.topics |= other.topics
    target.actors |= other.actors


def summits(drafts: list[Statement]) -> list[Statement]:
    """A meeting at the place (or on the day) of a summit the article names is that summit."""
    places = {d.location for d in drafts if d.base == "summit" and d.location}
    days = {d.date.key for d in drafts if d.base == "summit" and d.date.key}
    # A summit named only as what came before ("the declaration signed during a summit") is not
    # the meeting its sentence reports.
    summit_sentences = {
        (d.sentence.index, d.type.partition("_")[2], d.location)
        for d in drafts
        if d.base == "summit" and not d.background
    }
    for d in drafts:
        status = d.type.partition("_")[2]
        # "the summit ended after three hours of talks": the talks are the summit's.
        same_sentence = d.ordinal is None and any(
            index == d.sentence.index and kind == status and d.location in (None, place)
            for index, kind, place in summit_sentences
        )
        # "استضافت الدوحة اجتماعا جمع الرئيسين. وجاء هذا اللقاء الذي عقد الثلاثاء …": the meeting
        # the next sentence goes on about, naming no place or number of its own, is that summit.
        next_sentence = (
            d.ordinal is None
            and d.location is None
            and any(
                s.sentence.index == d.sentence.index - 1
                and s.type == f"summit_{status}"
                and s.date.key in (None, d.date.key)
                for s in drafts
            )
        )
        if d.base == "round" and (
            d.location in places or (d.date.key in days and d.location is None) or same_sentence or next_sentence
        ):
            d.type = f"summit_{status}"  # type: ignore[assignment]
            d.new_round = False
    return drafts


def merge_in_article(drafts: list[Statement]) -> list[Statement]:
    """Merge the reports of one development within an article.

    A report of what talks covered joins the nearest other meeting; same key (type, place, date
    or day of month, ordinal) → one; compatible reports of one
    sentence → one; agreements and proposals that are compatible and share a topic → one; the
    headline joins the first compatible report of the body; a bare report (no place, date,
    ordinal) joins the nearest report of its type; an announcement is dropped when the article
    reports the same meeting as held.
    """
    _put_off_where_told(drafts)
    out = _join_same(_covered_to_meetings(drafts))
    kept = _vaguer_into_fuller(_bare_into_peers(out))
    held = [d for d in kept if d.type.endswith("_held")]
    final = [d for d in kept if not (d.type.endswith("_announced") and any(_reported_held(d, h) for h in held))]
    final.sort(key=lambda d: d.sentence.index)
    return final


def _put_off_where_told(drafts: list[Statement]) -> None:
    """A put-off or called-off meeting that names nothing ("the meeting had been scheduled for last
    week but was postponed") is the meeting of its kind that the sentence before, or the one before
    it, placed: it takes that meeting's place."""
    for d in drafts:
        if not (d.type.endswith(("_postponed", "_cancelled")) and d.bare):
            continue
        told = [
            o
            for o in drafts
            if o.base == d.base
            and (o.location or o.country)
            and 1 <= d.sentence.index - o.sentence.index <= ANAPHORA_REACH
        ]
        if told:
            nearest = max(told, key=lambda o: o.sentence.index)
            d.location, d.country = nearest.location, nearest.country


def _covered_to_meetings(drafts: list[Statement]) -> list[Statement]:
    """Reports of what talks covered, pooled into the nearest meeting the article reports."""
    meetings = [d for d in drafts if d.base not in DEALS and not d.content]
    rest: list[Statement] = []
    for d in drafts:
        hosts = [o for o in meetings if compatible_place(o, d)] if d.content else []
        if hosts:
            # What the talks covered belongs to the talks the article reports elsewhere.
            pool_into(min(hosts, key=lambda o: abs(o.sentence.index - d.sentence.index)), d)
        else:
            rest.append(d)
    return rest


def _same_as(out: list[Statement], d: Statement) -> Statement | None:
    """The report of ``out`` that ``d`` tells of again, if any (see merge_in_article)."""
    same = next((o for o in out if o.key == d.key and _same_subject(o, d)), None)
    if same is None:
        same = next((o for o in out if o.sentence.index == d.sentence.index and may_be_one(o, d)), None)
    if same is None and d.date.key is not None:
        # Same place (or unknown) on the same day: one meeting.
        same = next((o for o in out if o.date.key == d.date.key and may_be_one(o, d)), None)
    if same is None and d.base not in DEALS:
        # The next sentence often goes on about the same meeting ("The meeting on Thursday lasted…").
        same = next((o for o in out if o.sentence.index == d.sentence.index - 1 and may_be_one(o, d)), None)
    if same is None and d.title:
        same = next((o for o in out if may_be_one(o, d)), None)
    if same is None and d.base in DEALS:
        # Reports that state different things (one a day, the other a place) stay apart.
        same = next(
            (
                o
                for o in out
                if may_be_one(o, d)
                # Two agreements of one article that name no subject are told apart by nothing.
                and (o.topics & d.topics or not (o.topics or d.topics))
                and (_stated(o) <= _stated(d) or _stated(d) <= _stated(o))
            ),
            None,
        )
    return same


def _join_same(drafts: list[Statement]) -> list[Statement]:
    """One report per development the article tells of again (headline last)."""
    out: list[Statement] = []
    for d in sorted(drafts, key=lambda d: (d.title, d.sentence.index)):
        same = _same_as(out, d)
        if same is not None:
            fold(same, d)
        else:
            out.append(d)
    return out


def _bare_into_peers(out: list[Statement]) -> list[Statement]:
    """A meeting report that names nothing joins the nearest report of its type that names more."""
    specific = [d for d in out if not d.bare]
    kept: list[Statement] = []
    for d in out:
        if d.bare and d.base not in DEALS:
            peers = [o for o in specific if o.type == d.type]
            if not peers and d.base == "round" and not any(o.base == "round" and o is not d for o in out):
                # "the talks took place in a three-on-three format" in a summit report: the summit.
                status = d.type.split("_")[1]
                peers = [o for o in out if o.base == "summit" and o.type.endswith(status)]
            if peers:
                target = min(peers, key=lambda o: abs(o.sentence.index - d.sentence.index))
                pool_into(target, d)
                continue
        kept.append(d)
    return kept


def _vaguer_into_fuller(kept: list[Statement]) -> list[Statement]:
    """A report that states less ("the second summit", "talks in Riyadh") joins the one compatible
    report that states more ("a summit in Budapest", "talks in Riyadh on 24 March"); with several
    candidates it stays apart."""
    for d in [d for d in kept if d.base not in DEALS]:
        peers = [o for o in kept if o is not d and may_be_one(o, d) and _stated(d) < _stated(o)]
        if len(peers) == 1:
            fold(peers[0], d)
            kept.remove(d)
    return kept


def compatible_place(a: Statement, b: Statement) -> bool:
    """No contradiction between the two venues (city or country)."""
    pairs = ((a.location, b.location), (a.country, b.country))
    return all(x is None or y is None or x == y for x, y in pairs)


def _same_subject(a: Statement, b: Statement) -> bool:
    """Meetings with the same key are one; agreements and proposals must also share a topic."""
    return a.base not in DEALS or not a.topics or not b.topics or bool(a.topics & b.topics)


def _stated(d: Statement) -> frozenset[str]:
    fields = {"location": d.location or d.country, "date": d.date.key, "ordinal": d.ordinal}
    return frozenset(name for name, value in fields.items() if value is not None)


def _reported_held(announced: Statement, held: Statement) -> bool:
    if held.base != announced.base:
        return False
    if announced.bare and not announced.new_round and 0 < announced.sentence.index - held.sentence.index <= 2:
        # "Делегация прибыла для переговоров … Переговоры пройдут в закрытом формате": the lines
        # right after a report of the talks that name nothing go on about those talks.
        return True
    if announced.date.date and announced.date.date == held.date.date and compatible_place(announced, held):
        # Expected on the day the article reports it held: the same meeting.
        return True
    if announced.ordinal is not None and held.ordinal is not None:
        return announced.ordinal == held.ordinal and announced.location in (None, held.location)
    if _next_days(announced, held) and compatible_place(announced, held):
        # "The talks ended on Saturday; a new session is due tomorrow, Sunday": the meeting goes on.
        return True
    if announced.new_round or announced.ordinal is not None or not announced.title:
        return False
    # A headline in the present ("Witkoff meets Putin in St Petersburg") over a body that reports it held.
    return announced.location is not None and announced.location == held.location and held.ordinal is None


def _next_days(announced: Statement, held: Statement) -> bool:
    """Whether ``announced`` is due one or two days after the day ``held`` was held."""
    if (
        announced.date.precision != "day"
        or held.date.precision != "day"
        or not announced.date.date
        or not held.date.date
    ):
        return False
    gap = dt.date.fromisoformat(announced.date.date) - dt.date.fromisoformat(held.date.date)
    return 1 <= gap.days <= NEXT_DAYS


def to_mention(d: Statement) -> Mention:
    """The public, frozen form of a draft."""
    return Mention(
        type=d.type,
        sentence=d.sentence.text,
        location=d.location,
        date=d.date.date,
        date_precision=d.date.precision,
        ordinal=d.ordinal,
        topics=tuple(sorted(d.topics, key=lambda t: _TOPIC_ORDER.get(t, 99))),
        actors=tuple(sorted(d.actors)),
        tentative=d.tentative,
        new_round=d.new_round,
    )
