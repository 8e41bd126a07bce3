"""The journal of a track: the last article's table writes and the alerts they decided.

The broker has no transactions, so an article's table writes (two changelog topics) and its
alerts cannot become durable in one step. The worker writes the journal first, in the track's
partition of the state changelog, then the writes themselves, waits until all are acknowledged,
then sends the alerts, waits for their acknowledgements, and marks the journal sent. A worker that
takes the track over (after a crash or a rebalance) writes the journal's writes again (the same
values: nothing changes if they were all there, the missing ones arrive) and sends its alerts
again unless they were marked sent. Either the article's state and alerts are all kept, or none
of them is and the redelivered article decides them again.

Format 2 (this one). The content is one byte string, compressed (zstd), cut into pieces of at
most :data:`PIECE_BYTES`, so that no record grows with what one article wrote (the journal of an
article that rewrote many developments is several records, each bounded)::

    <track>|j       b"dj2 " {"n": pieces, "h": digest of the compressed bytes} "\\n" piece 0
    <track>|j|<k>   b"dj2+" piece k (k = 1 .. n-1)

The head is written first, then the pieces, all before the flush that precedes the writes. A
journal whose pieces do not all match the head's digest was cut short by a crash before that
flush: none of its writes was made and none of its alerts sent, so there is nothing to redo (the
article is delivered again). Uncompressed, the content is one JSON header line naming the
entries, then their values one after another (no JSON inside JSON)::

    {"article": id, "e": [[section, key, length or null], ...]} "\\n" value value ...

with section ``s`` (state table), ``d`` (dedup table), ``new`` or ``update`` (an alert). Format 1,
one UTF-8 JSON value at ``<track>|j``, is still read.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import cramjam

#: Largest piece of a journal in one record (the head adds a line of under 100 bytes).
PIECE_BYTES = 60_000
HEAD = b"dj2 "
PIECE = b"dj2+"
# The journal is written for every article that changes something and read back only after a
# crash: zstd level 3 keeps ~0.20 of the bytes in ~0.1 ms (zlib level 1: ~0.24 in ~0.25 ms).
LEVEL = 3

#: Reads one entry of the state table (None when absent).
Getter = Callable[[str], bytes | None]


class IncompleteJournal(ValueError):
    """The journal's pieces are not all there: its writer stopped before any of its writes."""


@dataclass(frozen=True)
class Journal:
    """What one article wrote to the tables and the alerts it sent (kind ``new`` or ``update``)."""

    article: str
    state: dict[str, bytes | None] = field(default_factory=dict)
    dedup: dict[str, str | None] = field(default_factory=dict)
    alerts: tuple[tuple[str, bytes], ...] = ()

    def done(self) -> Journal:
        """The same article with nothing left to redo (its writes and alerts acknowledged)."""
        return Journal(self.article)


def journal_key(track: str) -> str:
    """The state-table key of ``track``'s journal (its head)."""
    return f"{track}|j"


def piece_key(track: str, k: int) -> str:
    """The state-table key of piece ``k`` (from 1) of ``track``'s journal."""
    return f"{track}|j|{k}"


def _content(journal: Journal) -> bytes:
    entries: list[list[object]] = []
    values: list[bytes] = []

    def add(section: str, key: str, value: bytes | None) -> None:
        entries.append([section, key, None if value is None else len(value)])
        if value is not None:
            values.append(value)

    for key, state_value in journal.state.items():
        add("s", key, state_value)
    for key, dedup_value in journal.dedup.items():
        add("d", key, None if dedup_value is None else dedup_value.encode("utf-8"))
    for kind, alert in journal.alerts:
        add(kind, "", alert)
    header = json.dumps({"article": journal.article, "e": entries}, ensure_ascii=False, separators=(",", ":"))
    return b"".join([header.encode("utf-8"), b"\n", *values])


