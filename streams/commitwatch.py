"""Noticing offsets that stop being committed while the worker goes on processing.

After a crash-restart a worker once processed every redelivered message and never committed an
offset again: a restart after that would process everything once more. The watch compares, every
few seconds, the offsets the worker has processed with those committed; when processed messages
have waited past ``after`` seconds with the committed offsets not moving, it says so once (a log
warning and a counter) and reports how long in a gauge until the commits move again.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

logger = logging.getLogger(__name__)


@dataclass
class CommitWatch:
    """The stall clock of one worker's source partitions."""

    after: float
    since: float | None = None
    reported: bool = False
    last: dict[Any, int | None] = field(default_factory=dict)

    def observe(self, now: float, processed: Mapping[Any, int | None], committed: Mapping[Any, int | None]) -> float:
        """Seconds the committed offsets have not moved while processed messages wait beyond
        them (0 when none waits). ``processed``: the last offset processed per partition;
        ``committed``: the next offset to read after the last commit (Kafka's meaning)."""
        waiting = sorted(
            str(tp)
            for tp, offset in processed.items()
            if offset is not None and (committed.get(tp) is None or offset >= (committed.get(tp) or 0))
        )
        moved = dict(committed) != self.last
        self.last = dict(committed)
        if not waiting:
            self.since, self.reported = None, False
            return 0.0
        if moved or self.since is None:
            self.since, self.reported = now, False
            return 0.0
        stalled = now - self.since
        if stalled >= self.after and not self.reported:
            self.reported = True
            logger.warning(
                "offsets not committed for %.0f s although messages were processed past them (%s): "
                "a restart would process them again",
                stalled,
                ", ".join(waiting),
            )
        return stalled

    @property
    def stalled(self) -> bool:
        """Whether the current stall has been reported."""
        return self.reported
