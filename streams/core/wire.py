"""Wire schemas: JSON messages on the topics, converted to and from core types here only.

``dipwatch.articles``  {id, source, url, title, published, fetched, language, text, connector}
``dipwatch.alerts``    {id, kind, track, type, location, date, date_precision, ordinal, topics,
                        actors, summary, evidence: [{article_id, url, source, sentence}], sources,
                        source_names, story_ids, first_seen, background, tentative, confidence,
                        cameo}
``dipwatch.updates``   the same shape as an alert, ``kind`` = "update"
``dipwatch state``     {track, name, developments: [an alert's fields but kind, + alerted, status,
                        last_seen, last_corroborated, first_reported, last_reported], agenda,
                        agenda_items: [{topic, status, history}], counts, last_change} (also GET /tracks/{id})
``dipwatch.deadletter`` {reason, error, topic, partition, offset, payload}
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from typing import Any

from streams.core.canonical import article_id
from streams.core.errors import InvalidArticle
from streams.core.models import CAMEO, Alert, Article, Development, TrackState, status_of
from streams.core.statecodec import development_facts
from streams.core.times import format_time

REQUIRED_FIELDS = ("source", "text")
MAX_ARTICLE_BYTES = 2_000_000
DEADLETTER_PAYLOAD_BYTES = 65_536


def parse_time(value: Any, field: str) -> dt.datetime | None:
    """Parse an ISO-8601 timestamp into an aware UTC datetime (naive means UTC); None stays None."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        msg = f"field {field!r} must be an ISO-8601 string or null, got {type(value).__name__}"
        raise InvalidArticle(msg, reason="bad_field")
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        msg = f"field {field!r} is not ISO-8601: {value[:40]!r}"
        raise InvalidArticle(msg, reason="bad_field") from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC)


def article_from_dict(data: Any) -> Article:
    """Build an Article from a decoded JSON object; raise InvalidArticle saying what is wrong.

    ``id`` may be omitted: it is then derived from the canonical URL or the normalised text.
    """
    if not isinstance(data, dict):
        msg = f"an article must be a JSON object, got {type(data).__name__}"
        raise InvalidArticle(msg, reason="not_object")
    missing = [name for name in REQUIRED_FIELDS if name not in data]
    if missing:
        msg = f"article misses required field(s): {', '.join(missing)}"
        raise InvalidArticle(msg, reason="missing_field")
    for name in ("id", "source", "url", "title", "language", "text", "connector"):
        value = data.get(name)
        if value is not None and not isinstance(value, str):
            msg = f"field {name!r} must be a string, got {type(value).__name__}"
            raise InvalidArticle(msg, reason="bad_field")
    text = data["text"] or ""
    title = data.get("title") or ""
    if not text.strip() and not title.strip():
        msg = "article has an empty text and title"
        raise InvalidArticle(msg, reason="empty")
    url = data.get("url") or None
    return Article(
        id=data.get("id") or article_id(url, f"{title}\n{text}"),
        source=data["source"] or "unknown",
        url=url,
        title=title,
        published=parse_time(data.get("published"), "published"),
        fetched=parse_time(data.get("fetched"), "fetched"),
        language=data.get("language") or None,
        text=text,
        connector=data.get("connector") or "unknown",
    )


def article_from_bytes(payload: bytes | None, max_bytes: int = MAX_ARTICLE_BYTES) -> Article:
    """Decode one message of the articles topic; raise InvalidArticle with a metric-friendly reason."""
    if payload is None or not payload.strip():
        msg = "empty message"
        raise InvalidArticle(msg, reason="empty", payload=payload)
    if len(payload) > max_bytes:
        msg = f"article message is {len(payload)} bytes, over the {max_bytes}-byte limit"
        raise InvalidArticle(msg, reason="too_large", payload=payload)
    try:
        data = json.loads(payload)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        msg = f"article message is not JSON: {exc}"
        raise InvalidArticle(msg, reason="not_json", payload=payload) from exc
    except RecursionError as exc:
        # '[[[[…' a hundred thousand deep: the decoder gives up. No article nests; say so and go on.
        msg = "article message is not JSON an article can be: nested deeper than the decoder allows"
        raise InvalidArticle(msg, reason="not_json", payload=payload) from exc
    try:
        return article_from_dict(data)
    except InvalidArticle as exc:
        exc.payload = payload
        raise


