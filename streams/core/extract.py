"""Per-article extraction of diplomatic developments (rounds, summits, agreements, proposals).

For every sentence of the title and text, lexicon matches (:mod:`streams.core.lexicon`) are read as:

* an **event**: a group of meeting nouns (محادثات، جولة، talks, переговоры) or summit nouns, typed
  by the nearest *held* marker (عقدت، جرت، اختتمت، held, met) or *announced* marker (ستعقد، من
  المقرر، مرتقبة، تعتزم، will hold, scheduled); "after the summit" (بعد قمة) marks a past one; a
  verb at the end of its clause types the clause's meeting (Persian word order); with no marker,
  a stated day makes the meeting held (or announced, if after publication). A meeting whose two
  sides are both led by their leaders (Trump and Putin, not an envoy) is a summit.
* an **agreement** (اتفقا، توافقا على، تم الاتفاق، توصل ... إلى اتفاق، made progress) or a
  **proposal** (عرضت، اقترح، دعا إلى, proposed, offered). "Agreed to hold a meeting" is an
  announcement of that meeting, not an agreement; "proposed to meet in Moscow" is a proposal
  (with the follow-up meeting as its topic), not an announcement.

Decisions, so that a user gets no alert for noise:

* **Negation** right before a trigger (لا، لم، لن، عدم، no, not) and **denial or condition**
  anywhere before it in its clause (نفى، لو، denied, if) drop it: "لا توجد خطط للقاء ترامب
  وبوتين" is not a summit announcement.
* **Hedges** (قد + present tense، ربما، محتمل، may, could): a hedged meeting is **kept as a tentative
  announcement** (``tentative=True``, type ``*_announced``), because "talks may be held in Riyadh"
  is the first sign of a round and the track state decides what to do with it; a hedged
  agreement or proposal is **dropped**, because "may lead to an agreement" states none. قد before
  a past verb ("قد عقدت", had been held) is emphasis, not a hedge.
* **Aims and wishes** (يهدف، رغبة، يأمل، aim, hope, seek) before an agreement in its clause drop
  it: "a desire to reach an agreement" is not one.
* False friends block an agreement reading: يتوافق مع ("is consistent with").
* Questions (sentences ending in ? or ؟) state nothing.
* Sentences whose parties pair one side of the default track with an outside country
  (Russia–Ukraine talks, US–Turkey meetings), or name only outside countries, are skipped; a
  country after a preposition ("the war in Ukraine", "talks on Ukraine") or hosting a named city
  ("Istanbul, Turkey") is not a party.
* "A new round" (جولة جديدة) is marked ``new_round`` with no ordinal: the state numbers it.
* Places: the venue follows the meeting noun (or sits between its verb and noun, or opens the
  sentence: "وفي الرياض، ..."); a capital that stands for its government (Washington, Moscow) is a
  venue only after a preposition; a country as venue gives no city (None). When unsure: None.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from streams.core.dates import DateFinder, DateHit, Resolved, resolve
from streams.core.drafts import Draft, merge, summits, to_mention
from streams.core.lexicon import Lexicon, Match, default_lexicon
from streams.core.models import Article, DevelopmentType, Mention
from streams.core.normalise import normalise
from streams.core.sentences import Sentence, sentences

logger = logging.getLogger(__name__)

# Token windows, chosen on news prose: a marker further than this from its noun belongs elsewhere.
MARKER_WINDOW = 10
NEGATION_WINDOW = 4
HEDGE_WINDOW = 5
DATE_WINDOW = 14
PLACE_AFTER = 16
PLACE_BEFORE = 8
LEADER_WINDOW = 6
GROUP_GAP = 3
PARTY_WINDOW = 4
LATE_VERB = 16
_NO_DATE = Resolved(None, None, None)
# Arabic قد is a hedge only before a present-tense verb (ي ت ن); تم/تمت are past.
_PRESENT = ("ي", "ت", "ن")
_PAST_AFTER_QAD = frozenset({"تم", "تمت"})
# Purpose infinitives ("لعقد", "to hold"): intent, which a past date turns into a holding.
_INTENT = frozenset({"لعقد", "لاجراء", "لعقدها", "لعقده", "to"})
_AND = frozenset({"و", "and", "и", "or", "او"})
_KANA = frozenset({"كان", "كانت", "وكان", "وكانت", "كانا", "كانتا", "وكانا", "كانوا", "وكانوا"})


def _past(hit: DateHit) -> bool:
    """Whether the text itself puts the date in the past ("last Thursday", "yesterday")."""
    return hit.direction == "past" or (hit.relative is not None and hit.relative[1] < 0)


def _future(hit: DateHit) -> bool:
    """Whether the text itself puts the date ahead ("next Monday", "tomorrow")."""
    return hit.direction == "next" or (hit.relative is not None and hit.relative[1] > 0)


def _distance(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    if a_end <= b_start:
        return b_start - a_end
    if b_end <= a_start:
        return a_start - b_end
    return 0


@dataclass(slots=True)
class _Group:
    start: int
    end: int
    summit: bool = False
    own: str | None = None
    markers: list[tuple[str, Match]] = field(default_factory=list)
    status: str | None = None
    marker: Match | None = None
    tentative: bool = False
    location: str | None = None
    suppressed: bool = False

    @property
    def span(self) -> tuple[int, int]:
        if self.marker is None:
            return self.start, self.end
        return min(self.start, self.marker.start), max(self.end, self.marker.end)


@dataclass(slots=True)
class _Analysis:
    sentence: Sentence
    matches: dict[str, list[Match]]
    dates: list[tuple[int, int, DateHit]]
    topics: set[str] = field(default_factory=set)
    actors: set[str] = field(default_factory=set)
    parties: set[str] = field(default_factory=set)
    venues: list[tuple[int, str | None, bool]] = field(default_factory=list)

    def get(self, category: str) -> list[Match]:
        return self.matches.get(category, [])

    def clause(self, token: int) -> int:
        clauses = self.sentence.clauses
        return clauses[min(max(token, 0), len(clauses) - 1)]


@dataclass(frozen=True, slots=True)
class _Context:
    published: dt.datetime | None
    year: int | None


class Extractor:
    """Extracts developments with a given lexicon; ``parties`` are the default track's two sides."""

    def __init__(self, lexicon: Lexicon, parties: Sequence[frozenset[str]] | None = None) -> None:
        self.lexicon = lexicon
        self.dates = DateFinder(lexicon)
        if parties is None:
            tracks = lexicon.tracks.get("tracks", {})
            default = tracks.get(lexicon.tracks.get("default", ""), {})
            parties = [frozenset(side) for side in default.get("sides", [])]
        self.parties = tuple(parties)
        self._inside: frozenset[str] = frozenset().union(*self.parties) if self.parties else frozenset()

    # ---------------------------------------------------------------- sentences
    def _analyse(self, sentence: Sentence) -> _Analysis:
        matches: dict[str, list[Match]] = {}
        for m in self.lexicon.matcher.find(sentence.tokens, sentence.clauses):
            matches.setdefault(m.category, []).append(m)
        dates = []
        for hit in self.dates.find(sentence.norm):
            start = sentence.token_at(hit.start)
            dates.append((start, max(sentence.token_at(hit.end), start + 1), hit))
        info = _Analysis(sentence, matches, dates)
        info.topics = {m.value for m in info.get("topic")}
        locative_ends = {m.end for m in info.get("locative")}
        subject_ends = {m.end for m in info.get("topic_prep")}
        city_ends = {m.end for m in info.get("city")}
        city_starts = {m.start for m in info.get("city")}
        hosts = {self.lexicon.cities[m.value].country for m in info.get("city")}
        for m in info.get("person"):
            person = self.lexicon.people[m.value]
            info.actors.update((person.name, person.country))
            info.parties.add(person.country)
        for m in info.get("country"):
            info.actors.add(m.value)
            locative = m.start in locative_ends or m.clitic.endswith("ب")
            venue = locative or m.start in city_ends or m.start in subject_ends
            if not venue and (m.value in self._inside or m.value not in hosts):
                info.parties.add(m.value)
            if locative and m.start not in city_ends and m.start not in city_starts:
                info.venues.append((m.start, None, True))
        for m in info.get("city"):
            city = self.lexicon.cities[m.value]
            locative = m.start in locative_ends or m.clitic.endswith("ب")
            if not city.metonym or locative:
                info.venues.append((m.start, city.name, locative))
        info.venues.sort(key=lambda v: v[0])
        return info

    def _off_track(self, info: _Analysis) -> bool:
        if not self.parties or not info.parties:
            return False
        outside = info.parties - self._inside
        inside = info.parties & self._inside
        both = all(info.parties & side for side in self.parties)
        return bool(outside) and ((bool(inside) and not both) or (not inside and len(outside) >= 2))

    def _negated(self, info: _Analysis, pos: int) -> bool:
        clause = info.clause(pos)
        for m in info.get("negation"):
            if m.end <= pos and pos - m.end < NEGATION_WINDOW and info.clause(m.start) == clause:
                return True
        if any(m.end <= pos and info.clause(m.start) == clause for m in info.get("conditional")):
            return True
        if any(m.start <= pos and info.clause(m.start) == clause for m in info.get("no_plans")):
            return True
        # A denial reaches over the reported speech that follows it ("نفى ... أن", "denied that").
        return any(m.start <= pos for m in info.get("denial"))

    def _hedged(self, info: _Analysis, lo: int, hi: int) -> bool:
        clause = info.clause(lo)
        toks = info.sentence.tokens
        for h in info.get("hedge"):
            if not (lo - HEDGE_WINDOW <= h.start < hi and info.clause(h.start) == clause):
                continue
            if toks[h.start] == "قد" and h.end - h.start == 1:
                nxt = toks[h.end] if h.end < len(toks) else ""
                if not nxt.startswith(_PRESENT) or nxt in _PAST_AFTER_QAD:
                    continue
                # "وكانت الجولة الأولى قد عقدت", "كان قد ترأس": pluperfect, not a hedge.
                if any(t in _KANA for t in toks[max(0, h.start - 4) : h.start]):
                    continue
            return True
        return False

    def _aimed(self, info: _Analysis, pos: int) -> bool:
        clause = info.clause(pos)
        return any(m.end <= pos and info.clause(m.start) == clause for m in info.get("aim"))

    # ---------------------------------------------------------------- fields
    def _place_after(self, info: _Analysis, end: int, limit: int) -> tuple[bool, str | None]:
        for pos, name, _ in info.venues:
            if end <= pos < limit:
                return True, name
        return False, None

    def _group_location(self, info: _Analysis, g: _Group, stop: int | None) -> str | None:
        limit = g.end + PLACE_AFTER
        if g.marker is not None and g.marker.start >= g.end:
            limit = max(limit, g.marker.end)
        limit = min(limit, stop if stop is not None else len(info.sentence.tokens))
        found, name = self._place_after(info, g.end, limit)
        if found:
            return name
        for pos, name, _ in info.venues:
            # "the Riyadh talks": a city right before the noun.
            if pos == g.start - 1 and name is not None and info.clause(pos) == info.clause(g.start):
                return name
        verbs = [
            m.end for m in info.get("held") + info.get("announced") if info.clause(m.start) == info.clause(g.start)
        ]
        before = [
            (pos, name)
            for pos, name, locative in info.venues
            if pos < g.start
            and g.start - pos <= PLACE_BEFORE
            and info.clause(pos) == info.clause(g.start)
            and (locative or name is not None)
            and any(v <= pos or pos < v <= g.start for v in verbs)
        ]
        if before:
            return max(before)[1]
        return self._opening_place(info, g.start)

    def _opening_place(self, info: _Analysis, start: int) -> str | None:
        for pos, name, locative in info.venues:
            if pos < start and pos <= 2 and locative and info.clause(pos) == 0 and info.clause(start) > 0:
                return name
        return None

    def _date(self, info: _Analysis, dates: Sequence[DateHit], announced: bool, ctx: _Context) -> Resolved:
        for hit in dates:
            resolved = resolve(hit, ctx.published, ctx.year, announced)
            # "agreed yesterday to hold a summit": yesterday dates the agreement, not the summit.
            if announced and resolved.date and ctx.published is not None and hit.relative is not None:
                eve = (ctx.published.date() - dt.timedelta(days=1)).isoformat()
                if resolved.date < eve[: len(resolved.date)]:
                    return _NO_DATE
            return resolved
        return _NO_DATE

    def _ordinals(self, info: _Analysis, start: int, end: int, reach: int = 1) -> list[tuple[int, int]]:
        """(position, value) of the ordinals that count this meeting, nearest first."""
        times = info.get("time_word")
        # "the first Trump-Putin summit": names may sit between the ordinal and the noun.
        named = {j for m in info.get("person") + info.get("country") for j in range(m.start, m.end)}
        found = []
        for m in info.get("ordinal"):
            if any(s <= m.start < e for s, e, _ in info.dates):
                continue
            near = start - 1 <= m.start <= end + reach or (
                start - 4 <= m.start < start and all(j in named for j in range(m.end, start))
            )
            for_time = any(t.end == m.start or m.end == t.start for t in times)
            if near or (for_time and info.clause(m.start) == info.clause(start)):
                found.append((_distance(start, end, m.start, m.end), m.start, int(m.value)))
        found.sort()
        return [(pos, value) for _, pos, value in found]

    # ---------------------------------------------------------------- events
    def _groups(self, info: _Analysis) -> list[_Group]:
        nouns = sorted(
            info.get("round") + info.get("summit") + info.get("self_round") + info.get("self_announced"),
            key=lambda m: m.start,
        )
        groups: list[_Group] = []
        for m in nouns:
            own = {"self_round": "held", "self_announced": "announced"}.get(m.category)
            if own and not self._party_near(info, m.start, m.end):
                continue
            near = bool(groups) and m.start - groups[-1].end <= GROUP_GAP
            # "the first meeting since the Alaska summit": two meetings, not one.
            between = near and any(groups[-1].end <= a.start < m.start for a in info.get("after"))
            if near and not between and info.clause(m.start) == info.clause(groups[-1].start):
                g = groups[-1]
                g.end = max(g.end, m.end)
            else:
                g = _Group(m.start, m.end)
                groups.append(g)
            g.summit |= m.category == "summit"
            if own and (g.own is None or own == "announced"):
                g.own = own
        self._assign_markers(info, groups)
        return groups

    def _assign_markers(self, info: _Analysis, groups: list[_Group]) -> None:
        """Each marker types only the noun group nearest to it (or its clause's, at clause end)."""
        if not groups:
            return
        toks = info.sentence.tokens
        late: list[tuple[int, str, Match]] = []
        for status in ("held", "announced"):
            for m in info.get(status):
                if any(g.start <= m.start < g.end and g.own for g in groups):
                    continue
                dists = [_distance(g.start, g.end, m.start, m.end) for g in groups]
                best = min(range(len(groups)), key=lambda i: dists[i])
                if dists[best] <= MARKER_WINDOW:
                    groups[best].markers.append((status, m))
                    continue
                clause = info.clause(m.start)
                rest = sum(1 for j in range(m.end, len(toks)) if info.clause(j) == clause)
                same = [i for i, g in enumerate(groups) if info.clause(g.start) == clause and g.end <= m.start]
                if rest <= 2 and same:
                    groups[same[-1]].markers.append((status, m))
                    continue
                # Verb-final clauses (Persian, Russian participles): the verb of an unmarked noun.
                before = [i for i, g in enumerate(groups) if g.end <= m.start]
                late_ok = status == "held" and before and m.start - groups[before[-1]].end <= LATE_VERB
                if late_ok and not groups[before[-1]].markers:
                    late.append((before[-1], status, m))
        marked = {i for i, g in enumerate(groups) if g.markers}
        for i, status, m in late:
            if i not in marked:
                groups[i].markers.append((status, m))

    def _type_group(self, info: _Analysis, g: _Group, ctx: _Context, dates: Sequence[DateHit]) -> None:
        if self._negated(info, g.start):
            return
        candidates: list[tuple[int, int, str, Match]] = []
        for status, m in g.markers:
            # On a tie the announcement wins: "خطط لعقد محادثات" is intent, not a holding.
            candidates.append((_distance(g.start, g.end, m.start, m.end), 0 if status == "announced" else 1, status, m))
        for m in info.get("after"):
            if m.end <= g.start and g.start - m.end <= 2 and info.clause(m.start) == info.clause(g.start):
                candidates.append((0, 1, "held", m))
        for m in info.get("weak_announced"):
            if m.end <= g.start and g.start - m.end <= 1:
                candidates.append((0, 0, "announced", m))
        if g.own:
            candidates.append((0, 0 if g.own == "announced" else 1, g.own, Match("self", "", g.start, g.end)))
        candidates.sort(key=lambda c: (c[0], c[1]))
        if candidates:
            _, _, status, marker = candidates[0]
            if self._negated(info, marker.start):
                return
            lo, hi = min(marker.start, g.start), max(marker.end, g.end)
            g.tentative = self._hedged(info, lo, hi)
            g.status = "announced" if g.tentative else status
            g.marker = marker
            intent = info.sentence.tokens[marker.start] in _INTENT
            if g.status == "announced" and intent and not g.tentative and any(_past(h) for h in dates):
                # "returned to Istanbul last Thursday to hold the round": a past date wins.
                g.status = "held"
            elif g.status == "held" and any(_future(h) for h in dates):
                # "محادثات تعقد يوم الاثنين المقبل": the present tense with a future date.
                g.status = "announced"
            return
        # No verb: a stated date says whether the meeting is past or to come.
        for hit in dates:
            if hit.weekday is not None and ctx.published is not None:
                # "Thursday's talks", "talks on Monday": the nearer such day, unless the text says.
                ahead = (hit.weekday - ctx.published.weekday()) % 7
                behind = (ctx.published.weekday() - hit.weekday) % 7
                nearer_ahead = hit.direction == "next" or (hit.direction != "past" and 0 < ahead < behind)
                g.status = "announced" if nearer_ahead else "held"
                return
            if not hit.absolute or (hit.day is None and ctx.published is None):
                continue
            if hit.direction in ("next", "past"):
                g.status = "announced" if hit.direction == "next" else "held"
                return
            late = False
            if ctx.published is not None and hit.calendar == "gregorian" and hit.month is not None:
                pub = ctx.published.date()
                year = hit.year or pub.year
                late = (year, hit.month, hit.day or 0) > (pub.year, pub.month, pub.day if hit.day else 0)
            g.status = "announced" if late else "held"
            return

    def _party_near(self, info: _Analysis, start: int, end: int) -> bool:
        """Whether a "met"/"will meet" verb has a party next to it (no party: "meet resistance")."""
        near = info.get("person") + info.get("country") + info.get("party_noun") + info.get("city")
        return any(_distance(start, end, m.start, m.end) <= PARTY_WINDOW for m in near)

    def _leaders_meet(self, info: _Analysis, g: _Group) -> bool:
        if any(abs(m.start - g.start) <= LEADER_WINDOW for m in info.get("leader_noun")):
            return True
        led: set[str] = set()
        envoys: set[str] = set()
        for m in info.get("person"):
            if _distance(g.start, g.end, m.start, m.end) > LEADER_WINDOW:
                continue
            person = self.lexicon.people[m.value]
            (led if person.leader else envoys).add(person.country)
        return bool(self.parties) and all(side & led and not side & envoys for side in self.parties)

    def _owned_dates(self, info: _Analysis, anchors: Sequence[tuple[int, int]], index: int) -> list[DateHit]:
        """The dates whose nearest anchor (event or deal trigger) is ``anchors[index]``, best first.

        Dates coordinated with "and" ("on 27 February and 10 April") go with the first one; a date
        right after a reporting verb ("said on Friday") dates the report and goes to nobody.
        """
        toks = info.sentence.tokens
        reporting = [m.end for m in info.get("reporting")]
        complementizers = {m.start for m in info.get("complementizer")}
        anchors = list(anchors) + [(m.start, m.end) for m in info.get("call")]
        owner: list[int | None] = []
        for n, (s, e, _hit) in enumerate(info.dates):
            prev = info.dates[n - 1] if n else None
            if prev is not None and owner and s - prev[1] <= 1 and all(t in _AND for t in toks[prev[1] : s]):
                owner.append(owner[-1])
                continue
            said = any(0 <= s - r <= 4 and not any(r <= a < s for a, _ in anchors) for r in reporting)
            closes = e >= len(toks) or info.clause(e) != info.clause(s) or any(e <= c <= e + 1 for c in complementizers)
            if said and closes:
                # "said on Friday that…", "قالت الوزارة اليوم الجمعة إن…": the date of the report.
                owner.append(None)
                continue
            dists = [_distance(a, b, s, e) + (8 if info.clause(a) != info.clause(s) else 0) for a, b in anchors]
            best = min(range(len(anchors)), key=lambda i: dists[i]) if anchors else None
            owner.append(best if best is not None and dists[best] <= DATE_WINDOW else None)
        lo, hi = anchors[index]
        mine = [(s, e, hit) for (s, e, hit), o in zip(info.dates, owner, strict=True) if o == index]
        # Stated days first, then months, then relative expressions; nearer first within each.
        mine.sort(key=lambda d: (d[2].day is None, not d[2].absolute, _distance(lo, hi, d[0], d[1])))
        return [hit for _, _, hit in mine]

    def _sentence_drafts(self, info: _Analysis, ctx: _Context) -> list[Draft]:
        groups = self._groups(info)
        deals = self._deal_triggers(info)
        # Type the groups with their own dates first (a date-only meeting needs them).
        pre_anchors = [(g.start, g.end) for g in groups] + [(m.start, m.end) for _, m in deals]
        for i, g in enumerate(groups):
            self._type_group(info, g, ctx, self._owned_dates(info, pre_anchors, i))
        for i, g in enumerate(groups):
            stop = groups[i + 1].start if i + 1 < len(groups) else None
            g.location = self._group_location(info, g, stop)
        drafts = self._deal_drafts(info, ctx, groups, deals)
        anchors = [g.span for g in groups] + [(m.start, m.end) for _, m in deals]
        for i, g in enumerate(groups):
            if g.status is None or g.suppressed:
                continue
            drafts.extend(self._event_drafts(info, ctx, g, self._owned_dates(info, anchors, i)))
        return drafts

    def _event_drafts(self, info: _Analysis, ctx: _Context, g: _Group, dates: list[DateHit]) -> list[Draft]:
        summit = g.summit or self._leaders_meet(info, g)
        etype: DevelopmentType
        if summit:
            etype = "summit_held" if g.status == "held" else "summit_announced"
        else:
            etype = "round_held" if g.status == "held" else "round_announced"
        announced = g.status == "announced"
        new_round = not summit and any(g.start - 1 <= m.start <= g.end + 1 for m in info.get("new"))

        def draft(date: Resolved, ordinal: int | None) -> Draft:
            return Draft(
                etype,
                info.sentence,
                g.location,
                date,
                ordinal,
                set(info.topics),
                set(info.actors),
                g.tentative,
                new_round,
            )

        # "the previous rounds in Istanbul on 27 February and 10 April": one round per date.
        first = info.sentence.starts[g.start]
        days = [h for h in dates if h.absolute and h.start >= first]
        if not announced and len(days) >= 2 and len({h.day is None for h in days}) == 1:
            days.sort(key=lambda h: h.start)
            ordinals = sorted(self._ordinals(info, g.start, g.end, reach=4))
            values = [v for _, v in ordinals] if len(ordinals) == len(days) else [None] * len(days)
            return [draft(resolve(h, ctx.published, ctx.year, False), v) for h, v in zip(days, values, strict=True)]
        ordinals = self._ordinals(info, g.start, g.end)
        ordinal = None if new_round or not ordinals else ordinals[0][1]
        return [draft(self._date(info, dates, announced, ctx), ordinal)]

    # ---------------------------------------------------------------- agreements and proposals
    def _deal_triggers(self, info: _Analysis) -> list[tuple[str, Match]]:
        found: list[tuple[str, Match]] = []
        blocked = info.get("announced") + info.get("false_friend")
        for category in ("agreement", "proposal"):
            taken: list[tuple[int, int]] = []
            for m in sorted(info.get(category), key=lambda m: (m.start, -m.end)):
                if any(m.start < e and s < m.end for s, e in taken):
                    continue
                if any(b.start < m.end and m.start < b.end for b in blocked):
                    continue
                if self._negated(info, m.start) or self._hedged(info, m.start, m.end):
                    continue
                if category == "agreement" and self._aimed(info, m.start):
                    continue
                if category == "proposal" and self._inside and not info.parties & self._inside:
                    continue
                taken.append((m.start, m.end))
                found.append((category, m))
        return found

    def _deal_drafts(
        self, info: _Analysis, ctx: _Context, groups: list[_Group], deals: list[tuple[str, Match]]
    ) -> list[Draft]:
        drafts: list[Draft] = []
        anchors = [g.span for g in groups] + [(m.start, m.end) for _, m in deals]
        for k, (category, m) in enumerate(deals):
            clause = info.clause(m.start)
            later = [g for g in groups if g.start >= m.end and info.clause(g.start) == clause]
            # "следующую встречу Путин предложил провести в Москве": the object may come first.
            object_first = [g for g in groups if 0 <= m.start - g.end <= 3 and info.clause(g.start) == clause]
            topics = set(info.topics)
            location = None
            if category == "agreement":
                # "agreed to hold a meeting" announces the meeting; it is not an agreement.
                if any(g.status == "announced" and g.start - m.end <= 15 for g in later):
                    continue
            elif (later and later[0].start - m.end <= 12) or object_first:
                # "proposed that the next meeting be held in Moscow": the proposal is the news.
                target = later[0] if later and later[0].start - m.end <= 12 else object_first[-1]
                target.suppressed = True
                location = target.location
                topics.add("follow_up_meeting")
            if location is None:
                location = self._deal_location(info, m, groups)
            dates = self._owned_dates(info, anchors, len(groups) + k)
            drafts.append(
                Draft(
                    "agreement" if category == "agreement" else "proposal",
                    info.sentence,
                    location,
                    self._date(info, dates, False, ctx),
                    None,
                    topics,
                    set(info.actors),
                )
            )
        return drafts

    def _deal_location(self, info: _Analysis, m: Match, groups: Sequence[_Group]) -> str | None:
        for pos, name, locative in info.venues:
            if m.end <= pos <= m.end + 2 and locative:
                return name
        opening = self._opening_place(info, m.start)
        if opening is not None:
            return opening
        located = [g for g in groups if g.location is not None]
        if located:
            return min(located, key=lambda g: _distance(g.start, g.end, m.start, m.end)).location
        return None

    # ---------------------------------------------------------------- article
    def extract(self, article: Article) -> tuple[Mention, ...]:
        """Every development ``article`` states, merged within the article, in text order."""
        sents = sentences(article.title, article.text, self.lexicon.footers)
        if not sents:
            return ()
        title_count = len(sentences(article.title, "", ())) if article.title.strip() else 0
        infos = [self._analyse(s) for s in sents]
        ctx = _Context(
            published=article.published,
            year=None if article.published else self.dates.article_year(normalise(f"{article.title}\n{article.text}")),
        )
        drafts: list[Draft] = []
        for info in infos:
            if info.sentence.question or self._off_track(info):
                continue
            for d in self._sentence_drafts(info, ctx):
                d.title = info.sentence.index < title_count
                drafts.append(d)
        if not drafts:
            return ()
        self._fill_topics(drafts, infos)
        return tuple(to_mention(d) for d in merge(summits(drafts)))

    def _fill_topics(self, drafts: Iterable[Draft], infos: Sequence[_Analysis]) -> None:
        """Meetings take the article's agenda; agreements and proposals their sentence's (or the next)."""
        agenda: set[str] = set()
        for info in infos:
            agenda |= info.topics
        for d in drafts:
            if d.base in ("round", "summit"):
                d.topics |= agenda
                continue
            i = d.sentence.index
            for j in (i + 1, i - 1):
                if not d.topics and 0 <= j < len(infos):
                    d.topics = set(infos[j].topics)


def build_extractor(lexicon: Lexicon, parties: Sequence[frozenset[str]] | None = None) -> Extractor:
    """An extractor over ``lexicon`` (tests pass a small one); ``parties`` default to the default track."""
    return Extractor(lexicon, parties)


@functools.cache
def default_extractor() -> Extractor:
    """The extractor over the packaged lexicon, built once per process."""
    return Extractor(default_lexicon())


def extract(article: Article) -> tuple[Mention, ...]:
    """Every development that ``article`` (title and text) states, with the packaged lexicon."""
    return default_extractor().extract(article)


def extract_many(articles: Iterable[Article]) -> Mapping[str, tuple[Mention, ...]]:
    """Extract from several articles, keyed by article id."""
    return {a.id: extract(a) for a in articles}
