"""Which negotiation track an article is about, from the tracks configured in ``tracks.json``.

A track has two sides (countries; their officials count for them through ``people.json``, with
every spelling there) and keywords per language. An article belongs to a track when both sides are
named in one sentence (a *pair sentence*) at least ``min_pair_sentences`` times, keywords
counting as pair sentences, and when those pairings are not outnumbered by pairings of one side
with a country outside the track: Russia–Ukraine talks in Istanbul and US–Turkey meetings name one
side of ru-us together with an outsider far more often than the two sides together. A country
after a locative preposition ("the war in Ukraine") or the host country of a named city ("Istanbul,
Turkey") is a place, not a party. Articles that match no track get None and are dropped by the
caller.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from streams.core.lexicon import Lexicon, default_lexicon
from streams.core.models import Article
from streams.core.sentences import sentences

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Track:
    """A configured track: its id, two sides (sets of canonical countries), minimum evidence."""

    id: str
    sides: tuple[frozenset[str], ...]
    min_pair_sentences: int = 1


@dataclass(frozen=True, slots=True)
class TrackScore:
    """Evidence for one track in one article (what :func:`assign_track` decided on)."""

    track: str
    pairs: int
    keywords: int
    outside_pairs: int

    @property
    def support(self) -> int:
        """Pair sentences plus keyword hits."""
        return self.pairs + self.keywords


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

    def _parties(self, article: Article) -> tuple[list[set[str]], dict[str, int]]:
        per_sentence: list[set[str]] = []
        keywords: dict[str, int] = {}
        for s in sentences(article.title, article.text, self.lexicon.footers):
            matches = self.lexicon.matcher.find(s.tokens, s.clauses)
            locative_ends = {m.end for m in matches if m.category == "locative"}
            city_ends = {m.end for m in matches if m.category == "city"}
            hosts = {self.lexicon.cities[m.value].country for m in matches if m.category == "city"}
            parties: set[str] = set()
            for m in matches:
                if m.category == "person":
                    parties.add(self.lexicon.people[m.value].country)
                elif m.category == "country":
                    venue = m.start in locative_ends or m.clitic.endswith("ب") or m.start in city_ends
                    if not venue:
                        parties.add(m.value)
                elif m.category == "track":
                    keywords[m.value] = keywords.get(m.value, 0) + 1
            per_sentence.append(parties - (hosts - self._inside))
        return per_sentence, keywords

    def scores(self, article: Article) -> list[TrackScore]:
        """The evidence for every configured track, in configuration order."""
        per_sentence, keywords = self._parties(article)
        out = []
        for track in self.tracks:
            inside = frozenset().union(*track.sides)
            pairs = outside = 0
            for parties in per_sentence:
                if all(parties & side for side in track.sides):
                    pairs += 1
                elif parties & inside and parties - inside:
                    outside += 1
            out.append(TrackScore(track.id, pairs, keywords.get(track.id, 0), outside))
        return out

    def assign(self, article: Article) -> str | None:
        """The id of the best supported track of ``article``, or None when none qualifies."""
        best: TrackScore | None = None
        for track, score in zip(self.tracks, self.scores(article), strict=True):
            if score.support < track.min_pair_sentences:
                continue
            if score.outside_pairs > 2 * score.support:
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
