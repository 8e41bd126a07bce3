"""A track's state as a timeline a person reads: meetings in time order, what came out of each.

Works on the public state (:func:`streams.core.wire.state_to_dict`), so the worker's page, the
terminal and a client of ``GET /tracks/{id}`` see the same order. Pure: no I/O.

Order. A dated meeting sits at its date. A round without a date but with a number sits after the
latest dated round of a lower or equal number ("the second round in Istanbul" after the first);
anything else undated sits at the date it was first reported, after the dated ones of that day.

Agreements and proposals go under the meeting they came from: the meeting of the same date; else
the meeting at the same place that shares a reporting article with them, else the latest meeting
held there. What matches no meeting is a timeline entry of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

MEETING_PREFIXES = ("round_", "summit_")
# Within one day: held before announced before postponed before cancelled.
_STATUS_ORDER = {"held": 0, "announced": 1, "postponed": 2, "cancelled": 3, "agreed": 4, "proposed": 5}


@dataclass
class Entry:
    """One line of the timeline: a meeting (or a lone outcome) and the outcomes under it."""

    development: dict[str, Any]
    outcomes: list[dict[str, Any]] = field(default_factory=list)
    # The day the entry is placed at (ISO date, maybe shorter), and whether it is the meeting's own.
    anchor: str = ""
    dated: bool = False

    @property
    def is_meeting(self) -> bool:
        return str(self.development["type"]).startswith(MEETING_PREFIXES)


def is_meeting(development: dict[str, Any]) -> bool:
    """A round or a summit (held, announced, postponed or called off)."""
    return str(development["type"]).startswith(MEETING_PREFIXES)


def _reported_day(d: dict[str, Any]) -> str:
    return str(d.get("first_reported") or d.get("first_seen") or "")[:10]


def _articles(d: dict[str, Any]) -> set[str]:
    return {str(e["article_id"]) for e in d.get("evidence", ())}


def timeline(state: dict[str, Any]) -> list[Entry]:
    """The entries of a public track state in time order (see the module docstring)."""
    developments: list[dict[str, Any]] = list(state.get("developments", ()))
    meetings = [Entry(d, dated=bool(d.get("date"))) for d in developments if is_meeting(d)]
    dated_rounds = [e for e in meetings if e.dated and str(e.development["type"]).startswith("round_")]
    for entry in meetings:
        d = entry.development
        if entry.dated:
            entry.anchor = str(d["date"])
            continue
        ordinal = d.get("ordinal")
        before = [
            str(r.development["date"])
            for r in dated_rounds
            if ordinal is not None
            and r.development.get("ordinal") is not None
            and r.development["ordinal"] <= ordinal
            and str(d["type"]).startswith("round_")
        ]
        entry.anchor = max(before) if before else _reported_day(d)
    entries = list(meetings)
    for d in developments:
        if is_meeting(d):
            continue
        home = _meeting_of(d, meetings)
        if home is not None:
            home.outcomes.append(d)
        else:
            entries.append(Entry(d, anchor=str(d.get("date") or _reported_day(d)), dated=bool(d.get("date"))))
    entries.sort(key=_order)
    for entry in entries:
        entry.outcomes.sort(key=lambda o: (str(o.get("date") or ""), _STATUS_ORDER.get(str(o.get("status")), 9)))
    return entries


def _order(entry: Entry) -> tuple[str, int, int, int, str]:
    d = entry.development
    ordinal = d.get("ordinal")
    return (
        entry.anchor,
        0 if entry.dated else 1,
        ordinal if isinstance(ordinal, int) else 0,
        _STATUS_ORDER.get(str(d.get("status")), 9),
        str(d["id"]),
    )


def _meeting_of(outcome: dict[str, Any], meetings: list[Entry]) -> Entry | None:
    """The meeting an agreement or proposal came from, or None."""
    date = outcome.get("date")
    if date:
        same_day = [m for m in meetings if m.dated and m.development["date"] == date]
        if same_day:
            return sorted(same_day, key=_order)[0]
    place = outcome.get("location")
    if not place:
        return None
    there = [m for m in meetings if m.development.get("location") == place and m.development.get("status") == "held"]
    if date:
        # A dated outcome belongs to no undated meeting that happened elsewhere in time.
        there = [m for m in there if not m.dated]
    if not there:
        return None
    sharing = [m for m in there if _articles(m.development) & _articles(outcome)]
    return sorted(sharing or there, key=_order)[-1]
