"""The track state laid out as table entries, so that an article rewrites only what it changed.

One encoded blob per track was rewritten after almost every article and grew with the history
(1.1 MB after 5,000 articles, over Kafka's default record limit). Here each part is its own
entry, written only when it changes, and deleted when the state drops it::

    <track>                 index: {"v": 2, "d": [development ids, in state order], "a": [agenda topics]}
    <track>|d|<id>          one development (the JSON object of statecodec)
    <track>|a|<topic>       one agenda item's status history
    <track>|s               [first live chunk, next sequence number] of the seen articles
    <track>|s|<n>           seen articles with sequence numbers n*SEEN_CHUNK .. (n+1)*SEEN_CHUNK-1

Values are UTF-8 JSON bytes, stored as they are (a raw codec: no JSON inside JSON). The index
changes only when a development is added or dropped; ``<track>|s`` changes with every article
that changes the state, so it also tells a worker whether its decoded copy is still current.
``load(save(s)) == s`` exactly. An index holding a whole encoded state (format 1, the layout
before this one) is read too, and the first save after it writes every entry.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from streams.core.models import AgendaEntry, Development, TrackState
from streams.core.statecodec import (
    StateDecodeError,
    agenda_entry_from_list,
    agenda_entry_to_list,
    decode_state,
    development_from_dict,
    development_to_dict,
)
from streams.core.times import format_time, parse_time

logger = logging.getLogger(__name__)

FORMAT_VERSION = 2
# Seen article ids per entry: a new article rewrites one small chunk.
SEEN_CHUNK = 32

#: Reads one entry of the table (None when absent).
Getter = Callable[[str], bytes | None]


@dataclass(frozen=True, slots=True)
class Stored:
    """A track state as the table holds it: the state, and the sequence numbers of its seen entries.

    ``version`` counts the saves that wrote something; with the seen counters it makes the stamp.
    """

    state: TrackState
    seqs: tuple[int, ...] = ()
    next_seq: int = 0
    version: int = 0
    # Read from a format-1 blob: the next save writes the whole layout.
    legacy: bool = False

    @property
    def stamp(self) -> bytes:
        """The value of ``<track>|s``: changes whenever the stored state does."""
        first = (self.seqs[0] if self.seqs else self.next_seq) // SEEN_CHUNK
        return _dumps([first, self.next_seq, self.version])


def stamp_key(track: str) -> str:
    """The key whose value changes with every change of ``track``'s stored state."""
    return f"{track}|s"