def article_to_dict(article: Article) -> dict[str, Any]:
    """The wire form of an article."""
    return {
        "id": article.id,
        "source": article.source,
        "url": article.url,
        "title": article.title,
        "published": format_time(article.published),
        "fetched": format_time(article.fetched),
        "language": article.language,
        "text": article.text,
        "connector": article.connector,
    }


def article_to_bytes(article: Article) -> bytes:
    return json.dumps(article_to_dict(article), ensure_ascii=False).encode()


def alert_to_dict(alert: Alert) -> dict[str, Any]:
    """The wire form of an alert or update: its kind and its development."""
    development = development_to_dict(alert.development)
    return {"id": development.pop("id"), "kind": alert.kind, **development}


def development_to_dict(d: Development) -> dict[str, Any]:
    """The public form of a development (alerts, updates, ``dipwatch state``): the facts the state
    stores, then its evidence, sources and confidence as a reader wants them."""
    return development_facts(d) | {
        "evidence": [
            {"article_id": e.article_id, "url": e.url, "source": e.source, "sentence": e.sentence} for e in d.evidence
        ],
        "sources": len(d.sources),
        "confidence": round(d.confidence, 3),
        "source_names": list(d.sources),
        "story_ids": list(d.story_ids),
        "first_seen": format_time(d.first_seen),
        "background": d.background,
        "tentative": d.tentative,
        "cameo": CAMEO[d.type],
    }


def state_development_to_dict(d: Development) -> dict[str, Any]:
    """A development as the state shows it: the alert's fields (but ``kind``) and what the state
    knows besides (status, whether it was alerted, when it was last reported and corroborated)."""
    corroborated = d.last_seen if len(d.sources) > 1 else None
    return development_to_dict(d) | {
        "alerted": d.alerted,
        "status": status_of(d.type),
        "last_seen": format_time(d.last_seen or d.first_seen),
        "last_corroborated": format_time(corroborated),
        "first_reported": format_time(d.earliest_report),
        "last_reported": format_time(d.latest_report),
    }


def state_to_dict(state: TrackState, name: str | None = None) -> dict[str, Any]:
    """The public form of a track's rolling state (``dipwatch state --json``, ``GET /tracks/{id}``):
    its developments in time order, its agenda (each item's latest status, and each item's history),
    counts and the time of its last change."""
    developments = sorted(state.developments, key=_chronological)
    agenda_items = [
        {
            "topic": topic,
            "status": entries[-1].status,
            "history": [
                {"status": e.status, "at": format_time(e.at), "development_id": e.development_id} for e in entries
            ],
        }
        for topic, entries in state.agenda
        if entries
    ]
    return {
        "track": state.track,
        "name": name or state.track,
        "developments": [state_development_to_dict(d) for d in developments],
        "agenda": {item["topic"]: item["status"] for item in agenda_items},
        "agenda_items": agenda_items,
        "counts": counts(state),
        "last_change": format_time(last_change(state)),
    }


def counts(state: TrackState) -> dict[str, int]:
    """How many developments, rounds held and agreements a track's state holds."""
    return {"developments": len(state.developments), "rounds": state.rounds, "agreements": state.agreements}


def last_change(state: TrackState) -> dt.datetime | None:
    """The latest time (on the state's clock) at which a development or agenda item changed."""
    times = [d.last_seen or d.first_seen for d in state.developments]
    times += [e.at for _, entries in state.agenda for e in entries]
    return max(times, default=None)


def _chronological(d: Development) -> tuple[str, str]:
    return (d.date or format_time(d.first_seen) or "", d.id)


def alert_to_bytes(alert: Alert) -> bytes:
    return json.dumps(alert_to_dict(alert), ensure_ascii=False).encode()


def deadletter_to_bytes(
    *, reason: str, error: str, payload: bytes | None, topic: str, partition: int | None, offset: int | None
) -> bytes:
    """A dead-letter record that keeps the original payload (text when UTF-8, else base64)."""
    record: dict[str, Any] = {
        "reason": reason,
        "error": error,
        "topic": topic,
        "partition": partition,
        "offset": offset,
    }
    if payload is not None and len(payload) > DEADLETTER_PAYLOAD_BYTES:
        # The original stays on its topic at (partition, offset); the dead letter keeps a head.
        record["payload_bytes"] = len(payload)
        record["payload_truncated"] = True
        payload = payload[:DEADLETTER_PAYLOAD_BYTES]
    if payload is None:
        record["payload"] = None
    else:
        try:
            record["payload"] = payload.decode()
        except UnicodeDecodeError:
            record["payload_base64"] = base64.b64encode(payload).decode()
    return json.dumps(record, ensure_ascii=False).encode()
