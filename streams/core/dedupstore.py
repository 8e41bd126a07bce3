"""The deduplication index's store as a worker keeps it: all in memory, records and stories persisted.

:class:`~streams.core.dedup.DedupIndex` writes about twelve keys for a new article: its record, one
per LSH band, the URL or text key, the count and the eviction buckets. All but the record and the
stories follow from the records, so a worker's changelog needs only::

    a:<id>    the record, then what the rest is derived from:
              "<record>\\x1e<sequence number>\\x1e<hour>\\x1e<URL/text keys, space-separated>"
    s:<id>    a story, as the index writes it

:class:`PersistedStore` holds the index's whole layout in a dict and passes only those entries to
the persisted store (a Faust table view): one record for a new article, one more (its story) for a
reprint or an exact duplicate. :meth:`PersistedStore.flush` writes the records of the article just
checked. Loading rebuilds the rest: each band points at the newest record that has it (records
in sequence order), the URL and text keys at their record, the count, and the eviction buckets
(a record in the hour it was written, a story in the hour it was last touched). Rebuilt, the
index decides as it did before, as long as records were written in time order (a worker's clock).
A store written entry by entry by an earlier version (each value a JSON string) is read as it is.
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Iterator, MutableMapping
from typing import Any

from streams.core.buckets import HourBuckets
from streams.core.minhash import MinHashParams, band_keys, decode

logger = logging.getLogger(__name__)

SEP = "\x1e"
PERSISTED = ("a:", "s:")
_OWN = ("u:", "h:")
_NO_SIGNATURE = "-"


class PersistedStore(MutableMapping[str, str]):
    """The index's layout in memory over ``backing``, which receives only records and stories."""

    def __init__(
        self,
        backing: MutableMapping[str, str],
        *,
        params: MinHashParams | None = None,
        bucket_prefix: str = "e:",
        chunk: int = 16,
    ) -> None:
        self.backing = backing
        self.params = params or MinHashParams()
        self.memory: dict[str, str] = {}
        self.seq = 0
        self._pending: set[str] = set()
        self._own: dict[str, list[str]] = {}
        # The hours whose eviction bucket lists each story (the index lists it in every hour it
        # was touched in), so that a rebuilt index checks it at the same hours.
        self._listed: dict[str, list[str]] = {}
        self._hour = ""
        self._prefix = bucket_prefix
        self._buckets = HourBuckets(self.memory, prefix=bucket_prefix, chunk=chunk)
        self._load()

    # -- loading ------------------------------------------------------------------------------

    def _load(self) -> None:
        records: list[tuple[int, str, str, str, list[str]]] = []
        stories: list[tuple[str, str, list[str]]] = []
        for key in list(self.backing):
            value = self.backing.get(key)
            if value is None:
                continue
            if isinstance(value, bytes):
                # A table of bytes gives back what its changelog restored as bytes.
                value = value.decode("utf-8")
            if value.startswith('"') and SEP not in value:
                # An earlier version's table of str stored each value as a JSON string; the
                # index's own values never start with a quote.
                with contextlib.suppress(ValueError):
                    value = str(json.loads(value))
            if key.startswith("a:") and SEP in value:
                fields = value.split(SEP, 3)
                records.append((int(fields[1]), key, fields[0], fields[2], fields[3].split()))
            elif key.startswith("s:") and SEP in value:
                story, listed = value.split(SEP, 1)
                stories.append((key, story, listed.split()))
            else:
                # Written entry by entry by an earlier version: already in the index's layout.
                self.memory[key] = value
        records.sort()
        for seq, record_key, record, hour, own in records:
            self.memory[record_key] = record
            for other in own:
                self.memory[other] = record_key
            signature = record.split("|", 1)[0]
            sig = decode(signature, self.params) if signature != _NO_SIGNATURE else None
            if sig is not None:
                # In sequence order: each band ends up at the newest record that has it.
                for band in band_keys(sig, self.params):
                    self.memory[band] = record_key
            if hour:
                self._buckets.add(hour, [record_key, *own])
            self.seq = max(self.seq, seq + 1)
        for story_key, story, hours in stories:
            self.memory[story_key] = story
            self._listed[story_key] = hours
            for listed_hour in hours:
                self._buckets.add(listed_hour, [story_key])
        if records:
            self.memory["c:"] = str(sum(1 for key in self.memory if key.startswith("a:")))
        if records or stories:
            logger.info("dedup store: rebuilt from %d records and %d stories", len(records), len(stories))

    # -- the mapping --------------------------------------------------------------------------

    def __getitem__(self, key: str) -> str:
        return self.memory[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.memory.get(key, default)

    def __contains__(self, key: object) -> bool:
        return key in self.memory

    def __iter__(self) -> Iterator[str]:
        return iter(self.memory)

    def __len__(self) -> int:
        return len(self.memory)

    def __setitem__(self, key: str, value: str) -> None:
        if key.startswith(PERSISTED):
            self._pending.add(key)
        elif key.startswith(_OWN):
            self._own.setdefault(value, []).append(key)
        elif key.startswith(self._prefix) and "." in key:
            hour = key[len(self._prefix) :].split(".", 1)[0]
            self._hour = hour
            # A chunk only grows: what follows its old text was just listed.
            old = self.memory.get(key, "")
            for listed in value[len(old) :].split("\n"):
                if listed.startswith("s:"):
                    self._listed.setdefault(listed, []).append(hour)
                    self._pending.add(listed)
        self.memory[key] = value

    def __delitem__(self, key: str) -> None:
        value = self.memory.pop(key)
        if key.startswith(self._prefix) and "." in key:
            hour = key[len(self._prefix) :].split(".", 1)[0]
            for listed in value.split("\n"):
                hours = self._listed.get(listed)
                if hours and hour in hours:
                    hours.remove(hour)
                    if listed in self.memory:
                        self._pending.add(listed)
                    elif not hours:
                        del self._listed[listed]
        if key.startswith(PERSISTED):
            # A deleted story stays listed where it was: recreated, it is checked there too.
            self._pending.discard(key)
        # Also what an earlier version persisted entry by entry.
        if key.startswith(PERSISTED) or key in self.backing:
            self.backing.pop(key, None)

    def flush(self) -> int:
        """Persist the records and stories written since the last flush; returns how many."""
        for key in sorted(self._pending):
            value = self.memory.get(key)
            if value is None:
                continue
            if key.startswith("a:"):
                own = " ".join(self._own.get(key, ()))
                self.backing[key] = f"{value}{SEP}{self.seq}{SEP}{self._hour}{SEP}{own}"
                self.seq += 1
            else:
                self.backing[key] = f"{value}{SEP}{' '.join(self._listed.get(key, ()))}"
        written = len(self._pending)
        self._pending.clear()
        self._own.clear()
        return written
