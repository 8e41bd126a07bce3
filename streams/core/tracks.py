"""Which negotiation track an article is about, from the tracks configured in ``tracks.json``.

A track has two sides (countries; their officials count for them through ``people.json``, with
every spelling there) and keywords per language. Each sentence (the title counting twice) is a
*pair* when it names both sides and no outside party, *mixed* when it names both sides and an
outsider, *outside* when it pairs one side with an outsider. An article belongs to a track when
pairs + keywords + half the mixed reach ``min_pair_sentences`` and are not outweighed by outside +
half the mixed: Russia–Ukraine talks in Istanbul and US–Turkey meetings pair one side of ru-us
with an outsider far more often than the two sides together. A country after a preposition ("the
war in Ukraine", "talks on Ukraine") or hosting a named city ("Istanbul, Turkey") is a place, not a
party, though a side named as a place still counts towards a pair ("the US embassy in Moscow").
Articles that match no track get None and are dropped by the caller.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from streams.core.lexicon import Lexicon, default_lexicon
from streams.core.models import Article
from streams.core.sentences import sentences, split_text

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Track:
    """A configured track: its id, two sides (sets of canonical countries), minimum evidence."""

    id: str
    sides: tuple[frozenset[str], ...]
    min_pair_sentences: int = 1


@dataclass(frozen=True, slots=True)
class TrackScore:
    """Evidence for one track in one article (what :func:`assign_track` decided on).

    ``pairs``: sentences naming both sides and no outsider; ``mixed``: both sides and an outsider;
    ``outside_pairs``: one side with an outsider. The title counts twice.
    """

    track: str
    pairs: float
    keywords: int
    outside_pairs: float
    mixed: float = 0.0

    @property
    def support(self) -> float:
        """Pair sentences, keyword hits, and half of the mixed sentences."""
        return self.pairs + self.keywords + self.mixed / 2

    @property
    def against(self) -> float:
        """Pairings of one side with outsiders, and half of the mixed sentences."""
        return self.outside_pairs + self.mixed / 2


def load_tracks(config: Mapping[str, object]) -> tuple[tuple[Track, ...], str | None]:
    """The tracks of a decoded ``tracks.json`` and the id of the default one."""
    raw = config.get("tracks", {})
    tracks: list[Track] = []
    if isinstance(raw, Mapping):
        for track_id, spec in raw.items():
            sides = tuple(frozenset(side) for side in spec.get("sides", []))
            tracks.append(Track(str(track_id), sides, int(spec.get("min_pair_sentences", 1))))
    default = config.get("default")
    return tuple(tracks), str(default) if default else None


class TrackAssigner:
    """Assigns articles to the tracks of a lexicon (whose ``tracks.json`` lists them)."""

    def __init__(self, lexicon: Lexicon, tracks: Sequence[Track] | None = None) -> None:
        self.lexicon = lexicon
        self.tracks = tuple(tracks) if tracks is not None else load_tracks(lexicon.tracks)[0]
        self._inside: frozenset[str] = frozenset().union(*(side for t in self.tracks for side in t.sides))

    def _parties(self, article: Article) -> tuple[list[tuple[set[str], set[str], float]], dict[str, int]]:
        """Per sentence: (parties, every country named, weight), and keyword hits per track."""
        per_sentence: list[tuple[set[str], set[str], float]] = []
        keywords: dict[str, int] = {}
        title_count = len(split_text(article.title)) if article.title.strip() else 0
        for s in sentences(article.title, article.text, self.lexicon.footers, self.lexicon.case_sensitive):
            matches = self.lexicon.matcher.find(s.tokens, s.clauses)
            venue_ends = {m.end for m in matches if m.category in ("locative", "topic_prep")}
            city_ends = {m.end for m in matches if m.category == "city"}
            hosts = {self.lexicon.cities[m.value].country for m in matches if m.category == "city"}
            parties: set[str] = set()
            people: set[str] = set()
            named: set[str] = set()
            for m in matches:
                if m.category == "person":
                    people.add(self.lexicon.people[m.value].country)
                elif m.category == "country":
                    named.add(m.value)
                    venue = m.start in venue_ends or m.clitic.endswith("ب") or m.start in city_ends
                    if not venue:
                        parties.add(m.value)
                elif m.category == "track":
                    keywords[m.value] = keywords.get(m.value, 0) + 1
            # "Istanbul, Turkey": the host of a named city is a place, unless its people act.
            parties = (parties - (hosts - self._inside)) | people
            per_sentence.append((parties, named | parties, 2.0 if s.index < title_count else 1.0))
        return per_sentence, keywords

    def scores(self, article: Article) -> list[TrackScore]:
        """The evidence for every configured track, in configuration order."""
        per_sentence, keywords = self._parties(article)
        out = []
        for track in self.tracks:
            inside = frozenset().union(*track.sides)
            pairs = mixed = outside = 0.0
            for parties, named, weight in per_sentence:
                outsiders = parties - inside
                # "the US embassy in Moscow": a side named as a place still speaks of the pair.
                if all(named & side for side in track.sides):
                    if outsiders:
                        mixed += weight
                    else:
                        pairs += weight
                elif parties & inside and outsiders:
                    outside += weight
            out.append(TrackScore(track.id, pairs, keywords.get(track.id, 0), outside, mixed))
        return out

    def assign(self, article: Article) -> str | None:
        """The id of the best supported track of ``article``, or None when none qualifies."""
        best: TrackScore | None = None
        for track, score in zip(self.tracks, self.scores(article), strict=True):
            if score.support < track.min_pair_sentences:
                continue
            if score.against > score.support:
                continue
            if best is None or score.support > best.support:
                best = score
        logger.debug("article %s: track %s", article.id, best.track if best else None)
        return best.track if best else None


@functools.cache
def default_assigner() -> TrackAssigner:
    """The assigner over the packaged lexicon and tracks, built once per process."""
    return TrackAssigner(default_lexicon())


def assign_track(article: Article) -> str | None:
    """The track ``article`` is about (``ru-us`` by default configuration), or None."""
    return default_assigner().assign(article)
