"""The watch that notices a broker which lost dipwatch's topics (streams/brokerwatch.py)."""

from __future__ import annotations

from streams.brokerwatch import TopicWatch


def test_a_topic_seen_then_missing_is_lost() -> None:
    watch = TopicWatch(["a", "b"])
    assert watch.lost({"a", "b", "other"}) == []
    assert watch.lost({"b"}) == ["a"]


def test_a_topic_created_again_shorter_has_shrunk() -> None:
    # A restarted in-memory broker: a writer created the topic again before the watch looked.
    watch = TopicWatch(["a"])
    assert watch.shrunk({("a", 0): 40, ("a", 1): 12}) == []
    assert watch.shrunk({("a", 0): 41, ("a", 1): 12}) == []
    assert watch.shrunk({("a", 0): 2, ("a", 1): 12}) == ["a"]


def test_a_new_partition_or_topic_is_not_a_loss() -> None:
    watch = TopicWatch(["a", "b"])
    watch.shrunk({("a", 0): 5})
    assert watch.shrunk({("a", 0): 5, ("a", 1): 0, ("b", 0): 3}) == []
