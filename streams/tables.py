"""The rolling state tables, changelog-backed and co-partitioned with the tracked topic.

``track_state``: the entries of each track's state (:mod:`streams.core.statestore`): an index at
the track's own key, then ``<track>|d|<id>`` per development, ``<track>|a|<topic>`` per agenda
item and small chunks of the articles seen; UTF-8 JSON bytes. Also each track's journal
(``<track>|j``, compressed, :mod:`streams.journal`) and source offsets (``<track>|o``).
``dedup``: "<track>|a:<id>" and "<track>|s:<id>": the records and stories of each track's
deduplication index, from which a worker rebuilds the rest in memory
(:mod:`streams.core.dedupstore`); UTF-8 text.

Values are bytes, which Faust stores as they are (the ``raw`` codec): as ``str`` its JSON codec
quoted each value once more and escaped every Arabic letter (1.65x the bytes).
"""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass
from typing import Any

import faust

from streams.settings import Settings


@dataclass(frozen=True)
class Tables:
    track_state: Any
    dedup: Any


def declare_tables(app: faust.App, settings: Settings) -> Tables:
    """Declare the tables with string keys and bytes values stored as they are."""

    def table(name: str, help_: str) -> Any:
        return app.Table(
            name,
            key_type=str,
            # Stored as they are (Faust's raw codec); a str written is stored as UTF-8.
            value_type=bytes,
            partitions=settings.partitions,
            # Compacted, never expired by time: an entry written once (a development not heard of
            # for weeks) must survive; the core deletes what it evicts.
            extra_topic_configs={"cleanup.policy": "compact"},
            help=help_,
        )

    return Tables(
        track_state=table("track_state", "Track state entries (index, developments, agenda, seen)"),
        dedup=table("dedup", "Track-prefixed records and stories of the deduplication index"),
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


class Deferred(MutableMapping[str, str]):
    """A table whose writes are held (None: a deletion) until :meth:`take`; reads see them.

    The worker journals an article's writes and waits for the journal before any of them reaches
    the table (see :mod:`streams.journal`).
    """

    def __init__(self, table: MutableMapping[str, str]) -> None:
        self._table = table
        self._pending: dict[str, str | None] = {}

    def take(self) -> dict[str, str | None]:
        """The writes held, in order; the caller writes them to the table."""
        pending, self._pending = self._pending, {}
        return pending

    def __getitem__(self, key: str) -> str:
        if key in self._pending:
            value = self._pending[key]
            if value is None:
                raise KeyError(key)
            return value
        return self._table[key]

    def __setitem__(self, key: str, value: str) -> None:
        self._pending.pop(key, None)
        self._pending[key] = value

    def __delitem__(self, key: str) -> None:
        if key not in self:
            raise KeyError(key)
        self._pending.pop(key, None)
        self._pending[key] = None

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str) and key in self._pending:
            return self._pending[key] is not None
        return key in self._table

    def get(self, key: str, default: Any = None) -> Any:
        try:
            return self[key]
        except KeyError:
            return default

    def __iter__(self) -> Iterator[str]:
        held = self._pending
        yield from (k for k in list(self._table) if k not in held)
        yield from (k for k, v in list(held.items()) if v is not None)

    def __len__(self) -> int:
        return sum(1 for _ in self)
