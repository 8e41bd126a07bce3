"""The partition assignment spreads the tracks over the workers (streams/assignor.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aiokafka.coordinator.protocol import ConsumerProtocolMemberMetadata
from faust.assignor.client_assignment import ClientAssignment, ClientMetadata

from streams.assignor import TrackAssignor, spread, spread_assignment, track_weights
from streams.settings import Settings
from streams.web import partition_of
from streams.worker import build

ROOT = Path(__file__).resolve().parents[3]


def loads(assignment: dict[str, set[int]], weights: dict[int, int]) -> list[int]:
    return sorted(sum(weights.get(p, 0) for p in parts) for parts in assignment.values())


def test_two_tracks_that_faust_puts_on_one_worker_are_split() -> None:
    # Faust's round robin over two fresh workers: 0, 2 and 1, 3; the tracks are on 1 and 3.
    weights = {1: 1, 3: 1}
    out = spread({"a": {0, 2}, "b": {1, 3}}, weights)
    assert loads(out, weights) == [1, 1]
    assert sorted(len(p) for p in out.values()) == [2, 2]
    assert out["a"] | out["b"] == {0, 1, 2, 3}


def test_a_track_stays_on_the_worker_that_held_it_when_another_joins() -> None:
    # Faust's sticky trim gives the worker that joined partitions 0 and 1: the track on 1 would move.
    out = spread({"a": {2, 3}, "b": {0, 1}}, {1: 1}, previous={"a": {0, 1, 2, 3}, "b": set()})
    assert 1 in out["a"]
    assert len(out["a"]) == len(out["b"]) == 2


def test_an_even_assignment_is_left_as_it_is() -> None:
    actives = {"a": {0, 2}, "b": {1, 3}}
    assert spread(actives, {1: 1, 2: 1}) == actives
    assert spread(actives, {}) == actives
    assert spread({"a": {0, 1, 2, 3}}, {1: 2}) == {"a": {0, 1, 2, 3}}


def test_the_largest_load_is_made_as_small_as_it_can_be() -> None:
    # Five tracks: 2 on partition 0, 1 on each of 1, 2, 3; three workers of 2, 1 and 1 partitions.
    weights = {0: 2, 1: 1, 2: 1, 3: 1}
    out = spread({"a": {0, 1}, "b": {2}, "c": {3}}, weights)
    assert max(loads(out, weights)) == 2
    assert sorted(len(p) for p in out.values()) == [1, 1, 2]


def test_a_worker_does_not_take_a_partition_it_stands_by_for() -> None:
    out = spread({"a": {0, 2}, "b": {1, 3}}, {1: 1, 3: 1}, blocked={"a": {1, 3}})
    assert out == {"a": {0, 2}, "b": {1, 3}}


def test_the_tracked_topic_moves_with_its_group_and_nothing_else() -> None:
    group = ("tracked", "state-changelog")
    assignments: dict[str, Any] = {
        "a": ClientAssignment(actives={**{t: [0, 2] for t in group}, "other": [0]}, standbys={}),
        "b": ClientAssignment(actives={**{t: [1, 3] for t in group}, "other": [1]}, standbys={}),
    }
    spread_assignment(assignments, "tracked", {1: 1, 3: 1}, {})
    a, b = assignments["a"].actives, assignments["b"].actives
    assert a["tracked"] == a["state-changelog"] and b["tracked"] == b["state-changelog"]
    assert len({1, 3} & set(a["tracked"])) == 1 and len({1, 3} & set(b["tracked"])) == 1
    assert (a["other"], b["other"]) == ([0], [1])


def test_track_weights_count_the_tracks_of_each_partition() -> None:
    assert track_weights({"x": 1, "y": 3, "z": 1}) == {1: 2, 3: 1}


def _member(assignor: TrackAssignor, topics: list[str], url: str, held: list[int]) -> Any:
    previous = ClientAssignment(actives={t: held for t in topics} if held else {}, standbys={})
    data = ClientMetadata(assignment=previous, url=url, changelog_distribution={})
    return ConsumerProtocolMemberMetadata(assignor.version, topics, data.dumps())


class _Cluster:
    def partitions_for_topic(self, topic: str) -> set[int]:
        return {0, 1, 2, 3}


def test_the_worker_app_assigns_through_faust_and_spreads_the_tracks(tmp_path: Path) -> None:
    # ru-us and il-sy hash to partitions 1 and 3 of 4 (Kafka's default partitioner).
    assert (partition_of("ru-us", 4), partition_of("il-sy", 4)) == (1, 3)
    tracks = tmp_path / "tracks.toml"
    tracks.write_text(
        (ROOT / "streams" / "lexicons" / "tracks.toml").read_text(encoding="utf-8")
        + "\n"
        + (ROOT / "tests" / "corpus" / "tracks" / "il-sy.toml").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    settings = Settings(data_dir=tmp_path, tracks=tracks)
    app = build(settings).app
    assignor = app.assignor
    assert isinstance(assignor, TrackAssignor)
    topics = [settings.articles_topic, settings.tracked_topic, *sorted(app.tables.changelog_topics)]

    def assign(held: dict[str, list[int]]) -> dict[str, set[int]]:
        members = {m: _member(assignor, topics, f"http://{m}:1", p) for m, p in held.items()}
        result = assignor._perform_assignment(_Cluster(), members)
        out = {}
        for member, assignment in result.items():
            by_topic = dict(assignment.assignment)
            # Every topic of the group moved alike: a track's tables stay with it.
            assert all(sorted(by_topic[t]) == sorted(by_topic[settings.tracked_topic]) for t in topics)
            out[member] = set(by_topic[settings.tracked_topic])
        return out

    fresh = assign({"a": [], "b": []})
    assert all(len(parts & {1, 3}) == 1 for parts in fresh.values()), fresh
    # One worker held everything; another joins: each gets one track, one of them stays.
    joined = assign({"a": [0, 1, 2, 3], "b": []})
    assert all(len(parts & {1, 3}) == 1 for parts in joined.values()), joined
