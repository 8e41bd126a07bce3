"""The topics of dipwatch; every one declared with its partitions, key and value types.

Values are JSON bytes converted at the edge by :mod:`streams.core.wire`, so a malformed message
reaches the agent as bytes and goes to the dead-letter topic instead of crashing the decoder.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import faust

from streams.settings import Settings


@dataclass(frozen=True)
class Topics:
    articles: Any
    tracked: Any
    alerts: Any
    updates: Any
    deadletter: Any


def raw_topic(app: faust.App, name: str, partitions: int) -> Any:
    """A topic of string keys and raw byte values (the wire codecs are dipwatch's, not Faust's)."""
    return app.topic(
        name,
        key_type=str,
        value_type=bytes,
        key_serializer="raw",
        value_serializer="raw",
        partitions=partitions,
        replicas=1,
    )


def declare_topics(app: faust.App, settings: Settings) -> Topics:
    """Declare the public and internal topics with ``settings.partitions`` partitions."""

    def topic(name: str) -> Any:
        return raw_topic(app, name, settings.partitions)

    return Topics(
        articles=topic(settings.articles_topic),
        # Articles re-keyed by track, so one track's state lives in one partition.
        tracked=topic(settings.tracked_topic),
        alerts=topic(settings.alerts_topic),
        updates=topic(settings.updates_topic),
        deadletter=topic(settings.deadletter_topic),
    )
