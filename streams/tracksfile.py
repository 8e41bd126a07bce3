"""Reading a user's tracks file (``--tracks FILE`` / ``DIPWATCH_TRACKS``) at the edge.

The core validates the decoded file (:mod:`streams.core.trackconfig`); here the file is read and
every problem is one :class:`~streams.core.errors.ConfigError` line (exit status 2).
"""

from __future__ import annotations

import logging
from pathlib import Path

from streams.core.errors import ConfigError
from streams.core.lexicon import builtin_tracks, countries
from streams.core.trackconfig import TrackSet, parse_tracks_toml

logger = logging.getLogger(__name__)


def load_tracks(path: Path | None) -> TrackSet:
    """The tracks of the file at ``path``, or the built-in tracks when ``path`` is None."""
    if path is None:
        return builtin_tracks()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        msg = f"cannot read tracks file {path}: {exc.strerror if isinstance(exc, OSError) else exc}"
        raise ConfigError(msg) from exc
    tracks = parse_tracks_toml(text, countries(), str(path))
    logger.info("tracks from %s: %s", path, ", ".join(tracks.ids))
    return tracks
