"""Noticing that the broker has lost dipwatch's topics, and saying what went with them.

The embedded broker (Tansu) keeps everything in memory: restarted, it has no topics, no changelogs
and no committed offsets. A worker still running would go on writing its tables into topics the
broker creates afresh without their settings, and a worker started later would wait for changelog
records that are not there. So a running worker stops when topics it has seen disappear, and a
starting worker compares the broker with what it noted the last time (``broker-topics.json`` in
the data directory), says what was lost, and starts empty.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from pathlib import Path

from streams.core.errors import BrokerDataLost
from streams.settings import Settings

__all__ = ["LOST", "BrokerDataLost", "TopicWatch", "lost_since_last_start", "note_topics"]

logger = logging.getLogger(__name__)

MARKER = "broker-topics.json"
#: What a broker that lost its topics took with it.
LOST = "the track state and dedup index (changelogs), the committed offsets and the alert history"


def state_topics(settings: Settings) -> list[str]:
    """The changelog topics of the worker's tables (named by Faust after the app id)."""
    return [f"{settings.app_id}-{table}-changelog" for table in ("track_state", "dedup")]


def public_topics(settings: Settings) -> list[str]:
    """The topics dipwatch declares with ``settings.partitions`` partitions."""
    return [
        settings.articles_topic,
        settings.tracked_topic,
        settings.alerts_topic,
        settings.updates_topic,
        settings.deadletter_topic,
    ]


class TopicWatch:
    """Remembers which of ``names`` were present and how far their partitions reached;
    :meth:`lost` names those gone since, :meth:`shrunk` those that came back shorter."""

    def __init__(self, names: Iterable[str]) -> None:
        self.names = set(names)
        self.seen: set[str] = set()
        self.ends: dict[tuple[str, int], int] = {}

    def lost(self, present: set[str]) -> list[str]:
        gone = sorted(self.seen - present)
        self.seen |= self.names & present
        return gone

    def shrunk(self, ends: Mapping[tuple[str, int], int]) -> list[str]:
        """The topics whose end offsets went back since the last look: a broker that lost its
        data and had the topics created again (a connector or the worker writing into it) before
        a look saw them missing. End offsets never go back on a broker that keeps its data."""
        shorter = sorted({topic for (topic, part), end in ends.items() if end < self.ends.get((topic, part), 0)})
        for key, end in ends.items():
            self.ends[key] = max(end, self.ends.get(key, 0))
        return shorter


def lost_since_last_start(settings: Settings, present: set[str]) -> str | None:
    """One line saying what the broker lost since this data directory's worker last used it, or
    None (nothing lost, or no note of an earlier start on this broker). Notes the present topics."""
    marker = settings.data_dir / MARKER
    noted = _read(marker)
    message = None
    if noted.get("broker") == settings.bootstrap and noted.get("app_id") == settings.app_id:
        topics = noted.get("topics")
        had = [t for t in topics if t in state_topics(settings)] if isinstance(topics, list) else []
        gone = [t for t in had if t not in present]
        if gone:
            message = (
                f"the broker {settings.bootstrap} has lost the topics this worker kept there ({', '.join(gone)}): "
                f"{LOST} are gone; starting with an empty state and creating the topics again"
            )
    _write(marker, {"broker": settings.bootstrap, "app_id": settings.app_id, "topics": sorted(present)})
    return message


def note_topics(settings: Settings, present: set[str]) -> None:
    """Note the topics the worker's broker has (read by the next start)."""
    _write(
        settings.data_dir / MARKER, {"broker": settings.bootstrap, "app_id": settings.app_id, "topics": sorted(present)}
    )


def _read(path: Path) -> dict[str, object]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write(path: Path, data: dict[str, object]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data), encoding="utf-8")
    tmp.replace(path)
