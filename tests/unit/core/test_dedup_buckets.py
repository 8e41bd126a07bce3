"""Per-hour eviction buckets of the deduplication index."""

from __future__ import annotations

import datetime as dt

import pytest

from streams.core.buckets import HourBuckets, hour_end, hour_of

T0 = dt.datetime(2026, 11, 1, 9, 59, tzinfo=dt.UTC)


def test_hour_names() -> None:
    assert hour_of(T0) == "2026110109"
    assert hour_of(T0.replace(tzinfo=None)) == "2026110109"
    assert hour_of(T0.astimezone(dt.timezone(dt.timedelta(hours=3)))) == "2026110109"
    assert hour_end("2026110109") == dt.datetime(2026, 11, 1, 10, tzinfo=dt.UTC)


def test_keys_come_back_once_their_hour_is_over() -> None:
    store: dict[str, str] = {}
    buckets = HourBuckets(store, chunk=3)
    buckets.add("2026110109", ["a", "b"])
    buckets.add("2026110109", ["c", "d", "e"])
    buckets.add("2026110110", ["f"])
    assert store["e:2026110109"] == "2"
    assert store["e:"] == "2026110109 2026110110"
    assert list(buckets.pop_until(dt.datetime(2026, 11, 1, 9, 59, tzinfo=dt.UTC))) == []
    assert list(buckets.pop_until(dt.datetime(2026, 11, 1, 10, tzinfo=dt.UTC))) == ["a", "b", "c", "d", "e"]
    assert store == {"e:": "2026110110", "e:2026110110": "1", "e:2026110110.0": "f"}
    assert list(buckets.pop_until(dt.datetime(2027, 1, 1, tzinfo=dt.UTC))) == ["f"]
    assert store == {"e:": ""}


def test_a_new_hour_between_older_ones_stays_sorted() -> None:
    store: dict[str, str] = {}
    buckets = HourBuckets(store)
    for hour in ("2026110112", "2026110109", "2026110110"):
        buckets.add(hour, [hour])
    assert store["e:"] == "2026110109 2026110110 2026110112"
    assert list(buckets.pop_until(dt.datetime(2026, 11, 1, 11, tzinfo=dt.UTC))) == ["2026110109", "2026110110"]


def test_chunk_must_be_positive() -> None:
    with pytest.raises(ValueError, match="chunk"):
        HourBuckets({}, chunk=0)


def test_an_hour_is_due_exactly_when_it_has_ended() -> None:
    hours = ["2026123122", "2026123123", "2027010100", "2027010101"]
    zone = dt.timezone(dt.timedelta(hours=3, minutes=30))
    for minutes in range(0, 6 * 60, 7):
        cutoff = dt.datetime(2026, 12, 31, 21, 0, 30, tzinfo=dt.UTC) + dt.timedelta(minutes=minutes)
        for moment in (cutoff, cutoff.astimezone(zone)):
            store: dict[str, str] = {}
            buckets = HourBuckets(store)
            for hour in hours:
                buckets.add(hour, [hour])
            assert list(buckets.pop_until(moment)) == [h for h in hours if hour_end(h) <= cutoff]
