"""JSON encoding of a TrackState, the value the Faust ``track_state`` table stores.

``decode_state(encode_state(s)) == s`` exactly. Datetimes are ISO-8601 (aware ones in UTC with a
``Z``, naive ones as they are). The object carries a format version so that a later change of shape
can still read old changelog records.
"""

from __future__ import annotations

import json
import logging
from typing import Any, cast

from streams.core.errors import DipwatchError
from streams.core.models import AgendaEntry, Development, Evidence, TrackState
from streams.core.times import format_time, parse_time

logger = logging.getLogger(__name__)

FORMAT_VERSION = 1


class StateDecodeError(DipwatchError, ValueError):
    """The text is not an encoded TrackState (a corrupt or foreign table value)."""


def development_facts(d: Development) -> dict[str, Any]:
    """What a development is (id, track, type, place, date, ordinal, topics, actors, summary) as JSON
    fields in a fixed order: the head of both the stored object and the public one of the wire."""
    return {
        "id": d.id,
        "track": d.track,
        "type": d.type,
        "location": d.location,
        "date": d.date,
        "date_precision": d.date_precision,
        "ordinal": d.ordinal,
        "topics": list(d.topics),
        "actors": list(d.actors),
        "summary": d.summary,
    }


def development_to_dict(d: Development) -> dict[str, Any]:
    """The JSON object of one development as the state stores it (keys in a fixed order)."""
    return development_facts(d) | {
        "evidence": [[e.article_id, e.url, e.source, e.sentence] for e in d.evidence],
        "sources": list(d.sources),
        "first_seen": format_time(d.first_seen),
        "background": d.background,
        "tentative": d.tentative,
        "story_ids": list(d.story_ids),
        "confidence": d.confidence,
        "last_seen": format_time(d.last_seen),
        "earliest_report": format_time(d.earliest_report),
        "latest_report": format_time(d.latest_report),
        "alerted": d.alerted,
        "location_guessed": d.location_guessed,
    }


def encode_state(state: TrackState) -> str:
    """The JSON text of ``state`` (compact, keys in a fixed order)."""
    data = {
        "v": FORMAT_VERSION,
        "track": state.track,
        "developments": [development_to_dict(d) for d in state.developments],
        "agenda": [[topic, [agenda_entry_to_list(e) for e in history]] for topic, history in state.agenda],
        "seen": [[article_id, format_time(at)] for article_id, at in state.seen],
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def development_from_dict(d: dict[str, Any]) -> Development:
    """The development of a JSON object from :func:`development_to_dict`."""
    first_seen = parse_time(d["first_seen"])
    if first_seen is None:
        msg = f"development {d.get('id')!r} has no first_seen"
        raise StateDecodeError(msg)
    return Development(
        id=d["id"],
        track=d["track"],
        type=d["type"],
        location=d["location"],
        date=d["date"],
        date_precision=d["date_precision"],
        ordinal=d["ordinal"],
        topics=tuple(d["topics"]),
        actors=tuple(d["actors"]),
        summary=d["summary"],
        evidence=tuple(Evidence(a, u, s, t) for a, u, s, t in d["evidence"]),
        sources=tuple(d["sources"]),
        first_seen=first_seen,
        background=bool(d["background"]),
        tentative=bool(d["tentative"]),
        story_ids=tuple(d["story_ids"]),
        confidence=float(d.get("confidence", 0.0)),
        last_seen=parse_time(d.get("last_seen")),
        earliest_report=parse_time(d.get("earliest_report")),
        latest_report=parse_time(d.get("latest_report")),
        alerted=bool(d.get("alerted", True)),
        location_guessed=bool(d.get("location_guessed", False)),
    )


def agenda_entry_to_list(entry: AgendaEntry) -> list[Any]:
    """One agenda status change as ``[status, time, development id]``."""
    return [entry.status, format_time(entry.at), entry.development_id]


def agenda_entry_from_list(status: Any, at: Any, development_id: Any) -> AgendaEntry:
    """The agenda status change of :func:`agenda_entry_to_list`."""
    when = parse_time(at)
    if when is None:
        msg = "agenda entry without a time"
        raise StateDecodeError(msg)
    return AgendaEntry(status=status, at=when, development_id=development_id)


def decode_state(text: str | bytes) -> TrackState:
    """The TrackState encoded in ``text``; raise StateDecodeError when it is not one."""
    try:
        data = cast(dict[str, Any], json.loads(text))
        if data.get("v") != FORMAT_VERSION:
            msg = f"unknown track state format {data.get('v')!r}"
            raise StateDecodeError(msg)
        seen = []
        for article_id, at in data["seen"]:
            when = parse_time(at)
            if when is None:
                msg = "seen entry without a time"
                raise StateDecodeError(msg)
            seen.append((str(article_id), when))
        return TrackState(
            track=data["track"],
            developments=tuple(development_from_dict(d) for d in data["developments"]),
            agenda=tuple(
                (topic, tuple(agenda_entry_from_list(*entry) for entry in history)) for topic, history in data["agenda"]
            ),
            seen=tuple(seen),
        )
    except StateDecodeError:
        raise
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        msg = f"not an encoded track state: {type(exc).__name__}: {exc}"
        raise StateDecodeError(msg) from exc
