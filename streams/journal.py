"""The journal of a track: the last article's table writes and the alerts they decided, in one record.

The broker has no transactions, so an article's table writes (two changelog topics) and its
alerts cannot become durable in one step. The worker writes this one record first, in the track's
partition of the state changelog, then the writes themselves, waits until all are acknowledged,
then sends the alerts, waits for their acknowledgements, and marks the record sent. A worker that
takes the track over (after a crash or a rebalance) writes the journal's writes again (the same
values: nothing changes if they were all there, the missing ones arrive) and sends its alerts
again unless they were marked sent. Either the article's state and alerts are all kept, or none
of them is and the redelivered article decides them again.

Value: UTF-8 JSON ``{"article": id, "state": {key: text|null}, "dedup": {key: text|null},
"alerts": [[kind, alert JSON text], ...]}``; after the alerts' acknowledgement only ``{"article": id}``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field


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
    """The state-table key of ``track``'s journal."""
    return f"{track}|j"


def encode(journal: Journal) -> bytes:
    """The journal as UTF-8 JSON bytes."""
    data: dict[str, object] = {"article": journal.article}
    if journal.state:
        data["state"] = {k: None if v is None else v.decode("utf-8") for k, v in journal.state.items()}
    if journal.dedup:
        data["dedup"] = journal.dedup
    if journal.alerts:
        data["alerts"] = [[kind, value.decode("utf-8")] for kind, value in journal.alerts]
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def decode(raw: bytes | str) -> Journal:
    """The journal a table entry holds; ValueError when it is not one."""
    data = json.loads(raw)
    if not isinstance(data, dict) or not isinstance(data.get("article"), str):
        msg = "not a journal entry"
        raise ValueError(msg)
    state = {str(k): None if v is None else str(v).encode("utf-8") for k, v in data.get("state", {}).items()}
    dedup = {str(k): None if v is None else str(v) for k, v in data.get("dedup", {}).items()}
    alerts = tuple((str(kind), str(value).encode("utf-8")) for kind, value in data.get("alerts", []))
    return Journal(data["article"], state, dedup, alerts)
