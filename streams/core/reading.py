"""Reading one sentence: its lexicon matches, dates, parties and places, and the fields of a
development found in it (place, date, ordinal), shared by :mod:`streams.core.events` and
:mod:`streams.core.extract`.

Token windows below were chosen on news prose: a marker further than this from its noun, a place
further than this from its meeting, belongs to something else. When unsure, a field stays None.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from streams.core.dates import DateFinder, DateHit, Resolved, resolve
from streams.core.lexicon import Lexicon, Match
from streams.core.normalise import normalise
from streams.core.sentences import Sentence

logger = logging.getLogger(__name__)

MARKER_WINDOW = 10
NEGATION_WINDOW = 4
HEDGE_WINDOW = 5
DATE_WINDOW = 14
# How far a date opening the sentence reaches the meeting or deal it dates.
FRONTED_WINDOW = 30
PLACE_AFTER = 16
PLACE_BEFORE = 8
COUNTRY_AFTER = 10
LEADER_WINDOW = 6
LEADER_AFTER = 10
# How far a dual pronoun ("جمعهما", "their") may stand from the meeting it attaches to.
PAIR_REACH = 2
# Words between a visit and its destination ("visit China", "визитом … посетит США").
VISIT_REACH = 4
# How far "between" may follow its meeting, and its participants follow "between".
BETWEEN_REACH = 12
# Tokens between two names of one list of participants ("، ورئيس جمهورية رواندا بول كاغامي، ورئيس …").
LIST_GAP = 3
# Tokens between a date and a meeting after it that an "and" may open as another conjunct.
CONJUNCT_REACH = 3
# Tokens between "took effect" (دخل حيز التنفيذ) and the date it gives a deal.
IN_FORCE_REACH = 2
# Tokens after a meeting's verb within which its place may stand ("has ended in New York").
PLACE_AFTER_VERB = 3
# How far before its meeting noun a leader may stand as the subject of its verb.
SUBJECT_REACH = 18
# Words between a deal noun and its "signed" ("اتفاق واشنطن للسلام الموقع").
SIGNED_REACH = 3
# A name of at least this many words ("الأمير فيصل بن فرحان") counts as one word between a verb and its date.
LONG_NAME = 4
GROUP_GAP = 3
PARTY_WINDOW = 4
# Words (a nationality adjective) between a head-of-state title and the name it titles.
TITLE_GAP = 1
LATE_VERB = 16
# Words a title set off by commas after a name may take ("، فرستاده ویژه آمریکا،").
APPOSITION = 5
# Words between "the first talks" and the "since" that makes "first" a description, not a count.
FIRST_SINCE_REACH = 4
_NO_DATE = Resolved(None, None, None)
# "قالت المتحدثة باسم الخارجية الروسية ماريا زاخاروفا اليوم الأربعاء إن": a long subject.
REPORT_REACH = 8
# Words between a date and the reporting verb after it that it dates ("روز چهارشنبه گفت"), and
# when that verb ends its clause ("روز سه‌شنبه در جمع خبرنگاران افزود:", verb-final).
REPORT_AFTER = 1
REPORT_AFTER_FINAL = 3
# Owner of a date that dates the report ("said on Friday"), not a development.
REPORT = -1


def _is_city(name: str | None) -> bool:
    return name is not None and not name.startswith("@")


def is_past(hit: DateHit) -> bool:
    """Whether the text itself puts the date in the past ("last Thursday", "yesterday")."""
    return hit.direction == "past" or (hit.relative is not None and hit.relative[1] < 0)


def is_future(hit: DateHit) -> bool:
    """Whether the text itself puts the date ahead ("next Monday", "tomorrow")."""
    return hit.direction == "next" or (hit.relative is not None and hit.relative[1] > 0)


def _hosts(verbs: Sequence[Match], city: Match, city_ends: set[int]) -> bool:
    """Whether a host verb names ``city`` as the venue: right after it ("استضافت مسقط", "شهدت
    العاصمة الأميركية واشنطن": a capital's epithet may stand between) or right before it
    ("Riyadh hosted", "Стамбул примет")."""
    return any(
        v.end == city.start or city.end == v.start or (city.start in city_ends and v.end < city.start <= v.end + 3)
        for v in verbs
    )


def distance(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    """Tokens between two spans (0 when they touch or overlap)."""
    if a_end <= b_start:
        return b_start - a_end
    if b_end <= a_start:
        return a_start - b_end
    return 0


@dataclass(slots=True)
class Group:
    """Meeting or summit nouns close together, with the markers that type them."""

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
    # Typed only by what the talks covered ("تناولت المحادثات", "the talks focused on").
    content: bool = False

    @property
    def span(self) -> tuple[int, int]:
        """Tokens from the noun group and its marker, whichever comes first, to the last."""
        if self.marker is None:
            return self.start, self.end
        return min(self.start, self.marker.start), max(self.end, self.marker.end)


# What Analysis.get gives for a category the sentence has no match of (never changed by a reader).
_NO_MATCHES: list[Match] = []
# Anchors (token spans) and the markers of some of them: what the owners of a sentence's dates depend on.
_AnchorsKey = tuple[tuple[tuple[int, int], ...], tuple[tuple[int, tuple[int, int]], ...]]


@dataclass(slots=True)
class Analysis:
    """What a sentence holds: matches by category, dates with token spans, topics, parties, venues."""

    sentence: Sentence
    matches: dict[str, list[Match]]
    dates: list[tuple[int, int, DateHit]]
    topics: set[str] = field(default_factory=set)
    actors: set[str] = field(default_factory=set)
    parties: set[str] = field(default_factory=set)
    # (token, city name or "@Country" for a country named as the venue, after a preposition?)
    venues: list[tuple[int, str, bool]] = field(default_factory=list)
    # Surnames (country, last word) of the people the article titles as heads of state anywhere.
    heads: frozenset[tuple[str, str]] = frozenset()
    # The owners of the dates for the anchors asked about (see SentenceReader.owned_dates), with
    # the dates they were found for.
    owners: dict[_AnchorsKey, tuple[list[tuple[int, int, DateHit]], list[int | None]]] = field(default_factory=dict)

    def get(self, category: str) -> list[Match]:
        """The matches of one lexicon category, in text order (read only: shared lists)."""
        return self.matches.get(category, _NO_MATCHES)

    def clause(self, token: int) -> int:
        """The clause id of a token (clamped to the sentence)."""
        clauses = self.sentence.clauses
        # (Asked for every rule of every sentence: the usual in-range token without min/max calls.)
        if 0 <= token < len(clauses):
            return clauses[token]
        return clauses[min(max(token, 0), len(clauses) - 1)]


@dataclass(frozen=True, slots=True)
class Context:
    """What the whole article tells about dates: its publication time, else the year it is about."""

    published: dt.datetime | None
    year: int | None


def _subject_starts(matches: Mapping[str, Sequence[Match]]) -> set[int]:
    """Where a country would be the subject of talks: right after "on"/"about" ("talks on
    Ukraine"), or after a conflict noun that follows one ("محادثات بشأن التسوية الأوكرانية", "talks
    on the settlement in Ukraine")."""
    topic_ends = {m.end for m in matches.get("topic_prep", ())}
    conflicts = [m.end for m in matches.get("conflict_noun", ()) if any(0 <= m.start - e <= 1 for e in topic_ends)]
    return topic_ends | {end + k for end in conflicts for k in (0, 1, 2)}


def subjects_of(matches: Mapping[str, Sequence[Match]]) -> set[str]:
    """The countries a sentence names only as what talks are about ("talks on the Ukrainian
    settlement"): not a party, and not a side the sentence speaks of."""
    starts = _subject_starts(matches)
    about = {m.value for m in matches.get("country", ()) if m.start in starts}
    elsewhere = {m.value for m in matches.get("country", ()) if m.start not in starts}
    return about - elsewhere


def parties_of(
    lexicon: Lexicon, matches: Mapping[str, Sequence[Match]], inside: frozenset[str], tokens: Sequence[str] = ()
) -> set[str]:
    """The countries a sentence names as actors: its people's countries, and the countries it names
    that are not places. The one party rule of dipwatch (track assignment and extraction use it).

    A country after a locative ("talks in Turkey"), as the subject of talks ("talks on Ukraine",
    "talks on the Ukrainian settlement"),
    after a mediator phrase ("mediated by Oman": not a party either), glued to ب, or right after a
    city ("Istanbul, Turkey") is a place; so is the host country of a
    city the sentence names, unless it is one of the ``inside`` countries (a track's sides) or
    joined to a party by "and" ("Washington and Moscow agreed", "موسكو وواشنطن").
    """
    venue_ends = {m.end for m in matches.get("locative", ())} | _subject_starts(matches)
    # "mediated by Oman", "با میانجیگری عمان": an outside mediator is not a party of the talks (a side
    # as mediator, "the American mediation" of another war, still is).
    mediated = {m.end for m in matches.get("mediator", ())}
    city_ends = {m.end for m in matches.get("city", ())}
    hosts = {lexicon.cities[m.value].country for m in matches.get("city", ())}
    parties = {lexicon.people[m.value].country for m in matches.get("person", ())}
    hosted = []
    for m in in_no_name(matches):
        # ("Istanbul, Turkey" is a place; "موسكو وواشنطن" two parties)
        after_city = m.start in city_ends and not m.clitic.startswith("و")
        venue = m.start in venue_ends or m.clitic.endswith("ب") or after_city
        venue = venue or (m.start in mediated and m.value not in inside)
        if not venue and (m.value in inside or m.value not in hosts):
            parties.add(m.value)
        elif not venue:
            hosted.append(m)
    joins = lexicon.words("coordination")
    for m in hosted:
        # The host of a named city is a party when "and" joins it to one ("Washington and Moscow").
        partners = [o for o in matches.get("country", ()) if o is not m and o.value in parties]
        if any(_joined(o, m, tokens, joins) or _joined(m, o, tokens, joins) for o in partners):
            parties.add(m.value)
    return parties


def in_no_name(matches: Mapping[str, Sequence[Match]]) -> list[Match]:
    """The country matches that are not part of a person's name ("محمد شياع السوداني" names no
    Sudan)."""
    named = {j for p in matches.get("person", ()) for j in range(p.start, p.end)}
    return [m for m in matches.get("country", ()) if m.start not in named]


def _joined(first: Match, second: Match, tokens: Sequence[str], joins: frozenset[str]) -> bool:
    """Whether "and" joins ``first`` to the ``second`` right after it ("washington and moscow", "موسكو
    وواشنطن")."""
    if second.start == first.end:
        return second.clitic.startswith("و")
    return second.start == first.end + 1 and first.end < len(tokens) and tokens[first.end] in joins


def _named_between(names: Sequence[tuple[int, int]], start: int, end: int) -> int:
    """How many words the long names between ``start`` and ``end`` take beyond one each: "الأمير
    فيصل بن فرحان بن عبدالله" is one actor, as far from the verb as "Lavrov"."""
    return sum(e - s - 1 for s, e in names if start <= s and e <= end and e - s >= LONG_NAME)


def _lists_joined(sentence: Sentence, countries: Sequence[Match]) -> Sentence:
    """``sentence`` with the commas of a list of countries ("ایران، عربستان سعودی و چین", "Iran,
    Saudi Arabia and China") no clause boundaries: a list is one phrase, not a clause each."""
    ends = {m.end for m in countries}
    clauses = sentence.clauses
    return _joined_at(
        sentence, [m.start for m in countries if m.start in ends and clauses[m.start] != clauses[m.start - 1]]
    )


def _dates_joined(sentence: Sentence, dates: Sequence[tuple[int, int, DateHit]], reports: Sequence[Match]) -> Sentence:
    """``sentence`` with a date set off by commas inside a clause ("استقبل … في جدة، اليوم الجمعة 18
    آب، وزير …") no clause of its own: it dates the clause it stands in. (After a reporting verb
    — "أعلن ترامب، الاثنين 11 أغسطس، أنه" — it is the report's date and stays apart.)"""
    clauses = sentence.clauses
    dated = {j for s, e, _ in dates for j in range(s, e)}
    reported = {clauses[m.start] for m in reports}
    joins = []
    for c in sorted(set(clauses))[1:]:
        span = [j for j, k in enumerate(clauses) if k == c]
        if span and all(j in dated for j in span) and c - 1 not in reported:
            joins.append(span[0])
            if span[-1] + 1 < len(clauses):
                joins.append(span[-1] + 1)
    return _joined_at(sentence, joins)


def _appositions_joined(sentence: Sentence, matches: Mapping[str, Sequence[Match]]) -> Sentence:
    """``sentence`` with a title set off by commas after a name ("با استیو ویتکاف، فرستاده ویژه آمریکا،
    دیدار کند", "Witkoff, the US special envoy, will meet") no clause of its own: the name, its
    title and the rest of the clause are one clause."""
    clauses = sentence.clauses
    names = {m.end for m in matches.get("person", ())}
    titles = {m.start for c in ("head_title", "delegate_noun") for m in matches.get(c, ())}
    joins = []
    for c in sorted(set(clauses))[1:]:
        span = [j for j, k in enumerate(clauses) if k == c]
        if span[0] in names and len(span) <= APPOSITION and titles & set(span):
            joins.append(span[0])
            if span[-1] + 1 < len(clauses):
                joins.append(span[-1] + 1)
    return _joined_at(sentence, joins)


def _joined_at(sentence: Sentence, joins: Sequence[int]) -> Sentence:
    """``sentence`` with no clause boundary before the tokens ``joins``."""
    if not joins:
        return sentence
    joined = list(sentence.clauses)
    for at in joins:
        joined[at:] = [c - 1 for c in joined[at:]]
    return dataclasses.replace(sentence, clauses=tuple(joined))


class SentenceReader:
    """Reads sentences with a lexicon; ``parties`` are the two sides of the track being read."""

    def __init__(
        self,
        lexicon: Lexicon,
        parties: Sequence[frozenset[str]] = (),
        mediators: frozenset[str] = frozenset(),
        topics: frozenset[str] | None = None,
    ) -> None:
        self.lexicon = lexicon
        # The agenda topics of the track (None: every topic of the lexicon).
        self.topics = topics
        self.dates = DateFinder(lexicon)
        self.parties = tuple(parties)
        # Countries that mediate or host the track's talks: never an outside party.
        self.mediators = mediators
        self._side_names = frozenset(c.casefold() for side in self.parties for c in side)
        self.inside: frozenset[str] = frozenset().union(*self.parties) if self.parties else frozenset()

    def analyse(self, sentence: Sentence, prior: DateHit | None = None, previous_city: str | None = None) -> Analysis:
        """Match the lexicon over ``sentence`` and sort out its parties and venues; ``prior`` is the
        last month stated before the sentence ("the 15th of the same month"), ``previous_city``
        the last city named before it ("in the same city")."""
        dates = []
        for hit in self.dates.find(sentence.norm, prior, sentence.tokens):
            start = sentence.token_at(hit.start)
            dates.append((start, max(sentence.token_at(hit.end), start + 1), hit))
        matches = self._matches(sentence)
        listed = _lists_joined(sentence, matches.get("country", ()))
        listed = _dates_joined(listed, dates, matches.get("reporting", ()))
        listed = _appositions_joined(listed, matches)
        if listed is not sentence:
            sentence, matches = listed, self._matches(listed)
        info = Analysis(sentence, matches, dates)
        # A topic named after a side ("ukraine" on a Russia–Ukraine track) is a party, not a subject.
        info.topics = {m.value for m in info.get("topic") if m.value.replace("_", " ") not in self._side_names}
        if self.topics is not None:
            info.topics &= self.topics
        for m in info.get("person"):
            person = self.lexicon.people[m.value]
            info.actors.update((person.name, person.country))
        info.actors.update(m.value for m in info.get("country"))
        info.parties = parties_of(self.lexicon, info.matches, self.inside, info.sentence.tokens)
        info.venues = self._venues(info, previous_city)
        return info

    def _matches(self, sentence: Sentence) -> dict[str, list[Match]]:
        """The lexicon's matches in ``sentence`` by category, a name inside a longer one dropped:
        "Nikol Pashinyan" also holds "Pashinyan", "the United Arab Emirates" holds "Emirates"."""
        matches: dict[str, list[Match]] = {}
        for m in self.lexicon.matcher.find(sentence.tokens, sentence.clauses):
            matches.setdefault(m.category, []).append(m)
        # "رئيس الصومال" (the president of Somalia): a bare head word titles a country's leader.
        country_starts = {m.start for m in matches.get("country", ())}
        titled = {m.start for m in matches.get("head_title", ())}
        heads = [m for m in matches.pop("country_head", []) if m.end in country_starts and m.start not in titled]
        if heads:
            matches.setdefault("head_title", []).extend(Match("head_title", "", m.start, m.end) for m in heads)
            matches["head_title"].sort(key=lambda m: m.start)
        for category in ("person", "country", "city", "ordinal"):
            spans = matches.get(category, [])
            matches[category] = [
                m
                for m in spans
                if not any(o.start <= m.start and m.end <= o.end and o.end - o.start > m.end - m.start for o in spans)
            ]
        return matches

    def _venues(self, info: Analysis, previous_city: str | None) -> list[tuple[int, str, bool]]:
        """The places the sentence names as where something happens: (token, city or @country,
        after a locative), in text order."""
        # "سيزور أديس أبابا", "visited Moscow": the place a visit word names is where it goes.
        locative_ends = {m.end for m in info.get("locative") + info.get("visit_noun")}
        city_ends = {m.end for m in info.get("city")}
        city_starts = {m.start for m in info.get("city")}
        conflict_ends = [m.end for m in info.get("conflict_noun")]
        venues: list[tuple[int, str, bool]] = []
        embassy_starts = {m.start for m in info.get("embassy_noun")}
        for m in info.get("country"):
            locative = m.start in locative_ends or m.clitic.endswith("ب")
            # "the war in Ukraine", "ceasefire in Ukraine": the subject of the talks, not their venue;
            # "at the Russian consulate in Istanbul": whose building, not where it is.
            subject = any(0 <= m.start - e <= 2 for e in conflict_ends) or m.end in embassy_starts
            if locative and m.start not in city_ends and m.start not in city_starts and not subject:
                venues.append((m.start, f"@{m.value}", True))
        embassy_ends = [m.end for m in info.get("embassy_noun")]
        hosts = info.get("host_verb")
        toks, deal = info.sentence.tokens, self.lexicon.words("deal_nouns")
        for m in info.get("city"):
            city = self.lexicon.cities[m.value]
            locative = m.start in locative_ends or m.clitic.endswith("ب") or _hosts(hosts, m, city_ends)
            # "the work of their embassies in Washington and Moscow": where the embassies are.
            housed = city.metonym and any(0 <= m.start - e <= 3 for e in embassy_ends)
            # "the Beijing Agreement", "اتفاق بكين", "موافقتنامه «پکن»": the name of a deal, not a
            # venue ("signed in Riyadh an agreement", "وقعا في الرياض اتفاقا", still is one).
            deal_name = (m.start > 0 and toks[m.start - 1] in deal) or (
                not locative and m.end < len(toks) and toks[m.end] in deal
            )
            if (not city.metonym or locative) and not housed and not deal_name:
                venues.append((m.start, city.name, locative))
        for m in info.get("same_city"):
            # "في المدينة ذاتها", "in the same city": the city last named before it.
            named = [name for pos, name, _ in venues if pos < m.start and _is_city(name)]
            same = named[-1] if named else previous_city
            if same is not None:
                venues.append((m.end - 1, same, True))
        venues.sort(key=lambda v: v[0])
        # "الثانية بعد الرياض", "вторая встреча после Эр-Рияда": a reference point, not the venue,
        # when the sentence names another place.
        after_ends = [m.end for m in info.get("after")]
        # "since the Alaska summit": a place that names its own meeting stays that meeting's.
        nouns = {m.start for m in info.get("round") + info.get("summit")}
        marks = [
            v
            for v in venues
            if any(0 <= v[0] - e <= 1 for e in after_ends) and not any(v[0] < n <= v[0] + 3 for n in nouns)
        ]
        if marks and len(marks) < len(venues):
            venues = [v for v in venues if v not in marks]
        return venues

    def off_track(self, info: Analysis) -> bool:
        if not self.parties or not info.parties:
            return False
        outside = info.parties - self.inside - self.mediators
        inside = info.parties & self.inside
        both = all(info.parties & side for side in self.parties)
        return bool(outside) and ((bool(inside) and not both) or (not inside and len(outside) >= 2))

    def negated(self, info: Analysis, pos: int) -> bool:
        clause = info.clause(pos)
        for m in info.get("negation"):
            if m.end <= pos and pos - m.end < NEGATION_WINDOW and info.clause(m.start) == clause:
                return True
        if any(m.end == pos for m in info.get("without")):
            return True
        if any(m.end <= pos and info.clause(m.start) == clause for m in info.get("conditional")):
            return True
        if any(m.start <= pos and info.clause(m.start) == clause for m in info.get("no_plans") + info.get("cancel")):
            return True
        held = info.get("held") + info.get("self_round")
        for m in info.get("cancel"):
            # "ألغت، الثلاثاء، اللقاء الذي كان مقررا": the cancelled meeting in a later clause, unless
            # another clause says a meeting took place ("بعد تأجيلها مرتين، عقدت الجولة").
            if m.start <= pos and not any(info.clause(h.start) != info.clause(m.start) for h in held):
                return True
        # "من المبكر الحديث عن جولة ثالثة", "говорить о раунде пока рано": either side of the noun.
        if any(info.clause(m.start) == clause for m in info.get("too_early") + info.get("suggestion")):
            return True
        # A denial reaches over the reported speech that follows it ("نفى ... أن", "denied that").
        return any(m.start <= pos for m in info.get("denial"))

    def undone(self, info: Analysis) -> bool:
        """Whether the sentence denies, cancels or calls premature a plan: its announcements are
        the plan it undoes ("no plans …, days after Trump said the two would meet in Budapest")."""
        return any(info.get(c) for c in ("denial", "no_plans", "cancel", "too_early"))

    def hedged(self, info: Analysis, lo: int, hi: int) -> bool:
        clause = info.clause(lo)
        toks = info.sentence.tokens
        for h in info.get("hedge"):
            if not (lo - HEDGE_WINDOW <= h.start < hi and info.clause(h.start) == clause):
                continue
            if any(a <= h.start < b for a, b, _ in info.dates):
                continue  # "on May 10": the month, not the modal
            if toks[h.start] == "قد" and h.end - h.start == 1:
                nxt = toks[h.end] if h.end < len(toks) else ""
                # قد is a hedge only before a present-tense verb (grammar.json).
                present = tuple(self.lexicon.words("present_prefixes"))
                if not nxt.startswith(present) or nxt in self.lexicon.words("past_after_qad"):
                    continue
                # "وكانت الجولة الأولى قد عقدت", "كان قد ترأس": pluperfect, not a hedge.
                if any(t in self.lexicon.words("pluperfect_aux") for t in toks[max(0, h.start - 4) : h.start]):
                    continue
            return True
        return False

    def aimed(self, info: Analysis, pos: int) -> bool:
        """Whether an aim word before ``pos`` in its clause governs the trigger there. A finite
        "signed" between them (or starting the trigger) is a main verb the purpose phrase only
        precedes: "بهدف وضع حد لنزاع … وقعت رواندا والكونغو اتفاق سلام"."""
        clause = info.clause(pos)
        signed = [v.start for v in info.get("sign")]
        return any(
            m.end <= pos and info.clause(m.start) == clause and not any(m.end <= v <= pos for v in signed)
            for m in info.get("aim")
        )

    # ---------------------------------------------------------------- fields
    def split_place(self, name: str | None) -> tuple[str | None, str | None]:
        """(city, country) of a venue: "Istanbul" → (Istanbul, Turkey), "@Turkey" → (None, Turkey)."""
        if name is None:
            return None, None
        if name.startswith("@"):
            return None, name[1:]
        return name, self.lexicon.cities[name].country

    def _place_after(self, info: Analysis, end: int, limit: int) -> tuple[bool, str | None]:
        for pos, name, _ in info.venues:
            # A country further on is more likely a subject ("property in the United States").
            if end <= pos < limit and (_is_city(name) or pos - end <= COUNTRY_AFTER):
                return True, name
        return False, None

    def group_location(self, info: Analysis, g: Group, stop: int | None, floor: int = 0) -> str | None:
        limit = g.end + PLACE_AFTER
        if g.marker is not None and g.marker.start >= g.end:
            # "A meeting between … has ended in New York": the place right after its verb.
            limit = max(limit, g.marker.end + PLACE_AFTER_VERB)
        limit = min(limit, stop if stop is not None else len(info.sentence.tokens))
        found, name = self._place_after(info, g.end, limit)
        if found:
            return name
        if g.marker is not None and g.marker.category == "departure" and g.marker.end <= g.start:
            # "توجه الرئيس … إلى أديس أبابا …، للقاء رئيس الوزراء": where the journey goes.
            found, name = self._place_after(info, g.marker.end, g.start)
            if found and _is_city(name):
                return name
        # "سيزور أديس أبابا السبت للقاء …": a place between the nouns of the group.
        found, name = self._place_after(info, g.start + 1, g.end)
        if found and _is_city(name):
            return name
        for pos, name, _ in info.venues:
            # "the Riyadh talks": a city right before the noun.
            if pos == g.start - 1 and _is_city(name) and info.clause(pos) == info.clause(g.start):
                return name
        # (a departure or arrival verb too: "توجه عراقجي إلى مسقط للمشاركة في الجولة الثالثة")
        moves = info.get("held") + info.get("announced") + info.get("departure") + info.get("arrival")
        verbs = [m.end for m in moves if info.clause(m.start) == info.clause(g.start)]
        before = [
            (pos, name)
            for pos, name, locative in info.venues
            if pos < g.start
            and not 0 < floor <= pos
            and g.start - pos <= PLACE_BEFORE
            and info.clause(pos) == info.clause(g.start)
            and (locative or _is_city(name))
            and any(v <= pos or pos < v <= g.start for v in verbs)
        ]
        if before:
            return max(before)[1]
        return self.opening_place(info, g.start)

    def hosting_place(self, info: Analysis, start: int) -> str | None:
        """The city a host verb names before ``start`` in its clause ("شهدت العاصمة الأميركية
        واشنطن، أمس، توقيع اتفاق": the signing was in Washington)."""
        city_ends = {m.end for m in info.get("city")}
        hosts = info.get("host_verb")
        named = [
            m
            for m in info.get("city")
            if m.end <= start and info.clause(m.start) == info.clause(start) and _hosts(hosts, m, city_ends)
        ]
        return self.lexicon.cities[named[-1].value].name if named else None

    def opening_place(self, info: Analysis, start: int) -> str | None:
        for pos, name, locative in info.venues:
            if pos < start and pos <= 2 and locative and info.clause(pos) == 0 and info.clause(start) > 0:
                return name
        return None

    def resolve_date(self, info: Analysis, dates: Sequence[DateHit], announced: bool, ctx: Context) -> Resolved:
        for hit in dates:
            resolved = resolve(hit, ctx.published, ctx.year, announced)
            # "agreed yesterday to hold a summit": yesterday dates the agreement, not the summit.
            if announced and resolved.date and ctx.published is not None and hit.relative is not None:
                eve = (ctx.published.date() - dt.timedelta(days=1)).isoformat()
                if resolved.date < eve[: len(resolved.date)]:
                    return _NO_DATE
            return resolved
        return _NO_DATE

    def ordinals(self, info: Analysis, start: int, end: int, reach: int = 1) -> list[tuple[int, int]]:
        """(position, value) of the ordinals that count this meeting, nearest first."""
        times = info.get("time_word")
        # "the first Trump-Putin summit": names may sit between the ordinal and the noun.
        named = {j for m in info.get("person") + info.get("country") for j in range(m.start, m.end)}
        # "the second ministerial meeting": an adjective of the meeting between ordinal and noun
        # (not "the first formal meeting" in years: a first one so qualified is seldom a count).
        toks = info.sentence.tokens
        qualified = start > 0 and toks[start - 1] in self.lexicon.words("meeting_adjectives")
        found = []
        for m in info.get("ordinal"):
            if any(s <= m.start < e for s, e, _ in info.dates) or self._first_since(info, m, end):
                continue
            near = (
                start - 1 <= m.start <= end + reach
                or (start - 4 <= m.start < start and all(j in named for j in range(m.end, start)))
                or (qualified and m.end == start - 1 and int(m.value) > 1)
            )
            for_time = any(t.end == m.start or m.end == t.start for t in times)
            if near or (for_time and info.clause(m.start) == info.clause(start)):
                found.append((distance(start, end, m.start, m.end), m.start, int(m.value)))
        found.sort()
        return [(pos, value) for _, pos, value in found]

    def _first_since(self, info: Analysis, m: Match, end: int) -> bool:
        """ "The first talks since 2019", "لأول مرة منذ", "for the first time": a description, not a
        count of the meeting that ends at ``end``."""
        if m.value != "1":
            return False
        toks = info.sentence.tokens
        if m.end < len(toks) and toks[m.end] in self.lexicon.words("first_time"):
            return True
        after = max(end, m.end)
        reach = f" {' '.join(toks[after : after + FIRST_SINCE_REACH + 2])} "
        return any(f" {w} " in reach for w in self.lexicon.words("since"))

    def party_near(self, info: Analysis, start: int, end: int) -> bool:
        """Whether a "met"/"will meet" verb has a party next to it (no party: "meet resistance")."""
        near = info.get("person") + info.get("country") + info.get("party_noun") + info.get("city")
        return any(distance(start, end, m.start, m.end) <= PARTY_WINDOW for m in near)

    def leaders_meet(self, info: Analysis, g: Group) -> bool:
        """Whether the meeting is between the sides' leaders (a summit), not their envoys.

        Leaders count right before the noun, a little further after it ("a meeting between the
        presidents of Russia and the US, Putin and Trump"), or anywhere in the sentence of a verb
        like "will meet"; an envoy of a side near the meeting makes it a round.
        """
        nouns = [n.start for n in info.get("round") + info.get("summit") if not g.start <= n.start < g.end]
        for m in info.get("leader_noun"):
            # "talks to ensure a meeting between the two presidents": the leaders of the nearer meeting.
            apart = any(min(m.start, g.start) < n < max(m.start, g.end) for n in nouns)
            if abs(m.start - g.start) <= LEADER_WINDOW and not apart:
                return True
        led, envoys = self._participants(info, g, nouns)
        # "الاثنين" is "the two" and Monday: where the sentence reads it as a date, it is the day.
        pairs = [m for m in info.get("pair_pronoun") if not any(s <= m.start < e for s, e, _ in info.dates)]
        if led and not envoys and any(abs(m.start - g.start) <= LEADER_WINDOW for m in pairs):
            # "Trump said the two would meet": the other one of "the two" is the other leader.
            return True
        if led and not envoys and any(abs(m.start - g.start) <= LEADER_WINDOW for m in info.get("counterpart")):
            # "الرئيس الروسي سيلتقي نظيره الأمريكي", "Putin will meet his U.S. counterpart": a
            # leader's counterpart is the other leader.
            return True
        if self.leader_visit(info, g.start, g.end):
            return True
        return bool(self.parties) and all(side & led and not side & envoys for side in self.parties)

    def _participants(self, info: Analysis, g: Group, nouns: Sequence[int]) -> tuple[set[str], set[str]]:
        """The countries whose leaders, and those whose envoys, take part in the meeting: the people
        (and titled countries) near it, or anywhere in the sentence of a "will meet" or "their meeting"."""
        led: set[str] = set()
        envoys: set[str] = set()
        calls = [c.end for c in info.get("call") if c.end <= g.start]
        # One name span read as several entries (the data's leader and a tracks file's spelling)
        # is one person: a leader if any of its readings is.
        heads = {(m.start, m.end) for m in info.get("person") if self.lexicon.people[m.value].leader}
        # "خلال لقاء جمعهما", "their meeting": a dual pronoun at the meeting points back to the two
        # people the sentence names, however far before.
        paired = any(abs(m.start - g.start) <= PAIR_REACH for m in info.get("dual_pronoun"))
        named = {j for p in info.get("person") for j in range(p.start, p.end)}
        for m in info.get("person") + self._titled_countries(info, named):
            if any(0 <= m.start - c <= 6 for c in calls):
                continue  # "a call between Trump and Putin, and talks between diplomats"
            if not self._at_meeting(info, g, m, nouns) and not g.own and not paired:
                continue
            if m.category == "head_title":
                led.add(m.value)  # "президента США", "the Armenian prime minister": a leader unnamed
                continue
            person = self.lexicon.people[m.value]
            leader = (
                person.leader
                or (m.start, m.end) in heads
                or self._titled(info, m)
                or self.surname(person.name, person.country) in info.heads
            )
            (led if leader else envoys).add(person.country)
        return led, envoys

    def _at_meeting(self, info: Analysis, g: Group, m: Match, nouns: Sequence[int]) -> bool:
        """Whether a person (or titled country) stands at the meeting: just before or after its
        noun, as the subject of its verb, or after the "between" that follows it."""
        before, after = g.start - m.end, m.start - g.end
        near = before <= LEADER_WINDOW if m.end <= g.start else after <= LEADER_AFTER
        if not near and m.end <= g.start and before <= SUBJECT_REACH:
            # "President A and Prime Minister B held a bilateral meeting": the subjects of the
            # meeting's verb, unless their delegations or officials stand between as its subject.
            between = range(m.end, g.start)
            near = info.clause(m.start) == info.clause(g.start) and not any(
                p.start in between for p in info.get("party_noun") + info.get("round") + info.get("summit")
            )
        if not near and g.marker is not None and g.marker.category == "departure":
            # "توجه الرئيس حسن شيخ محمود إلى أديس أبابا …، للقاء": the traveller goes to the meeting.
            near = g.marker.end <= m.start and m.end <= g.start
        if not near and m.start >= g.end:
            # "a meeting will take place on 10 July in Abu Dhabi, between President A and …":
            # "between" right after the meeting introduces its participants, however far.
            # "اجتماعا ثلاثيا جمع أمير قطر، ورئيس رواندا بول كاغامي، ورئيس الكونغو …" (a meeting
            # that brought together …): a list of participants, each near the one before.
            near = any(
                g.end <= b.start < m.start
                and b.start - g.end <= BETWEEN_REACH
                and (m.start - b.end <= BETWEEN_REACH or m.start - self.listed_until(info, b.end, m.start) <= LIST_GAP)
                and not any(g.end <= n < b.start for n in nouns)
                for b in info.get("between_party") + info.get("gathering")
            )
        return near

    @staticmethod
    def listed_until(info: Analysis, start: int, stop: int) -> int:
        """Where a list of people and countries that begins at ``start`` has reached by ``stop``:
        the end of the last name before ``stop`` that stands within reach of the name before it."""
        clauses = info.sentence.clauses
        reached, first = start, True
        for m in sorted(info.get("person") + info.get("country") + info.get("head_title"), key=lambda m: m.start):
            if m.start >= stop:
                break
            gap = m.start - reached
            # "…، ورئيس جمهورية الكونغو": an item that opens the next comma-separated part.
            clause = clauses[m.start]
            opens = m.start > 0 and clauses[m.start - 1] != clause and clauses[reached - 1] != clause
            step = BETWEEN_REACH if first or opens else LIST_GAP
            if reached <= m.start and gap <= step:
                reached, first = m.end, False
        return reached

    def leader_visit(self, info: Analysis, start: int, end: int) -> bool:
        """Whether the meeting (or visit) at ``start:end`` is a visit by one side's leader to the other
        side's country ("Trump said he would visit China next year", "ответным визитом Си Цзиньпин
        посетит США"): a head of state visiting is received by the host's head of state."""
        visits = [v for v in info.get("visit_noun") if start - VISIT_REACH <= v.start < end + VISIT_REACH]
        if not visits or len(self.parties) != 2:
            return False
        # "زارت وزيرة الدفاع الإثيوبية عائشة محمد موسى الصومال": a country next to a title or a
        # name is the visitor's, not where the visit goes.
        people = [p.start for p in info.get("person")]
        titles = [t.end for t in info.get("head_title")]
        dest = next(
            (
                c.value
                for c in info.get("country")
                for v in visits
                if 0 <= c.start - v.end <= VISIT_REACH
                and not any(0 <= p - c.end <= 1 for p in people)
                and not any(0 <= c.start - t <= 1 for t in titles)
            ),
            None,
        )
        host = next((side for side in self.parties if dest in side), None)
        if host is None:
            return False
        guest = next(side for side in self.parties if side is not host)
        leaders: set[str] = set()
        envoys: set[str] = set()
        named = {j for p in info.get("person") for j in range(p.start, p.end)}
        for m in info.get("person"):
            person = self.lexicon.people[m.value]
            leader = person.leader or self._titled(info, m) or self.surname(person.name, person.country) in info.heads
            (leaders if leader else envoys).add(person.country)
        leaders |= {t.value for t in self._titled_countries(info, named)}
        return bool(guest & leaders) and not guest & envoys

    def _titled_countries(self, info: Analysis, named: set[int]) -> list[Match]:
        """Head-of-state titles bound to a country and to no name ("президента США", "the Russian
        president", "رئيس وزراء أرمينيا"): each names that country's leader, as a person would."""
        out = []
        for t in self._head_titles(info):
            if any(t.end <= j <= t.end + TITLE_GAP for j in named):
                continue  # "President Vladimir Putin": the name stands for him
            for c in info.get("country"):
                if c.start == t.end or c.end == t.start:
                    out.append(Match("head_title", c.value, t.start, max(t.end, c.end)))
                    break
        return out

    @staticmethod
    def surname(name: str, country: str) -> tuple[str, str]:
        """(country, last word of the name): how one article's mentions of a person meet."""
        words = normalise(name).split()
        return country, (words[-1] if words else "")

    def article_heads(self, infos: Sequence[Analysis]) -> frozenset[tuple[str, str]]:
        """The people titled as heads of state or government in any sentence of an article."""
        heads = set()
        for info in infos:
            for m in info.get("person"):
                if self._titled(info, m):
                    person = self.lexicon.people[m.value]
                    heads.add(self.surname(person.name, person.country))
        return frozenset(heads)

    def _titled(self, info: Analysis, person: Match) -> bool:
        """Whether a head-of-state title stands right before a person ("Prime Minister Nikol
        Pashinyan", "الرئيس الأذربيجاني إلهام علييف") or right after the name, in apposition
        ("دونالد ترامپ، رئیس جمهور آمریکا"): a leader whatever the people data says."""
        # "президента Азербайджана Ильхама Алиева": a country named between is part of the title.
        countries = {j for m in info.get("country") for j in range(m.start, m.end)}
        titles = self._head_titles(info)

        def gap(end: int) -> int:
            return sum(1 for j in range(end, person.start) if j not in countries)

        sent = info.sentence
        tail = sent.starts[person.end - 1] + len(sent.tokens[person.end - 1])

        def apposed(t: Match) -> bool:
            # "دونالد ترامپ، رئیس جمهور آمریکا": apposition takes a comma; without one the title
            # opens the next phrase ("التقى ويتكوف الرئيس الروسي").
            return t.start == person.end and any(c in sent.norm[tail : sent.starts[t.start]] for c in ",،")

        if any((t.end <= person.start and gap(t.end) <= TITLE_GAP) or apposed(t) for t in titles):
            return True
        # "الرئيس الكونغولي فيليكس تشيسيكيدي ونظيره الرواندي بول كاغامه": a titled leader's
        # counterpart is a leader too.
        return any(
            c.end <= person.start and gap(c.end) <= TITLE_GAP and any(t.end <= c.start for t in titles)
            for c in info.get("counterpart")
        )

    def _head_titles(self, info: Analysis) -> list[Match]:
        """Head-of-state titles that title someone: not the principal of a delegate ("مبعوث الرئيس
        الأمريكي ستيف ويتكوف", "المبعوث الخاص للرئيس الأمريكي", "the president's envoy", "Vice President")."""
        toks = info.sentence.tokens
        links = self.lexicon.words("title_links")
        return [
            t
            for t in info.get("head_title")
            if not any(
                d.end <= t.start and t.start - d.end <= 2 and all(x in links for x in toks[d.end : t.start])
                for d in info.get("delegate_noun")
            )
        ]

    def owned_dates(
        self,
        info: Analysis,
        anchors: Sequence[tuple[int, int]],
        index: int,
        report_fallback: bool = False,
        markers: Mapping[int, tuple[int, int]] | None = None,
    ) -> list[DateHit]:
        """The dates whose nearest anchor (event or deal trigger) is ``anchors[index]``, best first.

        Dates coordinated with "and" ("on 27 February and 10 April") go with the first one; a date
        right after a reporting verb ("said on Friday") dates the report: it goes to nobody, except to
        an agreement or proposal with no date of its own when ``report_fallback`` is set.
        """
        if not info.dates:
            return []  # (most sentences: nothing to own, whatever the anchors)
        anchors = list(anchors) + [(m.start, m.end) for m in info.get("call")]
        owner = self._owners(info, anchors, markers or {})
        lo, hi = anchors[index]
        mark = (markers or {}).get(index, (lo, hi))

        def near(d: tuple[int, int, DateHit]) -> int:
            return min(distance(lo, hi, d[0], d[1]), distance(*mark, d[0], d[1]))

        mine = [(s, e, hit) for (s, e, hit), o in zip(info.dates, owner, strict=True) if o == index]
        if not mine and report_fallback:
            # "Washington said on Tuesday it had reached agreements": the report dates the deal;
            # so does a date nobody owns between the report's verb and the deal ("أعلن رئيس الوزراء
            # …، مساء الأربعاء، خلال مؤتمر صحافي …، عن التوصل إلى اتفاق").
            reported = [m.end for m in info.get("reporting")]
            mine = [
                (s, e, hit)
                for (s, e, hit), o in zip(info.dates, owner, strict=True)
                if o == REPORT or (o is None and e <= lo and any(r <= s for r in reported))
            ]
        # Stated days first, then months, then relative expressions; nearer first within each.
        mine.sort(key=lambda d: (d[2].day is None, not d[2].absolute, near(d)))
        return [hit for _, _, hit in mine]

    def date_owners(self, info: Analysis) -> list[int | None]:
        """For each date of the sentence, :data:`REPORT` when it dates the report ("said on
        Tuesday"), else None: whom the dates belong to when no meeting is asked about."""
        return self._owners(info, [], {})

    def _owners(
        self, info: Analysis, anchors: list[tuple[int, int]], markers: Mapping[int, tuple[int, int]]
    ) -> list[int | None]:
        """:meth:`_date_owners`, once per sentence and anchors: each meeting and deal of a sentence
        asks with the same ones."""
        key = (tuple(anchors), tuple(markers.items()))
        known = info.owners.get(key)
        # (The dates they were found for are kept: the same list object means the same dates.)
        if known is not None and known[0] is info.dates:
            return known[1]
        owner = self._date_owners(info, anchors, markers)
        info.owners[key] = (info.dates, owner)
        return owner

    def _signed_deals(self, info: Analysis) -> list[tuple[int, int]]:
        """(deal noun, "signed") of each "اتفاق السلام الموقع", "the accord signed": a date after
        the participle is when the deal was signed, not when a meeting named before it was held."""
        toks = info.sentence.tokens
        deal, signed = self.lexicon.words("deal_nouns"), self.lexicon.words("signed_participles")
        found = []
        for x, tok in enumerate(toks):
            if tok in signed:
                noun = next((d for d in range(x - 1, max(-1, x - SIGNED_REACH - 1), -1) if toks[d] in deal), None)
                if noun is not None:
                    found.append((noun, x))
        return found

    @staticmethod
    def _ends_clause(info: Analysis, start: int, end: int, complementizers: set[int]) -> bool:
        """Whether the words ``start``..``end`` close their clause (a verb-final "… گفت:", "… افزود که")."""
        return end >= len(info.sentence.tokens) or info.clause(end) != info.clause(start) or end in complementizers

    @staticmethod
    def _conjoined(toks: Sequence[str], end: int, start: int, coordination: frozenset[str]) -> bool:
        """Whether an "and" opens what stands between a date (ending at ``end``) and the meeting
        at ``start``: "on Feb. 27 and two rounds", "في 27 فبراير وجولتين"."""
        if start - end > CONJUNCT_REACH:
            return False
        between = toks[end : start + 1]
        return any(t in coordination for t in between[:-1]) or (
            bool(between) and between[0].startswith("و") and len(between[0]) > 3
        )

    def _date_owners(
        self, info: Analysis, anchors: Sequence[tuple[int, int]], markers: Mapping[int, tuple[int, int]]
    ) -> list[int | None]:
        """For each date of the sentence, the index of the anchor it dates, :data:`REPORT` for the
        report's own date, or None when no anchor is near enough."""
        toks = info.sentence.tokens
        coordination = self.lexicon.words("coordination")
        reporting = [m.end for m in info.get("reporting")]
        complementizers = {m.start for m in info.get("complementizer")}
        befores = [m.start for m in info.get("before")]
        # How far before each reporting verb a date may stand and still be the report's.
        report_starts = [
            (m.start, REPORT_AFTER_FINAL if self._ends_clause(info, m.start, m.end, complementizers) else REPORT_AFTER)
            for m in info.get("reporting")
        ]
        in_force, held_starts = [m.end for m in info.get("in_force")], {m.start for m in info.get("held")}
        names = [(m.start, m.end) for m in info.get("person")]
        signed = self._signed_deals(info)
        owner: list[int | None] = []
        for n, (s, e, _hit) in enumerate(info.dates):
            if any(0 <= s - f <= IN_FORCE_REACH for f in in_force):
                owner.append(None)  # "دخل حيز التنفيذ في الرابع من أغسطس": when the deal applies
                continue
            prev = info.dates[n - 1] if n else None
            if prev is not None and owner and s - prev[1] <= 1 and all(t in coordination for t in toks[prev[1] : s]):
                owner.append(owner[-1])
                continue
            said = any(0 <= s - r <= REPORT_REACH and not any(r <= a < s for a, _ in anchors) for r in reporting)
            # "پوتین روز چهارشنبه گفت", verb-final: a date right before the reporting verb is the report's.
            # "ويوم الأربعاء، أعلن المجلس عن اجتماع": a date opening the sentence before its reporting
            # verb is the report's too.
            said_last = any(
                0 <= r - e <= reach and (info.clause(r) == info.clause(s) or s <= 1) for r, reach in report_starts
            )
            closes = e >= len(toks) or info.clause(e) != info.clause(s) or any(e <= c <= e + 1 for c in complementizers)
            if said_last or (said and closes):
                # "said on Friday that…", "قالت الوزارة اليوم الجمعة إن…": the date of the report.
                owner.append(REPORT)
                continue
            # A meeting is as near as its noun or its verb ("ستعقد غدا", "held yesterday").
            # "arrived on Thursday ahead of the talks": a date before "before" is not the talks'.
            # "held a meeting in Istanbul on Feb. 27 and two rounds of talks in Saudi Arabia": a
            # meeting after "and" is another conjunct; the date closes the one before it.
            led = any(b <= s and info.clause(a) == info.clause(s) for a, b in anchors)
            dists = [
                min(distance(a, b, s, e), distance(*markers.get(i, (a, b)), s, e))
                - _named_between(names, min(b, e), max(a, s))
                + (8 if info.clause(a) != info.clause(s) else 0)
                + (DATE_WINDOW + 1 if any(e <= x < a for x in befores) or any(b <= d < x < s for d, x in signed) else 0)
                + (DATE_WINDOW + 1 if led and a >= e and self._conjoined(toks, e, a, coordination) else 0)
                for i, (a, b) in enumerate(anchors)
            ]
            # On a tie the noun before the date wins: "a phone call on 12 February and a meeting".
            best = min(range(len(anchors)), key=lambda i: (dists[i], anchors[i][0] > s)) if anchors else None
            # "17 сентября министр … провели в Лондоне переговоры": a date opening the sentence dates
            # the meeting held after a long subject (not a plan: "On May 1, X welcomed the agreement to hold").
            fronted = s <= 1 and best is not None and markers.get(best, (-1, -1))[0] in held_starts
            window = FRONTED_WINDOW if fronted else DATE_WINDOW
            owner.append(best if best is not None and dists[best] <= window else None)
        return owner
