from __future__ import annotations

import datetime as dt
import json

import pytest

from streams.core.errors import InvalidArticle
from streams.core.models import Alert, Development, Evidence
from streams.core.wire import (
    alert_to_dict,
    article_from_bytes,
    article_to_bytes,
    deadletter_to_bytes,
    parse_time,
)


def _payload(**fields: object) -> bytes:
    base: dict[str, object] = {"source": "example.org", "text": "نص الخبر"}
    base.update(fields)
    return json.dumps(base).encode()


def test_a_minimal_article_gets_a_stable_id_from_its_text() -> None:
    a = article_from_bytes(_payload())
    b = article_from_bytes(_payload())
    assert a.id == b.id
    assert a.id != article_from_bytes(_payload(text="نص آخر")).id


def test_the_id_comes_from_the_canonical_url_when_there_is_one() -> None:
    a = article_from_bytes(_payload(url="https://Example.org/news/1?utm_source=x"))
    b = article_from_bytes(_payload(url="https://example.org/news/1", text="other text"))
    assert a.id == b.id


def test_round_trip_keeps_every_field() -> None:
    original = article_from_bytes(
        _payload(
            id="a1",
            url="https://e.org/1",
            title="t",
            published="2025-04-10T08:00:00Z",
            fetched="2025-04-10T08:01:00+02:00",
            language="ar",
            connector="rss",
        )
    )
    again = article_from_bytes(article_to_bytes(original))
    assert again == original
    assert again.fetched == dt.datetime(2025, 4, 10, 6, 1, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (b"not json", "not_json"),
        (b"\xff\xfe", "not_json"),
        (b"[" * 100_000 + b"]" * 100_000, "not_json"),
        (b'{"a":' * 100_000 + b"1" + b"}" * 100_000, "not_json"),
        (b"", "empty"),
        (b"[1]", "not_object"),
        (json.dumps({"text": "x"}).encode(), "missing_field"),
        (json.dumps({"source": "s", "text": " ", "title": ""}).encode(), "empty"),
        (json.dumps({"source": 3, "text": "x"}).encode(), "bad_field"),
        (json.dumps({"source": "s", "text": "x", "published": "yesterday"}).encode(), "bad_field"),
    ],
)
def test_bad_messages_say_why(payload: bytes, reason: str) -> None:
    with pytest.raises(InvalidArticle) as info:
        article_from_bytes(payload)
    assert info.value.reason == reason
    assert info.value.payload == payload or not payload.strip()


def test_too_large_is_rejected_before_parsing() -> None:
    with pytest.raises(InvalidArticle) as info:
        article_from_bytes(_payload(text="x" * 5000), max_bytes=1000)
    assert info.value.reason == "too_large"


def test_naive_timestamps_are_utc() -> None:
    assert parse_time("2025-02-27T10:00:00", "published") == dt.datetime(2025, 2, 27, 10, tzinfo=dt.UTC)


def test_alert_wire_form_has_the_documented_fields() -> None:
    dev = Development(
        id="d1",
        track="ru-us",
        type="round_held",
        location="Istanbul",
        date="2025-02-27",
        date_precision="day",
        ordinal=1,
        topics=("embassy_operations",),
        actors=("Russia",),
        summary="s",
        evidence=(Evidence("a", None, "src", "sentence"),),
        sources=("src", "other"),
        first_seen=dt.datetime(2025, 2, 27, tzinfo=dt.UTC),
    )
    wire = alert_to_dict(Alert("new", dev))
    for field in (
        "id",
        "track",
        "type",
        "location",
        "date",
        "date_precision",
        "ordinal",
        "topics",
        "actors",
        "summary",
        "evidence",
        "sources",
        "first_seen",
        "cameo",
    ):
        assert field in wire
    assert wire["sources"] == 2
    assert wire["cameo"] == "043"
    assert wire["first_seen"] == "2025-02-27T00:00:00Z"


def test_dead_letters_keep_the_payload() -> None:
    record = json.loads(
        deadletter_to_bytes(reason="not_json", error="e", payload=b"\xff", topic="t", partition=1, offset=7)
    )
    assert record["payload_base64"] == "/w=="
    big = json.loads(
        deadletter_to_bytes(reason="too_large", error="e", payload=b"x" * 100_000, topic="t", partition=0, offset=1)
    )
    assert big["payload_truncated"] is True and big["payload_bytes"] == 100_000


def test_state_to_dict_gives_status_corroboration_agenda_history_and_last_change() -> None:
    from streams.core.wire import state_to_dict
    from tests.unit.core.state_builders import SEEN, seeds_like_state

    data = state_to_dict(seeds_like_state(), "Russia - United States")
    assert data["name"] == "Russia - United States"
    by_id = {d["id"]: d for d in data["developments"]}
    assert [by_id[i]["status"] for i in ("d-riy", "d-agr", "d-post")] == ["held", "agreed", "postponed"]
    # Two sources: corroborated when last heard of; one source: not corroborated yet.
    assert by_id["d-ist1"]["last_corroborated"] == "2025-04-11T10:00:00Z"
    assert by_id["d-riy"]["last_corroborated"] is None
    assert by_id["d-riy"]["first_seen"] == "2025-04-11T08:00:00Z"
    assert data["agenda"] == {"mission_funding": "agreed"}
    assert data["agenda_items"] == [
        {
            "topic": "mission_funding",
            "status": "agreed",
            "history": [
                {"status": "discussed", "at": "2025-04-11T08:00:00Z", "development_id": "d-ist1"},
                {"status": "agreed", "at": "2025-04-11T10:00:00Z", "development_id": "d-agr"},
            ],
        }
    ]
    assert data["last_change"] == "2025-04-11T10:00:00Z"
    assert data["counts"] == {"developments": 5, "rounds": 3, "agreements": 1}
    assert SEEN.tzinfo is not None
