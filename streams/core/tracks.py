"""Which negotiation track an article is about, among the configured tracks (a :class:`TrackSet`).

A track has two sides (countries; their people count for them). Each sentence (the title counting
twice) is a *pair* when it names both sides and no outside party, *mixed* when it names both sides
and an outsider, *outside* when it pairs one side with an outsider. An article belongs to a track
when pairs + keywords + half the mixed reach ``min_pair_sentences`` and are not outweighed by
outside + half the mixed: Russia–Ukraine talks in Istanbul and US–Turkey meetings pair one side of
ru-us with an outsider far more often than the two sides together. Who is a party and who is a
place is decided by :func:`streams.core.reading.parties_of`, as in extraction; a side named as a
place still counts towards a pair ("the US embassy in Moscow"). A track's mediators are no
outsiders. Articles that match no track get None and are dropped by the caller.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from streams.core.lexicon import Lexicon, Match
from streams.core.models import Article
from streams.core.reading import in_no_name, parties_of, subjects_of
from streams.core.sentences import sentences, split_text
from streams.core.trackconfig import Track, TrackSet

logger = logging.getLogger(__name__)

__all__ = ["Track", "TrackAssigner", "TrackScore", "TrackSet"]

#: How many tokens after "between" a participant may start ("between the two presidents, Putin and Trump").
BETWEEN_REACH = 6


@dataclass(frozen=True, slots=True)
class TrackScore:
    """Evidence for one track in one article (what :meth:`TrackAssigner.assign` decided on).

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


class TrackAssigner:
    """Assigns articles to the tracks of ``tracks``, reading them with ``lexicon``."""

    def __init__(self, lexicon: Lexicon, tracks: TrackSet) -> None:
        self.lexicon = lexicon
        self.tracks: tuple[Track, ...] = tracks.tracks
        self._inside: frozenset[str] = frozenset().union(*(t.countries for t in self.tracks))

    def _parties(self, article: Article) -> tuple[list[tuple[set[str], set[str], set[str], float]], dict[str, int]]:
        """Per sentence: (parties, every country named, the countries "between" names, weight), and
        keyword hits per track."""
        per_sentence: list[tuple[set[str], set[str], set[str], float]] = []
        keywords: dict[str, int] = {}
        title_count = len(split_text(article.title)) if article.title.strip() else 0
        for s in sentences(article.title, article.text, self.lexicon.footers, self.lexicon.case_sensitive):
            matches: dict[str, list[Match]] = {}
            for m in self.lexicon.matcher.find(s.tokens, s.clauses):
                matches.setdefault(m.category, []).append(m)
            for m in matches.get("track", ()):
                keywords[m.value] = keywords.get(m.value, 0) + 1
            parties = parties_of(self.lexicon, matches, self._inside)
            # "talks on the Ukrainian settlement": a country named only as the subject is no side
            # the sentence speaks of.
            named = {m.value for m in in_no_name(matches)} - subjects_of(matches)
            weight = 2.0 if s.index < title_count else 1.0
            per_sentence.append((parties, named | parties, self._between(matches), weight))
        return per_sentence, keywords

    def _between(self, matches: dict[str, list[Match]]) -> set[str]:
        """The countries (or their people) named right after "between" (بين, между, میان): the
        participants of the talks the sentence speaks of, whoever else it names."""
        starts = {m.end + k for m in matches.get("between_party", ()) for k in range(BETWEEN_REACH)}
        found = {m.value for m in matches.get("country", ()) if m.start in starts}
        return found | {self.lexicon.people[m.value].country for m in matches.get("person", ()) if m.start in starts}

    def scores(self, article: Article) -> list[TrackScore]:
        """The evidence for every configured track, in configuration order."""
        per_sentence, keywords = self._parties(article)
        out = []
        for track in self.tracks:
            inside = track.countries
            pairs = mixed = outside = 0.0
            # A track's keywords ("ceasefire", "nuclear talks") speak for it only in an article
            # that names both of its sides: another pair's ceasefire is not this track's news.
            covered = all(any(named & side for _, named, _, _ in per_sentence) for side in track.sides)
            for parties, named, between, weight in per_sentence:
                outsiders = parties - inside - track.mediators
                if all(between & side for side in track.sides) and not between - inside - track.mediators:
                    # "Oman said talks between Iran and the US …": the talks are the pair's (a
                    # meeting "between A, B and C" is a third party's too).
                    pairs += weight
                # "the US embassy in Moscow": a side named as a place still speaks of the pair.
                elif all(named & side for side in track.sides):
                    if outsiders:
                        mixed += weight
                    else:
                        pairs += weight
                elif parties & inside and outsiders:
                    outside += weight
            out.append(TrackScore(track.id, pairs, keywords.get(track.id, 0) if covered else 0, outside, mixed))
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
