"""The rolling state tables, changelog-backed and co-partitioned with the tracked topic.

``track_state``: track -> encoded TrackState (developments, agenda).
``dedup``: "<track>|<key>" -> the deduplication index entries of that track.
"""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass
from typing import Any

import faust

from dipwatch.settings import Settings


@dataclass(frozen=True)
class Tables:
    track_state: Any
    dedup: Any


def declare_tables(app: faust.App, settings: Settings) -> Tables:
    """Declare the tables with string keys and values (JSON strings from the core's codecs)."""

    def table(name: str, help_: str) -> Any:
        return app.Table(
            name,
            key_type=str,
            value_type=str,
            partitions=settings.partitions,
            help=help_,
        )

    return Tables(
        track_state=table("track_state", "Track -> encoded track state"),
        dedup=table("dedup", "Track-prefixed deduplication index"),
    )


class PrefixedStore(MutableMapping[str, str]):
    """A view of a table restricted to the keys of one track (``<prefix>|key``)."""

    def __init__(self, table: MutableMapping[str, str], prefix: str) -> None:
        self._table = table
        self._prefix = f"{prefix}|"

    def __getitem__(self, key: str) -> str:
        return self._table[self._prefix + key]

    def __setitem__(self, key: str, value: str) -> None:
        self._table[self._prefix + key] = value

    def __delitem__(self, key: str) -> None:
        del self._table[self._prefix + key]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and (self._prefix + key) in self._table

    def get(self, key: str, default: Any = None) -> Any:
        return self._table.get(self._prefix + key, default)

    def __iter__(self) -> Iterator[str]:
        n = len(self._prefix)
        return (k[n:] for k in list(self._table) if k.startswith(self._prefix))

    def __len__(self) -> int:
        return sum(1 for _ in self)
