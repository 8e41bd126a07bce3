"""Partition assignment that spreads the tracks over the workers.

A track is one partition of the tracked topic (key = track id, Kafka's default partitioner), with
its tables' changelog partitions of the same number. Faust's assignor
(``faust.assignor.CopartitionedAssignor``) balances how many partitions each worker holds, not
which: with two workers and four partitions a fresh group gets 0, 2 and 1, 3 (round robin), and a
worker joining one that holds all four takes 0 and 1 (its sticky trim drops the lowest numbers).
Two tracks on partitions 1 and 3 then shared one worker while the other had only empty partitions,
and a lone track on partition 0 or 1 moved to the worker that joined, which had to restore its
state. Here, after Faust's assignment, whole partitions (every topic of the copartitioned group,
so a track's tables go with it) are swapped between workers until the tracks are spread as evenly
as they can be, a track staying where it was when that is as even. Partition counts per worker
do not change.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Mapping, MutableMapping
from typing import Any, ClassVar

from faust.assignor import PartitionAssignor

logger = logging.getLogger(__name__)


def spread(
    actives: Mapping[str, set[int]],
    weights: Mapping[int, int],
    previous: Mapping[str, set[int]] | None = None,
    blocked: Mapping[str, set[int]] | None = None,
) -> dict[str, set[int]]:
    """Each worker's partitions after swaps that spread ``weights`` (tracks per partition) evenly.

    ``actives``: each worker's partitions; ``previous``: those it held before the rebalance (a
    track stays there when that is as even); ``blocked``: partitions a worker may not take (it
    stands by for them). Order of preference: the smallest largest load, then the most even loads,
    then the most tracks kept where they were. Every worker keeps its number of partitions.
    """
    previous = previous or {}
    blocked = blocked or {}
    out = {worker: set(parts) for worker, parts in actives.items()}

    def weight(p: int) -> int:
        return weights.get(p, 0)

    def score(assignment: Mapping[str, set[int]]) -> tuple[int, int, int]:
        loads = [sum(weight(p) for p in parts) for parts in assignment.values()]
        kept = sum(weight(p) for worker, parts in assignment.items() for p in parts & previous.get(worker, set()))
        return (max(loads, default=0), sum(x * x for x in loads), -kept)

    current = score(out)
    # Each swap makes the score strictly smaller, so this ends; the bound is a safeguard.
    for _ in range(4 * sum(len(parts) for parts in out.values()) + 1):
        best: tuple[tuple[int, int, int], str, int, str, int] | None = None
        for a, b in itertools.combinations(sorted(out), 2):
            for p in sorted(out[a]):
                for q in sorted(out[b]):
                    if weight(p) == weight(q) and not (p in previous.get(b, ()) or q in previous.get(a, ())):
                        continue
                    if p in blocked.get(b, ()) or q in blocked.get(a, ()):
                        continue
                    swap(out, a, p, b, q)
                    candidate = score(out)
                    swap(out, a, q, b, p)
                    if candidate < current and (best is None or candidate < best[0]):
                        best = (candidate, a, p, b, q)
        if best is None:
            break
        current, a, p, b, q = best
        swap(out, a, p, b, q)
    return out


def swap(assignment: dict[str, set[int]], a: str, p: int, b: str, q: int) -> None:
    """Give ``a``'s partition ``p`` to ``b`` and ``b``'s ``q`` to ``a``."""
    assignment[a].remove(p)
    assignment[b].remove(q)
    assignment[a].add(q)
    assignment[b].add(p)


def track_weights(tracks: Mapping[str, int]) -> dict[int, int]:
    """Tracks per partition, from each track's partition."""
    weights: dict[int, int] = {}
    for partition in tracks.values():
        weights[partition] = weights.get(partition, 0) + 1
    return weights


def spread_assignment(
    assignments: MutableMapping[str, Any],
    tracked_topic: str,
    weights: Mapping[int, int],
    previous: Mapping[str, set[int]],
) -> None:
    """Apply :func:`spread` to Faust's ``ClientAssignment`` per member, in place: the partitions
    of the tracked topic move with those of every topic assigned alike (its copartitioned group)."""
    if not weights or len(assignments) < 2:
        return
    actives = {member: set(a.actives.get(tracked_topic, ())) for member, a in assignments.items()}
    if not any(actives.values()):
        return
    blocked = {member: set(a.standbys.get(tracked_topic, ())) for member, a in assignments.items()}
    spread_out = spread(actives, weights, previous, blocked)
    if spread_out == actives:
        return
    # The topics of the tracked topic's group: assigned exactly like it on every member.
    topics = {
        topic
        for a in assignments.values()
        for topic in a.actives
        if all(set(b.actives.get(topic, ())) == actives[m] for m, b in assignments.items())
    }
    for member, a in assignments.items():
        for topic in topics:
            a.actives[topic] = sorted(spread_out[member])
    logger.info(
        "partitions swapped to spread the tracks over the workers: %s -> %s",
        {m: sorted(p) for m, p in actives.items()},
        {m: sorted(p) for m, p in spread_out.items()},
    )


class TrackAssignor(PartitionAssignor):
    """Faust's assignor, then :func:`spread_assignment` for the tracked topic.

    Configured by subclassing (:func:`track_assignor`): Faust creates the assignor itself."""

    tracked_topic: ClassVar[str] = ""
    weights: ClassVar[Mapping[int, int]] = {}

    def _perform_assignment(self, cluster: Any, member_metadata: MutableMapping[str, Any]) -> Any:
        # What each member held before, as it says in its join metadata.
        self._previous = {
            member: set(self._get_client_metadata(metadata).assignment.actives.get(self.tracked_topic, ()))
            for member, metadata in member_metadata.items()
        }
        return super()._perform_assignment(cluster, member_metadata)

    def _global_table_standby_assignments(self, assignments: Any, partitions_by_topic: Any) -> Any:
        # The last step that changes the assignment before Faust derives from it which worker keeps
        # what (the distributions the state views route by) and encodes it.
        assignments = super()._global_table_standby_assignments(assignments, partitions_by_topic)
        spread_assignment(assignments, self.tracked_topic, self.weights, getattr(self, "_previous", {}))
        return assignments


def track_assignor(tracked_topic: str, weights: Mapping[int, int]) -> type[TrackAssignor]:
    """The assignor class for an app whose tracked topic is ``tracked_topic``, with ``weights``
    tracks on each of its partitions."""
    return type("TrackAssignor", (TrackAssignor,), {"tracked_topic": tracked_topic, "weights": dict(weights)})
