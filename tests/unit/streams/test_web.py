"""The pure parts of the state views; the views themselves are exercised on a real worker in
tests/integration/test_state_api.py."""

from __future__ import annotations

from aiokafka.partitioner import murmur2

from streams.core import statestore
from streams.web import owner_in, partition_of, track_state, track_summary
from tests.unit.core.state_builders import seeds_like_state


def _store() -> dict[str, bytes]:
    store: dict[str, bytes] = {}
    _, writes = statestore.save_all(seeds_like_state())
    statestore.apply(store, writes)
    return store


def test_track_state_reads_the_table_entries_through_the_state_store() -> None:
    data = track_state(_store().get, "ru-us", "Russia - United States")
    assert data["name"] == "Russia - United States"
    assert sorted(d["id"] for d in data["developments"]) == ["d-agr", "d-ist1", "d-ist2", "d-post", "d-riy"]
    assert data["agenda"] == {"mission_funding": "agreed"}


def test_a_track_with_nothing_stored_is_an_empty_state() -> None:
    data = track_state({}.get, "am-az", "Armenia - Azerbaijan")
    assert data["developments"] == [] and data["last_change"] is None
    assert data["counts"] == {"developments": 0, "rounds": 0, "agreements": 0}


def test_track_summary() -> None:
    summary = track_summary(_store().get, "ru-us", "Russia - United States", "http://127.0.0.1:6066")
    assert summary == {
        "id": "ru-us",
        "name": "Russia - United States",
        "counts": {"developments": 5, "rounds": 3, "agreements": 1},
        "last_change": "2025-04-11T10:00:00Z",
        "owner": "http://127.0.0.1:6066",
    }


def test_partition_of_is_kafkas_default_partitioner_over_the_track_key() -> None:
    for track, partitions in (("ru-us", 4), ("am-az", 4), ("cn-us", 7)):
        assert partition_of(track, partitions) == (murmur2(track.encode()) & 0x7FFFFFFF) % partitions


def test_owner_in_finds_the_worker_holding_the_partition() -> None:
    distribution = {
        "http://a:6066": {"app-tracked": [0, 2], "app-articles": [1]},
        "http://b:6066": {"app-tracked": [1, 3]},
    }
    assert owner_in(distribution, "app-tracked", 3) == "http://b:6066"
    assert owner_in(distribution, "app-tracked", 0) == "http://a:6066"
    assert owner_in(distribution, "app-tracked", 5) is None