def _dumps(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _dev_key(track: str, dev_id: str) -> str:
    return f"{track}|d|{dev_id}"


def _agenda_key(track: str, topic: str) -> str:
    return f"{track}|a|{topic}"


def _seen_key(track: str, chunk: int) -> str:
    return f"{track}|s|{chunk}"


def _index(state: TrackState) -> bytes:
    return _dumps({"v": FORMAT_VERSION, "d": [d.id for d in state.developments], "a": [t for t, _ in state.agenda]})


def _development(dev: Development) -> bytes:
    return _dumps(development_to_dict(dev))


def _history(history: tuple[AgendaEntry, ...]) -> bytes:
    return _dumps([agenda_entry_to_list(e) for e in history])


def empty(track: str) -> Stored:
    """What a track with nothing stored has."""
    return Stored(TrackState(track=track))


def changes(before: Stored, after: TrackState) -> tuple[Stored, dict[str, bytes | None]]:
    """The entries to write (None: to delete) to go from ``before`` to ``after``, and the new Stored.

    Only the entries whose content differs are in it: a development, agenda item or seen chunk
    that ``after`` shares with ``before`` is not rewritten.
    """
    track = after.track
    old = before.state if not before.legacy else TrackState(track=track)
    out: dict[str, bytes | None] = {}
    old_devs = {d.id: d for d in old.developments}
    for dev in after.developments:
        known = old_devs.pop(dev.id, None)
        if known is None or not (known is dev or known == dev):
            out[_dev_key(track, dev.id)] = _development(dev)
    out.update(dict.fromkeys((_dev_key(track, i) for i in old_devs), None))
    old_agenda = dict(old.agenda)
    for topic, history in after.agenda:
        known_history = old_agenda.pop(topic, None)
        if known_history != history:
            out[_agenda_key(track, topic)] = _history(history)
    out.update(dict.fromkeys((_agenda_key(track, t) for t in old_agenda), None))
    # The index is written first (version 0: nothing stored yet), then when its lists change.
    ids_changed = [d.id for d in old.developments] != [d.id for d in after.developments]
    topics_changed = [t for t, _ in old.agenda] != [t for t, _ in after.agenda]
    if before.legacy or before.version == 0 or ids_changed or topics_changed:
        out[track] = _index(after)
    seqs, next_seq = _seen_changes(before, after, out)
    if not out:
        return Stored(after, seqs, next_seq, before.version), out
    stored = Stored(after, seqs, next_seq, before.version + 1)
    out[stamp_key(track)] = stored.stamp
    return stored, out


def _seen_changes(before: Stored, after: TrackState, out: dict[str, bytes | None]) -> tuple[tuple[int, ...], int]:
    """Sequence numbers of ``after``'s seen entries; the chunks they change go to ``out``."""
    old = () if before.legacy else before.state.seen
    if after.seen == old and not before.legacy:
        return before.seqs, before.next_seq
    drop = len(old) - (len(after.seen) - 1)
    if after.seen and 0 <= drop <= len(old) and after.seen[:-1] == old[drop:]:
        # What merge does: the oldest dropped, one appended.
        seqs = [*before.seqs[drop:], before.next_seq]
        next_seq = before.next_seq + 1
        touched = {seq // SEEN_CHUNK for seq in before.seqs[:drop]} | {before.next_seq // SEEN_CHUNK}
    else:
        seqs, next_seq, touched = _renumber(before, after)
    for chunk in touched:
        # Sequence numbers increase along the seen entries: a chunk's entries are one slice.
        lo, hi = bisect.bisect_left(seqs, chunk * SEEN_CHUNK), bisect.bisect_left(seqs, (chunk + 1) * SEEN_CHUNK)
        entries = zip(seqs[lo:hi], after.seen[lo:hi], strict=True)
        items = [[seq, article_id, format_time(at)] for seq, (article_id, at) in entries]
        out[_seen_key(after.track, chunk)] = _dumps(items) if items else None
    return tuple(seqs), next_seq


def _renumber(before: Stored, after: TrackState) -> tuple[list[int], int, set[int]]:
    """Sequence numbers of ``after``'s seen entries in general (kept ones keep theirs), and the chunks changed."""
    seq_of = {} if before.legacy else dict(zip(before.state.seen, before.seqs, strict=True))
    next_seq = before.next_seq
    seqs: list[int] = []
    touched: set[int] = set()
    for entry in after.seen:
        seq = seq_of.pop(entry, None)
        if seq is None:
            seq, next_seq = next_seq, next_seq + 1
            touched.add(seq // SEEN_CHUNK)
        seqs.append(seq)
    # What is left was dropped: its chunks are rewritten without it.
    touched |= {seq // SEEN_CHUNK for seq in seq_of.values()}
    if any(a >= b for a, b in itertools.pairwise(seqs)):
        # Reordered (merge only drops and appends): number them all afresh.
        touched |= {seq // SEEN_CHUNK for seq in before.seqs}
        seqs = list(range(before.next_seq, before.next_seq + len(after.seen)))
        next_seq = before.next_seq + len(after.seen)
        touched |= {seq // SEEN_CHUNK for seq in seqs}
    return seqs, next_seq, touched


def save_all(state: TrackState) -> tuple[Stored, dict[str, bytes | None]]:
    """Every entry of ``state`` (for a track with nothing stored yet)."""
    return changes(Stored(TrackState(track=state.track), legacy=True), state)


def _json(raw: bytes | str, key: str) -> Any:
    try:
        return json.loads(raw)
    except ValueError as exc:
        msg = f"table entry {key!r} is not JSON: {exc}"
        raise StateDecodeError(msg) from exc


def load(track: str, get: Getter) -> Stored:
    """The stored state of ``track`` (empty when nothing is stored); StateDecodeError when damaged."""
    raw = get(track)
    if raw is None:
        return empty(track)
    index = _json(raw, track)
    if isinstance(index, str):
        # Format 1 as a table of JSON strings stored it: the encoded state, quoted once more.
        index = _json(index, track)
    if not isinstance(index, dict):
        msg = f"table entry {track!r} is not a track index"
        raise StateDecodeError(msg)
    if index.get("v") == 1:
        logger.info("track %s: reading a format-1 state; its next save writes the new layout", track)
        return Stored(decode_state(json.dumps(index)), legacy=True)
    if index.get("v") != FORMAT_VERSION:
        msg = f"unknown track state format {index.get('v')!r}"
        raise StateDecodeError(msg)
    try:
        developments = tuple(development_from_dict(_entry(get, _dev_key(track, i))) for i in index["d"])
        agenda = tuple(
            (topic, tuple(agenda_entry_from_list(*e) for e in _entry(get, _agenda_key(track, topic))))
            for topic in index["a"]
        )
        stamp = get(stamp_key(track))
        first_chunk, next_seq, version = _json(stamp, stamp_key(track)) if stamp is not None else (0, 0, 0)
        seen: list[tuple[int, str, dt.datetime]] = []
        for chunk in range(int(first_chunk), (int(next_seq) + SEEN_CHUNK - 1) // SEEN_CHUNK):
            raw_chunk = get(_seen_key(track, chunk))
            for seq, article_id, at in _json(raw_chunk, _seen_key(track, chunk)) if raw_chunk is not None else ():
                when = parse_time(at)
                if when is None:
                    msg = f"seen entry {article_id!r} of {track} without a time"
                    raise StateDecodeError(msg)
                seen.append((int(seq), str(article_id), when))
    except StateDecodeError:
        raise
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        msg = f"damaged state of track {track}: {type(exc).__name__}: {exc}"
        raise StateDecodeError(msg) from exc
    seen.sort()
    state = TrackState(track=track, developments=developments, agenda=agenda, seen=tuple((a, t) for _, a, t in seen))
    return Stored(state, tuple(s for s, _, _ in seen), int(next_seq), int(version))


def _entry(get: Getter, key: str) -> Any:
    raw = get(key)
    if raw is None:
        msg = f"table entry {key!r} is missing"
        raise StateDecodeError(msg)
    return _json(raw, key)


def apply(store: dict[str, bytes], writes: Mapping[str, bytes | None]) -> None:
    """Apply ``writes`` to a dict store (tests and replay tools; the worker writes a Faust table)."""
    for key, value in writes.items():
        if value is None:
            store.pop(key, None)
        else:
            store[key] = value
