"""Per-hour lists of store keys, so that what is past a horizon can be dropped without a scan.

A Faust table view restricted to one track has to iterate over every track's keys to list its
own, so nothing in the deduplication index iterates its store. Instead every key written is
listed in the bucket of the hour it was written in, and eviction reads only the buckets of the
hours that are over.

Layout, under a prefix (``e:`` by default)::

    e:              space-separated hours ("YYYYMMDDHH") that have a bucket
    e:<hour>        number of chunks of that hour's bucket
    e:<hour>.<n>    newline-separated keys (at most ``chunk`` of them)

Buckets are chunked because every write rewrites one value: a small chunk keeps what a
changelog receives per write small.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Iterator, MutableMapping

logger = logging.getLogger(__name__)

HOUR_FORMAT = "%Y%m%d%H"


def hour_of(moment: dt.datetime) -> str:
    """The bucket name of ``moment`` (naive datetimes are taken as UTC)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    return moment.strftime(HOUR_FORMAT)


def hour_end(name: str) -> dt.datetime:
    """The first instant after the hour ``name``."""
    start = dt.datetime.strptime(name, HOUR_FORMAT).replace(tzinfo=dt.UTC)
    return start + dt.timedelta(hours=1)


class HourBuckets:
    """The eviction buckets of one store."""

    def __init__(self, store: MutableMapping[str, str], *, prefix: str = "e:", chunk: int = 16) -> None:
        if chunk < 1:
            msg = f"a bucket chunk holds at least one key, got {chunk}"
            raise ValueError(msg)
        self.store = store
        self.prefix = prefix
        self.chunk = chunk

    def add(self, hour: str, keys: Iterable[str]) -> None:
        """List ``keys`` (none may contain a newline) in the bucket of ``hour``."""
        counter_key = self.prefix + hour
        chunks = int(self.store.get(counter_key, "0"))
        if chunks == 0:
            listed = self.store.get(self.prefix, "")
            if listed and hour > listed[listed.rfind(" ") + 1 :]:
                # Hours mostly come in order: appending keeps the list sorted without parsing it
                # (a store that is never evicted, as in a replay, lists thousands).
                self.store[self.prefix] = f"{listed} {hour}"
            else:
                hours = set(listed.split())
                hours.add(hour)
                self.store[self.prefix] = " ".join(sorted(hours))
            chunk_key, current = f"{self.prefix}{hour}.0", ""
            chunks = 1
            self.store[counter_key] = "1"
        else:
            chunk_key = f"{self.prefix}{hour}.{chunks - 1}"
            current = self.store.get(chunk_key, "")
        for key in keys:
            if current and current.count("\n") + 1 >= self.chunk:
                self.store[chunk_key] = current
                chunk_key, current = f"{self.prefix}{hour}.{chunks}", ""
                chunks += 1
                self.store[counter_key] = str(chunks)
            current = f"{current}\n{key}" if current else key
        self.store[chunk_key] = current

    def pop_until(self, cutoff: dt.datetime) -> Iterator[str]:
        """Yield the keys of every hour over by ``cutoff``, deleting those buckets as it goes.

        A bucket is deleted once all of its keys were yielded, so a caller that stops early
        leaves the rest for the next call.
        """
        hours = self.store.get(self.prefix, "").split()
        # An hour is over when it ends by the cutoff, i.e. it is at most the hour before the
        # cutoff's: names of one width compare as text (no date parsing per listed hour).
        last_over = hour_of(cutoff - dt.timedelta(hours=1))
        due = [h for h in hours if h <= last_over]
        for hour in due:
            counter_key = self.prefix + hour
            for n in range(int(self.store.get(counter_key, "0"))):
                chunk_key = f"{self.prefix}{hour}.{n}"
                yield from (key for key in self.store.get(chunk_key, "").split("\n") if key)
                self.store.pop(chunk_key, None)
            self.store.pop(counter_key, None)
            hours.remove(hour)
            self.store[self.prefix] = " ".join(hours)
        if due:
            logger.debug("dropped %d hour buckets up to %s", len(due), cutoff)
