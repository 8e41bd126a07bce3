"""Detection for a set of tracks: which track an article is about, and what it states for it.

A :class:`Detector` is built once per :class:`TrackSet` (the built-in one, or a user's tracks
file): one lexicon compiled with the tracks' people and keywords, one track assigner, and one
extractor per track, made when first needed, that reads sentences with that track's two sides.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Mapping

from streams.core.extract import Extractor
from streams.core.lexicon import Lexicon, builtin_tracks, lexicon_for
from streams.core.models import Article, Mention
from streams.core.reading import SentenceReader
from streams.core.trackconfig import TrackSet
from streams.core.tracks import TrackAssigner

logger = logging.getLogger(__name__)


class UnknownTrack(KeyError):
    """A track id that the detector's tracks do not configure."""


class Detector:
    """Track assignment and per-track extraction over one set of tracks."""

    def __init__(self, tracks: TrackSet, lexicon: Lexicon) -> None:
        self.tracks = tracks
        self.lexicon = lexicon
        self.assigner = TrackAssigner(lexicon, tracks)
        self._extractors: dict[str, Extractor] = {}

    def assign(self, article: Article) -> str | None:
        """The id of the track ``article`` is about, or None."""
        return self.assigner.assign(article)

    def extractor(self, track_id: str) -> Extractor:
        """The extractor that reads with the sides of ``track_id`` (built once)."""
        extractor = self._extractors.get(track_id)
        if extractor is None:
            track = self.tracks.get(track_id)
            if track is None:
                msg = f"track {track_id!r} is not configured (tracks: {', '.join(self.tracks.ids)})"
                raise UnknownTrack(msg)
            extractor = Extractor(SentenceReader(self.lexicon, track.sides, track.mediators, track.topics))
            self._extractors[track_id] = extractor
        return extractor

    def extract(
        self, article: Article, track_id: str, known_days: Mapping[tuple[int, int], int] | None = None
    ) -> tuple[Mention, ...]:
        """Every development of ``track_id`` that ``article`` states (``known_days``: see
        :meth:`Extractor.extract`)."""
        return self.extractor(track_id).extract(article, known_days)


@functools.cache
def detector_for(tracks: TrackSet) -> Detector:
    """The detector of ``tracks``, built once per process."""
    return Detector(tracks, lexicon_for(tracks))


def default_detector() -> Detector:
    """The detector of the built-in tracks."""
    return detector_for(builtin_tracks())


def assign_track(article: Article) -> str | None:
    """The built-in track ``article`` is about, or None."""
    return default_detector().assign(article)


def extract(article: Article, track_id: str | None = None) -> tuple[Mention, ...]:
    """What ``article`` states for ``track_id`` (default: the first built-in track)."""
    detector = default_detector()
    return detector.extract(article, track_id or detector.tracks.ids[0])