def _from_content(content: bytes) -> Journal:
    line, _, rest = content.partition(b"\n")
    data = json.loads(line)
    if not isinstance(data, dict) or not isinstance(data.get("article"), str):
        msg = "not a journal entry"
        raise ValueError(msg)
    state: dict[str, bytes | None] = {}
    dedup: dict[str, str | None] = {}
    alerts: list[tuple[str, bytes]] = []
    at = 0
    for section, key, length in data["e"]:
        value = None if length is None else rest[at : at + int(length)]
        at += 0 if length is None else int(length)
        if section == "s":
            state[str(key)] = value
        elif section == "d":
            dedup[str(key)] = None if value is None else value.decode("utf-8")
        elif value is not None:
            alerts.append((str(section), value))
    if at != len(rest):
        msg = f"journal entry of {len(rest)} value bytes names {at}"
        raise ValueError(msg)
    return Journal(data["article"], state, dedup, tuple(alerts))


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=8).hexdigest()


def encode(journal: Journal) -> list[bytes]:
    """The journal as records: the head (for :func:`journal_key`), then pieces 1, 2, ..."""
    packed = bytes(cramjam.zstd.compress(_content(journal), level=LEVEL))
    cuts = [packed[at : at + PIECE_BYTES] for at in range(0, len(packed), PIECE_BYTES)] or [b""]
    head = json.dumps({"n": len(cuts), "h": _digest(packed)}, separators=(",", ":")).encode()
    return [HEAD + head + b"\n" + cuts[0], *(PIECE + cut for cut in cuts[1:])]


def records(track: str, journal: Journal, stale: int = 0) -> dict[str, bytes | None]:
    """The state-table writes that store ``journal`` (head first); the pieces of an earlier
    journal beyond its own (it had ``stale`` records in all) are deleted."""
    parts = encode(journal)
    out: dict[str, bytes | None] = {journal_key(track): parts[0]}
    out.update((piece_key(track, k), part) for k, part in enumerate(parts[1:], start=1))
    out.update((piece_key(track, k), None) for k in range(len(parts), stale))
    return out


def size(track: str, get: Getter) -> int:
    """How many records ``track``'s journal has in the state table (0: none)."""
    head = get(journal_key(track))
    if head is None:
        return 0
    if not head.startswith(HEAD):
        return 1
    try:
        return max(1, int(json.loads(head[len(HEAD) :].partition(b"\n")[0])["n"]))
    except (ValueError, KeyError, TypeError):
        return 1


def decode(parts: Sequence[bytes | None]) -> Journal:
    """The journal stored in ``parts`` (the head, then its pieces; a format-1 value alone).

    ValueError when it is no journal; IncompleteJournal when pieces are missing or of another one.
    """
    head = parts[0] if parts else None
    if head is None:
        msg = "no journal head"
        raise ValueError(msg)
    if not head.startswith(HEAD):
        return _decode_format1(head)
    line, _, first = head[len(HEAD) :].partition(b"\n")
    meta = json.loads(line)
    if not isinstance(meta, dict):
        msg = "not a journal head"
        raise ValueError(msg)
    cuts = [first]
    for k in range(1, int(meta["n"])):
        piece = parts[k] if k < len(parts) else None
        if piece is None or not piece.startswith(PIECE):
            msg = f"piece {k} of the journal is missing"
            raise IncompleteJournal(msg)
        cuts.append(piece[len(PIECE) :])
    packed = b"".join(cuts)
    if _digest(packed) != meta["h"]:
        msg = "the journal's pieces are not the ones its head names"
        raise IncompleteJournal(msg)
    return _from_content(bytes(cramjam.zstd.decompress(packed)))


def read(track: str, get: Getter) -> Journal | None:
    """``track``'s journal in the state table (None: there is none); ValueError when it cannot be
    read (IncompleteJournal: cut short by a crash)."""
    n = size(track, get)
    if n == 0:
        return None
    return decode([get(journal_key(track)), *(get(piece_key(track, k)) for k in range(1, n))])


def _decode_format1(raw: bytes) -> Journal:
    data = json.loads(raw)
    if not isinstance(data, dict) or not isinstance(data.get("article"), str):
        msg = "not a journal entry"
        raise ValueError(msg)
    state = {str(k): None if v is None else str(v).encode("utf-8") for k, v in data.get("state", {}).items()}
    dedup = {str(k): None if v is None else str(v) for k, v in data.get("dedup", {}).items()}
    alerts = tuple((str(kind), str(value).encode("utf-8")) for kind, value in data.get("alerts", []))
    return Journal(data["article"], state, dedup, alerts)
