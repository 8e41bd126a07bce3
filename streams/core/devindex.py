"""Known developments indexed by (type, place, month, ordinal): the candidates a report can be.

Matching an article's reports against every development of the track made each article cost
more as the track grew. Two reports of one development have the same type and, by the rules of
:func:`streams.core.identity.compatible`, agree on place unless one of them names none (or only a
guessed one) or both carry the same number, and agree on date unless both carry the same number.
:meth:`Known.candidates` returns the developments that pass those tests on the index keys alone:
a superset of the compatible ones (a test checks it), in state order, so matching decides exactly
as before while looking at a few developments instead of all.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import operator
from dataclasses import dataclass, field

from streams.core.identity import Identified, date_span, normalise_place, place_guessed
from streams.core.models import Development, TrackState

# Index keys for dates: a calendar month, a whole year, or no date.
_Month = tuple[int, int]
_UNDATED: _Month = (0, 0)
# Reports of one day disagree by this much (identity.DAY_SLACK): a day at a month's edge is
# looked up in the neighbouring month too.
_SLACK = dt.timedelta(days=1)


def _year_key(year: int) -> _Month:
    return (year, 0)


def _month_keys(value: str | None) -> list[_Month]:
    """The keys a development dated ``value`` is filed under (one)."""
    span = date_span(value)
    if span is None:
        return [_UNDATED]
    if span.precision == "year":
        return [_year_key(span.first.year)]
    return [(span.first.year, span.first.month)]


@functools.lru_cache(maxsize=4096)
def _query_keys(value: str | None) -> tuple[_Month, ...] | None:
    """The keys of every development whose date can be compatible with ``value``; None: all.
    A pure function of the date string, asked for every report: cached."""
    span = date_span(value)
    if span is None:
        return None
    first, last = span.first - _SLACK, span.last + _SLACK
    keys: list[_Month] = [_UNDATED]
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        keys.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    keys.extend(_year_key(y) for y in range(first.year, last.year + 1))
    return tuple(keys)


# One bucket: developments by id() (the state holds each object once), so that a development the
# next state no longer holds is taken out in constant time.
_Bucket = dict[int, Development]


@dataclass
class _TypeIndex:
    """The developments of one type: by place then month, by ordinal, and those with a guessed place."""

    everything: _Bucket = field(default_factory=dict)
    by_place: dict[str | None, dict[_Month, _Bucket]] = field(default_factory=dict)
    by_ordinal: dict[int, _Bucket] = field(default_factory=dict)
    guessed: dict[_Month, _Bucket] = field(default_factory=dict)

    def add(self, dev: Development) -> list[_Bucket]:
        """File ``dev``; returns the buckets it went into."""
        key = id(dev)
        buckets = [self.everything]
        month = _month_keys(dev.date)[0]
        buckets.append(self.by_place.setdefault(normalise_place(dev.location), {}).setdefault(month, {}))
        if place_guessed(dev):
            buckets.append(self.guessed.setdefault(month, {}))
        if dev.ordinal is not None:
            buckets.append(self.by_ordinal.setdefault(dev.ordinal, {}))
        for bucket in buckets:
            bucket[key] = dev
        return buckets


def _gather(found: dict[int, Development], months: dict[_Month, _Bucket], keys: tuple[_Month, ...] | None) -> None:
    if keys is None:
        for bucket in months.values():
            found.update(bucket)
        return
    for key in keys:
        filed = months.get(key)
        if filed:
            found.update(filed)


class Known:
    """A track's developments, indexed, with their positions in the state.

    :meth:`of` brings the index of a track up to date with a state by adding and removing only the
    developments that differ from the state it last indexed (an article changes a few), so the
    index costs per article what the article changed, not what the track holds.
    """

    def __init__(self) -> None:
        self.developments: tuple[Development, ...] = ()
        self.by_type: dict[str, _TypeIndex] = {}
        self.position: dict[int, int] = {}
        self._filed: dict[int, list[_Bucket]] = {}

    @classmethod
    def of(cls, state: TrackState) -> Known:
        """The index of ``state``'s developments (the track's index, updated)."""
        known = _latest.get(state.track)
        if known is None:
            if len(_latest) >= _TRACKS:
                _latest.clear()
            known = _latest[state.track] = cls()
        if known.developments is not state.developments:
            known._update(state.developments)
        return known

    def _update(self, developments: tuple[Development, ...]) -> None:
        if len(developments) == len(self.developments) and self._replace_changed(developments):
            return
        # Built in C (zip, map): this runs over the whole state for every article that changes it.
        position = dict(zip(map(id, developments), range(len(developments)), strict=True))
        for key in self.position.keys() - position.keys():
            for bucket in self._filed.pop(key):
                del bucket[key]
        for key in position.keys() - self.position.keys():
            dev = developments[position[key]]
            self._filed[key] = self.by_type.setdefault(dev.type, _TypeIndex()).add(dev)
        self.position = position
        self.developments = developments

    def _replace_changed(self, developments: tuple[Development, ...]) -> bool:
        """Re-file only the positions whose development changed, when there are few (an article
        that enriches known developments and evicts none); False, doing nothing, otherwise."""
        old = self.developments
        changed = list(itertools.compress(range(len(old)), map(operator.is_not, old, developments)))
        if len(changed) > _FEW_CHANGED:
            return False
        for i in changed:
            key = id(old[i])
            del self.position[key]
            for bucket in self._filed.pop(key):
                del bucket[key]
        for i in changed:
            dev = developments[i]
            self.position[id(dev)] = i
            self._filed[id(dev)] = self.by_type.setdefault(dev.type, _TypeIndex()).add(dev)
        self.developments = developments
        return True

    def _ordered(self, found: dict[int, Development]) -> list[tuple[int, Development]]:
        position = self.position
        return sorted((position[key], dev) for key, dev in found.items())

    def at_place(self, types: frozenset[str], place: str | None) -> list[tuple[int, Development]]:
        """The developments of ``types`` whose normalised place is ``place``, in state order."""
        found: dict[int, Development] = {}
        for t in types:
            index = self.by_type.get(t)
            if index is not None:
                _gather(found, index.by_place.get(place, {}), None)
        return self._ordered(found)

    def candidates(self, item: Identified, type_: str | None = None) -> list[tuple[int, Development]]:
        """The developments of ``type_`` (default: the item's type) that can be compatible with
        ``item`` (:func:`streams.core.identity.compatible`), in state order; a superset."""
        index = self.by_type.get(type_ or item.type)
        if index is None:
            return []
        if (type_ or item.type) == "proposal":
            # Proposals are known by subject alone: place and date tell nothing.
            return self._ordered(index.everything)
        keys = _query_keys(item.date)
        place = None if place_guessed(item) else normalise_place(item.location)
        found: dict[int, Development] = {}
        if place is None:
            # No place (or a guessed one) clashes with none.
            for months in index.by_place.values():
                _gather(found, months, keys)
        else:
            _gather(found, index.by_place.get(place, {}), keys)
            _gather(found, index.by_place.get(None, {}), keys)
            _gather(found, index.guessed, keys)
        if item.ordinal is not None:
            # The same number: one meeting even when place or day differ (misreadings).
            found.update(index.by_ordinal.get(item.ordinal, {}))
        return self._ordered(found)


# Changed positions up to which an update re-files them alone (past it, a diff of the whole state).
_FEW_CHANGED = 16

# The index of each track's latest state (a worker or replay moves each track's state forward).
_TRACKS = 64
_latest: dict[str, Known] = {}
