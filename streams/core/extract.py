"""Per-article extraction of diplomatic developments (rounds, summits, agreements, proposals).

For every sentence of the title and text, lexicon matches (:mod:`streams.core.lexicon`) are read as:

* an **event**: a group of meeting nouns (محادثات، جولة، talks, переговоры) or summit nouns, typed
  by the nearest *held* marker (عقدت، جرت، اختتمت، held, met) or *announced* marker (ستعقد، من
  المقرر، مرتقبة، تعتزم، will hold, scheduled); "after the summit" (بعد قمة) marks a past one; with
  no marker, a stated date makes a past event held. A meeting noun whose sentence names both
  leaders (Trump and Putin) is a summit.
* an **agreement** (اتفقا، توافقا على، تم الاتفاق، توصل ... إلى اتفاق، made progress) or a
  **proposal** (عرضت، اقترح، دعا إلى, proposed, offered), read on their own.

Decisions, so that a user gets no alert for noise:

* **Negation and denial** before a trigger in the same clause (لا، لم، لن، عدم، نفى، no, not,
  denied) drop it: "لا توجد خطط للقاء ترامب وبوتين" is not a summit announcement.
* **Hedges** (قد، ربما، محتمل، may, could): a hedged announcement or holding is **kept and marked
  tentative** (``tentative=True``), because "talks may be held in Riyadh" is the first sign of a
  round and the state decides what to do with it; a hedged agreement or proposal is **dropped**,
  because "may lead to an agreement" states none.
* **Aims and wishes** (يهدف، رغبة، يأمل، aim, hope, seek) before an agreement trigger drop it:
  "a desire to reach an agreement" is not one.
* False friends block an agreement reading: يتوافق مع ("is consistent with").
* Questions (sentences ending in ? or ؟) state nothing.
* Sentences whose parties include a country outside the default track while missing one of its
  sides (Russia–Ukraine talks, US–Turkey meetings) are skipped; a country after a locative
  preposition ("the war in Ukraine") is a place, not a party.
* "A new round" (جولة جديدة) is marked ``new_round`` with no ordinal: the state numbers it.

Within one article, reports of the same development are merged (same type, place, date or day of
the month, ordinal); a report with no place, date or ordinal joins the nearest report of its type;
an announcement of a round the same article reports as held is dropped; a meeting at the place of
a summit named in the article is that summit.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from streams.core.dates import DateFinder, DateHit, Resolved, resolve
from streams.core.lexicon import Lexicon, Match, default_lexicon
from streams.core.models import TOPICS, Article, DevelopmentType, Mention
from streams.core.normalise import normalise
from streams.core.sentences import Sentence, sentences

logger = logging.getLogger(__name__)

# Token windows, chosen on news prose: a marker further than this from its noun belongs elsewhere.
MARKER_WINDOW = 10
NEGATION_WINDOW = 5
AIM_WINDOW = 40
DATE_WINDOW = 14
PLACE_AFTER = {"event": 12, "other": 16}
PLACE_BEFORE = 8
_TOPIC_ORDER = {t: i for i, t in enumerate(TOPICS)}


@dataclass(slots=True)
class _Draft:
    type: DevelopmentType
    sentence: Sentence
    location: str | None
    date: Resolved
    ordinal: int | None
    topics: set[str]
    actors: set[str]
    tentative: bool = False
    new_round: bool = False

    @property
    def bare(self) -> bool:
        return self.location is None and self.date.key is None and self.ordinal is None

    @property
    def key(self) -> tuple[str, str | None, str | None, int | None]:
        return (self.type, self.location, self.date.key, self.ordinal)


@dataclass(slots=True)
class _Analysis:
    sentence: Sentence
    matches: dict[str, list[Match]]
    dates: list[tuple[int, int, DateHit]]
    topics: set[str] = field(default_factory=set)
    actors: set[str] = field(default_factory=set)
    parties: set[str] = field(default_factory=set)

    def get(self, category: str) -> list[Match]:
        return self.matches.get(category, [])


def _distance(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    if a_end <= b_start:
        return b_start - a_end
    if b_end <= a_start:
        return a_start - b_end
    return 0


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
        self._inside = frozenset().union(*self.parties) if self.parties else frozenset()

    # ---------------------------------------------------------------- sentences
    def _analyse(self, sentence: Sentence) -> _Analysis:
        found = self.lexicon.matcher.find(sentence.tokens, sentence.clauses)
        matches: dict[str, list[Match]] = {}
        for m in found:
            matches.setdefault(m.category, []).append(m)
        dates = []
        for hit in self.dates.find(sentence.norm):
            start = sentence.token_at(hit.start)
            end = sentence.token_at(hit.end)
            dates.append((start, max(end, start + 1), hit))
        info = _Analysis(sentence, matches, dates)
        info.topics = {m.value for m in info.get("topic")}
        locative_ends = {m.end for m in info.get("locative")}
        city_ends = {m.end for m in info.get("city")}
        for m in info.get("person"):
            person = self.lexicon.people[m.value]
            info.actors.update((person.name, person.country))
            info.parties.add(person.country)
        hosts = {self.lexicon.cities[m.value].country for m in info.get("city")}
        for m in info.get("country"):
            info.actors.add(m.value)
            venue = m.start in locative_ends or m.clitic.endswith("ب") or m.start in city_ends
            if not venue and (m.value in self._inside or m.value not in hosts):
                info.parties.add(m.value)
        return info

    def _off_track(self, info: _Analysis) -> bool:
        if not self.parties or not info.parties:
            return False
        outside = info.parties - self._inside
        both = all(info.parties & side for side in self.parties)
        return bool(outside) and not both

    def _scoped(self, info: _Analysis, category: str, start: int, window: int) -> Match | None:
        clause = info.sentence.clauses[min(start, len(info.sentence.clauses) - 1)]
        for m in info.get(category):
            if m.end <= start and start - m.end < window and info.sentence.clauses[m.start] == clause:
                return m
        return None

    def _in_dates(self, info: _Analysis, m: Match) -> bool:
        return any(s <= m.start < e for s, e, _ in info.dates)

    # ---------------------------------------------------------------- fields
    def _location(
        self, info: _Analysis, start: int, end: int, kind: str, marker: int | None = None, stop: int | None = None
    ) -> str | None:
        """The venue of the development at tokens ``start``..``end``.

        Looked for after it (up to ``stop``, the next event noun), then between a preceding
        marker and it ("عقدت في إسطنبول محادثات"), then in an opening locative ("وفي الرياض، ...").
        A country after a preposition ("في تركيا") is a venue too, and yields None.
        """
        locative_ends = {m.end for m in info.get("locative")}
        city_ends = {m.end for m in info.get("city")}
        places: list[tuple[int, str | None, bool]] = []
        for m in info.get("city"):
            city = self.lexicon.cities[m.value]
            locative = m.start in locative_ends or m.clitic.endswith("ب")
            if city.metonym and not locative:
                continue
            places.append((m.start, city.name, locative))
        for m in info.get("country"):
            locative = m.start in locative_ends or m.clitic.endswith("ب")
            if locative and m.start not in city_ends:
                places.append((m.start, None, True))
        limit = min(end + PLACE_AFTER[kind], stop if stop is not None else len(info.sentence.tokens))
        after = sorted((p for p in places if end <= p[0] < limit), key=lambda p: p[0])
        if after:
            return after[0][1]
        if marker is not None and marker < start:
            between = [p for p in places if marker <= p[0] < start]
            if between:
                return max(between, key=lambda p: p[0])[1]
        opening = [p for p in places if p[0] < start and p[0] <= 2 and p[2] and info.sentence.clauses[p[0]] == 0]
        if opening:
            return opening[0][1]
        return None

    def _date(self, info: _Analysis, start: int, end: int, announced: bool, ctx: _Context) -> Resolved:
        near = [d for d in info.dates if _distance(start, end, d[0], d[1]) <= DATE_WINDOW]
        if not near:
            return Resolved(None, None, None)
        _, _, hit = min(near, key=lambda d: _distance(start, end, d[0], d[1]))
        return resolve(hit, ctx.published, ctx.year, announced)

    def _ordinal(self, info: _Analysis, start: int, end: int) -> int | None:
        times = info.get("time_word")
        best: tuple[int, int] | None = None
        for m in info.get("ordinal"):
            if self._in_dates(info, m):
                continue
            near = start - 1 <= m.start <= end + 1
            for_time = any(t.end == m.start or m.end == t.start for t in times)
            same_clause = info.sentence.clauses[m.start] == info.sentence.clauses[start]
            if near or (for_time and same_clause):
                d = _distance(start, end, m.start, m.end)
                if best is None or d < best[0]:
                    best = (d, int(m.value))
        return best[1] if best else None

    # ---------------------------------------------------------------- events
    def _groups(self, info: _Analysis) -> list[list[int]]:
        """Meeting and summit nouns close together, as [start, end, summit, self-held]."""
        nouns = sorted(info.get("round") + info.get("summit") + info.get("self_round"), key=lambda m: m.start)
        groups: list[list[int]] = []
        clauses = info.sentence.clauses
        for m in nouns:
            summit = int(m.category == "summit")
            own = int(m.category == "self_round")
            if groups and m.start - groups[-1][1] <= 2 and clauses[m.start] == clauses[groups[-1][0]]:
                g = groups[-1]
                g[1] = max(g[1], m.end)
                g[2] |= summit
                g[3] |= own
            else:
                groups.append([m.start, m.end, summit, own])
        return groups

    def _events(self, info: _Analysis, ctx: _Context) -> list[_Draft]:
        groups = self._groups(info)
        if not groups:
            return []
        # Each marker types only the noun group nearest to it.
        owned: dict[int, list[tuple[str, Match]]] = {i: [] for i in range(len(groups))}
        for status in ("held", "announced"):
            for m in info.get(status):
                dists = [_distance(g[0], g[1], m.start, m.end) for g in groups]
                best = min(range(len(groups)), key=lambda i: dists[i])
                if dists[best] <= MARKER_WINDOW:
                    owned[best].append((status, m))
        leaders = {
            self.lexicon.people[m.value].country for m in info.get("person") if self.lexicon.people[m.value].leader
        }
        leaders_meet = len(leaders) >= 2 or bool(info.get("leader_noun"))
        drafts: list[_Draft] = []
        for i, (start, end, summit, own) in enumerate(groups):
            kind = self._event_kind(info, start, end, bool(own), owned[i])
            if kind is None:
                continue
            status, marker, tentative = kind
            is_summit = bool(summit) or leaders_meet
            etype: DevelopmentType
            if is_summit:
                etype = "summit_held" if status == "held" else "summit_announced"
            else:
                etype = "round_held" if status == "held" else "round_announced"
            stop = groups[i + 1][0] if i + 1 < len(groups) else None
            new_round = not is_summit and any(start - 1 <= m.start <= end + 1 for m in info.get("new"))
            ordinal = None if new_round else self._ordinal(info, start, end)
            drafts.append(
                _Draft(
                    type=etype,
                    sentence=info.sentence,
                    location=self._location(info, start, end, "event", marker.start if marker else None, stop),
                    date=self._date(info, start, end, status == "announced", ctx),
                    ordinal=ordinal,
                    topics=set(info.topics),
                    actors=set(info.actors),
                    tentative=tentative,
                    new_round=new_round,
                )
            )
        return drafts

    def _event_kind(
        self, info: _Analysis, start: int, end: int, own: bool, markers: list[tuple[str, Match]]
    ) -> tuple[str, Match | None, bool] | None:
        """(held|announced, marker, tentative) for a noun group, or None when nothing says which."""
        if self._scoped(info, "negation", start, 4):
            return None
        candidates: list[tuple[int, int, str, Match]] = []
        for status, m in markers:
            # On a tie the announcement wins: "خطط لعقد محادثات" is intent, not a holding.
            candidates.append((_distance(start, end, m.start, m.end), 0 if status == "announced" else 1, status, m))
        for m in info.get("after"):
            if m.end <= start and start - m.end <= 1:
                candidates.append((0, 1, "held", m))
        if own:
            candidates.append((0, 1, "held", Match("self_round", "", start, end)))
        candidates.sort(key=lambda c: (c[0], c[1]))
        for _, _, status, marker in candidates:
            if self._scoped(info, "negation", marker.start, NEGATION_WINDOW):
                return None
            lo, hi = min(marker.start, start), max(marker.end, end)
            clause = info.sentence.clauses[start]
            hedged = any(
                lo - NEGATION_WINDOW <= h.start < hi and info.sentence.clauses[h.start] == clause
                for h in info.get("hedge")
            )
            # A possibility is not a holding: "قد تعقد" is a tentative announcement.
            return ("announced" if hedged else status), marker, hedged
        # No verb: a stated date says whether the meeting is past or to come.
        near = [d for d in info.dates if _distance(start, end, d[0], d[1]) <= DATE_WINDOW]
        if near:
            _, _, hit = min(near, key=lambda d: _distance(start, end, d[0], d[1]))
            if hit.direction == "next" or (hit.relative is not None and hit.relative[1] > 0):
                return "announced", None, False
            if (hit.absolute and hit.day is not None) or hit.direction == "past":
                return "held", None, False
            if hit.relative is not None and hit.relative[1] < 0:
                return "held", None, False
        return None

    # ---------------------------------------------------------------- agreements and proposals
    def _deals(self, info: _Analysis, ctx: _Context) -> list[_Draft]:
        drafts: list[_Draft] = []
        blocked = info.get("announced") + info.get("false_friend")
        for category in ("agreement", "proposal"):
            taken: list[tuple[int, int]] = []
            for m in sorted(info.get(category), key=lambda m: (m.start, -m.end)):
                if any(m.start < e and s < m.end for s, e in taken):
                    continue
                if any(b.start < m.end and m.start < b.end for b in blocked):
                    continue
                if self._scoped(info, "negation", m.start, NEGATION_WINDOW):
                    continue
                if self._scoped(info, "hedge", m.start, NEGATION_WINDOW):
                    continue
                if category == "agreement" and self._scoped(info, "aim", m.start, AIM_WINDOW):
                    continue
                if category == "proposal" and not (info.parties & self._inside or not self._inside):
                    continue
                taken.append((m.start, m.end))
                drafts.append(
                    _Draft(
                        type="agreement" if category == "agreement" else "proposal",
                        sentence=info.sentence,
                        location=self._location(info, m.start, m.end, "other"),
                        date=self._date(info, m.start, m.end, False, ctx),
                        ordinal=None,
                        topics=set(info.topics),
                        actors=set(info.actors),
                    )
                )
        return drafts

    # ---------------------------------------------------------------- article
    def extract(self, article: Article) -> tuple[Mention, ...]:
        """Every development ``article`` states, merged within the article, in text order."""
        sents = sentences(article.title, article.text, self.lexicon.footers)
        if not sents:
            return ()
        infos = [self._analyse(s) for s in sents]
        ctx = _Context(
            published=article.published,
            year=None if article.published else self.dates.article_year(normalise(f"{article.title}\n{article.text}")),
        )
        drafts: list[_Draft] = []
        for info in infos:
            if info.sentence.question or self._off_track(info):
                continue
            drafts.extend(self._events(info, ctx))
            drafts.extend(self._deals(info, ctx))
        if not drafts:
            return ()
        self._fill_topics(drafts, infos)
        drafts = _merge(_summits(drafts))
        return tuple(_mention(d) for d in drafts)

    def _fill_topics(self, drafts: Iterable[_Draft], infos: Sequence[_Analysis]) -> None:
        article_topics: Counter[str] = Counter()
        for info in infos:
            article_topics.update(info.topics)
        for d in drafts:
            if d.topics:
                continue
            i = d.sentence.index
            neighbours = [i + 1, i - 1] if d.type.startswith(("round", "summit")) else [i + 1]
            for j in neighbours:
                if 0 <= j < len(infos) and infos[j].topics:
                    d.topics = set(infos[j].topics)
                    break
            if not d.topics and d.type.startswith(("round", "summit")):
                d.topics = set(article_topics)


@dataclass(frozen=True, slots=True)
class _Context:
    published: dt.datetime | None
    year: int | None


def _summits(drafts: list[_Draft]) -> list[_Draft]:
    """A meeting at the place of a summit the article names is that summit."""
    places = {d.location for d in drafts if d.type.startswith("summit") and d.location}
    out = []
    for d in drafts:
        if d.type.startswith("round") and d.location in places:
            d.type = "summit_held" if d.type == "round_held" else "summit_announced"
            d.new_round = False
        out.append(d)
    return out


def _compatible(a: _Draft, b: _Draft) -> bool:
    if a.type != b.type:
        return False
    for x, y in ((a.location, b.location), (a.date.key, b.date.key), (a.ordinal, b.ordinal)):
        if x is not None and y is not None and x != y:
            return False
    return True


def _absorb(into: _Draft, other: _Draft) -> None:
    into.topics |= other.topics
    into.actors |= other.actors
    into.new_round = into.new_round or other.new_round
    into.tentative = into.tentative and other.tentative
    if into.location is None:
        into.location = other.location
    if into.date.key is None or (into.date.date is None and other.date.date is not None):
        into.date = other.date
    if into.ordinal is None:
        into.ordinal = other.ordinal


def _merge(drafts: list[_Draft]) -> list[_Draft]:
    """Merge the reports of one development within an article (see the module docstring)."""
    out: list[_Draft] = []
    for d in drafts:
        same = next((o for o in out if o.key == d.key), None)
        if same is None:
            same = next((o for o in out if o.sentence.index == d.sentence.index and _compatible(o, d)), None)
        if same is None and d.type in ("agreement", "proposal"):
            same = next((o for o in out if _compatible(o, d) and o.topics & d.topics), None)
        if same is not None:
            _absorb(same, d)
        else:
            out.append(d)
    # A bare report (no place, date, ordinal) joins the nearest specific one of its type.
    specific = [d for d in out if not d.bare]
    kept: list[_Draft] = []
    for d in out:
        if d.bare and d.type not in ("agreement", "proposal"):
            peers = [o for o in specific if o.type == d.type]
            if peers:
                target = min(peers, key=lambda o: abs(o.sentence.index - d.sentence.index))
                target.topics |= d.topics
                target.actors |= d.actors
                continue
        kept.append(d)
    # An announcement of a round the article reports as held is stale.
    held = [d for d in kept if d.type.endswith("_held")]
    final = []
    for d in kept:
        if d.type.endswith("_announced") and any(
            h.type.split("_")[0] == d.type.split("_")[0]
            and d.ordinal is not None
            and h.ordinal == d.ordinal
            and (d.location is None or h.location in (None, d.location))
            for h in held
        ):
            continue
        final.append(d)
    return final


def _mention(d: _Draft) -> Mention:
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


__all__ = ["Extractor", "build_extractor", "default_extractor", "extract", "extract_many"]
